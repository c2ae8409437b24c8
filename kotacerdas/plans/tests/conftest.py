"""Plan fixtures on top of the shared cast: a small edition of region A with two programmes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.models import Edition, Programme
from kotacerdas.plans.tests.factories import entry, make_edition, make_programme


@dataclass
class Plan:
    edition: Edition
    first: Programme
    second: Programme


@pytest.fixture
def plan(cast: Any) -> Plan:
    edition = make_edition(cast.region_a)
    first = make_programme(edition, "GOV-01", lead_opd=cast.opd_a, rpjmd_programme="Program SPBE")
    first = services.set_budgets(
        actor=None,
        programme=first,
        lines=[{"year": 2025, "source": "apbd", "amount": 150_000_000}],
        expected_version=stored_version(first),
    )
    first = services.set_indicators(
        actor=None,
        programme=first,
        expected_version=stored_version(first),
        indicators=[
            {
                "name": "Layanan daring",
                "unit": "layanan",
                "direction": "higher",
                "baseline": 10,
                "baseline_year": 2024,
                "data_producer": cast.opd_a,
                "targets": {2025: 15, 2026: 20},
            }
        ],
    )
    second = make_programme(edition, "ENV-01", dimension="ENV", lead_opd=cast.opd_a, dependencies=[first])
    services.save_content(actor=None, edition=edition, kind="mission", data={"number": 1, "text": "Misi satu"})
    services.save_content(
        actor=None,
        edition=edition,
        kind="strategy",
        data={"code": "S-GOV", "dimension": entry(edition, "GOV"), "text": "Strategi tata kelola"},
    )
    return Plan(edition, first, second)
