"""The overview's reads: realised budget counts a corrected update once, freshness follows the
indicator's frequency, plain data for --json; and the SVG figure for any numbers."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.monitoring import figures, selectors, services
from kotacerdas.monitoring.tests.conftest import TODAY, update_data
from kotacerdas.monitoring.tests.test_overview_pages import accepted

LATER = datetime.date(2026, 3, 1)  # 2025-Q4 is past due


@pytest.mark.django_db
def test_a_corrected_update_counts_its_realised_budget_once(cast, monitored):
    first = accepted(monitored.first, monitored.q1, budget_apbd="50000000")
    correction = services.correct_update(actor=None, update=first, data=update_data(budget_apbd="70000000"))
    correction = services.submit_update(actor=None, update=correction, expected_version=correction.version)
    data = selectors.overview(monitored.edition, period_key="2025-Q1", today=TODAY)
    assert data.budgets[0].realised == 50_000_000  # the correction is not accepted yet
    services.accept_update(actor=None, update=correction, expected_version=correction.version)
    data = selectors.overview(monitored.edition, period_key="2025-Q1", today=TODAY)
    assert (data.budgets[0].year, data.budgets[0].planned, data.budgets[0].realised) == (2025, 150_000_000, 70_000_000)
    assert data.budgets[0].share == Decimal("46.7")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("frequency", "missing"),
    [
        ("monthly", ["2025-Q2", "2025-Q3", "2025-Q4"]),
        ("quarterly", ["2025-Q2", "2025-Q3", "2025-Q4"]),
        ("semester", ["2025-Q2", "2025-Q4"]),
        ("yearly", []),
    ],
)
def test_freshness_follows_the_indicator_frequency(cast, monitored, frequency, missing):
    indicator = monitored.first.indicators.get()
    services.save_metadata(actor=None, indicator=indicator, data={"frequency": frequency}, expected_version=0)
    services.record_actual(
        actor=None, indicator=indicator, year=2025, period=monitored.q1, data={"value": "12"}, expected_version=0
    )
    data = selectors.overview(monitored.edition, period_key="2025-Q4", today=LATER)
    (state,) = data.indicators
    assert state.missing == missing
    assert state.value == Decimal("12") and state.achievement.rounded == Decimal("80.00")
    assert state.band is not None and state.band.label == "Tinggi"


@pytest.mark.django_db
def test_nothing_is_late_before_its_due_date(cast, monitored):
    indicator = monitored.first.indicators.get()
    services.save_metadata(actor=None, indicator=indicator, data={"frequency": "quarterly"}, expected_version=0)
    data = selectors.overview(monitored.edition, period_key="2025-Q1", today=datetime.date(2025, 4, 10))
    assert data.indicators[0].missing == [] and data.late_count == 0
    data = selectors.overview(monitored.edition, period_key="2025-Q1", today=datetime.date(2025, 4, 11))
    assert data.indicators[0].missing == ["2025-Q1"]
    assert {r.programme.code: r.late for r in data.late} == {"GOV-01": ["2025-Q1"], "ENV-01": ["2025-Q1"]}
    assert data.indicators[0].value is None and data.indicators[0].achievement.percent is None


@pytest.mark.django_db
def test_the_overview_as_plain_data(cast, monitored):
    accepted(monitored.first, monitored.q1, status="at_risk")
    data = selectors.overview(monitored.edition, period_key="2025-Q1", today=TODAY).as_dict()
    json.dumps(data)
    assert data["period"] == "2025-Q1" and data["plan"]["rag"] == "amber"
    assert [d["code"] for d in data["plan"]["children"]] == ["GOV", "BRD", "ECO", "LIV", "SOC", "ENV"]
    assert data["at_risk"] == [{"code": "GOV-01", "status": "at_risk", "progress": 40}]
    assert data["late"] == {"ENV-01": ["2025-Q1"]}
    assert "ENV-01" in data["plan"]["not_reported"]


amounts = st.integers(min_value=0, max_value=10**15)
# Texts as people type them (XML cannot hold control characters at all).
texts = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")))


@given(st.lists(st.tuples(st.integers(min_value=1900, max_value=2200), amounts, amounts), max_size=12), texts)
def test_the_budget_figure_is_well_formed_svg_with_its_title_for_any_numbers(years, title):
    svg = figures.planned_vs_realised_svg(
        years,
        ident="c",
        title=title,
        description="<&>",
        planned_label="rencana",
        realised_label="realisasi",
        amount=str,
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is escaped
    assert root.get("role") == "img"
    assert root.find("{http://www.w3.org/2000/svg}title").text == (title or None)
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == 2 * len(years) + 2
