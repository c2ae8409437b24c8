"""Bounded candidate files (issue 14 §1): ``kotacerdas quickwins select`` refuses any file in words.

Hostile JSON (values of the wrong shape, 10^400, NaN, deep nesting) and hostile workbooks
(cells out of range, entities, zip bombs, damage) end in a CommandError naming the problem,
never another exception or a hang. No database is used (the command needs none).
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.support.fuzz import FUZZ, deep_json, hostile_values, hostile_workbook

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DOC = json.loads((EXAMPLES / "solok-2025.json").read_text(encoding="utf-8"))
WORKBOOK = (EXAMPLES / "solok-2025.xlsx").read_bytes()


def select(path: Path) -> str:
    """The command's refusal, or "" when it selected."""
    try:
        with translation.override("en"):
            call_command("quickwins", "select", str(path), stdout=StringIO())
    except CommandError as error:
        return str(error)
    return ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (deep_json(50_000), "more than 32 levels deep"),
        (json.dumps(DOC).replace('"year": 2025', '"year": NaN', 1).encode(), "not a finite number"),
        (json.dumps(DOC).replace('"year": 2025', '"year": 1' + "0" * 400, 1).encode(), "year"),
        (json.dumps({**DOC, "scale": [1, 5]}).encode(), "scale"),
        (json.dumps({**DOC, "candidates": [DOC["candidates"][0]] * 5001}).encode(), "at most 5000 candidates"),
    ],
)
def test_a_hostile_candidates_file_is_refused_in_words(tmp_path, text, expected):
    path = tmp_path / "kandidat.json"
    path.write_bytes(text)
    assert expected in select(path)


def _leaves(value: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, item in items:
        out.append((value, key))
        _leaves(item, out)
    return out


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_json_candidates_are_refused_never_crash(tmp_path_factory, data):
    doc = json.loads(json.dumps(DOC))
    leaves = _leaves(doc, [])
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        container, key = data.draw(st.sampled_from(leaves))
        container[key] = data.draw(st.one_of(hostile_values(), st.just([]), st.just({}), st.just([1, "x"])))
    path = tmp_path_factory.mktemp("qw") / "kandidat.json"
    path.write_bytes(json.dumps(doc, default=str).encode("utf-8", "surrogatepass"))
    select(path)


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_candidate_workbooks_are_refused_never_crash(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("qw") / "kandidat.xlsx"
    path.write_bytes(data.draw(hostile_workbook(WORKBOOK, columns=12, rows=8)))
    select(path)
