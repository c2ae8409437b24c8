"""A region's agencies as a spreadsheet: the template, and its import all or nothing (issue 18 §4).

One sheet (``OPD``) or a CSV file with a row per agency and the columns of :data:`COLUMNS`;
only ``name`` and ``kind`` must be there, the others may be left out or empty:

- ``abbreviation``: how plans and reports name the agency (Diskominfo). Empty: the name itself,
  which must then be short enough to stand for it (40 characters).
- ``kind``: one of :class:`~kotacerdas.regions.models.OPDKind` (``dinas``, ``rsud``, ``uptd``,
  ``bumd``…), as the template's ``Jenis`` sheet lists them.
- ``valid_from`` / ``valid_to``: 2024-01-31 or 31/01/2024. An empty ``valid_from`` is today:
  the agency is known to exist now, and an earlier start is written when it is known.
- ``head_name``, ``head_title``.
- ``predecessors``: for a merged agency, the abbreviations of the agencies it replaced, separated
  by commas; each is an agency of the region or of an earlier row.

:func:`import_agencies` is all or nothing: one transaction, every row through
``services.create_opd`` (access, validation and the audit apply, as ``actor``), every problem
collected and located by file, row and column, at most :data:`MAX_PROBLEMS` of them listed.
An agency already in the region (same name or abbreviation, overlapping validity) and a row
repeating an earlier one are problems, never silently merged. Text stays text both ways
(``kotacerdas.lib.spreadsheets``).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kotacerdas.accounts import access
from kotacerdas.lib import spreadsheets
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.regions import services
from kotacerdas.regions.models import OPD, OPDKind, Region

SHEET = "OPD"
KINDS_SHEET = "Jenis"
HELP_SHEET = "Petunjuk"
COLUMNS = [
    "abbreviation",
    "name",
    "kind",
    "valid_from",
    "valid_to",
    "head_name",
    "head_title",
    "predecessors",
]
REQUIRED_COLUMNS = ("name", "kind")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1_000  # a region has a few dozen agencies, a few hundred with every UPTD
MAX_COLUMNS = 30
MAX_PROBLEMS = 200
ABBREVIATION_LENGTH = 40
TEXT_LENGTH = {"name": 200, "abbreviation": ABBREVIATION_LENGTH, "head_name": 200, "head_title": 200}
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
SEPARATORS = re.compile(r"[,;]")
CSV_CONTENT_TYPE = "text/csv"


# Problems ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem of the file: where it is (``row`` None: the file as a whole) and why."""

    file: str
    row: int | None
    column: str = ""
    letter: str = ""
    message: str = ""

    @property
    def where(self) -> str:
        if self.row is None:
            return self.file
        if self.column:
            return _("%(file)s, row %(row)s, column %(letter)s (%(column)s)") % {
                "file": self.file,
                "row": self.row,
                "letter": self.letter,
                "column": self.column,
            }
        return _("%(file)s, row %(row)s") % {"file": self.file, "row": self.row}

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column or None,
            "cell": f"{self.letter}{self.row}" if self.letter and self.row else None,
            "message": self.message,
        }


@dataclass
class ImportResult:
    """What an import did: the agencies created, or (with ``problems``) nothing at all."""

    created: list[OPD] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    def problem_lines(self) -> list[str]:
        lines = [str(p) for p in self.problems]
        if self.more_problems:
            lines.append(_("… and %(count)s more problems.") % {"count": self.more_problems})
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "created": [
                {
                    "abbreviation": o.abbreviation,
                    "name": o.name,
                    "kind": o.kind,
                    "partner": o.is_partner,
                    "valid_from": o.valid_from.isoformat(),
                    "valid_to": o.valid_to.isoformat() if o.valid_to else None,
                }
                for o in self.created
            ],
            "problems": [p.as_dict() for p in self.problems],
            "more_problems": self.more_problems,
        }


# The template -----------------------------------------------------------------------------------


def kind_rows() -> list[tuple[str, str]]:
    """(code, meaning) of every agency kind, in the active language."""
    return [(str(value), str(label)) for value, label in OPDKind.choices]


def template_workbook() -> bytes:
    """The empty template: the ``OPD`` sheet to fill in, the kinds, and how to fill it in."""
    book = spreadsheets.new_workbook(SHEET)
    sheet = spreadsheets.first_sheet(book)
    spreadsheets.append_row(sheet, COLUMNS)
    sheet.freeze_panes = "A2"
    for index, width in enumerate([16, 48, 14, 14, 14, 32, 32, 24], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    kinds = book.create_sheet(KINDS_SHEET)
    spreadsheets.append_row(kinds, ["kind", _("meaning")])
    for row in kind_rows():
        spreadsheets.append_row(kinds, list(row))
    kinds.column_dimensions["B"].width = 56
    # A drop-down of the kinds in the kind column; typing a kind by hand works as well.
    letter = get_column_letter(COLUMNS.index("kind") + 1)
    choices = DataValidation(type="list", formula1=f"={KINDS_SHEET}!$A$2:$A${len(OPDKind.choices) + 1}")
    choices.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.add_data_validation(choices)
    notes = book.create_sheet(HELP_SHEET)
    for line in help_lines():
        spreadsheets.append_row(notes, [line])
    notes.column_dimensions["A"].width = 110
    return spreadsheets.workbook_bytes(book)


def template_csv() -> str:
    return spreadsheets.csv_text([COLUMNS])


def help_lines() -> list[str]:
    return [
        _("One row per agency. Only name and kind are required; leave the other cells empty when not known."),
        _("abbreviation: how plans and reports name the agency, e.g. Diskominfo. Empty: the name itself."),
        _("kind: one of the codes of the sheet Jenis, e.g. dinas, rsud, uptd; bumd for a region-owned company."),
        _("valid_from, valid_to: dates like 2024-01-31 or 31/01/2024. An empty valid_from means today."),
        _("predecessors: for a merged agency, the abbreviations of the agencies it replaced, separated by commas."),
        _("The whole file is imported or, if one row has a problem, nothing is; every problem is listed."),
    ]


# Reading ----------------------------------------------------------------------------------------


@dataclass
class Row:
    file: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.file, self.number, column, self.letters.get(column, ""), message)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(name: str, raw: Iterable[Iterable[Any]], result: ImportResult) -> list[Row]:
    lines = iter(raw)
    header = [str(h).strip().casefold() if h is not None else "" for h in next(lines, ())]
    while header and header[-1] == "":
        header.pop()
    if len(header) == 1 and ";" in header[0]:
        result.add(
            Problem(
                name,
                1,
                message=_(
                    "The columns are separated by semicolons: save the file as “CSV UTF-8 (comma delimited)”, "
                    "or upload the XLSX workbook."
                ),
            )
        )
        return []
    unknown = [h for h in header if h and h not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(u[:40] for u in unknown)})
        parts.append(
            _("The columns are %(columns)s; start from the template (kotacerdas regions opd template).")
            % {"columns": ", ".join(COLUMNS)}
        )
        result.add(Problem(name, 1, message=" ".join(parts)))
        return []
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        result.add(Problem(name, 1, message=_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)}))
        return []
    positions = {c: header.index(c) for c in COLUMNS if c in header}
    letters = {c: get_column_letter(i + 1) for c, i in positions.items()}
    rows: list[Row] = []
    for number, line in enumerate(lines, start=2):
        cells = tuple(line)
        if all(_blank(v) for v in cells):
            continue
        if len(rows) >= MAX_ROWS:
            result.add(
                Problem(name, None, message=_("More than %(n)s agencies: split the file.") % {"n": f"{MAX_ROWS:,}"})
            )
            return []
        values = {c: (cells[positions[c]] if c in positions and positions[c] < len(cells) else None) for c in COLUMNS}
        rows.append(Row(name, number, values, letters))
    if not rows:
        result.add(Problem(name, None, message=_("The file has no agency: fill in a row per agency under the header.")))
    return rows


def read_rows(data: bytes, name: str, result: ImportResult) -> list[Row]:
    """The rows of an XLSX workbook or a CSV file; UnreadableFile when it is neither or too big."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            _("The file “%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // 2**20}
        )
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        hint = _("Upload a .xlsx or .csv file made from the agencies template.")
        book = spreadsheets.open_workbook(io.BytesIO(data), name, hint)
        try:
            sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
            lines = sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS * 2, values_only=True)
            return _table(name, lines, result)
        finally:
            book.close()
    if not data.strip():
        raise UnreadableFile(_("The file “%(name)s” is empty.") % {"name": name})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("The file “%(name)s” is not UTF-8 CSV text: save it as “CSV UTF-8”, or upload the XLSX workbook.")
            % {"name": name}
        ) from None
    try:
        table = spreadsheets.read_csv(text)
    except Exception:  # csv.Error: a malformed quote, a NUL byte
        raise UnreadableFile(_("The file “%(name)s” is not a CSV file.") % {"name": name}) from None
    return _table(name, ([None if v == "" else v for v in r[:MAX_COLUMNS]] for r in table[: MAX_ROWS * 2]), result)


# Cells ------------------------------------------------------------------------------------------


class Bad(Exception):
    """A cell that cannot be read as its column wants; the message says how to write it."""


def _text(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    limit = TEXT_LENGTH.get(column, 500)
    if len(text) > limit:
        raise Bad(_("At most %(n)s characters (this one has %(length)s).") % {"n": limit, "length": len(text)})
    return text


def _date(value: Any) -> datetime.date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    day = DAY_MONTH_YEAR.match(text)
    if day:
        try:
            return datetime.date(int(day.group(3)), int(day.group(2)), int(day.group(1)))
        except ValueError:
            pass
    raise Bad(_("“%(value)s” is not a date: write 2024-01-31 (or 31/01/2024).") % {"value": text[:40]})


def kind_of(text: str) -> str | None:
    """The kind a person wrote: its code (``rsud``) or the first words of its meaning, any case."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for value, label in OPDKind.choices:
        if wanted in {str(value), str(label).casefold(), str(label).split(" (")[0].casefold()}:
            return str(value)
    return None


def kinds_hint() -> str:
    return ", ".join(str(v) for v in OPDKind.values)


# Import -----------------------------------------------------------------------------------------


def _overlap(
    a_from: datetime.date, a_to: datetime.date | None, b_from: datetime.date, b_to: datetime.date | None
) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


@dataclass
class _Known:
    """An agency the rows are checked against: in the region already (``row`` None) or made by a row."""

    name: str
    abbreviation: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    row: int | None
    opd: OPD | None = None


def _row_data(row: Row, today: datetime.date, result: ImportResult) -> dict[str, Any] | None:
    """The row as ``create_opd``'s data, or None after adding the cells that cannot be read."""
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    for column in ("name", "abbreviation", "head_name", "head_title", "kind"):
        try:
            data[column] = _text(row.values[column], column)
        except Bad as bad:
            problems.append(row.problem(column, str(bad)))
            data[column] = None
    if data["name"] == "":
        problems.append(row.problem("name", _("Write the agency's name, e.g. Dinas Komunikasi dan Informatika.")))
    if data["abbreviation"] == "" and data["name"]:
        if len(data["name"]) > ABBREVIATION_LENGTH:
            message = _("Write an abbreviation (at most %(n)s characters): the name is too long to stand for it.")
            problems.append(row.problem("abbreviation", message % {"n": ABBREVIATION_LENGTH}))
        else:
            data["abbreviation"] = data["name"]
    if data["kind"] is not None:
        kind = kind_of(data["kind"])
        if kind is None:
            message = (
                _("“%(value)s” is not a kind of agency: use one of %(kinds)s.")
                % {"value": data["kind"][:40], "kinds": kinds_hint()}
                if data["kind"]
                else _("Write the kind of agency: one of %(kinds)s.") % {"kinds": kinds_hint()}
            )
            problems.append(row.problem("kind", message))
        data["kind"] = kind
    for column in ("valid_from", "valid_to"):
        try:
            data[column] = _date(row.values[column])
        except Bad as bad:
            problems.append(row.problem(column, str(bad)))
    if "valid_from" in data and data["valid_from"] is None:
        data["valid_from"] = today
    start, end = data.get("valid_from"), data.get("valid_to")
    if start and end and end < start:
        problems.append(row.problem("valid_to", _("The end date is before the start date.")))
    for problem in problems:
        result.add(problem)
    return None if problems else data


def _duplicate(row: Row, data: dict[str, Any], known: list[_Known], result: ImportResult) -> bool:
    """Add a problem when the row repeats an agency of the region or an earlier row."""
    for other in known:
        same_abbreviation = other.abbreviation.casefold() == data["abbreviation"].casefold()
        same_name = other.name.casefold() == data["name"].casefold()
        if not (same_abbreviation or same_name):
            continue
        if not _overlap(data["valid_from"], data["valid_to"], other.valid_from, other.valid_to):
            continue  # the same agency in another period (it was dissolved and formed again)
        column = "abbreviation" if same_abbreviation else "name"
        if other.row is not None and same_abbreviation:
            message = _(
                "Row %(row)s already has an agency with this abbreviation at the same time: keep one row per agency."
            ) % {"row": other.row}
        elif other.row is not None:
            message = _(
                "Row %(row)s already has an agency with this name at the same time: keep one row per agency."
            ) % {"row": other.row}
        else:
            until = other.valid_to.isoformat() if other.valid_to else _("now")
            message = _(
                "The region already has %(abbreviation)s (%(name)s), valid from %(start)s to %(end)s: an agency is "
                "added once; to change it, edit it on the agencies page."
            ) % {"abbreviation": other.abbreviation, "name": other.name, "start": other.valid_from, "end": until}
        result.add(row.problem(column, message))
        return True
    return False


def _predecessors(
    row: Row, by_abbreviation: dict[str, list[_Known]], failed: set[str], result: ImportResult
) -> list[OPD] | None:
    try:
        text = _text(row.values["predecessors"], "predecessors")
    except Bad as bad:
        result.add(row.problem("predecessors", str(bad)))
        return None
    found: list[OPD] = []
    for part in SEPARATORS.split(text):
        wanted = part.strip()
        if not wanted:
            continue
        if wanted.casefold() in failed:
            return None  # its own row has a problem, reported there
        candidates = [k for k in by_abbreviation.get(wanted.casefold(), []) if k.opd is not None]
        if not candidates:
            result.add(
                row.problem(
                    "predecessors",
                    _("No agency %(abbreviation)s in the region or in an earlier row of the file.")
                    % {"abbreviation": wanted[:40]},
                )
            )
            return None
        # The most recent agency of that abbreviation is the one a merger replaces.
        latest = max(candidates, key=lambda k: k.valid_from)
        assert latest.opd is not None
        found.append(latest.opd)
    return found


def _service_problems(row: Row, error: ValidationError, result: ImportResult) -> None:
    if hasattr(error, "error_dict"):
        for column, messages in error.message_dict.items():
            known = column if column in row.letters else ("name" if column == "__all__" else column)
            for message in messages:
                result.add(row.problem(known if known in COLUMNS else "name", message))
    else:
        for message in error.messages:
            result.add(row.problem("name", message))


class _RollBack(Exception):
    pass


def import_agencies(
    *, actor: Any, region: Region, data: bytes, name: str, today: datetime.date | None = None
) -> ImportResult:
    """Add the agencies of a workbook or CSV file to ``region``, all or nothing.

    ``actor`` None is the console operator; anyone else must be allowed to add agencies
    (``access.may_edit_agencies``, PermissionDenied otherwise). Raises UnreadableFile when the
    file is not a spreadsheet at all; every other problem is in the result, and then nothing was
    written.
    """
    access.check(actor, access.may_edit_agencies, region)
    result = ImportResult()
    rows = read_rows(data, name, result)
    if not result.ok:
        return result
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            existing = list(OPD.objects.filter(region=region).order_by("valid_from", "pk"))
            known = [_Known(o.name, o.abbreviation, o.valid_from, o.valid_to, None, o) for o in existing]
            by_abbreviation: dict[str, list[_Known]] = {}
            for k in known:
                by_abbreviation.setdefault(k.abbreviation.casefold(), []).append(k)
            failed: set[str] = set()
            for row in rows:
                values = _row_data(row, today, result)
                if values is None or _duplicate(row, values, known, result):
                    abbreviation = row.values.get("abbreviation") or row.values.get("name")
                    if not _blank(abbreviation):
                        failed.add(str(abbreviation).strip().casefold())
                    continue
                entry = _Known(
                    values["name"], values["abbreviation"], values["valid_from"], values["valid_to"], row.number
                )
                known.append(entry)
                predecessors = _predecessors(row, by_abbreviation, failed, result)
                if predecessors is None:
                    failed.add(values["abbreviation"].casefold())
                    continue
                try:
                    entry.opd = services.create_opd(actor=actor, region=region, data=values, predecessors=predecessors)
                except ValidationError as error:
                    failed.add(values["abbreviation"].casefold())
                    _service_problems(row, error, result)
                    continue
                by_abbreviation.setdefault(values["abbreviation"].casefold(), []).append(entry)
                result.created.append(entry.opd)
            if not result.ok:
                raise _RollBack
    except _RollBack:
        result.created = []
    return result
