"""The SIPD code in the interchange files: carried both ways, optional in files written before it.
The Satu Data metadata is not the plan's (it is kept in monitoring): files that still carry it
import, its values ignored with a warning at each."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import ImportFailed, import_document, import_with_report
from kotacerdas.plans.interchange.xlsx import read_workbook, write_workbook

NEW_BUDGET_KEYS = ("sub_activity_code",)
LEGACY_INDICATOR_KEYS = ("definition", "method", "frequency", "data_source")


def with_codes(cast: Any, plan: Any) -> None:
    first = services.set_budgets(
        actor=None,
        programme=plan.first,
        lines=[{"year": 2025, "source": "apbd", "amount": 9, "sub_activity_code": "2.16.03.2.02.0001"}],
        expected_version=stored_version(plan.first),
    )
    services.set_indicators(
        actor=None,
        programme=first,
        expected_version=stored_version(first),
        indicators=[
            {
                "name": "Layanan daring",
                "unit": "layanan",
                "direction": "higher",
                "targets": {2025: 15},
            }
        ],
    )


def test_the_json_and_the_workbook_carry_the_code_but_not_the_metadata(cast, plan):
    with_codes(cast, plan)
    doc = edition_document(plan.edition)
    (line,) = doc["programmes"][0]["budgets"]
    (indicator,) = doc["programmes"][0]["indicators"]
    assert line["sub_activity_code"] == "2.16.03.2.02.0001"
    assert not set(LEGACY_INDICATOR_KEYS) & set(indicator)
    read = read_workbook(write_workbook(doc))
    assert read.problems == []
    doc2 = read.doc
    doc2["edition"]["year"] = 2031
    edition = import_document(actor=None, region=cast.region_a, doc=doc2)
    again = edition_document(edition)["programmes"][0]
    assert again["budgets"][0]["sub_activity_code"] == "2.16.03.2.02.0001"


def test_files_written_before_the_code_still_import(cast, plan):
    with_codes(cast, plan)
    doc = edition_document(plan.edition)
    for p in doc["programmes"]:
        for b in p["budgets"]:
            for key in NEW_BUDGET_KEYS:
                b.pop(key)
    doc["edition"]["year"] = 2031
    edition = import_document(actor=None, region=cast.region_a, doc=doc)
    imported = edition_document(edition)["programmes"][0]
    assert imported["budgets"][0]["sub_activity_code"] == ""
    # An older workbook: the budgets sheet ends at id.
    book = load_workbook(BytesIO(write_workbook(edition_document(plan.edition))))
    budgets = book["budgets"]
    budgets.delete_cols(budgets.max_column)
    out = BytesIO()
    book.save(out)
    read = read_workbook(out.getvalue())
    assert read.problems == []
    read.doc["edition"]["year"] = 2032
    assert import_document(actor=None, region=cast.region_a, doc=read.doc).year == 2032


def test_a_json_file_with_satu_data_metadata_imports_and_warns_at_each_ignored_value(cast, plan, english):
    with_codes(cast, plan)
    doc = edition_document(plan.edition)
    doc["programmes"][0]["indicators"][0].update(
        definition="Layanan yang dapat diakses daring", method="", frequency="five_yearly", data_source=None
    )
    doc["edition"]["year"] = 2031
    edition, report = import_with_report(actor=None, region=cast.region_a, doc=doc)
    where = {w.path for w in report.warnings if "metadata page" in w.message}
    assert where == {"$.programmes[0].indicators[0].definition", "$.programmes[0].indicators[0].frequency"}
    assert not set(LEGACY_INDICATOR_KEYS) & set(edition_document(edition)["programmes"][0]["indicators"][0])


def test_a_workbook_with_the_metadata_columns_imports_and_warns(cast, plan, english):
    with_codes(cast, plan)
    book = load_workbook(BytesIO(write_workbook(edition_document(plan.edition))))
    indicators = book["indicators"]
    first = indicators.max_column + 1
    for n, key in enumerate(LEGACY_INDICATOR_KEYS):
        indicators.cell(row=1, column=first + n, value=key)
        indicators.cell(row=2, column=first + n, value="Aplikasi" if key == "data_source" else "")
    out = BytesIO()
    book.save(out)
    read = read_workbook(out.getvalue())
    assert read.problems == []
    read.doc["edition"]["year"] = 2032
    edition, report = import_with_report(actor=None, region=cast.region_a, doc=read.doc)
    assert edition.year == 2032
    assert [w.path for w in report.warnings if "metadata page" in w.message] == [
        "$.programmes[0].indicators[0].data_source"
    ]


def test_a_code_too_long_for_its_column_is_refused_at_its_place(cast, plan):
    with_codes(cast, plan)
    doc = edition_document(plan.edition)
    doc["programmes"][0]["budgets"][0]["sub_activity_code"] = "9" * 41
    doc["edition"]["year"] = 2031
    try:
        import_document(actor=None, region=cast.region_a, doc=doc)
    except ImportFailed as failed:
        paths = {p.path for p in failed.problems}
    else:
        raise AssertionError("imported")
    assert "$.programmes[0].budgets[0].sub_activity_code" in paths
