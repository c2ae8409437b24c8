"""Bounded evaluation files (issue 14 §1): ``kotacerdas evaluation index FILE`` refuses any file in words.

Hostile JSON (NaN, 10^400, deep nesting, wrong shapes) and hostile workbooks (cells out of range,
entities, zip bombs, damage) end in a CommandError with exit code 2, never another exception.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.evaluation.files import write_workbook
from kotacerdas.evaluation.tests.test_index import SOLOK
from tests.support.fuzz import FUZZ, deep_json, hostile_values, hostile_workbook

pytestmark = pytest.mark.django_db


def index(path: Any) -> str:
    """The refusal of ``evaluation index``, or "" when it computed."""
    try:
        call_command("evaluation", "index", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        assert error.returncode == 2
        return str(error)
    return ""


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(SOLOK).replace('"previous_index": 2.5', '"previous_index": NaN').encode(),
        json.dumps(SOLOK).replace('"scheme": 2022', '"scheme": 1' + "0" * 5000).encode(),
        deep_json(100_000),
    ],
)
def test_a_hostile_evaluation_file_is_refused(tmp_path, frameworks, english, text):
    path = tmp_path / "eval.json"
    path.write_bytes(text)
    assert index(path)


def _leaves(value: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, item in items:
        out.append((value, key))
        _leaves(item, out)
    return out


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_evaluation_json_is_refused_never_crash(tmp_path_factory, frameworks, data):
    doc = json.loads(json.dumps(SOLOK))
    leaves = _leaves(doc, [])
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        container, key = data.draw(st.sampled_from(leaves))
        container[key] = data.draw(st.one_of(hostile_values(), st.just([]), st.just({})))
    path = tmp_path_factory.mktemp("ev") / "eval.json"
    path.write_bytes(json.dumps(doc, default=str).encode("utf-8", "surrogatepass"))
    index(path)


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_evaluation_workbooks_are_refused_never_crash(tmp_path_factory, frameworks, data):
    path = tmp_path_factory.mktemp("ev") / "eval.xlsx"
    path.write_bytes(data.draw(hostile_workbook(write_workbook(SOLOK), columns=9, rows=3)))
    index(path)
