"""Spreadsheets in and out of KotaCerdas: text written is text read back, never a formula.

Every XLSX and CSV file the project writes or reads goes through this module (convention 19), so
a programme called ``=1+1 Program`` leaves as that text and comes back as that text.

XLSX
    openpyxl turns any string that starts with ``=`` into a formula (and ``#N/A`` and the other
    error codes into error cells). :func:`append_row` stores every ``str`` as a string cell
    (``t="inlineStr"``, no ``<f>`` element), whatever it starts with; numbers, dates and
    booleans keep their own cell types. Nothing is added to the text, so the reader
    gives back exactly what was written: :func:`open_workbook` opens a workbook for reading.

    XML 1.0 cannot hold the C0 control characters other than tab, line feed and carriage return,
    nor U+FFFE, U+FFFF or lone surrogates. Such characters never mean anything in a cell (they
    come from pasted text), so the writer **drops** them rather than refusing the whole export:
    ``read(write(text)) == holdable(text)``, and ``== text`` for any text without them. Text
    longer than Excel's limit of 32,767 characters per cell is cut there by openpyxl.

CSV
    A spreadsheet program opening a CSV file evaluates a field that starts with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return. Following OWASP's advice ("CSV Injection"), the
    writer prefixes such a text field with one apostrophe (``'``), which the program shows as
    text. So that the round trip is exact, the apostrophe is itself escaped:

    - writing: a text gets one ``'`` in front when it starts with a trigger character
      (``= + - @``, tab, CR), or when it starts with ``'`` followed by a trigger character or
      another ``'``;
    - reading: a field that starts with ``'`` followed by a trigger character or another ``'``
      loses that first ``'``; any other field is returned unchanged.

    ``"'hello"`` and ``"'"`` are written unchanged; ``"=1+1"`` becomes ``"'=1+1"`` and
    ``"'=1+1"`` becomes ``"''=1+1"``. Numbers are written as numbers (``-5`` stays ``-5``): only
    text is escaped. Fields are quoted by the csv module when they need it.

Bounded reading (issue 14)
    An XLSX file is a zip of XML parts, and openpyxl trusts both. Before openpyxl reads a byte,
    :func:`check_package` unpacks every part once, in chunks, and refuses a file larger than
    ``IMPORT_MAX_BYTES``, parts that unpack to more than ``IMPORT_MAX_UNPACKED_BYTES`` in all or to
    more than :data:`MAX_RATIO` times their packed size (zip bombs, whatever sizes the zip
    declares), any DOCTYPE or ENTITY declaration (entity expansion, "billion laughs": openpyxl
    only defends against it when defusedxml is installed, and no workbook needs one), and more
    than ``IMPORT_MAX_SHEETS`` sheets, ``IMPORT_MAX_ROWS`` rows or ``IMPORT_MAX_COLUMNS`` columns
    in a sheet, or ``IMPORT_MAX_CELLS`` cells, counted from the sheets' XML itself and from the
    size they declare (openpyxl pads every row to the declared size). CSV text is bounded by
    :func:`read_csv` in the same way.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.lib.uploads import UnreadableFile, check_size

# What XML 1.0 cannot carry (openpyxl refuses the controls with IllegalCharacterError; the others
# would make a file Excel reports as damaged).
UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The leading characters a spreadsheet program reads as the start of a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text XML shrinks about ten to fifty times in a zip; a part that grows two hundred times is built to.
MAX_RATIO = 200
CHUNK = 1 << 20
DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d{1,9})\"")
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Za-z]{1,3})\d")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?ref=\"[A-Za-z]{0,3}\d*:?([A-Za-z]{1,3})(\d{1,9})\"")


def holdable(text: str) -> str:
    """``text`` without the characters an XLSX cell cannot hold (see the module docstring)."""
    return UNHOLDABLE.sub("", text)


# XLSX ------------------------------------------------------------------------------------------


def new_workbook(first_sheet: str | None = None) -> Workbook:
    """An empty workbook; its first sheet is titled ``first_sheet``, or removed when None."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if first_sheet is None:
        book.remove(sheet)
    else:
        sheet.title = first_sheet
    return book


def first_sheet(book: Workbook) -> Worksheet:
    sheet = book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def _cell(sheet: Worksheet, value: Any) -> Cell:
    if isinstance(value, str):
        cell = Cell(sheet, value=holdable(value))
        # openpyxl has just guessed "f" (formula) or "e" (error) from the text; it is text.
        cell.data_type = "s"
        return cell
    return Cell(sheet, value=value)


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` with every string kept as text (never a formula or error)."""
    sheet.append([_cell(sheet, value) for value in values])


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_hint() -> str:
    return _("Upload a .xlsx file exported from KotaCerdas.")


def _refuse(name: str, why: str) -> UnreadableFile:
    return UnreadableFile(_("The workbook “%(name)s” cannot be imported: %(why)s") % {"name": name, "why": why})


class _Sheet:
    """What the XML of one worksheet holds, counted while it streams past."""

    def __init__(self) -> None:
        self.rows = 0
        self.last_row = 0
        self.cells = 0
        self.last_column = 0

    def count(self, text: bytes) -> None:
        self.rows += len(ROW_TAG.findall(text))
        self.cells += len(CELL_TAG.findall(text))
        for number in ROW_NUMBER.findall(text):
            self.last_row = max(self.last_row, int(number))
        for letters in set(CELL_COLUMN.findall(text)):
            self.last_column = max(self.last_column, _column(letters))
        declared = DIMENSION.search(text)
        if declared:
            self.last_column = max(self.last_column, _column(declared.group(1)))
            self.last_row = max(self.last_row, int(declared.group(2)))


def _column(letters: bytes) -> int:
    try:
        return column_index_from_string(letters.decode("ascii").upper())
    except ValueError:
        return 1 << 20


def _check_sheet(sheet: _Sheet, name: str) -> None:
    rows = max(sheet.rows, sheet.last_row)
    if rows > settings.IMPORT_MAX_ROWS:
        raise _refuse(
            name,
            _("a sheet has %(count)s rows, at most %(limit)s are read.")
            % {"count": rows, "limit": settings.IMPORT_MAX_ROWS},
        )
    if sheet.last_column > settings.IMPORT_MAX_COLUMNS:
        raise _refuse(
            name,
            _("a sheet has %(count)s columns, at most %(limit)s are read.")
            % {"count": sheet.last_column, "limit": settings.IMPORT_MAX_COLUMNS},
        )
    if sheet.cells > settings.IMPORT_MAX_CELLS:
        raise _refuse(name, _("it has more than %(limit)s cells.") % {"limit": settings.IMPORT_MAX_CELLS})


def check_package(data: bytes, name: str) -> None:
    """UnreadableFile when ``data`` is a zip whose reading would be unbounded (module docstring).

    A file that is not a zip at all passes: openpyxl refuses it with its own error.
    """
    check_size(len(data), name)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
    if len(sheets) > settings.IMPORT_MAX_SHEETS:
        raise _refuse(
            name,
            _("it has %(count)s sheets, at most %(limit)s are read.")
            % {"count": len(sheets), "limit": settings.IMPORT_MAX_SHEETS},
        )
    unpacked = 0
    cells = 0
    for member in members:
        if member.is_dir():
            continue
        sheet = _Sheet()  # any XML part may be a sheet: the workbook's relations name them
        is_xml = member.filename.endswith((".xml", ".rels", ".vml"))
        size = 0
        tail = b""
        try:
            with package.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    unpacked += len(chunk)
                    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
                        raise _refuse(
                            name,
                            _("its parts unpack to more than %(limit)s MB.")
                            % {"limit": settings.IMPORT_MAX_UNPACKED_BYTES // (1024 * 1024)},
                        )
                    if size > MAX_RATIO * max(member.compress_size, CHUNK // MAX_RATIO):
                        raise _refuse(
                            name,
                            _("its part “%(part)s” unpacks to more than %(ratio)s times its size.")
                            % {"part": member.filename, "ratio": MAX_RATIO},
                        )
                    if not is_xml:
                        continue
                    # Keep the end of the previous chunk, so a tag cut in two is still found.
                    text = tail + chunk
                    if DECLARATION.search(text):
                        raise _refuse(
                            name,
                            _("its part “%(part)s” declares a DOCTYPE or ENTITY, which workbooks do not use.")
                            % {"part": member.filename},
                        )
                    cut = text.rfind(b"<")
                    if cut <= 0 or len(text) - cut > 4096:  # no tag is that long: keep only an edge
                        cut = max(len(text) - 64, 0)
                    sheet.count(text[:cut])
                    tail = text[cut:]
                    _check_sheet(sheet, name)  # as soon as a limit is passed, not after the whole part
                if tail:
                    sheet.count(tail)
        except UnreadableFile:
            raise
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error):
            raise _refuse(name, _("a part of it is damaged or encrypted.")) from None
        _check_sheet(sheet, name)
        cells += sheet.cells
        if cells > settings.IMPORT_MAX_CELLS:
            raise _refuse(name, _("it has more than %(limit)s cells.") % {"limit": settings.IMPORT_MAX_CELLS})


class ReadSheet:
    """The values of one sheet of a workbook read for import, read once and kept."""

    def __init__(self, title: str, rows: list[tuple[Any, ...]]) -> None:
        self.title = title
        self._rows = rows

    @property
    def max_row(self) -> int:
        return len(self._rows)

    def iter_rows(
        self,
        min_row: int = 1,
        max_row: int | None = None,
        min_col: int = 1,
        max_col: int | None = None,
        values_only: bool = True,
    ) -> Iterator[tuple[Any, ...]]:
        """Rows as tuples of values (read books hold values only), like openpyxl's ``iter_rows``."""
        last = len(self._rows) if max_row is None else min(max_row, len(self._rows))
        for number in range(max(min_row, 1), last + 1):
            yield self._rows[number - 1][min_col - 1 : max_col]


class ReadBook:
    """A workbook read for import: its sheets' values, every sheet parsed once when opened.

    openpyxl's read-only mode parses a sheet lazily, so a damaged sheet (bad XML, a number cell
    holding text, a shared string that does not exist) would raise its own errors in the middle of
    an importer. Reading every sheet while opening turns them into one refusal, before any row is
    used, and the caps of :func:`check_package` bound what is kept.
    """

    def __init__(self, sheets: dict[str, ReadSheet]) -> None:
        self._sheets = sheets

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    @property
    def worksheets(self) -> list[ReadSheet]:
        return list(self._sheets.values())

    def __getitem__(self, name: str) -> ReadSheet:
        return self._sheets[name]

    def __contains__(self, name: object) -> bool:
        return name in self._sheets

    def close(self) -> None:
        """Nothing to close (the file was read when opened); kept for openpyxl's interface."""


def load_book(source: bytes | IO[bytes], name: str = "workbook.xlsx") -> ReadBook:
    """The workbook in ``source`` for reading (cell values); UnreadableFile past a limit, openpyxl's error if none.

    Text cells come back exactly as :func:`append_row` wrote them; a formula typed in a
    spreadsheet program reads as the value it last computed. Imports call :func:`open_workbook`,
    which turns a failure into a sentence; this is for callers with their own message type.
    """
    data = source if isinstance(source, bytes) else source.read(settings.IMPORT_MAX_BYTES + 1)
    check_package(data, name)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if len(book.sheetnames) > settings.IMPORT_MAX_SHEETS:
            raise _refuse(
                name,
                _("it has %(count)s sheets, at most %(limit)s are read.")
                % {"count": len(book.sheetnames), "limit": settings.IMPORT_MAX_SHEETS},
            )
        sheets: dict[str, ReadSheet] = {}
        for title in book.sheetnames:
            sheet = book[title]
            rows = list(sheet.iter_rows(values_only=True)) if hasattr(sheet, "iter_rows") else []
            sheets[title] = ReadSheet(title, rows)
        return ReadBook(sheets)
    finally:
        book.close()


def open_workbook(source: bytes | IO[bytes], name: str, hint: str | None = None) -> ReadBook:
    """The workbook in ``source`` (see :func:`load_book`); UnreadableFile when it is not one."""
    try:
        return load_book(source, name)
    except UnreadableFile:
        raise
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException, ParseError...)
        message = _("The file “%(name)s” is not an XLSX workbook.") % {"name": name}
        raise UnreadableFile(f"{message} {hint or _xlsx_hint()}") from None


def sheet_rows(sheet: Any, min_row: int = 1) -> Iterator[tuple[Any, ...]]:
    """The values of a sheet's rows from ``min_row`` on (text as written, empty cells None)."""
    yield from sheet.iter_rows(min_row=min_row, values_only=True)


# CSV -------------------------------------------------------------------------------------------


def csv_escape(text: str) -> str:
    """Text as a CSV field no spreadsheet program evaluates; :func:`csv_unescape` undoes it."""
    if text.startswith(FORMULA_TRIGGERS) or (
        text.startswith(CSV_ESCAPE) and text[1:2] != "" and text[1] in (*FORMULA_TRIGGERS, CSV_ESCAPE)
    ):
        return CSV_ESCAPE + text
    return text


def csv_unescape(field: str) -> str:
    """The text :func:`csv_escape` was given."""
    if field.startswith(CSV_ESCAPE) and field[1:2] != "" and field[1] in (*FORMULA_TRIGGERS, CSV_ESCAPE):
        return field[1:]
    return field


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text (``\\r\\n`` line ends); text fields escaped, None as an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_escape(value) if isinstance(value, str) else value for value in row])
    return buffer.getvalue()


def read_csv(text: str, name: str = "") -> list[list[str]]:
    """The fields of CSV text written by :func:`csv_text`, each text as it was before writing.

    UnreadableFile past ``IMPORT_MAX_ROWS`` rows or ``IMPORT_MAX_COLUMNS`` fields in a row (read
    no further than the limit).
    """
    rows: list[list[str]] = []
    for row in csv.reader(io.StringIO(text, newline="")):
        if len(rows) >= settings.IMPORT_MAX_ROWS:
            raise _refuse_csv(name, _("it has more than %(limit)s rows.") % {"limit": settings.IMPORT_MAX_ROWS})
        if len(row) > settings.IMPORT_MAX_COLUMNS:
            raise _refuse_csv(
                name,
                _("a row has %(count)s fields, at most %(limit)s are read.")
                % {"count": len(row), "limit": settings.IMPORT_MAX_COLUMNS},
            )
        rows.append([csv_unescape(field) for field in row])
    return rows


def _refuse_csv(name: str, why: str) -> UnreadableFile:
    return UnreadableFile(_("The CSV file “%(name)s” cannot be imported: %(why)s") % {"name": name, "why": why})
