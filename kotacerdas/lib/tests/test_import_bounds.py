"""The shared readers bound the work of any file, and field_problem holds a value to its column."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.limits import field_problem
from kotacerdas.lib.spreadsheets import append_row, first_sheet, new_workbook, open_workbook, read_csv, workbook_bytes
from kotacerdas.lib.uploads import UnreadableFile, capped, parse_json, parse_toml
from kotacerdas.plans.models import MAX_BUDGET_AMOUNT, Programme, ProgrammeBudget
from tests.support.fuzz import FUZZ, damaged, deep_json, deep_toml, with_bomb, with_entities


@pytest.fixture(autouse=True)
def _english(english):
    """The sentences are asserted in English until the catalogue is merged."""


def workbook(rows: int = 3, columns: int = 3) -> bytes:
    book = new_workbook("data")
    for n in range(rows):
        append_row(first_sheet(book), [f"r{n}c{k}" for k in range(columns)])
    return workbook_bytes(book)


def refusal(call) -> str:
    with pytest.raises(UnreadableFile) as error:
        call()
    return error.value.message


def test_json_deeper_than_32_levels_non_finite_and_huge_numbers_are_refused():
    assert "more than 32 levels deep" in refusal(lambda: parse_json(deep_json(100_000), "a.json"))
    assert "more than 32 levels deep" in refusal(lambda: parse_json(deep_json(40), "a.json"))
    assert isinstance(parse_json(deep_json(30), "a.json"), list)  # 30 levels are read
    for literal in (b"NaN", b"Infinity", b"-Infinity", b"1e400"):
        assert "not a finite number" in refusal(lambda literal=literal: parse_json(b"[" + literal + b"]", "a.json"))
    assert "too long to read" in refusal(lambda: parse_json(b"1" + b"0" * 5000, "a.json"))


def test_toml_deeper_than_32_levels_and_inf_are_refused():
    assert "more than 32 levels deep" in refusal(lambda: parse_toml(deep_toml(5000), "a.toml"))
    assert "not a finite number" in refusal(lambda: parse_toml(b"a = nan", "a.toml"))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 100
    assert "too large to import" in refusal(lambda: parse_json(b" " * 200 + b"{}", "a.json"))


def test_workbooks_over_the_limits_are_refused_before_openpyxl_reads_them(settings):
    assert open_workbook(workbook(), "ok.xlsx")["data"].max_row == 3
    assert "declares a DOCTYPE or ENTITY" in refusal(lambda: open_workbook(with_entities(workbook()), "e.xlsx"))
    assert "unpacks to more than 200 times" in refusal(lambda: open_workbook(with_bomb(workbook()), "b.xlsx"))
    settings.IMPORT_MAX_ROWS = 10
    assert "a sheet has 11 rows, at most 10" in refusal(lambda: open_workbook(workbook(rows=11), "r.xlsx"))
    settings.IMPORT_MAX_COLUMNS = 5
    assert "a sheet has 6 columns, at most 5" in refusal(lambda: open_workbook(workbook(columns=6), "c.xlsx"))
    settings.IMPORT_MAX_CELLS = 8
    assert "more than 8 cells" in refusal(lambda: open_workbook(workbook(), "n.xlsx"))


@FUZZ
@given(data=st.data())
def test_a_damaged_workbook_is_refused_in_words_when_opened(data):
    try:
        book = open_workbook(data.draw(damaged(workbook())), "d.xlsx")
    except UnreadableFile:
        return
    for name in book.sheetnames:  # once opened, reading never raises
        list(book[name].iter_rows(values_only=True))


def test_csv_over_the_row_or_column_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert read_csv("a\nb\nc\n", "t.csv") == [["a"], ["b"], ["c"]]
    assert "more than 3 rows" in refusal(lambda: read_csv("a\nb\nc\nd\n", "t.csv"))
    settings.IMPORT_MAX_COLUMNS = 2
    assert "a row has 3 fields, at most 2" in refusal(lambda: read_csv("a,b,c\n", "t.csv"))


def test_capped_keeps_the_limit_and_counts_the_rest(settings):
    settings.IMPORT_MAX_PROBLEMS = 2
    assert capped([1, 2], str) == [1, 2]
    assert capped([1, 2, 3, 4, 5], lambda n: f"+{n}") == [1, 2, "+3"]


@pytest.mark.parametrize(
    ("model", "field", "value", "expected"),
    [
        (ProgrammeBudget, "amount", 10**400, "18 digits"),
        (ProgrammeBudget, "amount", "1e308", "18 digits"),
        (ProgrammeBudget, "amount", float("inf"), "not a finite number"),
        (ProgrammeBudget, "amount", "NaN", "not a finite number"),
        (ProgrammeBudget, "note", "n" * 201, "201 characters; at most 200"),
        (Programme, "name", "a\x00b", "NUL character"),
        (Programme, "order", 2**40, "outside the range"),
    ],
)
def test_field_problem_names_what_the_column_cannot_store(model, field, value, expected):
    assert expected in (field_problem(model, field, value) or "")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=0, min_value=0, max_value=MAX_BUDGET_AMOUNT))
def test_field_problem_accepts_every_budget_the_column_holds(amount):
    assert field_problem(ProgrammeBudget, "amount", Decimal(amount)) is None


def test_a_number_where_text_belongs_is_held_to_the_columns_length():
    """Found on PostgreSQL by the framework fuzz test: a TOML `code = 10**300` stored as its digits."""
    from kotacerdas.frameworks.models import Framework

    assert "at most 40" in field_problem(Framework, "code", 10**300)
    assert field_problem(Framework, "code", 12345) is None
