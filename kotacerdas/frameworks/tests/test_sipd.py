"""SIPD code lists: loaded all or nothing with located problems, versions that never change."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.audit.models import AuditEntry
from kotacerdas.frameworks import sipd
from kotacerdas.frameworks.models import SipdCode, SipdTable
from kotacerdas.lib import spreadsheets

pytestmark = pytest.mark.django_db

GOOD = (
    "code,level,name\n"
    "2,urusan,URUSAN WAJIB NON PELAYANAN DASAR\n"
    "2.16,bidang,KOMUNIKASI DAN INFORMATIKA\n"
    "2.16.03,program,PROGRAM APLIKASI INFORMATIKA\n"
    "2.16.03.2.02,kegiatan,Pengelolaan e-Government\n"
    "2.16.03.2.02.0001,sub_kegiatan,Pengelolaan Pusat Data\n"
)


def run(*args: str) -> str:
    out = StringIO()
    call_command("frameworks", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str, name: str = "kode.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_good_file_loads_every_level_with_its_parent(tmp_path, english):
    payload = json.loads(run("load-sipd", write(tmp_path, GOOD), "--version", "2024", "--json"))
    assert payload["ok"] and payload["version"] == "2024" and payload["year"] == 2024
    assert payload["counts"] == {"urusan": 1, "bidang": 1, "program": 1, "kegiatan": 1, "sub_kegiatan": 1}
    sub = SipdCode.objects.get(code="2.16.03.2.02.0001")
    assert (sub.level, sub.parent_code) == ("sub_kegiatan", "2.16.03.2.02")
    assert SipdCode.objects.get(code="2.16.03.2.02").parent_code == "2.16.03"
    entry = AuditEntry.objects.get(object_type="frameworks.SipdTable")
    assert entry.actor_name == "system" and entry.after["codes"]["program"] == 1


def test_problems_name_file_row_column_and_why_and_nothing_is_loaded(tmp_path, english):
    text = GOOD + "2.16.99.x,program,Bad\n2.16.03,program,Again\n2.17.01,,Orphan\n2.16.04,kegiatan,\n"
    with pytest.raises(CommandError) as raised:
        run("load-sipd", write(tmp_path, text), "--version", "2024")
    message = str(raised.value)
    assert "kode.csv, row 7, column A (code): “2.16.99.x” is not a Permendagri 90 code" in message
    assert "kode.csv, row 8, column A (code): Row 4 already has the code 2.16.03" in message
    assert "kode.csv, row 9, column A (code): The code 2.17.01 belongs under 2.17, which is not in the file" in message
    assert "kode.csv, row 10, column B (level): The code 2.16.04 is a program, not “kegiatan”." in message
    assert "kode.csv, row 10, column C (name): Write the name" in message
    assert not SipdTable.objects.exists() and not SipdCode.objects.exists()
    assert not AuditEntry.objects.filter(object_type="frameworks.SipdTable").exists()


def test_json_lists_the_located_problems(tmp_path, english):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "frameworks", "load-sipd", write(tmp_path, "code,nama\n1,x\n"), "--version", "2024", "--json", stdout=out
        )
    problems = json.loads(out.getvalue())["problems"]
    assert problems[0]["row"] == 1 and "Missing columns: name" in problems[0]["message"]


def test_an_xlsx_file_loads_too_and_text_stays_text(tmp_path, english):
    book = spreadsheets.new_workbook("Kode")
    sheet = spreadsheets.first_sheet(book)
    for line in GOOD.strip().splitlines():
        spreadsheets.append_row(sheet, line.split(","))
    spreadsheets.append_row(sheet, ["2.16.02", "", "=HYPERLINK() program"])
    path = tmp_path / "kode.xlsx"
    path.write_bytes(spreadsheets.workbook_bytes(book))
    run("load-sipd", str(path), "--version", "2025")
    assert SipdCode.objects.get(code="2.16.02").name == "=HYPERLINK() program"


def test_a_loaded_version_never_changes_and_a_new_version_is_a_new_load(tmp_path, english):
    path = write(tmp_path, GOOD)
    run("load-sipd", path, "--version", "2024")
    with pytest.raises(CommandError, match="Version 2024 is already loaded"):
        run("load-sipd", write(tmp_path, GOOD + "2.16.02,program,NEW\n", "v2.csv"), "--version", "2024")
    assert SipdCode.objects.filter(table__label="2024").count() == 5
    run("load-sipd", write(tmp_path, GOOD + "2.16.02,program,NEW\n", "v2.csv"), "--version", "2024-rev1")
    assert SipdTable.objects.count() == 2
    assert sipd.table_for_year(2025).label == "2024-rev1"  # the newest list in force
    assert sipd.table_for_year(2030).label == "2024-rev1"
    assert sipd.table_for_year(2019).label == "2024"  # older than every list: the first


def test_the_version_must_be_a_year(tmp_path, english):
    with pytest.raises(CommandError, match="Write the version as a year"):
        run("load-sipd", write(tmp_path, GOOD), "--version", "latest")
    with pytest.raises(CommandError, match="--version: give the version"):
        run("load-sipd", write(tmp_path, GOOD))


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_a_sentence(tmp_path, english):
    path = tmp_path / "kode.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CommandError, match="FILE: "):
        run("load-sipd", str(path), "--version", "2024")
    with pytest.raises(CommandError, match="FILE: cannot read"):
        run("load-sipd", str(tmp_path / "missing.csv"), "--version", "2024")


def test_only_ministry_staff_load_lists(cast):
    with pytest.raises(PermissionDenied):
        sipd.load_sipd(actor=cast.owner, data=GOOD.encode(), name="kode.csv", label="2024")
    assert sipd.load_sipd(actor=cast.ministry, data=GOOD.encode(), name="kode.csv", label="2024").ok


def test_the_shipped_sample_loads_once_marked_as_sample(english):
    first = sipd.load_sample()
    assert first is not None and first.ok and first.table is not None and first.table.is_sample
    assert sipd.load_sample() is None
    listed = json.loads(run("sipd", "--json"))
    assert listed[0]["sample"] is True and listed[0]["codes"] > 40


def test_search_finds_by_code_prefix_and_by_words_of_the_name(english):
    sipd.load_sample()
    table = sipd.table_for_year(2025)
    assert [c.code for c in sipd.search(table, "2.16.03")][:1] == ["2.16.03"]
    assert "2.16.03.2.02.0001" in {c.code for c in sipd.search(table, "pusat data")}
    assert [c.code for c in sipd.search(table, "aplikasi", levels=["program"])] == ["2.16.03"]
    assert sipd.search(table, "") == [] and sipd.search(None, "x") == []
    found = json.loads(run("sipd-search", "informatika", "--json"))
    assert found["version"] == "2024-sample"
    assert {"code": "2.16.03", "level": "program", "name": "PROGRAM APLIKASI INFORMATIKA"} in found["codes"]


@given(st.text(max_size=30))
def test_level_of_never_fails_and_parents_are_one_level_up(text):
    level = sipd.level_of(text)
    if level is not None and level != "urusan":
        assert sipd.level_of(sipd.parent_of(text)) is not None
