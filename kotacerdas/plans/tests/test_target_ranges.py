"""Indicators within a range (issue 13): a target from a lower to an upper bound, through the
services, the indicator page, the JSON and XLSX interchange, and the programme page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import ImportFailed, import_document
from kotacerdas.plans.interchange.xlsx import read_workbook, write_workbook
from kotacerdas.plans.models import Programme

pytestmark = pytest.mark.django_db

A = "13.72"
Y = 2024


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages."""


def inflation(targets: dict[int, Any], direction: str = "range") -> dict[str, Any]:
    return {"name": "Tingkat inflasi", "unit": "%", "direction": direction, "baseline": "5.1", "targets": targets}


def save(plan: Any, *indicators: dict[str, Any]) -> Programme:
    programme = Programme.objects.get(pk=plan.first.pk)
    return services.set_indicators(
        actor=None, programme=programme, expected_version=stored_version(programme), indicators=list(indicators)
    )


def bounds(plan: Any) -> dict[int, tuple[Decimal, Decimal | None]]:
    indicator = plan.first.indicators.order_by("order").first()
    return {t.year: (t.value, t.upper) for t in indicator.targets.all()}


def test_a_range_indicator_keeps_both_bounds_per_year(plan):
    save(plan, inflation({2025: ("2", "4"), 2026: ("2.5", "3.5")}))
    assert bounds(plan) == {2025: (Decimal(2), Decimal(4)), 2026: (Decimal("2.5"), Decimal("3.5"))}
    assert plan.first.indicators.get().direction == "range"
    # Narrowing one year edits that year's row in place.
    before = {t.year: t.pk for t in plan.first.indicators.get().targets.all()}
    save(plan, {**inflation({2025: ("2", "3"), 2026: ("2.5", "3.5")}), "id": plan.first.indicators.get().pk})
    after = plan.first.indicators.get().targets.get(year=2025)
    assert (after.pk, after.upper) == (before[2025], Decimal(3))


@pytest.mark.parametrize(
    ("direction", "targets", "message"),
    [
        ("range", {2025: "2"}, "needs an upper bound"),
        ("higher", {2025: ("2", "4")}, "only an indicator within a range has one"),
        ("range", {2025: ("4", "2")}, "below its lower bound"),
        ("range", {2025: ("2", "lots")}, "is not a number"),
    ],
)
def test_a_target_that_does_not_fit_its_direction_is_refused_and_nothing_changes(plan, direction, targets, message):
    before = bounds(plan)
    with pytest.raises(ValidationError) as refused:
        save(plan, inflation(targets, direction))
    assert message in str(refused.value.message_dict["indicators.0.targets"])
    assert bounds(plan) == before


def page_data(plan: Any, **targets: str) -> dict[str, Any]:
    indicator = plan.first.indicators.get()
    return {
        "version": Programme.objects.get(pk=plan.first.pk).version,
        "indicators-TOTAL_FORMS": 1,
        "indicators-INITIAL_FORMS": 1,
        "indicators-0-id": indicator.pk,
        "indicators-0-name": "Tingkat inflasi",
        "indicators-0-kind": "outcome",
        "indicators-0-unit": "%",
        "indicators-0-direction": "range",
        "indicators-0-baseline": "5.1",
        **{f"indicators-0-{name}": value for name, value in targets.items()},
    }


def test_the_indicator_page_saves_a_range_and_shows_it(cast, plan):
    url = reverse("plans:programme_indicators", args=[A, Y, "GOV-01"])
    data = page_data(plan, target_2025="2", upper_2025="4")
    assert cast.client(cast.outsider).post(url, data).status_code == 404
    editor = cast.client(cast.editor)
    assert 'aria-label="Row 1, 2025, upper bound"' in editor.get(url).content.decode()
    assert editor.post(url, data).status_code == 302
    assert bounds(plan) == {2025: (Decimal(2), Decimal(4))}
    page = editor.get(reverse("plans:programme", args=[A, Y, "GOV-01"])).content.decode()
    assert "2–4" in page and "within a range" in page
    assert 'name="indicators-0-upper_2025" value="4.00"' in editor.get(url).content.decode()


def test_the_indicator_page_refuses_half_a_range_and_keeps_the_input(cast, plan):
    url = reverse("plans:programme_indicators", args=[A, Y, "GOV-01"])
    before = bounds(plan)
    response = cast.client(cast.editor).post(url, page_data(plan, target_2025="2"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "A target range needs both bounds" in html and 'name="indicators-0-target_2025" value="2"' in html
    assert bounds(plan) == before
    higher = page_data(plan, target_2025="2", upper_2025="4") | {"indicators-0-direction": "higher"}
    response = cast.client(cast.editor).post(url, higher)
    assert "Only an indicator whose direction is" in response.content.decode() and bounds(plan) == before


def test_ranges_go_out_and_come_back_through_json_and_xlsx(plan):
    save(
        plan,
        inflation({2025: ("2", "4")}),
        {"name": "Layanan", "unit": "layanan", "direction": "higher", "targets": {2025: 10}},
    )
    doc = edition_document(plan.edition)
    gov = next(p for p in doc["programmes"] if p["code"] == "GOV-01")
    assert gov["indicators"][0]["targets"] == [{"year": 2025, "value": "2", "upper": "4"}]
    assert gov["indicators"][1]["targets"] == [{"year": 2025, "value": "10"}]  # no upper key
    read = read_workbook(write_workbook(doc))
    assert read.problems == []
    read_gov = next(p for p in read.doc["programmes"] if p["code"] == "GOV-01")
    assert read_gov["indicators"][0]["targets"] == [{"year": 2025, "value": "2", "upper": "4"}]
    gov["indicators"][0]["targets"] = [{"year": 2025, "value": "1.5", "upper": "3"}]
    import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    assert bounds(plan) == {2025: (Decimal("1.5"), Decimal(3))}


def test_an_import_names_the_target_whose_bounds_do_not_fit(plan):
    doc = edition_document(plan.edition)
    n, gov = next((n, p) for n, p in enumerate(doc["programmes"]) if p["code"] == "GOV-01")
    gov["indicators"][0]["direction"] = "range"
    gov["indicators"][0]["targets"] = [{"year": 2025, "value": "2"}, {"year": 2026, "value": "5", "upper": "4"}]
    with pytest.raises(ImportFailed) as failed:
        import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    problems = {p.path: p.message for p in failed.value.problems}
    assert "give the upper bound too" in problems[f"$.programmes[{n}].indicators[0].targets[0].upper"]
    assert "below the lower bound" in problems[f"$.programmes[{n}].indicators[0].targets[1].upper"]
