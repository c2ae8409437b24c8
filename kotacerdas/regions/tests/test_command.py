"""``kotacerdas regions``: create a region, record population, add and import agencies, the template.

Every bad input exits with code 2, says what to fix and changes nothing (no row, no audit entry).
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib import spreadsheets
from kotacerdas.regions.agencies_file import COLUMNS
from kotacerdas.regions.models import OPD, Population, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages(english: Any) -> None:
    """These tests read the English messages (the commands speak the active language)."""


def run(*args: str) -> Any:
    out = StringIO()
    call_command("regions", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("regions", *args, stdout=StringIO(), stderr=StringIO())
    assert caught.value.returncode == 2
    return caught.value


def state() -> tuple[Any, ...]:
    return (
        list(Region.objects.order_by("pk").values_list("code", "name", "province", "version")),
        list(OPD.objects.order_by("pk").values_list("region__code", "abbreviation", "version")),
        list(Population.objects.order_by("pk").values_list("region__code", "year", "population", "version")),
        AuditEntry.objects.count(),
    )


# Regions ------------------------------------------------------------------------------------------


def test_create_adds_a_region_with_its_province_spelt_right_and_its_time_zone(cast):
    made = run("create", "52.71", "--name", "Mataram", "--type", "kota", "--province", "ntb")
    assert made == {
        "code": "52.71",
        "name": "Mataram",
        "label": "Kota Mataram",
        "type": "kota",
        "province": "Nusa Tenggara Barat",
        "time_zone": "WITA",
        "area_km2": None,
        "motto": "",
    }
    region = Region.objects.get(code="52.71")
    entry = AuditEntry.objects.get(object_type="regions.Region", object_id=str(region.pk))
    assert entry.action == "create" and entry.actor is None and entry.after["province"] == "Nusa Tenggara Barat"
    assert run("show", "52.71")["opds"] == []


def test_create_takes_the_optional_fields(cast):
    made = run("create", "13.03", "--name", "Sijunjung", "--type", "Kabupaten", "--province", "Sumatera Barat",
               "--time-zone", "wib", "--area", "3130,8", "--motto", "Lansek Manih")  # fmt: skip
    assert (made["area_km2"], made["motto"], made["type"]) == ("3130.80", "Lansek Manih", "kabupaten")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["13.72", "--name", "Solok", "--type", "kota", "--province", "Sumatera Barat"], "13.72 is already in"),
        (["13.74", "--name", "Padang Panjang", "--type", "kota", "--province", "Sumatra Barat"], "not a province"),
        (["13.74", "--name", "Padang Panjang", "--type", "kotamadya", "--province", "Sumatera Barat"], "--type"),
        (["14.74", "--name", "Padang Panjang", "--type", "kota", "--province", "Sumatera Barat"], "belongs to Riau"),
        (["13.04", "--name", "Padang Panjang", "--type", "kota", "--province", "Sumatera Barat"], "kabupaten's"),
        (["1374", "--name", "Padang Panjang", "--type", "kota", "--province", "Sumatera Barat"], "code"),
        (["13.74", "--name", "", "--type", "kota", "--province", "Sumatera Barat"], "name"),
        (["13.74", "--name", "X", "--type", "kota", "--province", "Sumatera Barat", "--area", "luas"], "--area"),
        (["13.74", "--name", "X", "--type", "kota", "--province", "Sumatera Barat", "--time-zone", "UTC"], "WIB"),
    ],
)
def test_create_refuses_bad_input_with_exit_2_and_creates_nothing(cast, english, args, said):
    before = state()
    assert said in str(refused("create", *args))
    assert state() == before


def test_list_and_show_still_answer(cast):
    assert [r["code"] for r in run("list")] == ["13.72", "13.73"]
    assert run("show", "13.72")["opds"][0]["partner"] is False
    assert "no region" in str(refused("show", "99.99"))


# Population ---------------------------------------------------------------------------------------


def test_population_records_at_version_zero_and_corrects_at_the_version_seen(cast):
    made = run("population", "13.72", "2024", "76.000", "--seen-version", "0", "--source", "BPS", "--estimate")
    assert (made["population"], made["version"], made["estimate"]) == (76_000, 1, True)
    seen = {p["year"]: p["version"] for p in run("show", "13.72")["population"]}[2024]
    fixed = run("population", "13.72", "2024", "76500", "--seen-version", str(seen))
    assert (fixed["population"], fixed["version"]) == (76_500, 2)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["2020", "80000", "--seen-version", "0"], "Someone else saved this record"),  # 2020 exists at version 1
        (["2020", "80000", "--seen-version", "2"], "Someone else saved this record"),
        (["2031", "80000", "--seen-version", "1"], "Someone else saved this record"),  # no figure to have seen
        (["2020", "80000", "--seen-version", "satu"], "--seen-version"),
        (["2020", "-5", "--seen-version", "1"], "POPULATION"),
        (["2020", "12.5", "--seen-version", "1"], "POPULATION"),
        (["1800", "5", "--seen-version", "0"], "YEAR"),
    ],
)
def test_population_refuses_a_stale_or_bad_version_and_bad_numbers(cast, english, args, said):
    before = state()
    assert said in str(refused("population", "13.72", *args))
    assert state() == before


def test_population_without_a_version_is_refused(cast):
    before = state()
    with pytest.raises(CommandError):
        call_command("regions", "population", "13.72", "2020", "80000", stdout=StringIO(), stderr=StringIO())
    assert state() == before


# Agencies -----------------------------------------------------------------------------------------


def test_opd_add_adds_an_agency_of_each_new_kind(cast):
    rsud = run("opd", "add", "13.72", "--name", "RSUD Kota Solok", "--kind", "rsud", "--valid-from", "2019-01-01")
    assert (rsud["abbreviation"], rsud["kind"], rsud["partner"], rsud["valid_from"]) == (
        "RSUD Kota Solok",
        "rsud",
        False,
        "2019-01-01",
    )
    uptd = run(
        "opd", "add", "13.72", "--name", "UPTD Pengelolaan Sampah", "--abbreviation", "UPTD PS", "--kind", "UPTD"
    )
    assert uptd["kind"] == "uptd"
    bumd = run("opd", "add", "13.72", "--name", "Perumda Air Minum", "--abbreviation", "PDAM", "--kind", "bumd",
               "--head", "Ir. Budi", "--head-title", "Direktur Utama")  # fmt: skip
    assert bumd["partner"] is True and bumd["head"] == "Ir. Budi"
    audit = AuditEntry.objects.filter(object_type="regions.OPD", action="create", actor__isnull=True)
    assert set(audit.values_list("after__abbreviation", flat=True)) >= {"RSUD Kota Solok", "UPTD PS", "PDAM"}
    shown = {o["abbreviation"]: o["partner"] for o in run("show", "13.72")["opds"]}
    assert shown["PDAM"] is True and shown["UPTD PS"] is False


def test_opd_add_records_a_merger(cast):
    run("opd", "add", "13.72", "--name", "Dinas Pendidikan", "--abbreviation", "Disdik", "--kind", "dinas",
        "--valid-from", "2017-01-01", "--valid-to", "2020-12-31")  # fmt: skip
    merged = run("opd", "add", "13.72", "--name", "Dinas Pendidikan dan Kebudayaan", "--abbreviation", "Disdikbud",
                 "--kind", "dinas", "--valid-from", "2021-01-01", "--predecessors", "disdik")  # fmt: skip
    assert merged["predecessors"] == ["Disdik"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--name", "Dinas Baru", "--abbreviation", "diskominfo", "--kind", "dinas"], "overlap"),
        (["--name", "Dinas Komunikasi dan Informatika", "--abbreviation", "DK", "--kind", "dinas"], "overlap"),
        (["--name", "Dinas Baru", "--kind", "perusahaan"], "--kind"),
        (["--name", "Dinas Baru", "--kind", "dinas", "--valid-from", "2020-13-01"], "--valid-from"),
        (["--name", "Dinas Baru", "--kind", "dinas", "--valid-from", "2020-01-01", "--valid-to", "2019-01-01"], "end"),
        (["--name", "Dinas Baru", "--kind", "dinas", "--predecessors", "Zzz"], "no agency Zzz"),
        (
            ["--name", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", "--kind", "badan"],
            "--abbrev",
        ),
        (["--name", "", "--abbreviation", "X", "--kind", "dinas"], "name"),
    ],
)
def test_opd_add_refuses_bad_input_with_exit_2_and_adds_nothing(cast, english, args, said):
    before = state()
    assert said in str(refused("opd", "add", "13.72", *args))
    assert state() == before


def test_opd_add_to_an_unknown_region_is_refused(cast, english):
    assert "no region 99.99" in str(refused("opd", "add", "99.99", "--name", "Dinas X", "--kind", "dinas"))


def test_opd_template_writes_xlsx_and_csv(tmp_path: Path):
    written = run("opd", "template", str(tmp_path / "t.xlsx"))
    book = spreadsheets.load_book((tmp_path / "t.xlsx").read_bytes())
    assert written["bytes"] > 0 and list(next(spreadsheets.sheet_rows(book["OPD"]))) == COLUMNS
    run("opd", "template", str(tmp_path / "t.csv"))
    assert spreadsheets.read_csv((tmp_path / "t.csv").read_text()) == [COLUMNS]
    assert "OUT" in str(refused("opd", "template", str(tmp_path / "t.ods")))


def _file(tmp_path: Path, name: str, rows: list[list[str]]) -> str:
    path = tmp_path / name
    path.write_text(spreadsheets.csv_text([COLUMNS, *rows]))
    return str(path)


def test_opd_import_adds_every_agency_of_the_file(cast, tmp_path):
    path = _file(
        tmp_path,
        "opd.csv",
        [
            ["Bappeda", "Badan Perencanaan Pembangunan Daerah", "badan", "2017-01-01", "", "", "", ""],
            ["PDAM", "Perumda Air Minum", "bumd", "", "", "", "", ""],
        ],
    )
    result = run("opd", "import", "13.72", path)
    assert result["ok"] and [o["abbreviation"] for o in result["created"]] == ["Bappeda", "PDAM"]
    assert result["created"][1]["partner"] is True
    assert OPD.objects.filter(region=cast.region_a).count() == 3


def test_opd_import_with_problems_lists_them_by_row_and_column_adds_nothing_and_exits_2(cast, english, tmp_path):
    path = _file(
        tmp_path,
        "opd.csv",
        [
            ["Bappeda", "Badan Perencanaan Pembangunan Daerah", "badan", "", "", "", "", ""],
            ["Bappeda", "Bappeda lagi", "badan", "", "", "", "", ""],
            ["Diskominfo", "Dinas Kominfo", "dinas", "", "", "", "", ""],
        ],
    )
    before = state()
    message = str(refused("opd", "import", "13.72", path))
    assert "Nothing was imported" in message
    assert "opd.csv, row 3, column A (abbreviation): Row 2 already has" in message
    assert "opd.csv, row 4, column A (abbreviation): The region already has Diskominfo" in message
    assert state() == before
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("regions", "opd", "import", "13.72", path, "--json", stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue())
    assert report["ok"] is False and report["created"] == []
    assert [(p["row"], p["column"], p["cell"]) for p in report["problems"]] == [
        (3, "abbreviation", "A3"),
        (4, "abbreviation", "A4"),
    ]
    assert state() == before


def test_opd_import_refuses_a_missing_or_unreadable_file(cast, english, tmp_path):
    assert "no file" in str(refused("opd", "import", "13.72", str(tmp_path / "nothing.csv")))
    broken = tmp_path / "opd.xlsx"
    broken.write_bytes(b"PK not really")
    assert "not an XLSX workbook" in str(refused("opd", "import", "13.72", str(broken)))
