"""The project's spreadsheet module: any text written to XLSX or CSV is read back as that text,
and no text ever becomes a formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kotacerdas.lib import spreadsheets as sheets

# Arbitrary text, with the formula triggers and the apostrophe made likely at the start.
leading = st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "\r\n", " ", "#N/A", "=1+1 "])
texts = st.builds(lambda head, tail: head + tail, leading, st.text(max_size=60))
xml_texts = texts.map(sheets.holdable)


def xlsx_of(rows: list[list[object]]) -> bytes:
    book = sheets.new_workbook("data")
    for row in rows:
        sheets.append_row(sheets.first_sheet(book), row)
    return sheets.workbook_bytes(book)


def read_back(data: bytes) -> list[tuple[object, ...]]:
    book = sheets.open_workbook(data, "test.xlsx")
    return list(sheets.sheet_rows(book["data"]))


def formulas_in(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<(\w+:)?f[ >/]", archive.read(name))
        ]


@settings(max_examples=300, deadline=None)
@given(row=st.lists(xml_texts, min_size=1, max_size=4))
def test_any_text_written_to_xlsx_reads_back_the_same_and_is_never_a_formula(row):
    data = xlsx_of([row])
    assert formulas_in(data) == []
    (got,) = read_back(data) or [()]
    # An empty text is an empty cell; everything else comes back character for character.
    assert [value if value is not None else "" for value in got] + [""] * (len(row) - len(got)) == row
    assert all(cell.data_type != "f" for cell in load_workbook(io.BytesIO(data))["data"][1])


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_characters_xml_cannot_hold_are_dropped_and_the_rest_kept(text):
    data = xlsx_of([[text]])
    rows = read_back(data)
    assert ((rows[0][0] if rows and rows[0] else None) or "") == sheets.holdable(text)


def test_a_formula_looking_name_is_a_text_cell_without_formula():
    data = xlsx_of([["=1+1 Program", "=SUM(A1:A3)", "#N/A", "@cmd", 5, -3.5]])
    assert formulas_in(data) == []
    cells = load_workbook(io.BytesIO(data))["data"]
    assert [c.data_type for c in cells[1]] == ["s", "s", "s", "s", "n", "n"]
    assert read_back(data) == [("=1+1 Program", "=SUM(A1:A3)", "#N/A", "@cmd", 5, -3.5)]


def test_a_control_character_does_not_break_the_export():
    assert read_back(xlsx_of([["Program\x01 A\x1f"]])) == [("Program A",)]


@settings(max_examples=500, deadline=None)
@given(rows=st.lists(st.lists(texts, min_size=1, max_size=4), min_size=1, max_size=3))
def test_any_text_written_to_csv_reads_back_the_same(rows):
    assert sheets.read_csv(sheets.csv_text(rows)) == rows


@settings(max_examples=500, deadline=None)
@given(text=texts)
def test_no_csv_field_starts_a_formula(text):
    (field,) = next(csv.reader(io.StringIO(sheets.csv_text([[text]]), newline="")))
    assert not field.startswith(sheets.FORMULA_TRIGGERS)
    assert sheets.csv_unescape(sheets.csv_escape(text)) == text


def test_csv_escaping_is_the_documented_apostrophe():
    assert sheets.csv_escape("=1+1 Program") == "'=1+1 Program"
    assert sheets.csv_escape("-5%") == "'-5%"
    assert sheets.csv_escape("'=x") == "''=x"
    assert sheets.csv_escape("''") == "'''"
    assert sheets.csv_escape("'hello") == "'hello"
    assert sheets.csv_escape("'") == "'"
    assert sheets.csv_text([["a", -5, None, "\t=x"]]) == "a,-5,,'\t=x\r\n"
    assert sheets.read_csv("'hello,''=x,'=1\r\n") == [["'hello", "'=x", "=1"]]
