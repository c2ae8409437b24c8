"""The interchange format: export then import gives back the same edition (JSON and XLSX), and a
bad import is refused with every problem located, saving nothing."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import ImportFailed, import_document
from kotacerdas.plans.interchange.schema import SCHEMA
from kotacerdas.plans.interchange.validate import validate
from kotacerdas.plans.interchange.xlsx import read_workbook, write_workbook
from kotacerdas.plans.models import Edition, Programme

pytestmark = pytest.mark.django_db

DIMENSIONS = {"GOV": ["GOV-1", "GOV-2"], "ECO": ["ECO-1"], "ENV": ["ENV-2", "ENV-3"]}
words = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=12).map(str.strip).filter(bool)
amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


def number(value: Decimal) -> str:
    return format(value.normalize(), "f")


@st.composite
def documents(draw: Any) -> dict[str, Any]:
    start = draw(st.integers(2025, 2028))
    end = start + draw(st.integers(0, 6))
    years = st.integers(start, end)
    count = draw(st.integers(0, 5))
    codes = [f"P-{n:02d}" for n in range(count)]
    programmes = []
    for n, code in enumerate(codes):
        dim = draw(st.sampled_from(sorted(DIMENSIONS)))
        first = draw(years)
        last = draw(st.integers(first, end))
        budget_keys = draw(
            st.lists(
                st.tuples(st.none() | years, st.sampled_from(["apbd", "apbn", "dak", "csr", "kpbu", None])),
                unique=True,
                max_size=3,
            )
        )
        indicators = []
        for k in range(draw(st.integers(0, 2))):
            target_years = sorted(draw(st.sets(years, max_size=3)))
            baseline = draw(st.none() | amounts)
            indicators.append(
                {
                    "name": f"ind {k} {draw(words)}",
                    "kind": draw(st.sampled_from(["output", "outcome"])),
                    "unit": draw(words),
                    "direction": draw(st.sampled_from(["higher", "lower"])),
                    "baseline": None if baseline is None else number(baseline),
                    "baseline_year": draw(st.none() | st.just(start - 1)),
                    "data_producer": draw(st.none() | st.just("Diskominfo")),
                    "targets": [{"year": y, "value": number(draw(amounts))} for y in target_years]
                    # A target the plan states without a year (not stated) comes after the dated ones.
                    + [{"year": None, "value": number(draw(amounts))} for _u in range(draw(st.integers(0, 1)))],
                }
            )
        action_starts = sorted(draw(st.lists(st.integers(0, 300), max_size=2)))
        programmes.append(
            {
                "code": code,
                "lineage": f"00000000-0000-4000-8000-{n:012d}",
                "dimension": dim,
                "element": draw(st.none() | st.sampled_from(DIMENSIONS[dim])),
                "strategy": None,
                "name": draw(words),
                "description": draw(st.just("") | words),
                "problem": draw(st.just("") | words),
                "innovation_kind": draw(st.sampled_from(["ict", "non_ict", "policy"])),
                "lead_opd": draw(st.none() | st.just("Diskominfo")),
                "supporting_opds": draw(st.sampled_from([[], ["Diskominfo"]])),
                "partners": draw(st.lists(words, max_size=2)),
                "horizon": draw(st.sampled_from(["short", "medium", "long", None])),
                "start_year": draw(st.none() | st.just(first)),
                "end_year": draw(st.none() | st.just(last)),
                "status": draw(st.sampled_from(["planned", "on_track", "achieved"])),
                "rpjmd_programme": draw(st.just("") | words),
                "renstra_ref": "",
                "permendagri_code": "2.16.02",
                "spbe_indicator": "",
                "dependencies": sorted(draw(st.sets(st.sampled_from(codes[:n]), max_size=2))) if n else [],
                "quick_win_years": sorted(draw(st.sets(years, max_size=1))),
                "budgets": sorted(
                    (
                        {
                            "year": y,
                            "source": s,
                            "amount": draw(st.integers(0, 10**12)),
                            "note": "",
                            "sub_activity_code": draw(st.sampled_from(["", "2.16.03.2.02.0001"])),
                        }
                        for y, s in budget_keys
                    ),
                    key=lambda b: (b["year"] is None, b["year"] or 0, b["source"] or ""),
                ),
                "indicators": indicators,
                "action_items": [
                    {
                        "activity": draw(words),
                        "starts_on": (datetime.date(start, 1, 1) + datetime.timedelta(days=d)).isoformat(),
                        "ends_on": (datetime.date(start, 1, 1) + datetime.timedelta(days=d + 30)).isoformat(),
                        "person_in_charge": "",
                        "opd": None,
                        "output": "",
                    }
                    for d in action_starts
                ],
                "order": n,
                "is_sample": False,
                "source_document": draw(st.just("") | words),
                "source_note": draw(st.just("") | words),
            }
        )
    return {
        "format": "kotacerdas.masterplan-edition",
        "format_version": 1,
        "region": {"code": "13.72", "name": "Solok", "kind": "kota"},
        "edition": {
            "year": 2030,
            "title": draw(words),
            "start_year": start,
            "end_year": end,
            "previous_year": None,
            "vision": draw(st.just("") | words),
            "vision_keywords": draw(st.lists(words, max_size=3)),
            "rpjmd_period": "",
            "quick_win_limit": draw(st.integers(1, 6)),
            "rpjmd_min_share": 60,
        },
        "taxonomy": {"code": "kominfo-6", "version": 1},
        "sections": [
            {"key": "b1-gap", "book": 1, "title": "Gap", "body": f"<p>{draw(words)}</p>", "review_state": "draft"}
        ],
        "swot": [{"component": "STR", "kind": "S", "text": draw(words)}],
        "missions": [{"number": 1, "text": draw(words), "rpjmd_mission": ""}],
        "goals": [{"code": "G-1", "mission": 1, "text": draw(words)}],
        "strategies": [{"code": "S-1", "dimension": "GOV", "element": None, "goal": "G-1", "text": draw(words)}],
        "waivers": draw(st.sampled_from([[], [{"element": "ECO-1", "reason": "Ditangani provinsi"}]])),
        "programmes": programmes,
        "dispositions": [],
    }


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """The parts an import must give back exactly (the export adds context: taxonomy names, OPDs...)."""
    edition_keys = ("year", "title", "start_year", "end_year", "vision", "vision_keywords", "quick_win_limit")

    def rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:  # row ids are the database's, not the file's
        return [{k: v for k, v in row.items() if k not in ("id", "lineage")} for row in items]

    return {
        "edition": {k: doc["edition"][k] for k in edition_keys},
        "programmes": sorted(
            (
                {
                    k: rows(v) if k in ("budgets", "indicators", "action_items") else v
                    for k, v in p.items()
                    if k != "order"
                }
                for p in doc["programmes"]
            ),
            key=lambda p: p["code"],
        ),
        "gap": next(s["body"] for s in doc["sections"] if s["key"] == "b1-gap"),
        **{k: doc[k] for k in ("swot", "missions", "goals", "strategies", "waivers")},
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_export_then_import_gives_back_the_same_edition(cast, doc):
    assert validate(doc, SCHEMA) == []
    edition = import_document(actor=None, region=cast.region_a, doc=doc, replace=True)
    exported = edition_document(edition)
    assert comparable(exported) == comparable(doc)
    again = import_document(actor=None, region=cast.region_a, doc=json.loads(json.dumps(exported)), replace=True)
    assert comparable(edition_document(again)) == comparable(doc)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_the_xlsx_workbook_round_trips_too(cast, doc):
    read = read_workbook(write_workbook(doc))
    assert read.problems == []
    edition = import_document(actor=None, region=cast.region_a, doc=read.doc, replace=True)
    assert comparable(edition_document(edition)) == comparable(doc)


def test_an_import_for_another_region_is_refused(cast, plan):
    doc = edition_document(plan.edition)
    doc["edition"]["year"] = 2031
    with pytest.raises(ImportFailed) as failed:
        import_document(actor=None, region=cast.region_b, doc=doc)
    assert any(p.path == "$.region.code" for p in failed.value.problems)
    assert not Edition.objects.filter(region=cast.region_b).exists()


def test_bad_input_is_listed_with_exact_locations_and_nothing_is_saved(cast, plan):
    doc = edition_document(plan.edition)
    doc["edition"]["year"] = 2031
    p0, p1 = doc["programmes"][0], doc["programmes"][1]
    p0["lead_opd"] = "NOPE"
    p0["dimension"] = "XXX"
    p1["start_year"] = 2020
    p1["budgets"] = [{"year": 2025, "source": "apbd", "amount": -3, "note": ""}]
    p0["dependencies"] = [p1["code"]]
    p1["dependencies"] = [p0["code"]]
    with pytest.raises(ImportFailed) as failed:
        import_document(actor=None, region=cast.region_a, doc=doc)
    paths = {p.path for p in failed.value.problems}
    assert "$.programmes[1].budgets[0].amount" in paths  # the schema refuses a negative amount first
    p1["budgets"][0]["amount"] = 3
    with pytest.raises(ImportFailed) as failed:
        import_document(actor=None, region=cast.region_a, doc=doc)
    paths = {p.path for p in failed.value.problems}
    assert {"$.programmes[0].lead_opd", "$.programmes[0].dimension", "$.programmes[1].start_year"} <= paths
    assert any("cycle" in p.message or "siklus" in p.message for p in failed.value.problems)
    assert not Edition.objects.filter(year=2031).exists()


def test_workbook_problems_point_at_cells(cast, plan):
    from io import BytesIO

    from openpyxl import load_workbook

    doc = edition_document(plan.edition)
    book = load_workbook(BytesIO(write_workbook(doc)))
    sheet = book["budgets"]
    sheet["D2"] = "banyak"  # amount column
    book["programmes"]["J2"] = "NOPE"  # lead_opd column
    out = BytesIO()
    book.save(out)
    read = read_workbook(out.getvalue())
    assert read.problems and read.problems[0][0] == "budgets!D2 (amount)"
    sheet["D2"] = 5
    out = BytesIO()
    book.save(out)
    read = read_workbook(out.getvalue())
    read.doc["edition"]["year"] = 2031
    with pytest.raises(ImportFailed) as failed:
        import_document(actor=None, region=cast.region_a, doc=read.doc)
    located = [read.locate(p.path) for p in failed.value.problems]
    assert "programmes!J2 (lead_opd)" in located


def test_reimport_into_a_draft_keeps_programmes_matched_by_lineage(cast, plan):
    from kotacerdas.plans import services

    thread = services.open_thread(actor=cast.mentor, edition=plan.edition, body="Cek", programme=plan.first)
    doc = edition_document(plan.edition)
    doc["programmes"][0]["name"] = "Nama baru"
    import_document(actor=None, region=cast.region_a, doc=doc, replace=True)
    thread.refresh_from_db()
    assert thread.programme_id == plan.first.pk
    assert Programme.objects.get(pk=plan.first.pk).name == "Nama baru"
    assert Programme.objects.filter(edition=plan.edition).count() == 2
