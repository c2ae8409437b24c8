"""Hostile files for the import paths' fuzz tests (issue 14 §1): each path refuses, never crashes.

The strategies build what the audit threw at the eight import paths: random bytes, valid files cut
short or with bytes flipped, workbooks whose cells hold values no column can store (10^400,
``1e308``, ``"inf"``, ``NaN``, NUL characters, 10,000-character texts, dates in text cells),
workbooks with an entity declaration or a zip bomb inside, and deeply nested JSON/TOML. A test
draws a few (small ``max_examples``, no deadline) and asserts that the path's own refusal, never
another exception, comes back.
"""

from __future__ import annotations

import datetime
import io
import os
import zipfile
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kotacerdas.lib.spreadsheets import append_row, holdable, workbook_bytes

# The same 25 hostile files on every run (derandomized), so a red suite always names a real,
# reproducible defect; KOTACERDAS_FUZZ_EXPLORE=1 draws new ones each run to look for more.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("KOTACERDAS_FUZZ_EXPLORE"),
)

HOSTILE_VALUES: list[Any] = [
    10**400,
    "1" + "0" * 400,
    1e308,
    -1e308,
    "1e308",
    "1E+999999999",
    "inf",
    "-Infinity",
    "NaN",
    "a\x00b",
    "x" * 10_000,
    "",
    " ",
    -1,
    0.5,
    "12,5",
    "=1+1",
    "2025-13-45",
    datetime.datetime(1900, 1, 1),
    True,
    "☃" * 300,
]


def hostile_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(HOSTILE_VALUES),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=30),
    )


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_toml(depth: int) -> bytes:
    return b"a = " + b"[" * depth + b"]" * depth + b"\n"


def rewritten(data: bytes, change: Any) -> bytes:
    """A copy of the zip ``data`` with each part passed through ``change(name, bytes)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, change(member.filename, source.read(member.filename)))
    return out.getvalue()


def with_entities(data: bytes) -> bytes:
    """The workbook with a “billion laughs” entity declaration in front of every worksheet."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )

    def change(name: str, part: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            return bomb + part.split(b"?>", 1)[-1]
        return part

    return rewritten(data, change)


def with_bomb(data: bytes) -> bytes:
    """The workbook with a part that unpacks to 200 MB (a few hundred kilobytes packed)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as target:
        target.writestr("xl/media/image1.png", b"\0" * (200 * 1024 * 1024))
    return out.getvalue()


def with_cells(data: bytes, changes: list[tuple[int, int, int, Any]]) -> bytes:
    """The workbook with cell (sheet index, row, column) set to a value, each kept as its type."""
    book = load_workbook(io.BytesIO(data))
    for sheet_index, row, column, value in changes:
        sheet = book.worksheets[sheet_index % len(book.worksheets)]
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = holdable(value)  # XML cannot hold NUL and other controls: the text paths test them
            cell.data_type = "s"
        elif isinstance(value, int) and abs(value) > 10**300:
            cell.value = str(value)
            cell.data_type = "s"
        else:
            cell.value = value
    return workbook_bytes(book)


def with_sheet_rows(data: bytes, sheet: str, rows: list[list[Any]]) -> bytes:
    """The workbook with rows appended to ``sheet``."""
    book = load_workbook(io.BytesIO(data))
    target = book[sheet]
    for row in rows:
        append_row(target, row)
    return workbook_bytes(book)


@st.composite
def damaged(draw: Any, valid: bytes) -> bytes:
    """``valid`` cut short, with bytes flipped, or prefixed with junk."""
    # Places are drawn as shares of the length: a workbook written now differs by a byte or two
    # from one written a second ago (its timestamp), and hypothesis wants the same draws.
    how = draw(st.sampled_from(["cut", "flip", "junk", "random"]))
    if how == "cut":
        return valid[: len(valid) * draw(st.integers(min_value=0, max_value=999)) // 1000]
    if how == "flip":
        data = bytearray(valid)
        for _ in range(draw(st.integers(min_value=1, max_value=8))):
            position = len(data) * draw(st.integers(min_value=0, max_value=9999)) // 10000
            data[position] = draw(st.integers(min_value=0, max_value=255))
        return bytes(data)
    if how == "junk":
        return draw(st.binary(max_size=64)) + valid
    return draw(st.binary(max_size=512))


@st.composite
def hostile_workbook(draw: Any, valid: bytes, columns: int = 12, rows: int = 6) -> bytes:
    """``valid`` with hostile cells, an entity declaration, a zip bomb or damage."""
    kind = draw(st.sampled_from(["cells", "cells", "cells", "entities", "bomb", "damaged"]))
    if kind == "entities":
        return with_entities(valid)
    if kind == "bomb":
        return with_bomb(valid)
    if kind == "damaged":
        return draw(damaged(valid))
    changes = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=20),
                st.integers(min_value=1, max_value=rows),
                st.integers(min_value=1, max_value=columns),
                hostile_values(),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return with_cells(valid, changes)
