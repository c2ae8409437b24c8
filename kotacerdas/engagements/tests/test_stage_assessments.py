"""Bimtek I's readiness analysis and gap analysis are read from the region's accepted assessments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.assessments.loader import load_templates
from kotacerdas.assessments.models import Run, Template
from kotacerdas.assessments.services import runs
from kotacerdas.engagements.selectors import stage_facts

pytestmark = pytest.mark.django_db


def _run(cast, kind: str, year: int) -> Run:
    load_templates()
    template = Template.objects.get(kind=kind)
    return runs.start_run(actor=cast.owner, region=cast.region_a, template=template, year=year)


def test_without_an_assessment_readiness_and_gaps_are_missing_not_untracked(forum):
    facts = stage_facts(forum.engagement)
    assert facts["readiness"] is False and facts["gap"] is False


def test_a_run_under_review_does_not_count(cast, forum):
    run = _run(cast, "readiness", 2024)
    Run.objects.filter(pk=run.pk).update(status="submitted")
    assert stage_facts(forum.engagement)["readiness"] is False


def test_an_accepted_readiness_run_completes_readiness_and_gaps(cast, forum):
    run = _run(cast, "readiness", 2024)
    Run.objects.filter(pk=run.pk).update(status="accepted")
    facts = stage_facts(forum.engagement)
    assert facts["readiness"] is True and facts["gap"] is True


def test_an_accepted_maturity_run_gives_gaps_but_not_readiness(cast, forum):
    run = _run(cast, "maturity", 2024)
    Run.objects.filter(pk=run.pk).update(status="accepted")
    facts = stage_facts(forum.engagement)
    assert facts["readiness"] is False and facts["gap"] is True


def test_a_run_after_the_cohort_year_does_not_count(cast, forum):
    run = _run(cast, "readiness", 2025)
    Run.objects.filter(pk=run.pk).update(status="accepted")
    assert stage_facts(forum.engagement)["readiness"] is False


def test_the_other_regions_run_does_not_count(cast, forum):
    load_templates()
    template = Template.objects.get(kind="readiness")
    run = runs.start_run(actor=cast.outsider, region=cast.region_b, template=template, year=2024)
    Run.objects.filter(pk=run.pk).update(status="accepted")
    assert stage_facts(forum.engagement)["readiness"] is False


def test_the_dashboard_ticks_readiness_once_accepted(cast, forum):
    run = _run(cast, "readiness", 2024)
    url = reverse("engagements:dashboard", args=[cast.region_a.code, forum.engagement.pk])
    assert "(0 of 4 done; 2 not tracked yet)" in cast.client(cast.viewer).get(url).content.decode()
    Run.objects.filter(pk=run.pk).update(status="accepted")
    assert "(2 of 4 done; 2 not tracked yet)" in cast.client(cast.viewer).get(url).content.decode()
    assert cast.client(cast.outsider).get(url).status_code == 404
