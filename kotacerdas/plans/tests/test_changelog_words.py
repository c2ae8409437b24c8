"""The change log reads in the active language: field names, choice labels and rupiah amounts,
never the stored codes ("apbd", "higher", "output", "medium") or English-grouped numbers."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.changelog import changelog, translated_wording

pytestmark = pytest.mark.django_db


def _review_with_changes(plan):
    review = services.start_review_edition(
        actor=None,
        previous=plan.edition,
        data={"year": 2029, "title": "Tinjauan", "start_year": 2025, "end_year": 2029},
    )
    programme = review.programmes.get(code="GOV-01")
    services.set_budgets(
        actor=None, programme=programme, expected_version=stored_version(programme),
        lines=[{"year": 2025, "source": "apbn", "amount": 900_000_000}],
    )  # fmt: skip
    programme.refresh_from_db()
    services.update_programme(
        actor=None, programme=programme, data={"horizon": "long"}, expected_version=stored_version(programme)
    )
    return review


def test_the_change_log_page_prints_labels_and_rupiah_in_indonesian(cast, plan):
    review = _review_with_changes(plan)
    client = cast.client(cast.viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("plans:changes", args=["13.72", review.year])).content.decode()
    assert "Rp 900.000.000" in page and "Rp 150.000.000" in page
    assert " apbd " not in page and " apbn " not in page and "900,000,000" not in page
    assert "jangka menengah (hingga 5 tahun)" in page  # the horizon's label, not "medium"
    assert "<td>horizon</td>" not in page and "<td>budgets</td>" not in page
    outsider = cast.client(cast.outsider).get(reverse("plans:changes", args=["13.72", review.year]))
    assert outsider.status_code == 404


def test_indicator_lines_name_direction_and_kind_in_words():
    indicator = {"name": "Layanan", "unit": "layanan", "direction": "higher", "kind": "outcome", "baseline": 1,
                 "baseline_year": 2024, "targets": [{"year": 2025, "value": 2}], "data_producer": None}  # fmt: skip
    old = {"programmes": [{"code": "A", "lineage": "x", "indicators": [indicator]}]}
    new = copy.deepcopy(old)
    new["programmes"][0]["indicators"][0]["direction"] = "lower"
    with translation.override("id"):
        found = changelog(old, new, translated_wording())
    (change,) = found
    assert "makin tinggi makin baik" in change.before and "makin rendah makin baik" in change.after
    assert "higher" not in change.before and "outcome" not in change.before
    assert "kondisi awal (baseline)" in change.before
    # Without the wording (scripts, --json) the stored codes stay.
    assert "higher" in changelog(old, new)[0].before


def test_a_programme_page_names_the_indicator_kind_and_direction_in_indonesian(cast, plan):
    client = cast.client(cast.viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("plans:programme", args=["13.72", plan.edition.year, "GOV-01"])).content.decode()
    assert "keluaran · layanan · makin tinggi makin baik" in page
    assert "output ·" not in page and "higher is better" not in page


def test_the_dispositions_page_and_the_trail_name_a_disposition_in_indonesian(cast, plan):
    from kotacerdas.plans.models import Disposition
    from kotacerdas.plans.services.review import set_disposition

    review = _review_with_changes(plan)
    disposition = Disposition.objects.get(edition=review, previous_programme=plan.first)
    set_disposition(
        actor=cast.owner, disposition=disposition, data={"kind": "revise"}, expected_version=stored_version(disposition)
    )
    client = cast.client(cast.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("plans:dispositions", args=["13.72", review.year])).content.decode()
    assert "<strong>direvisi</strong>" in page and ">revise<" not in page and "revise:" not in page
    trail = client.get(reverse("regions:audit", args=["13.72"])).content.decode()
    assert "<ins>direvisi</ins>" in trail and "<ins>revise</ins>" not in trail
    assert cast.client(cast.outsider).get(reverse("plans:dispositions", args=["13.72", review.year])).status_code == 404
