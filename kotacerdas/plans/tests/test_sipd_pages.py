"""SIPD pages: the code search, the SIPD export, the forms that carry the codes, and their
command-line verbs. (The Satu Data metadata and its export are monitoring's: monitoring/tests.)"""

from __future__ import annotations

import csv
import io
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from kotacerdas.frameworks import sipd
from kotacerdas.lib import spreadsheets
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.models import Programme

A = "13.72"
Y = 2024
LIST = (
    b"code,name\n2,U\n2.16,KOMINFO\n2.16.03,PROGRAM APLIKASI INFORMATIKA\n2.16.03.2.02,K\n"
    b"2.16.03.2.02.0001,Pusat Data\n"
)


@pytest.fixture
def coded(cast: Any, plan: Any) -> Any:
    sipd.load_sipd(actor=None, data=LIST, name="kode.csv", label="2024")
    first = services.update_programme(
        actor=None,
        programme=plan.first,
        data={"permendagri_code": "2.16.03"},
        expected_version=stored_version(plan.first),
    )
    services.set_budgets(
        actor=None,
        programme=first,
        lines=[
            {"year": 2025, "source": "apbd", "amount": 150_000_000, "sub_activity_code": "2.16.03.2.02.0001"},
            {"year": 2026, "source": "apbd", "amount": 50_000_000, "sub_activity_code": "2.16.03.2.02.0001"},
            {"year": 2026, "source": "dak", "amount": 7},
        ],
        expected_version=stored_version(first),
    )
    return plan


# The code search -------------------------------------------------------------------------------


def test_the_code_search_works_without_javascript_and_as_htmx_suggestions(cast, coded, english):
    client = cast.client(cast.viewer)
    url = reverse("plans:sipd_codes", args=[A, Y])
    page = client.get(url, {"q": "pusat data"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "2.16.03.2.02.0001" in body and "<form" in body
    options = client.get(url, {"permendagri_code": "2.16.03"}, headers={"HX-Request": "true"})
    text = options.content.decode()
    assert text.startswith("<option") and 'value="2.16.03"' in text and "<html" not in text
    assert options["Vary"] and "HX-Request" in options["Vary"]
    programmes = client.get(url, {"q": "2.16", "level": "program"}, headers={"HX-Request": "true"})
    assert programmes.content.decode().count("<option") == 1


def test_the_code_search_is_404_for_an_outsider_and_asks_a_stranger_to_sign_in(cast, coded):
    url = reverse("plans:sipd_codes", args=[A, Y])
    assert cast.client(cast.outsider).get(url, {"q": "2"}).status_code == 404
    assert cast.client(cast.mentor).get(url, {"q": "2"}).status_code == 200
    assert cast.client(None).get(url).status_code == 302  # to the sign-in page


def test_the_code_search_says_when_no_list_is_loaded(cast, plan, english):
    body = cast.client(cast.editor).get(reverse("plans:sipd_codes", args=[A, Y]), {"q": "2"}).content.decode()
    assert "No SIPD code list is loaded yet" in body


def test_the_programme_form_offers_the_search(cast, coded, english):
    body = cast.client(cast.editor).get(reverse("plans:programme_edit", args=[A, Y, "GOV-01"])).content.decode()
    assert 'list="sipd-code-options"' in body and "<datalist" in body
    assert f'hx-get="{reverse("plans:sipd_codes", args=[A, Y])}"' in body
    assert "Search the SIPD code list (opens in a new tab)" in body
    # Without JavaScript the link must not lead away from the form (what was typed would be lost).
    assert 'class="hint" target="_blank" rel="noopener"' in body


# The SIPD export -------------------------------------------------------------------------------


def rows_of(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_sipd_export_splits_codes_by_level_and_sums_per_year_and_source(cast, coded, english):
    response = cast.client(cast.viewer).get(reverse("plans:sipd_export", args=[A, Y, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="sipd-13.72-2024.csv"' in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header[:10] == [
        "Urusan code",
        "Bidang urusan code",
        "Program code",
        "Kegiatan code",
        "Sub kegiatan code",
        "Name in the SIPD code list",
        "Master plan programme",
        "Programme name",
        "Lead agency",
        "Funding source",
    ]
    assert header[10:] == ["2025", "2026", "2027", "2028", "2029", "year not stated", "Total"]
    by_key = {(r[6], r[4] or r[2], r[9]): r for r in rows}
    coded_row = by_key[("GOV-01", "2.16.03.2.02.0001", "APBD (regional budget)")]
    assert coded_row[:6] == ["2", "2.16", "2.16.03", "2.16.03.2.02", "2.16.03.2.02.0001", "Pusat Data"]
    assert coded_row[10:12] == ["150000000", "50000000"] and coded_row[-1] == "200000000"
    # A line without its own code falls back to the programme's; a programme without budget has its row.
    assert by_key[("GOV-01", "2.16.03", "DAK (special allocation fund)")][5] == "PROGRAM APLIKASI INFORMATIKA"
    assert by_key[("ENV-01", "", "")][-1] == ""


def test_the_sipd_export_as_xlsx_keeps_numbers_as_numbers(cast, coded, english):
    response = cast.client(cast.editor).get(reverse("plans:sipd_export", args=[A, Y, "xlsx"]))
    book = spreadsheets.open_workbook(response.content, "sipd.xlsx")
    rows = list(spreadsheets.sheet_rows(book.worksheets[0]))
    coded_row = next(r for r in rows if r[4] == "2.16.03.2.02.0001")
    assert coded_row[10] == 150_000_000


def test_the_exports_are_404_for_an_outsider_and_for_an_unknown_format(cast, coded):
    outsider = cast.client(cast.outsider)
    assert outsider.get(reverse("plans:sipd_export", args=[A, Y, "csv"])).status_code == 404
    assert cast.client(cast.editor).get(reverse("plans:sipd_export", args=[A, Y, "pdf"])).status_code == 404


def test_the_sipd_export_command_writes_csv_xlsx_and_json(cast, coded, tmp_path, english):
    out = StringIO()
    call_command("plan", "sipd-export", A, "--edition", "2024", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("Urusan code,")
    call_command(
        "plan", "sipd-export", A, "--edition", "2024", "--format", "xlsx", "--output", str(tmp_path / "s.xlsx")
    )
    assert (tmp_path / "s.xlsx").read_bytes()[:2] == b"PK"
    out = StringIO()
    call_command("plan", "sipd-export", A, "--edition", "2024", "--json", stdout=out)
    assert json.loads(out.getvalue())[0][0] == "Urusan code"


# Satu Data -------------------------------------------------------------------------------------


def indicators_post(plan: Any, **extra: Any) -> dict[str, Any]:
    return {
        "version": Programme.objects.get(pk=plan.second.pk).version,
        "indicators-TOTAL_FORMS": 1,
        "indicators-INITIAL_FORMS": 0,
        "indicators-0-name": "Sampah terkelola",
        "indicators-0-kind": "outcome",
        "indicators-0-unit": "%",
        "indicators-0-direction": "higher",
        "indicators-0-target_2025": "65",
        **{f"indicators-0-{k}": v for k, v in extra.items()},
    }


def test_the_indicator_form_has_no_satu_data_metadata_of_its_own(cast, plan, english):
    """The metadata is kept in monitoring (one store): the plan's form neither shows nor stores it."""
    client = cast.client(cast.editor)
    url = reverse("plans:programme_indicators", args=[A, Y, "ENV-01"])
    page = client.get(url).content.decode()
    assert 'name="indicators-0-definition"' not in page and 'name="indicators-0-data_source"' not in page
    saved = client.post(url, indicators_post(plan, definition="Share of waste handled", data_source="SIPSN"))
    assert saved.status_code == 302
    indicator = plan.second.indicators.get()
    assert not hasattr(indicator, "definition") and not hasattr(indicator, "data_source")


def test_the_budget_form_takes_a_sub_activity_code_and_refuses_a_malformed_one(cast, plan, english):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])
    base = {
        "version": Programme.objects.get(pk=plan.first.pk).version,
        "lines-TOTAL_FORMS": 2,
        "lines-INITIAL_FORMS": 0,
        "lines-0-year": 2026,
        "lines-0-source": "apbn",
        "lines-0-amount": 5,
        "lines-1-year": 2026,
        "lines-1-source": "apbn",
        "lines-1-amount": 6,
    }
    duplicate = client.post(url, {**base, "lines-0-sub_activity_code": "2.16.03.2.02.0001"})
    assert duplicate.status_code == 400 and "There is already a line for 2026" in duplicate.content.decode()
    base["lines-TOTAL_FORMS"] = 1
    for bad in ("2.16.03", "x" * 41, "2.16.03.2.02.0001.5"):
        response = client.post(url, {**base, "lines-0-sub_activity_code": bad})
        assert response.status_code == 400, bad
    assert "Write a sub kegiatan code of six parts" in response.content.decode()
    good = client.post(url, {**base, "lines-0-sub_activity_code": " 2.16.03.2.02.0001 "})
    assert good.status_code == 302
    assert list(plan.first.budgets.values_list("sub_activity_code", flat=True)) == ["2.16.03.2.02.0001"]


def test_the_programme_page_shows_the_budget_lines_codes(cast, coded, english):
    body = cast.client(cast.viewer).get(reverse("plans:programme", args=[A, Y, "GOV-01"])).content.decode()
    assert "SIPD sub-activity code" in body and "2.16.03.2.02.0001" in body
