"""An engagement of region A (2024) with Bimtek I–IV scheduled, on top of the shared cast."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from kotacerdas.engagements import services
from kotacerdas.engagements.models import Engagement, Session
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.regions import services as region_services
from kotacerdas.regions.models import OPD

D = datetime.date


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages (the shared ``english`` fixture)."""


@dataclass
class Forum:
    engagement: Engagement
    sessions: list[Session]
    bappeda: OPD
    merged_away: OPD  # existed until 2024-06-30
    merged_into: OPD  # exists from 2024-07-01
    engagement_b: Engagement
    session_b: Session


@pytest.fixture
def forum(cast: Any) -> Forum:
    cohort = services.ensure_cohort(
        actor=None, year=2024, name="Pendampingan 2024", ministry_name="Kementerian Kominfo"
    )
    engagement = services.create_engagement(actor=None, region=cast.region_a, cohort=cohort, purpose="Reviu")
    engagement = services.update_engagement(
        actor=None,
        engagement=engagement,
        data={"starts_on": D(2024, 6, 1), "ends_on": D(2024, 9, 30)},
        expected_version=stored_version(engagement),
    )
    sessions = services.schedule_default_stages(actor=None, engagement=engagement, first_day=D(2024, 6, 10))
    bappeda = region_services.create_opd(
        actor=None,
        region=cast.region_a,
        data={"name": "Badan Perencanaan", "abbreviation": "Bappeda", "kind": "badan", "valid_from": D(2017, 1, 1)},
    )
    merged_away = region_services.create_opd(
        actor=None,
        region=cast.region_a,
        data={
            "name": "Dinas Perumahan",
            "abbreviation": "Perkim",
            "kind": "dinas",
            "valid_from": D(2017, 1, 1),
            "valid_to": D(2024, 6, 30),
        },
    )
    merged_into = region_services.create_opd(
        actor=None,
        region=cast.region_a,
        data={
            "name": "Dinas Perumahan dan Lingkungan Hidup",
            "abbreviation": "PerkimLH",
            "kind": "dinas",
            "valid_from": D(2024, 7, 1),
        },
    )
    engagement_b = services.create_engagement(actor=None, region=cast.region_b, cohort=cohort)
    session_b = services.plan_session(
        actor=None,
        engagement=engagement_b,
        data={"stage": 1, "title": "Bimtek I B", "starts_on": D(2024, 6, 10), "ends_on": D(2024, 6, 11)},
    )
    return Forum(engagement, sessions, bappeda, merged_away, merged_into, engagement_b, session_b)
