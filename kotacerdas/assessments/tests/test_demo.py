"""The Kota Solok demo: a 2019 and a 2024 maturity assessment and a 2024 readiness analysis."""

from __future__ import annotations

import pytest

from kotacerdas.assessments import selectors
from kotacerdas.assessments.models import Run, SwotEntry
from kotacerdas.demo.loader import load_demo
from tests.support import snapshot

pytestmark = pytest.mark.django_db


def test_the_demo_gives_solok_two_maturity_runs_and_a_readiness_analysis_all_marked_as_sample(request):
    snapshot.demo(request)
    runs = list(Run.objects.filter(region__code="13.72").select_related("template", "region"))
    assert sorted((r.template.kind, r.year) for r in runs) == [
        ("maturity", 2019),
        ("maturity", 2024),
        ("readiness", 2024),
    ]
    assert all(r.is_sample and r.status == "accepted" for r in runs)
    scores = {r.year: selectors.run_result(r) for r in runs if r.template.kind == "maturity"}
    assert scores[2024].tree.score > scores[2019].tree.score  # the comparison shows progress
    assert scores[2024].gaps
    readiness = next(r for r in runs if r.template.kind == "readiness")
    assert SwotEntry.objects.filter(run=readiness, is_sample=True).count() == 10
    load_demo()  # idempotent
    assert Run.objects.filter(region__code="13.72").count() == 3
