"""A population figure is recorded and corrected only at the version the person saw (issue 12 §5).

The blank form carries version 0 ("saw none"); a correction carries the figure's version. A stale
or missing version answers 409 with the typed input kept, and nothing is written.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.regions import services
from kotacerdas.regions.models import Population

pytestmark = pytest.mark.django_db

A = "13.72"
CONFLICT = "Someone else saved this record"
MISSING = "did not say which version"


def _figure(cast) -> Population:
    return Population.objects.get(region=cast.region_a, year=2020)


def test_the_service_creates_at_version_zero_and_corrects_at_the_version_seen(cast):
    created = services.set_population(
        actor=cast.owner, region=cast.region_a, year=2031, population=61_000, expected_version=0
    )
    assert created.version == 1
    corrected = services.set_population(
        actor=cast.owner, region=cast.region_a, year=2031, population=62_000, expected_version=1
    )
    assert (corrected.pk, corrected.version, corrected.population) == (created.pk, 2, 62_000)
    assert AuditEntry.objects.filter(object_id=str(created.pk), action="update").count() == 1


@pytest.mark.parametrize("expected", [0, 2, None, "1"])
def test_the_service_refuses_a_stale_or_missing_version_and_changes_nothing(cast, expected):
    audited = AuditEntry.objects.count()
    with pytest.raises(EditConflict):
        services.set_population(
            actor=cast.owner, region=cast.region_a, year=2020, population=1, expected_version=expected
        )
    assert _figure(cast).population == 73438 and _figure(cast).version == 1
    assert AuditEntry.objects.count() == audited


def test_the_service_refuses_a_version_for_a_figure_that_does_not_exist(cast):
    with pytest.raises(EditConflict):
        services.set_population(actor=None, region=cast.region_a, year=2031, population=1, expected_version=1)
    assert not Population.objects.filter(region=cast.region_a, year=2031).exists()


def test_a_figure_recorded_meanwhile_is_not_overwritten_from_the_blank_form(cast, english):
    response = cast.client(cast.owner).post(
        reverse("regions:population_add", args=[A]), {"year": "2020", "population": "99.999", "version": "0"}
    )
    html = response.content.decode()
    assert response.status_code == 409 and CONFLICT in html
    assert 'value="99.999"' in html  # the typed input is kept
    assert _figure(cast).population == 73438


@pytest.mark.parametrize("posted", [{}, {"version": ""}, {"version": "x"}])
def test_the_blank_form_without_its_version_is_refused(cast, english, posted):
    response = cast.client(cast.owner).post(
        reverse("regions:population_add", args=[A]), {"year": "2031", "population": "5000", **posted}
    )
    assert response.status_code == 409 and MISSING in response.content.decode()
    assert not Population.objects.filter(region=cast.region_a, year=2031).exists()


def test_the_correction_page_shows_the_figure_and_saves_at_its_version(cast):
    client = cast.client(cast.owner)
    url = reverse("regions:population_edit", args=[A, 2020])
    page = client.get(url).content.decode()
    assert 'name="version" value="1"' in page and "73438" in page
    response = client.post(url, {"year": "1999", "population": "74.000", "source": "BPS", "version": "1"})
    assert response.status_code == 302
    figure = _figure(cast)
    assert (figure.population, figure.source, figure.version) == (74_000, "BPS", 2)
    assert not Population.objects.filter(region=cast.region_a, year=1999).exists()  # the year is fixed


@pytest.mark.parametrize("posted", [{"version": "2"}, {"version": "0"}, {}, {"version": ""}])
def test_a_stale_or_missing_correction_answers_409_with_the_input_kept(cast, english, posted):
    url = reverse("regions:population_edit", args=[A, 2020])
    response = cast.client(cast.owner).post(url, {"population": "80.123", "source": "Sensus ulang", **posted})
    html = response.content.decode()
    assert response.status_code == 409 and (CONFLICT in html or MISSING in html)
    assert "Sensus ulang" in html and "80.123" in html
    assert _figure(cast).population == 73438


@pytest.mark.parametrize("who", ["outsider", "editor"])
def test_the_correction_page_is_hidden_from_outsiders_and_refused_to_editors(cast, who):
    url = reverse("regions:population_edit", args=[A, 2020])
    client = cast.client(getattr(cast, who))
    expected = 404 if who == "outsider" else 403
    assert client.get(url).status_code == expected
    assert client.post(url, {"population": "1", "version": "1"}).status_code == expected
    assert _figure(cast).population == 73438


def test_a_year_without_a_figure_has_no_correction_page(cast):
    assert cast.client(cast.owner).get(reverse("regions:population_edit", args=[A, 1990])).status_code == 404


def test_the_blank_form_carries_version_zero(cast):
    page = cast.client(cast.owner).get(reverse("regions:population_add", args=[A])).content.decode()
    assert 'name="version" value="0"' in page
