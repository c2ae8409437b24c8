"""The programme table of a plan written in Word, as an XLSX template (FORMAT.md, "The programme table").

Most regions arrive with an older plan written in Word, whose programme table lists, per row, a
code, the programme's name, its dimension, the lead agency, the horizon, the years, a budget and
an indicator. An operator pastes that table into the ``program`` sheet of this template; the
reader turns the workbook into an interchange document, which goes through the same import (web
and command line): all or nothing, every problem at its sheet, row and column.

Rules of the table, so nothing is invented:
- an empty cell, or one saying "belum ditetapkan" / "not stated" / "-", is *not stated*;
- a row without a code continues the programme above it (a merged cell in Word): its indicator
  and budget are added to that programme;
- the budget of a row is one budget line; without a year it is a line whose year is not stated;
- the years are one cell ("2019–2023", "2019-2023" or "2019") or left empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind, Status
from kotacerdas.lib.spreadsheets import append_row, first_sheet, new_workbook, open_workbook, workbook_bytes
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.plans.interchange.schema import FORMAT, FORMAT_VERSION
from kotacerdas.plans.interchange.xlsx import WorkbookRead

PROGRAMMES = "program"
PLAN = "rencana"
AGENCIES = "opd"
GUIDE = "petunjuk"
TAXONOMY = "dimensi"


@dataclass(frozen=True)
class Column:
    key: str  # the interchange field it fills (for located problems)
    header: str  # the header in the template (Indonesian, as plans print it)
    aliases: tuple[str, ...] = ()  # other headers read as this column (English, common variants)


COLUMNS: tuple[Column, ...] = (
    Column("code", "Kode", ("code", "no. program")),
    Column("name", "Nama program", ("program", "nama", "name", "programme")),
    Column("dimension", "Dimensi", ("dimension",)),
    Column("element", "Elemen", ("element",)),
    Column("lead_opd", "Perangkat daerah", ("opd", "penanggung jawab", "lead agency", "lead_opd")),
    Column("horizon", "Jangka waktu", ("horizon", "jangka")),
    Column("years", "Tahun", ("years", "tahun pelaksanaan")),
    Column("amount", "Anggaran (Rp)", ("anggaran", "budget", "amount")),
    Column("budget_year", "Tahun anggaran", ("budget year",)),
    Column("source", "Sumber dana", ("source", "funding source")),
    Column("indicator", "Indikator", ("indicator",)),
    Column("unit", "Satuan", ("unit",)),
    Column("target", "Target", ("target", "target value")),
    Column("target_year", "Tahun target", ("target year",)),
    Column("source_document", "Sumber dokumen", ("source document", "sumber")),
    Column("source_note", "Catatan", ("note", "catatan sumber")),
)
PLAN_KEYS: tuple[tuple[str, str], ...] = (
    ("region_code", "Kode wilayah"),
    ("year", "Tahun edisi"),
    ("title", "Judul"),
    ("start_year", "Periode dari"),
    ("end_year", "Periode sampai"),
)
AGENCY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("abbreviation", "Singkatan"),
    ("name", "Nama"),
    ("kind", "Jenis"),
    ("valid_from", "Berlaku sejak"),
)
NOT_STATED_WORDS = {"", "-", "–", "—", "belum ditetapkan", "tidak disebutkan", "not stated", "n/a"}
HORIZON_WORDS = {
    "short": "short",
    "medium": "medium",
    "long": "long",
    "pendek": "short",
    "jangka pendek": "short",
    "menengah": "medium",
    "jangka menengah": "medium",
    "panjang": "long",
    "jangka panjang": "long",
}
SOURCES = {"apbd", "apbn", "dak", "csr", "kpbu"}
YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–—/]|s\.?d\.?|sampai)?\s*(\d{4})?\s*$")


def _guide_lines() -> list[str]:
    return [
        _("Programme table of a master plan (KotaCerdas). See FORMAT.md, “The programme table”."),
        _("1. Fill in the sheet “rencana”: the region's code, the edition year, title and plan period."),
        _("2. Paste the plan's programme table into the sheet “program”, from row 2, in the columns shown."),
        _("3. Leave a cell empty (or write “belum ditetapkan”) when the plan does not state it: nothing is invented."),
        _("4. A row without a code continues the programme above it: its indicator and budget are added to it."),
        _("5. Horizon: pendek, menengah or panjang. Years: 2019–2023 or one year. Budget: whole rupiah."),
        _("6. Dimension and element: codes of the taxonomy (sheet “dimensi”). Agency: its abbreviation."),
        _("7. Agencies the region does not have yet: list them in the sheet “opd”; the import offers to create them."),
        _("8. Import the workbook on the plan's import page or with kotacerdas plan import; all or nothing."),
    ]


def write_table_template(
    region_code: str = "", dimensions: list[dict[str, Any]] | None = None, agencies: list[dict[str, Any]] | None = None
) -> bytes:
    """The empty template: guide, plan header, programme table, agencies and the taxonomy's codes."""
    book = new_workbook(GUIDE)
    guide = first_sheet(book)
    for line in _guide_lines():
        append_row(guide, [line])
    guide.column_dimensions["A"].width = 110
    plan = book.create_sheet(PLAN)
    append_row(plan, [_("key"), _("value")])
    for key, label in PLAN_KEYS:
        append_row(plan, [label, region_code if key == "region_code" else None])
    plan.column_dimensions["A"].width = 20
    table = book.create_sheet(PROGRAMMES)
    append_row(table, [c.header for c in COLUMNS])
    for n, column in enumerate(COLUMNS, start=1):
        table.column_dimensions[get_column_letter(n)].width = 28 if column.key in ("name", "indicator") else 15
    table.freeze_panes = "A2"
    opds = book.create_sheet(AGENCIES)
    append_row(opds, [label for _k, label in AGENCY_COLUMNS])
    for o in agencies or []:
        append_row(opds, [o.get("abbreviation"), o.get("name"), o.get("kind"), o.get("valid_from")])
    taxonomy = book.create_sheet(TAXONOMY)
    append_row(taxonomy, [_("dimension"), _("name"), _("element"), _("name")])
    for d in dimensions or []:
        for e in d.get("elements") or [{}]:
            append_row(taxonomy, [d.get("code"), d.get("name"), e.get("code"), e.get("name")])
    return workbook_bytes(book)


def default_dimensions() -> list[dict[str, Any]]:
    """The default taxonomy's dimensions and elements (the reference sheet of the table template)."""
    taxonomy = (
        Framework.objects.filter(kind=Kind.TAXONOMY, status=Status.PUBLISHED, is_default=True)
        .order_by("-version")
        .first()
    )
    if taxonomy is None:
        return []
    entries = list(FrameworkEntry.objects.filter(framework=taxonomy).order_by("order", "id"))
    return [
        {
            "code": d.code,
            "name": d.name,
            "elements": [{"code": e.code, "name": e.name} for e in entries if e.parent_id == d.pk],
        }
        for d in entries
        if d.parent_id is None
    ]


def is_table(data: bytes) -> bool:
    """Whether an XLSX file is the programme-table template (it has a ``program`` sheet, no ``edition``)."""
    try:
        book = open_workbook(data, "")
    except UnreadableFile:
        return False
    names = {n.lower() for n in book.sheetnames}
    return PROGRAMMES in names and "edition" not in names


def _text(value: Any) -> str | None:
    """A cell as text, or None when it says nothing (empty, a dash, "belum ditetapkan")."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return None if text.lower() in NOT_STATED_WORDS else text


def _sheet(book: Any, name: str) -> Any:
    for title in book.sheetnames:
        if title.lower() == name:
            return book[title]
    return None


class _Reader:
    def __init__(self, book: Any, name: str) -> None:
        self.book, self.name = book, name
        self.result = WorkbookRead({})
        self.problems = self.result.problems

    def bad(self, sheet: str, cell: str, column: str, message: str) -> None:
        self.problems.append((f"{sheet}!{cell} ({column})", message))

    def whole(self, value: str, sheet: str, cell: str, column: str) -> int | None:
        cleaned = re.sub(r"[.\s]|,00$|^rp\.?", "", value.lower())
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            self.bad(sheet, cell, column, _("“%(value)s” is not a whole number.") % {"value": value})
            return None
        if number != number.to_integral_value():
            self.bad(sheet, cell, column, _("“%(value)s” is not a whole number.") % {"value": value})
            return None
        return int(number)

    def plan(self) -> dict[str, Any]:
        sheet = _sheet(self.book, PLAN)
        values: dict[str, Any] = {}
        if sheet is None:
            self.problems.append((PLAN, _("The sheet “rencana” is missing; start from the template.")))
            return values
        labels = {label.lower(): key for key, label in PLAN_KEYS} | {key: key for key, _label in PLAN_KEYS}
        rows: dict[str, int] = {}
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number == 1 or not row or row[0] is None:
                continue
            key = labels.get(str(row[0]).strip().lower())
            if key is None:
                continue
            rows[key] = number
            value = _text(row[1] if len(row) > 1 else None)
            self.result.cells[f"$.edition.{key}"] = (PLAN, number, {key: "B"})
            if value is not None and key in ("year", "start_year", "end_year"):
                values[key] = self.whole(value, PLAN, f"B{number}", key)
            else:
                values[key] = value
        if "region_code" in rows:
            self.result.cells["$.region"] = (PLAN, rows["region_code"], {"code": "B"})
        for key in ("year", "title", "start_year", "end_year"):
            if values.get(key) is None and not any(p.endswith(f"({key})") for p, _m in self.problems):
                label = dict(PLAN_KEYS)[key]
                where = f"{PLAN}!B{rows[key]} ({key})" if key in rows else f"{PLAN} ({key})"
                self.problems.append((where, _("“%(label)s” is required.") % {"label": label}))
        return values

    def agencies(self) -> list[dict[str, Any]]:
        sheet = _sheet(self.book, AGENCIES)
        if sheet is None:
            return []
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip().lower() for h in next(rows, ())]
        where = {key: header.index(label.lower()) for key, label in AGENCY_COLUMNS if label.lower() in header}
        out: list[dict[str, Any]] = []
        for number, row in enumerate(rows, start=2):
            cells = {key: _text(row[i]) if i < len(row) else None for key, i in where.items()}
            if not any(cells.values()):
                continue
            if not cells.get("abbreviation"):
                self.bad(AGENCIES, f"A{number}", "abbreviation", _("Give the agency's abbreviation."))
                continue
            letters = {key: get_column_letter(i + 1) for key, i in where.items()}
            self.result.cells[f"$.opds[{len(out)}]"] = (AGENCIES, number, letters)
            out.append(
                {
                    "abbreviation": cells["abbreviation"],
                    "name": cells.get("name") or "",
                    "kind": (cells.get("kind") or "").lower() or None,
                    "valid_from": _date_text(row[where["valid_from"]]) if "valid_from" in where else None,
                }
            )
        return out

    def programmes(self) -> list[dict[str, Any]]:
        sheet = _sheet(self.book, PROGRAMMES)
        rows = sheet.iter_rows(values_only=True)
        raw_header = [str(h or "").strip().lower() for h in next(rows, ())]
        index: dict[str, int] = {}
        for column in COLUMNS:
            for label in (column.header.lower(), *column.aliases):
                if label in raw_header:
                    index[column.key] = raw_header.index(label)
                    break
        missing = [c.header for c in COLUMNS if c.key in ("code", "name", "dimension") and c.key not in index]
        if missing:
            message = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
            self.problems.append((f"{PROGRAMMES}!1", message))
            return []
        letter = {key: get_column_letter(i + 1) for key, i in index.items()}
        programmes: list[dict[str, Any]] = []
        for number, row in enumerate(rows, start=2):
            cells = {key: _text(row[i]) if i < len(row) else None for key, i in index.items()}
            if not any(cells.values()):
                continue
            if cells.get("code"):
                programmes.append(self.programme(cells, number, letter, len(programmes)))
            elif not programmes:
                self.bad(PROGRAMMES, f"{letter['code']}{number}", "code", _("The first row needs a programme code."))
                continue
            self.rows_below(programmes[-1], len(programmes) - 1, cells, number, letter)
        return programmes

    def programme(self, cells: dict[str, Any], number: int, letter: dict[str, str], n: int) -> dict[str, Any]:
        here = f"$.programmes[{n}]"
        columns = {
            key: letter[c]
            for key, c in (
                ("code", "code"),
                ("name", "name"),
                ("dimension", "dimension"),
                ("element", "element"),
                ("lead_opd", "lead_opd"),
                ("horizon", "horizon"),
                ("start_year", "years"),
                ("end_year", "years"),
                ("source_document", "source_document"),
                ("source_note", "source_note"),
            )
            if c in letter
        }
        self.result.cells[here] = (PROGRAMMES, number, columns)
        p: dict[str, Any] = {
            "code": cells["code"],
            "name": cells.get("name") or "",
            "dimension": cells.get("dimension") or "",
            "element": cells.get("element"),
            "lead_opd": cells.get("lead_opd"),
            "horizon": None,
            "start_year": None,
            "end_year": None,
            "source_document": cells.get("source_document") or "",
            "source_note": cells.get("source_note") or "",
            "budgets": [],
            "indicators": [],
        }
        if cells.get("horizon"):
            horizon = HORIZON_WORDS.get(cells["horizon"].lower())
            if horizon is None:
                message = _("“%(value)s” is not a horizon: write pendek, menengah or panjang, or leave it empty.")
                self.bad(PROGRAMMES, f"{letter['horizon']}{number}", "horizon", message % {"value": cells["horizon"]})
            p["horizon"] = horizon
        if cells.get("years"):
            match = YEARS.match(cells["years"])
            if match is None:
                message = _("“%(value)s” is not a year or years: write 2019–2023 or 2019, or leave it empty.")
                self.bad(PROGRAMMES, f"{letter['years']}{number}", "years", message % {"value": cells["years"]})
            else:
                p["start_year"] = int(match.group(1))
                p["end_year"] = int(match.group(2) or match.group(1))
        return p

    def rows_below(self, p: dict[str, Any], n: int, cells: dict[str, Any], number: int, letter: dict[str, str]) -> None:
        """The budget line and the indicator a row adds to its programme."""
        here = f"$.programmes[{n}]"
        if cells.get("amount"):
            amount = self.whole(cells["amount"], PROGRAMMES, f"{letter['amount']}{number}", "amount")
            year = None
            if cells.get("budget_year"):
                year = self.whole(cells["budget_year"], PROGRAMMES, f"{letter['budget_year']}{number}", "year")
            source = (cells.get("source") or "").lower() or None
            if source is not None and source not in SOURCES:
                message = _("“%(value)s” is not a funding source: write APBD, APBN, DAK, CSR or KPBU.")
                self.bad(PROGRAMMES, f"{letter['source']}{number}", "source", message % {"value": cells["source"]})
            columns = {
                k: letter[c]
                for k, c in (("amount", "amount"), ("year", "budget_year"), ("source", "source"))
                if c in letter
            }
            self.result.cells[f"{here}.budgets[{len(p['budgets'])}]"] = (PROGRAMMES, number, columns)
            p["budgets"].append({"year": year, "source": source, "amount": amount if amount is not None else 0})
        elif cells.get("budget_year") or cells.get("source"):
            column = "budget_year" if cells.get("budget_year") else "source"
            self.bad(PROGRAMMES, f"{letter[column]}{number}", column, _("A budget year or source needs an amount."))
        if cells.get("indicator"):
            k = len(p["indicators"])
            columns = {k2: letter[c] for k2, c in (("name", "indicator"), ("unit", "unit")) if c in letter}
            self.result.cells[f"{here}.indicators[{k}]"] = (PROGRAMMES, number, columns)
            indicator: dict[str, Any] = {
                "name": cells["indicator"],
                "unit": cells.get("unit") or "",
                "direction": "higher",
                "targets": [],
            }
            if cells.get("target"):
                target_year = None
                if cells.get("target_year"):
                    target_year = self.whole(
                        cells["target_year"], PROGRAMMES, f"{letter['target_year']}{number}", "year"
                    )
                columns = {k2: letter[c] for k2, c in (("value", "target"), ("year", "target_year")) if c in letter}
                self.result.cells[f"{here}.indicators[{k}].targets[0]"] = (PROGRAMMES, number, columns)
                indicator["targets"].append({"year": target_year, "value": cells["target"].replace(",", ".")})
            p["indicators"].append(indicator)
        elif cells.get("target") or cells.get("unit"):
            column = "target" if cells.get("target") else "unit"
            self.bad(PROGRAMMES, f"{letter[column]}{number}", column, _("A target or unit needs its indicator."))


def _date_text(value: Any) -> str | None:
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _text(value)


def read_table(data: bytes, name: str = "table.xlsx", hint: str | None = None) -> WorkbookRead:
    """The interchange document a filled template holds, with every cell-level problem."""
    try:
        book = open_workbook(data, name, hint)
    except UnreadableFile as error:
        return WorkbookRead({}, [(name, error.message)])
    reader = _Reader(book, name)
    values = reader.plan()
    agencies = reader.agencies()
    programmes = reader.programmes()
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "region": {"code": values.get("region_code") or ""},
        "edition": {
            "year": values.get("year"),
            "title": values.get("title") or "",
            "start_year": values.get("start_year"),
            "end_year": values.get("end_year"),
        },
        "programmes": programmes,
    }
    if agencies:
        doc["opds"] = agencies
    reader.result.doc = doc
    return reader.result
