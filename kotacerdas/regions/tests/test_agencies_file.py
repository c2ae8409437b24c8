"""The agencies file through the service: the template, all-or-nothing import, located problems."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib import spreadsheets
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.regions import agencies_file
from kotacerdas.regions.agencies_file import COLUMNS, import_agencies
from kotacerdas.regions.models import OPD

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)


def csv(*rows: list[str], header: list[str] | None = None) -> bytes:
    return spreadsheets.csv_text([header or COLUMNS, *rows]).encode()


def xlsx(*rows: list[object]) -> bytes:
    book = spreadsheets.new_workbook(agencies_file.SHEET)
    sheet = spreadsheets.first_sheet(book)
    spreadsheets.append_row(sheet, COLUMNS)
    for row in rows:
        spreadsheets.append_row(sheet, row)
    return spreadsheets.workbook_bytes(book)


def row(abbreviation="", name="", kind="dinas", valid_from="", valid_to="", head="", title="", preds=""):
    return [abbreviation, name, kind, valid_from, valid_to, head, title, preds]


def state(region):
    return list(OPD.objects.filter(region=region).order_by("pk").values_list("abbreviation", "kind")), (
        AuditEntry.objects.count()
    )


def test_the_template_has_the_columns_a_kinds_sheet_and_a_drop_down(english):
    book = spreadsheets.load_book(agencies_file.template_workbook())
    assert book.sheetnames == ["OPD", "Jenis", "Petunjuk"]
    assert list(next(spreadsheets.sheet_rows(book["OPD"]))) == COLUMNS
    kinds = [r[0] for r in spreadsheets.sheet_rows(book["Jenis"], min_row=2)]
    assert {"rsud", "uptd", "bumd", "dinas"} <= set(kinds)


def test_the_empty_template_imports_as_a_file_without_agencies(cast, english):
    result = import_agencies(
        actor=cast.owner, region=cast.region_a, data=agencies_file.template_workbook(), name="t.xlsx"
    )
    assert not result.ok and "no agency" in result.problem_lines()[0]


def test_a_file_of_agencies_is_added_with_predecessors_and_each_is_audited(cast, english):
    data = xlsx(
        row("Disdik", "Dinas Pendidikan", "dinas", datetime.date(2017, 1, 1), datetime.date(2020, 12, 31)),
        row("Disbud", "Dinas Kebudayaan", "Dinas", "2017-01-01", "31/12/2020"),
        row("Disdikbud", "Dinas Pendidikan dan Kebudayaan", "dinas", "2021-01-01", preds="Disdik, Disbud"),
        row("", "RSUD Kota Solok", "rumah sakit daerah", head="dr. Aisyah", title="Direktur"),
        row("UPTD Puskesmas Tanah Garam", "UPTD Puskesmas Tanah Garam", "UPTD"),
        row("PDAM", "Perumda Air Minum Kota Solok", "bumd", "2010-01-01"),
    )
    audited = AuditEntry.objects.count()
    result = import_agencies(actor=cast.owner, region=cast.region_a, data=data, name="opd.xlsx", today=TODAY)
    assert result.ok, result.problem_lines()
    assert [o.abbreviation for o in result.created] == [
        "Disdik",
        "Disbud",
        "Disdikbud",
        "RSUD Kota Solok",
        "UPTD Puskesmas Tanah Garam",
        "PDAM",
    ]
    merged = OPD.objects.get(region=cast.region_a, abbreviation="Disdikbud")
    assert sorted(merged.predecessors.values_list("abbreviation", flat=True)) == ["Disbud", "Disdik"]
    rsud = OPD.objects.get(region=cast.region_a, kind="rsud")
    assert (rsud.valid_from, rsud.head_name, rsud.is_partner) == (TODAY, "dr. Aisyah", False)
    assert OPD.objects.get(region=cast.region_a, abbreviation="PDAM").is_partner
    created = AuditEntry.objects.filter(actor=cast.owner, action="create", object_type="regions.OPD")
    assert AuditEntry.objects.count() - audited == created.count() == 6
    assert result.as_dict()["created"][5]["partner"] is True


def test_a_file_with_problems_adds_nothing_and_locates_every_problem(cast, english):
    before = state(cast.region_a)
    data = csv(
        row("Disdik", "Dinas Pendidikan"),
        row("X", "", "dinass", "2020-02-30"),
        row("Diskominfo", "Dinas Kominfo Baru"),  # already in region A since 2017
        row("disdik", "Dinas Pendidikan Lagi"),  # repeats row 2
        row("Bappeda", "Dinas Pendidikan"),  # the same name as row 2
        row("DLH", "Dinas Lingkungan Hidup", preds="Perkim"),
        row("", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", "badan"),
        row("Lama", "Dinas Lama", "dinas", "2020-01-01", "2019-01-01"),
    )
    result = import_agencies(actor=cast.owner, region=cast.region_a, data=data, name="opd.csv", today=TODAY)
    assert not result.ok and result.created == []
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (3, "name"),
        (3, "kind"),
        (3, "valid_from"),
        (4, "abbreviation"),
        (5, "abbreviation"),
        (6, "name"),
        (7, "predecessors"),
        (8, "abbreviation"),
        (9, "valid_to"),
    }
    lines = result.problem_lines()
    assert lines[0].startswith("opd.csv, row 3, column B (name): ")
    assert any("row 4, column A (abbreviation): The region already has Diskominfo" in line for line in lines)
    assert any("Row 2 already has an agency with this abbreviation" in line for line in lines)
    assert any("Row 2 already has an agency with this name" in line for line in lines)
    assert any("“dinass” is not a kind of agency" in line and "rsud" in line for line in lines)
    assert state(cast.region_a) == before


def test_the_same_agency_in_another_period_is_not_a_duplicate(cast, english):
    data = csv(row("Diskominfo", "Dinas Komunikasi dan Informatika", "dinas", "2010-01-01", "2016-12-31"))
    result = import_agencies(actor=cast.owner, region=cast.region_a, data=data, name="opd.csv", today=TODAY)
    assert result.ok, result.problem_lines()


def test_a_predecessor_of_a_failing_row_is_not_reported_twice(cast, english):
    data = csv(row("Disdik", "", "dinas"), row("Disdikbud", "Dinas Pendidikan dan Kebudayaan", preds="Disdik"))
    result = import_agencies(actor=cast.owner, region=cast.region_a, data=data, name="opd.csv", today=TODAY)
    assert [(p.row, p.column) for p in result.problems] == [(2, "name")]


def test_text_that_looks_like_a_formula_is_kept_as_text(cast):
    data = xlsx(row("=1+1", '=HYPERLINK("x") Dinas', "dinas"))
    result = import_agencies(actor=None, region=cast.region_a, data=data, name="opd.xlsx", today=TODAY)
    assert result.ok, result.problem_lines()
    assert OPD.objects.filter(region=cast.region_a, abbreviation="=1+1", name='=HYPERLINK("x") Dinas').exists()


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (["name"], "Missing columns: kind"),
        (["name", "kind", "lead"], "Unknown columns: lead"),
        (["name", "kind", "name"], "Columns given twice: name"),
        (["name;kind"], "separated by semicolons"),
    ],
)
def test_a_file_with_wrong_columns_is_refused_at_its_header(cast, english, header, said):
    data = spreadsheets.csv_text([header, ["Dinas X", "dinas", "x"][: len(header)]]).encode()
    result = import_agencies(actor=cast.owner, region=cast.region_a, data=data, name="opd.csv")
    assert not result.ok and said in result.problem_lines()[0] and result.problems[0].row == 1


def test_only_the_required_columns_are_needed(cast):
    data = spreadsheets.csv_text([["Name", "Kind"], ["Dinas Pariwisata", "dinas"]]).encode()
    result = import_agencies(actor=cast.owner, region=cast.region_a, data=data, name="opd.csv", today=TODAY)
    assert result.ok and result.created[0].abbreviation == "Dinas Pariwisata"


@pytest.mark.parametrize(
    ("data", "name"), [(b"PK\x03\x04 broken", "opd.xlsx"), (b"\xff\xfe\x00x", "opd.csv"), (b"  ", "a.csv")]
)
def test_a_file_that_is_not_a_spreadsheet_is_unreadable(cast, english, data, name):
    with pytest.raises(UnreadableFile):
        import_agencies(actor=cast.owner, region=cast.region_a, data=data, name=name)


@pytest.mark.parametrize("who", ["editor", "viewer", "mentor", "outsider"])
def test_only_those_who_may_add_agencies_import_them(cast, who):
    before = state(cast.region_a)
    with pytest.raises(PermissionDenied):
        import_agencies(actor=getattr(cast, who), region=cast.region_a, data=csv(row("A", "Dinas A")), name="a.csv")
    assert state(cast.region_a) == before


def test_the_kind_is_read_from_its_code_or_its_meaning(english):
    assert agencies_file.kind_of("RSUD") == "rsud"
    assert agencies_file.kind_of(" rumah  sakit daerah ") == "rsud"
    assert agencies_file.kind_of("bumd (region-owned enterprise, a partner)") == "bumd"
    assert agencies_file.kind_of("perusahaan") is None
