"""The Kota Solok demo: the adopted 2019 edition and the 2024 review in progress."""

from __future__ import annotations

import pytest

from kotacerdas.demo.loader import load_demo
from kotacerdas.plans import selectors
from kotacerdas.plans.models import Disposition, Edition, ReviewThread
from tests.support import snapshot

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_adopted_2019_edition_and_a_2024_review_with_findings(request):
    snapshot.demo(request)
    original = Edition.objects.get(region__code="13.72", year=2019)
    review = Edition.objects.get(region__code="13.72", year=2024)
    assert original.is_frozen and original.adoption_instrument == "perwal" and original.is_sample
    assert review.previous == original and review.status == "draft"
    assert 35 <= review.programmes.count() <= 45
    assert {p.dimension.code for p in review.programmes.select_related("dimension")} == {
        "GOV",
        "BRD",
        "ECO",
        "LIV",
        "SOC",
        "ENV",
    }
    assert all(p.is_sample for p in review.programmes.all())
    kinds = set(Disposition.objects.filter(edition=review).values_list("kind", flat=True))
    assert kinds == {"keep", "revise", "merge", "drop", "new"}
    assert ReviewThread.objects.filter(edition=review).count() >= 5
    report = selectors.plan_data(review).report
    assert report.errors and len(report.findings) < 20  # a few findings to show, not noise
    load_demo()  # idempotent
    assert Edition.objects.filter(region__code="13.72").count() == 2


def test_the_demo_plans_actions_inside_their_programmes_years_but_for_one_sample_finding(request):
    snapshot.demo(request)
    review = Edition.objects.get(region__code="13.72", year=2024)
    report = selectors.plan_data(review).report
    assert [(f.rule, f.programme) for f in report.findings if f.rule in ("PC023", "PC032")] == [("PC032", "LIV-03")]
    groups = report.groups()
    assert len(groups) <= 10  # the first screen of the check: a handful of lines, not noise
    assert [g.severity.label for g in groups] == sorted(
        (g.severity.label for g in groups), key=["error", "warning", "info"].index
    )
