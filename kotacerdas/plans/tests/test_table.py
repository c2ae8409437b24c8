"""The programme-table template: a Word plan's table pasted into XLSX, imported through the same
import (web and command line), all or nothing, every problem at its sheet, row and column."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from kotacerdas.plans.interchange.table import COLUMNS, write_table_template
from kotacerdas.plans.models import Edition, IndicatorTarget, Programme, ProgrammeBudget
from kotacerdas.regions.models import OPD

pytestmark = pytest.mark.django_db

A = "13.72"
URL = reverse("plans:import", args=[A])
HEADERS = [c.header for c in COLUMNS]


@pytest.fixture(autouse=True)
def _english(english):
    """The new sentences are asserted in English until the catalogue is merged."""


def filled(rows: list[dict[str, Any]], agencies: list[list[Any]] = (), **plan: Any) -> bytes:
    """The template with the plan header and programme rows (by header) filled in."""
    book = load_workbook(io.BytesIO(write_table_template(A)))
    header = {"Tahun edisi": 2017, "Judul": "Masterplan 2018–2028", "Periode dari": 2018, "Periode sampai": 2028}
    header.update(plan)
    for row in book["rencana"].iter_rows(min_row=2):
        if row[0].value in header:
            row[1].value = header[row[0].value]
    for values in rows:
        book["program"].append([values.get(h) for h in HEADERS])
    for agency in agencies:
        book["opd"].append(agency)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [
    {
        "Kode": "GOV-01",
        "Nama program": "e-Kinerja",
        "Dimensi": "GOV",
        "Perangkat daerah": "BKPSDM",
        "Jangka waktu": "jangka menengah",
        "Tahun": "2019–2023",
        "Anggaran (Rp)": "1.500.000.000",
        "Sumber dana": "APBD",
        "Indikator": "Pegawai memakai e-Kinerja",
        "Satuan": "%",
        "Target": "100",
        "Sumber dokumen": "Buku 2 hlm. 41",
    },
    # A merged cell in Word: no code, a second indicator of GOV-01 (its target has no year).
    {"Indikator": "Unit kerja terhubung", "Satuan": "unit", "Target": "30"},
    {"Kode": "ENV-01", "Nama program": "Bank sampah", "Dimensi": "ENV", "Jangka waktu": "belum ditetapkan"},
]
AGENCIES = [["BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", None, None]]


def test_the_template_downloads_for_an_editor_and_is_404_for_the_outsider(cast):
    url = reverse("plans:table_template", args=[A])
    response = cast.client(cast.owner).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert {"petunjuk", "rencana", "program", "opd", "dimensi"} <= set(book.sheetnames)
    assert [c.value for c in book["program"][1]] == HEADERS
    assert cast.client(cast.outsider).get(url).status_code == 404
    assert url in cast.client(cast.owner).get(URL).content.decode()  # offered on the import page


def test_the_web_import_lists_new_agencies_for_confirmation_then_imports_what_the_table_says(cast):
    client = cast.client(cast.owner)
    data = filled(ROWS, AGENCIES)
    response = client.post(URL, {"file": SimpleUploadedFile("tabel.xlsx", data)})
    page = response.content.decode()
    assert response.status_code == 400 and "Agencies the import can create" in page and "BKPSDM" in page
    assert "opd!" in page  # the confirmation problem points at the agency's row
    assert not Edition.objects.filter(region=cast.region_a, year=2017).exists()

    response = client.post(URL, {"file": SimpleUploadedFile("tabel.xlsx", data), "create_agencies": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    gov = Programme.objects.select_related("lead_opd").get(edition__region=cast.region_a, code="GOV-01")
    assert (gov.horizon, gov.start_year, gov.end_year) == ("medium", 2019, 2023)
    assert gov.lead_opd.abbreviation == "BKPSDM" and gov.source_document == "Buku 2 hlm. 41"
    line = ProgrammeBudget.objects.get(programme=gov)
    assert (line.year, line.source, int(line.amount)) == (None, "apbd", 1_500_000_000)
    assert gov.indicators.count() == 2
    assert IndicatorTarget.objects.filter(indicator__programme=gov, year__isnull=True).count() == 2
    env = Programme.objects.get(edition__region=cast.region_a, code="ENV-01")
    assert (env.horizon, env.start_year, env.lead_opd_id) == ("", None, None)  # nothing invented
    assert OPD.objects.get(region=cast.region_a, abbreviation="BKPSDM").kind == "badan"


def test_the_outsider_cannot_import_a_table_into_region_a(cast):
    response = cast.client(cast.outsider).post(URL, {"file": SimpleUploadedFile("tabel.xlsx", filled(ROWS))})
    assert response.status_code == 404


def test_bad_cells_are_refused_at_their_sheet_row_and_column_and_nothing_is_saved(cast):
    rows = [
        {**ROWS[0], "Jangka waktu": "jangka sedang", "Tahun": "2019 hingga", "Anggaran (Rp)": "lima juta"},
        {"Satuan": "unit", "Target": "30"},
    ]
    response = cast.client(cast.owner).post(URL, {"file": SimpleUploadedFile("tabel.xlsx", filled(rows, AGENCIES))})
    page = response.content.decode()
    assert response.status_code == 400
    for where in ("program!F2 (horizon)", "program!G2 (years)", "program!H2 (amount)", "program!M3 (target)"):
        assert where in page, where
    assert not Edition.objects.filter(region=cast.region_a, year=2017).exists()


def test_problems_the_import_finds_later_point_at_cells_too(cast):
    rows = [{**ROWS[0], "Dimensi": "XYZ", "Tahun": "2030"}]
    response = cast.client(cast.owner).post(
        URL, {"file": SimpleUploadedFile("tabel.xlsx", filled(rows, AGENCIES)), "create_agencies": "on"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "program!C2 (dimension)" in page and "program!G2 (start_year)" in page
    assert not OPD.objects.filter(region=cast.region_a, abbreviation="BKPSDM").exists()  # all or nothing


def test_the_command_line_writes_the_template_and_imports_a_filled_table(cast, tmp_path):
    out = io.StringIO()
    template = tmp_path / "tabel.xlsx"
    call_command("plan", "template", A, "--table", "--output", str(template), "--json", stdout=out, stderr=out)
    assert load_workbook(template)["program"]["A1"].value == "Kode"
    with pytest.raises(CommandError):
        call_command("plan", "template", "--output", str(template), stdout=out, stderr=out)
    path = tmp_path / "isi.xlsx"
    path.write_bytes(filled(ROWS, AGENCIES))
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", A, str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert "--create-agencies" in str(caught.value) and "opd!" in str(caught.value)
    result = io.StringIO()
    call_command("plan", "import", A, str(path), "--create-agencies", "--json", stdout=result, stderr=io.StringIO())
    assert json.loads(result.getvalue())["programmes"] == 2
