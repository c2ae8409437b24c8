"""The SIPD code and the Satu Data metadata in the interchange files: carried both ways, optional
in files written before them."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import ImportFailed, import_document
from kotacerdas.plans.interchange.xlsx import read_workbook, write_workbook

NEW_BUDGET_KEYS = ("sub_activity_code",)
NEW_INDICATOR_KEYS = ("definition", "method", "frequency", "data_source")


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
                "definition": "Layanan yang dapat diakses daring",
                "method": "jumlah layanan",
                "frequency": "quarterly",
                "data_source": "Aplikasi",
                "targets": {2025: 15},
            }
        ],
    )


def test_the_json_and_the_workbook_carry_the_code_and_the_metadata(cast, plan):
    with_codes(cast, plan)
    doc = edition_document(plan.edition)
    (line,) = doc["programmes"][0]["budgets"]
    (indicator,) = doc["programmes"][0]["indicators"]
    assert line["sub_activity_code"] == "2.16.03.2.02.0001"
    assert (indicator["frequency"], indicator["data_source"]) == ("quarterly", "Aplikasi")
    read = read_workbook(write_workbook(doc))
    assert read.problems == []
    doc2 = read.doc
    doc2["edition"]["year"] = 2031
    edition = import_document(actor=None, region=cast.region_a, doc=doc2)
    again = edition_document(edition)["programmes"][0]
    assert again["budgets"][0]["sub_activity_code"] == "2.16.03.2.02.0001"
    assert {k: again["indicators"][0][k] for k in NEW_INDICATOR_KEYS} == {k: indicator[k] for k in NEW_INDICATOR_KEYS}


def test_files_written_before_the_new_fields_still_import(cast, plan):
    with_codes(cast, plan)
    doc = edition_document(plan.edition)
    for p in doc["programmes"]:
        for b in p["budgets"]:
            for key in NEW_BUDGET_KEYS:
                b.pop(key)
        for i in p["indicators"]:
            for key in NEW_INDICATOR_KEYS:
                i.pop(key)
    doc["edition"]["year"] = 2031
    edition = import_document(actor=None, region=cast.region_a, doc=doc)
    imported = edition_document(edition)["programmes"][0]
    assert imported["budgets"][0]["sub_activity_code"] == ""
    assert imported["indicators"][0]["frequency"] is None
    # An older workbook: the budgets and indicators sheets end at id (and lineage).
    book = load_workbook(BytesIO(write_workbook(edition_document(plan.edition))))
    budgets, indicators = book["budgets"], book["indicators"]
    budgets.delete_cols(budgets.max_column)
    indicators.delete_cols(indicators.max_column - 3, 4)
    out = BytesIO()
    book.save(out)
    read = read_workbook(out.getvalue())
    assert read.problems == []
    read.doc["edition"]["year"] = 2032
    assert import_document(actor=None, region=cast.region_a, doc=read.doc).year == 2032


def test_a_metadata_text_too_long_for_its_column_is_refused_at_its_place(cast, plan):
    with_codes(cast, plan)
    doc = edition_document(plan.edition)
    doc["programmes"][0]["indicators"][0]["data_source"] = "x" * 301
    doc["programmes"][0]["budgets"][0]["sub_activity_code"] = "9" * 41
    doc["edition"]["year"] = 2031
    try:
        import_document(actor=None, region=cast.region_a, doc=doc)
    except ImportFailed as failed:
        paths = {p.path for p in failed.problems}
    else:
        raise AssertionError("imported")
    assert "$.programmes[0].indicators[0].data_source" in paths
    assert "$.programmes[0].budgets[0].sub_activity_code" in paths
