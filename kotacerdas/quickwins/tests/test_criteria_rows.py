"""A tampered or stale criteria row id is refused (issue 14 §1): it never deletes a criterion and its scores."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.quickwins.models import Criterion, Score
from kotacerdas.quickwins.tests.builders import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """The new sentences are asserted in English until the catalogue is merged."""


def _posted(selection_round, criteria, **changes):
    data = {"version": selection_round.version, "weight_mode": selection_round.weight_mode}
    for n, c in enumerate(criteria):
        data.update(
            {
                f"row{n}_id": c.pk,
                f"row{n}_code": c.code,
                f"row{n}_name": c.name,
                f"row{n}_direction": c.direction,
                f"row{n}_weight": str(c.weight if c.weight is not None else 1),
            }
        )
    for n in range(len(criteria), len(criteria) + 2):
        data[f"row{n}_direction"] = "benefit"
    return {**data, **changes}


def _url(region, year):
    return reverse("quickwins:criteria", args=[region.code, year])


@pytest.mark.parametrize("tampered", ["other_round", "missing", "twice"])
def test_a_row_id_that_is_not_this_rounds_criterion_is_refused_and_nothing_changes(cast, tampered):
    selection_round = make_round(cast.region_a)
    other = make_round(cast.region_b)
    criteria = list(selection_round.criteria.order_by("order"))
    replacement = {
        "other_round": other.criteria.first().pk,
        "missing": 999_999,
        "twice": criteria[1].pk,
    }[tampered]
    before = (Criterion.objects.count(), Score.objects.count())
    url = _url(cast.region_a, selection_round.year)
    response = cast.client(cast.editor).post(url, _posted(selection_round, criteria, row0_id=replacement))
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "This row is not one of the round&#x27;s criteria; reload the page and try again." in page
    assert (Criterion.objects.count(), Score.objects.count()) == before
    assert Criterion.objects.filter(pk=criteria[0].pk).exists()


def test_the_untampered_form_saves(cast):
    selection_round = make_round(cast.region_a)
    criteria = list(selection_round.criteria.order_by("order"))
    url = _url(cast.region_a, selection_round.year)
    response = cast.client(cast.editor).post(url, _posted(selection_round, criteria, row0_name="Dampak luas"))
    assert response.status_code == 302
    assert Criterion.objects.get(pk=criteria[0].pk).name == "Dampak luas"


def test_the_outsider_gets_404(cast):
    selection_round = make_round(cast.region_a)
    response = cast.client(cast.outsider).post(_url(cast.region_a, selection_round.year), {"version": 1})
    assert response.status_code == 404
