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
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.lib.uploads import UnreadableFile

# What XML 1.0 cannot carry (openpyxl refuses the controls with IllegalCharacterError; the others
# would make a file Excel reports as damaged).
UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The leading characters a spreadsheet program reads as the start of a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def load_book(source: bytes | IO[bytes]) -> Workbook:
    """The workbook in ``source`` for reading (read-only, cell values); openpyxl's error if none.

    Text cells come back exactly as :func:`append_row` wrote them; a formula typed in a
    spreadsheet program reads as the value it last computed. Imports call :func:`open_workbook`,
    which turns a failure into a sentence; this is for callers with their own message type.
    """
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    return load_workbook(handle, read_only=True, data_only=True)


def open_workbook(source: bytes | IO[bytes], name: str, hint: str | None = None) -> Workbook:
    """The workbook in ``source`` (see :func:`load_book`); UnreadableFile when it is not one."""
    try:
        return load_book(source)
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException...)
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


def read_csv(text: str) -> list[list[str]]:
    """The fields of CSV text written by :func:`csv_text`, each text as it was before writing."""
    return [[csv_unescape(field) for field in row] for row in csv.reader(io.StringIO(text, newline=""))]
