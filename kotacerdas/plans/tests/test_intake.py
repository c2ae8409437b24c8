"""Intake of a region's existing plan as it really is: "not stated" stays not stated, the check
reports exactly what the import refuses, and the file's own agencies can be created."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import ImportFailed, import_document, import_with_report
from kotacerdas.plans.interchange.intake import check_file
from kotacerdas.plans.models import IndicatorTarget, Programme, ProgrammeBudget
from kotacerdas.regions.models import OPD

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "real-plan-2017.json"
NEW_AGENCIES = {"Bappeda", "BKPSDM", "Disparpora", "DPUPR", "Disdagkop", "BPKD", "Dinkes", "Dishub", "Dispusip", "DLH"}


def real_plan() -> dict[str, Any]:
    return json.loads(DATA.read_text())


def refused(doc: dict[str, Any], region: Any, **options: Any) -> list[tuple[str, str]] | None:
    """The import's problems (path, message), or None when it took the file (then rolled back)."""

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            import_document(actor=None, region=region, doc=doc, **options)
            raise Rollback
    except ImportFailed as failed:
        return [(p.path, p.message) for p in failed.problems]
    except Rollback:
        return None


def test_the_real_plan_is_checked_against_the_region_and_lists_the_agencies_to_create(cast):
    report, resolved = check_file(real_plan(), cast.region_a)
    verdict = [f for f in report.findings if f.rule == "PI001"]
    assert {a.abbreviation for a in resolved.new_agencies} == NEW_AGENCIES
    assert len(verdict) == len(NEW_AGENCIES) and all(f.path.startswith("$.opds[") for f in verdict)
    # No taxonomy in the file: checked against the region's (no unknown-dimension findings).
    assert not [f for f in report.findings if f.rule == "PC004"]
    # The quick win of 2017 in a 2018–2028 plan is accepted with a warning.
    assert [(f.rule, f.programme) for f in report.findings if f.rule == "PI002"] == [("PI002", "ECO-03")]
    gaps = {f.rule for f in report.findings if f.rule.startswith("PG")}
    assert gaps >= {"PG001", "PG002", "PG003", "PG004", "PG005", "PG006", "PG007"}
    horizon_gaps = {f.programme for f in report.findings if f.rule == "PG001"}
    assert len(horizon_gaps) == 18 and "GOV-04" not in horizon_gaps


def test_the_import_refuses_unknown_agencies_until_confirmed_then_invents_nothing(cast):
    problems = refused(real_plan(), cast.region_a)
    assert problems is not None and {p for p, _m in problems} == {f"$.opds[{k}]" for k in range(10)}
    assert not OPD.objects.filter(region=cast.region_a, abbreviation="Dinkes").exists()

    edition, resolved = import_with_report(actor=None, region=cast.region_a, doc=real_plan(), create_agencies=True)
    assert [w.path for w in resolved.warnings] == ["$.programmes[9].quick_win_years[0]"]
    programmes = {p.code: p for p in Programme.objects.filter(edition=edition).select_related("lead_opd")}
    assert len(programmes) == 20
    assert programmes["GOV-02"].horizon == "" and programmes["GOV-02"].start_year is None
    assert programmes["GOV-04"].horizon == "medium" and programmes["GOV-04"].start_year == 2019
    assert programmes["ENV-04"].lead_opd is None and programmes["GOV-02"].strategy is None
    assert programmes["GOV-02"].lead_opd.abbreviation == "BKPSDM"
    assert programmes["GOV-01"].source_note == "Tabel 4.2, halaman 41"
    undated = ProgrammeBudget.objects.get(programme=programmes["GOV-01"])
    assert undated.year is None and undated.source == ""
    assert IndicatorTarget.objects.filter(indicator__programme__edition=edition, year__isnull=True).count() == 10
    created = {o.abbreviation: o for o in OPD.objects.filter(region=cast.region_a, abbreviation__in=NEW_AGENCIES)}
    assert set(created) == NEW_AGENCIES
    assert created["Dinkes"].kind == "dinas" and created["BKPSDM"].kind == "badan"
    assert created["Disparpora"].valid_from.isoformat() == "2017-01-01"
    assert created["Dinkes"].valid_from.isoformat() == "2018-01-01"  # the plan period's start, said so

    exported = edition_document(edition)
    by_code = {p["code"]: p for p in exported["programmes"]}
    for p in real_plan()["programmes"]:
        for key in ("horizon", "start_year", "end_year", "element", "strategy", "lead_opd"):
            assert by_code[p["code"]].get(key) == p.get(key), (p["code"], key)
    assert by_code["GOV-01"]["budgets"][0]["year"] is None and by_code["GOV-01"]["budgets"][0]["source"] is None
    # What was imported checks again without a refusal (re-import into the same draft).
    report, _resolved = check_file(exported, cast.region_a, replace=True)
    assert not [f for f in report.findings if f.rule == "PI001"]


def test_schema_problems_name_the_programme_and_field_and_come_all_at_once(cast):
    doc = real_plan()
    doc["programmes"][1]["horizon"] = "jangka pendek"
    doc["programmes"][0]["indicators"][0]["targets"][0]["value"] = "1 hari"
    doc["programmes"][2]["dimension"] = "XYZ"  # a second layer problem, reported in the same run
    with translation.override("en"):
        problems = refused(doc, cast.region_a, create_agencies=True)
    assert problems is not None
    texts = dict(problems)
    assert "GOV-02" in texts["$.programmes[1].horizon"] and "horizon" in texts["$.programmes[1].horizon"]
    assert "1 hari" in texts["$.programmes[0].indicators[0].targets[0].value"]
    assert "GOV-01" in texts["$.programmes[0].indicators[0].targets[0].value"]
    assert "$.programmes[2].dimension" in texts
    report, _r = check_file(doc, cast.region_a, create_agencies=True)
    assert {f.path for f in report.findings if f.rule == "PI001"} == set(texts)


def test_without_a_region_the_check_still_refuses_what_the_schema_refuses():
    doc = real_plan()
    doc["programmes"][1]["horizon"] = "jangka pendek"
    doc["programmes"][0]["indicators"][0]["targets"][0]["value"] = "1 hari"
    report, _r = check_file(doc, None)
    assert {f.path for f in report.findings if f.rule == "PI001"} == {
        "$.programmes[1].horizon",
        "$.programmes[0].indicators[0].targets[0].value",
    }


# Check and import agree on every generated file --------------------------------------------

odd = st.sampled_from(
    [
        ("horizon", st.sampled_from(["short", "medium", "long", None, "jangka pendek", ""])),
        ("start_year", st.sampled_from([None, 2018, 2030, 1999, "2019"])),
        ("end_year", st.sampled_from([None, 2017, 2028, 2101])),
        ("lead_opd", st.sampled_from([None, "Diskominfo", "Dinkes", "Tidak-Ada"])),
        ("dimension", st.sampled_from(["GOV", "ENV", "XYZ"])),
        ("element", st.sampled_from([None, "GOV-1", "ENV-2", "NOPE"])),
        ("strategy", st.sampled_from([None, "S-9"])),
        ("quick_win_years", st.sampled_from([[], [2017], [2019], [2040], ["2019"]])),
        ("budgets", st.sampled_from([[], [{"amount": 1}], [{"year": 2030, "amount": 1}], [{"amount": -5}]])),
        (
            "indicators",
            st.sampled_from(
                [
                    [],
                    [{"name": "x", "unit": "%", "direction": "higher", "targets": [{"value": "1 hari"}]}],
                    [
                        {
                            "name": "x",
                            "unit": "%",
                            "direction": "higher",
                            "targets": [{"year": None, "value": "5"}, {"year": 2020, "value": 6}],
                        }
                    ],
                ]
            ),
        ),
    ]
)


@st.composite
def generated(draw: Any) -> tuple[dict[str, Any], bool]:
    doc = real_plan()
    for _n in range(draw(st.integers(0, 4))):
        k = draw(st.integers(0, len(doc["programmes"]) - 1))
        key, values = draw(odd)
        doc["programmes"][k][key] = copy.deepcopy(draw(values))
    if draw(st.booleans()):
        doc.pop("opds")
    return doc, draw(st.booleans())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=generated())
def test_check_reports_an_error_exactly_when_the_import_refuses(cast, case):
    doc, create = case
    report, _resolved = check_file(doc, cast.region_a, create_agencies=create)
    problems = refused(doc, cast.region_a, create_agencies=create)
    verdict = [f.path for f in report.findings if f.rule == "PI001"]
    assert bool(verdict) == (problems is not None)
    assert sorted(verdict) == sorted(p for p, _m in problems or [])


# The command line ------------------------------------------------------------------------------


def run(*args: str, expect_error: bool = False) -> tuple[str, Any]:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    if expect_error:
        with pytest.raises(CommandError) as caught:
            call_command("plan", *args, stdout=out, stderr=StringIO())
        return out.getvalue(), caught.value
    call_command("plan", *args, stdout=out, stderr=StringIO())
    return out.getvalue(), None


def test_plan_check_file_takes_the_region_and_lists_the_agencies_in_json(cast, tmp_path):
    path = tmp_path / "plan.json"
    doc = real_plan()
    doc["region"] = {"code": ""}  # the region comes from --region then
    path.write_text(json.dumps(doc))
    out, error = run("check", str(path), "--region", "13.72", "--json", expect_error=True)
    report = json.loads(out)
    assert error.returncode == 1
    assert {a["abbreviation"] for a in report["new_agencies"]} == NEW_AGENCIES
    assert any(a["valid_from_stated"] is False for a in report["new_agencies"])
    assert sum(1 for f in report["findings"] if f["rule"] == "PI001") == len(NEW_AGENCIES)
    out, _error = run("check", str(path), "--region", "13.72", "--create-agencies", "--json", expect_error=True)
    assert not [f for f in json.loads(out)["findings"] if f["rule"] == "PI001"]
    _out, error = run("check", str(path), "--region", "99.99", expect_error=True)
    assert "--region" in str(error)


def test_plan_import_needs_create_agencies_to_create_them(cast, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(real_plan()))
    _out, error = run("import", "13.72", str(path), expect_error=True)
    assert "--create-agencies" in str(error) and "Dinkes" in str(error)
    assert not OPD.objects.filter(region=cast.region_a, abbreviation="Dinkes").exists()
    out, _error = run("import", "13.72", str(path), "--create-agencies", "--json")
    payload = json.loads(out)
    assert payload["programmes"] == 20 and len(payload["created_agencies"]) == len(NEW_AGENCIES)
    assert [w["path"] for w in payload["warnings"]] == ["$.programmes[9].quick_win_years[0]"]


# Not stated on the pages and in the books -------------------------------------------------------


def test_pages_and_buku2_say_not_stated_and_count_undated_budgets_in_the_total_only(cast):
    from django.urls import reverse

    from kotacerdas.plans.figures import budget_totals
    from kotacerdas.reports.builders import buku2
    from kotacerdas.reports.selectors import book_data

    edition = import_document(actor=None, region=cast.region_a, doc=real_plan(), create_agencies=True)
    client = cast.client(cast.viewer)
    with translation.override("en"):
        for name, args in (
            ("plans:programme", ["13.72", "2017", "GOV-02"]),
            ("plans:programmes", ["13.72", "2017"]),
            ("plans:budgets", ["13.72", "2017"]),
            ("plans:roadmap", ["13.72", "2017"]),
            ("plans:edition", ["13.72", "2017"]),
        ):
            response = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 200, name
        detail = client.get(reverse("plans:programme", args=["13.72", "2017", "GOV-01"])).content.decode()
        assert "not stated" in detail or "belum ditetapkan" in detail
        assert (
            "Tabel 4.2, halaman 41" in detail and 'href="https://example.go.id/masterplan-2017.pdf#page=41"' in detail
        )
        editor = cast.client(cast.owner)
        for name in ("plans:programme_edit", "plans:programme_budgets", "plans:programme_indicators"):
            assert editor.get(reverse(name, args=["13.72", "2017", "GOV-01"])).status_code == 200, name
        outsider = cast.client(cast.outsider)
        assert outsider.get(reverse("plans:programme", args=["13.72", "2017", "GOV-01"])).status_code == 404

        doc = edition_document(edition)
        totals = budget_totals(doc)
        undated = sum(b["amount"] for p in doc["programmes"] for b in p["budgets"] if b["year"] is None)
        assert undated and totals.undated == undated
        assert totals.total == sum(totals.by_year.values()) + undated
        book = buku2.build(book_data(cast.region_a, edition))
    assert book is not None


def test_the_xlsx_export_says_not_stated_and_reads_it_back_as_none(cast):
    from kotacerdas.plans.interchange.xlsx import read_workbook, write_workbook

    edition = import_document(actor=None, region=cast.region_a, doc=real_plan(), create_agencies=True)
    doc = edition_document(edition)
    with translation.override("en"):
        data = write_workbook(doc)
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data))["programmes"]
    header = [c.value for c in sheet[1]]
    gov02 = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "GOV-02")
    assert gov02[header.index("horizon")] == "not stated" and gov02[header.index("start_year")] == "not stated"
    back = read_workbook(data).doc
    assert {p["code"]: p.get("horizon") for p in back["programmes"]}["GOV-02"] is None
    assert {p["code"]: p["start_year"] for p in back["programmes"]}["GOV-02"] is None


# The forms keep "not stated" --------------------------------------------------------------------


def test_the_programme_and_budget_forms_save_not_stated_values_and_the_outsider_gets_404(cast, plan):
    from django.urls import reverse

    from kotacerdas.plans.tests.test_issue11_forms import page

    client = cast.client(cast.editor)
    url = reverse("plans:programme_edit", args=["13.72", "2024", "GOV-01"])
    data = page(client, url) | {"horizon": "", "start_year": "", "end_year": ""}
    data |= {"source_document": "Buku 2 hlm. 12", "source_note": "Tabel 3"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.first.refresh_from_db()
    assert (plan.first.horizon, plan.first.start_year, plan.first.end_year) == ("", None, None)
    assert plan.first.source_document == "Buku 2 hlm. 12"

    url = reverse("plans:programme_budgets", args=["13.72", "2024", "GOV-01"])
    data = page(client, url) | {"lines-0-year": "", "lines-0-source": "", "lines-0-amount": "5.000.000"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(plan.first.budgets.values_list("year", "source", "amount")) == [(None, "", 5_000_000)]

    url = reverse("plans:programme_indicators", args=["13.72", "2024", "GOV-01"])
    data = page(client, url) | {"indicators-0-target_undated": "40"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    targets = plan.first.indicators.get().targets.order_by("id")
    assert sorted((t.year or 0, int(t.value)) for t in targets) == [(0, 40), (2025, 15), (2026, 20)]
    assert cast.client(cast.outsider).get(url).status_code == 404
