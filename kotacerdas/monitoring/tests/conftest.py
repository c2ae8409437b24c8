"""Monitoring fixtures: region A's small plan, adopted, with quarterly reporting from 2025."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from kotacerdas.monitoring import services
from kotacerdas.monitoring.models import ReportingPeriod, ReportingPlan
from kotacerdas.plans.models import Edition, Programme, QuickWinFlag
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.plans.tests.conftest import plan  # noqa: F401 (the fixture, shared)

TODAY = datetime.date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages (the shared ``english`` fixture)."""


@dataclass
class Monitored:
    edition: Edition
    reporting: ReportingPlan
    first: Programme  # led by the editor's agency, budget and one indicator
    second: Programme
    q1: ReportingPeriod
    q2: ReportingPeriod


@pytest.fixture
def monitored(plan: Any) -> Monitored:  # noqa: F811
    Edition.objects.filter(pk=plan.edition.pk).update(status=EditionStatus.ADOPTED)
    edition = Edition.objects.get(pk=plan.edition.pk)
    QuickWinFlag.objects.create(region_id=edition.region_id, programme=plan.first, year=2025)
    reporting = services.start_reporting(actor=None, edition=edition, cadence="quarterly")
    q1, q2 = ReportingPeriod.objects.filter(edition=edition, key__in=["2025-Q1", "2025-Q2"]).order_by("key")
    return Monitored(edition, reporting, plan.first, plan.second, q1, q2)


def update_data(**extra: Any) -> dict[str, Any]:
    return {
        "status": "on_track",
        "progress": 40,
        "comment": "Aplikasi diuji coba di tiga kelurahan.",
        "reported_on": datetime.date(2025, 4, 5),
        **extra,
    }
