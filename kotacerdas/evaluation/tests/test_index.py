"""The annual evaluation index: exact weighted sums, the printed value and its predicate agree,
every bad input is named, and a year without a scheme is an error, never another year's weights."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.evaluation.domain import DIMENSIONS, Scheme, evaluate, read_score, two_decimals
from kotacerdas.evaluation.files import parse, write_workbook
from kotacerdas.frameworks.bands import Band, classify

BANDS = (
    Band("KURANG", "Kurang", None),
    Band("CUKUP", "Cukup", Decimal("2.00")),
    Band("BAIK", "Baik", Decimal("2.60")),
    Band("SANGAT-BAIK", "Sangat baik", Decimal("3.50")),
    Band("ISTIMEWA", "Istimewa", Decimal("4.20")),
)
W2022 = {
    "baseline": Decimal(10),
    "output": Decimal(20),
    "outcome": Decimal(30),
    "impact": Decimal(20),
    "quick_win": Decimal(20),
}
SCHEME = Scheme(2022, "evaluasi-tahunan", 1, W2022, BANDS)

SCORES = st.integers(100, 500).map(lambda n: Decimal(n) / 100)  # the whole scale, two decimals
CARDS = st.fixed_dictionaries(dict.fromkeys(DIMENSIONS, SCORES))


@settings(max_examples=300)
@given(CARDS, st.one_of(st.none(), SCORES))
def test_the_index_is_the_exact_weighted_sum_and_its_predicate_reads_the_printed_value(scores, previous):
    result = evaluate(scores, SCHEME, previous)
    assert result.index == sum(W2022[n] * scores[n] for n in DIMENSIONS) / 100
    assert Decimal(1) <= result.index <= Decimal(5)
    assert result.index_2dp == two_decimals(result.index)
    assert result.predicate == classify(result.index_2dp, BANDS)
    assert result.improvement == (None if previous is None else result.index - previous)


@settings(max_examples=200)
@given(CARDS, st.sampled_from(list(DIMENSIONS)), st.integers(1, 400))
def test_a_higher_score_never_lowers_the_index(scores, name, step):
    raised = {**scores, name: min(Decimal(5), scores[name] + Decimal(step) / 100)}
    assert evaluate(raised, SCHEME).index >= evaluate(scores, SCHEME).index


def test_the_published_example_2_88_is_baik():
    scores = {
        "baseline": Decimal("3.00"),
        "output": Decimal("3.00"),
        "outcome": Decimal("2.60"),
        "impact": Decimal("3.00"),
        "quick_win": Decimal("3.00"),
    }
    result = evaluate(scores, SCHEME, Decimal("2.50"))
    assert result.index == Decimal("2.88") and result.predicate.code == "BAIK"
    assert result.improvement == Decimal("0.38")


def test_the_predicate_follows_the_printed_value_at_a_band_edge():
    # 2.595 prints as 2.60, which the letter calls "Baik": the word agrees with the printed number.
    scores = dict.fromkeys(DIMENSIONS, Decimal("2.60"))
    scores["baseline"] = Decimal("2.55")
    result = evaluate(scores, SCHEME)
    assert result.index == Decimal("2.595") and result.index_2dp == Decimal("2.60")
    assert result.predicate.code == "BAIK"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("abc", "not_number"),
        (True, "not_number"),
        (None, "not_number"),
        ("", "not_number"),
        ("NaN", "not_number"),
        (float("inf"), "not_number"),
        ("1e999", "score_range"),
        (0.99, "score_range"),
        (5.01, "score_range"),
        (-3, "score_range"),
        (0, "score_range"),
        ("3.255", "score_digits"),
        (3.141, "score_digits"),
        ("9" * 50, "not_number"),
        ({"a": 1}, "not_number"),
    ],
)
def test_a_bad_score_is_named(value, code):
    score, problem = read_score(value)
    assert score is None and problem.code == code


@pytest.mark.parametrize("value", [1, 5, "3,25", "3.25", 2.5, Decimal("4.00")])
def test_scores_on_the_scale_are_read(value):
    score, problem = read_score(value)
    assert problem is None and Decimal(1) <= score <= Decimal(5)


def test_every_problem_of_a_file_is_reported_at_once_with_region_and_field():
    data = {
        "scheme": 2022,
        "regions": [
            {"code": "13.72", "name": "Kota Solok", "dimensions": {**dict.fromkeys(DIMENSIONS, 3), "outcome": 7}},
            {"code": "13.72", "dimensions": {"baseline": 3}},
            {"name": "tanpa kode", "dimensions": dict.fromkeys(DIMENSIONS, 3), "previous_index": "x"},
            {"code": "13.73", "dimensions": {**dict.fromkeys(DIMENSIONS, 3), "inovasi": 4}},
        ],
    }
    where = {p.where: p.problem.code for p in parse(data).problems}
    assert where["regions[1] (13.72).dimensions.outcome"] == "score_range"
    assert where["regions[2] (13.72).code"] == "duplicate"
    assert where["regions[2] (13.72).dimensions.impact"] == "missing"
    assert where["regions[3].code"] == "no_code"
    assert where["regions[3].previous_index"] == "not_number"
    assert where["regions[4] (13.73).dimensions.inovasi"] == "unknown_dimension"


@pytest.mark.parametrize("data", [[], "x", {"regions": []}, {"scheme": "dua ribu", "regions": [{}]}, {"scheme": 2022}])
def test_a_file_of_the_wrong_shape_is_refused_with_a_reason(data):
    assert parse(data).problems


# The command line ---------------------------------------------------------------------------------


def _file(tmp_path, data, name="eval.json"):
    path = tmp_path / name
    if name.endswith(".xlsx"):
        path.write_bytes(write_workbook(data))
    else:
        path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


SOLOK = {
    "scheme": 2022,
    "regions": [
        {
            "code": "13.72",
            "name": "Kota Solok",
            "previous_index": 2.5,
            "dimensions": {"baseline": 3, "output": 3, "outcome": 2.6, "impact": 3, "quick_win": 3},
        },
        {
            "code": "13.73",
            "name": "Kota Sawahlunto",
            "dimensions": {"baseline": 4, "output": 4.5, "outcome": 4.25, "impact": 4, "quick_win": 4.75},
        },
    ],
}


def _run(*args):
    out = io.StringIO()
    call_command("evaluation", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["eval.json", "eval.xlsx"])
def test_the_command_gives_index_improvement_predicate_and_weights(tmp_path, frameworks, english, name):
    payload = json.loads(_run("index", _file(tmp_path, SOLOK, name), "--json"))
    solok, sawahlunto = payload["regions"]
    assert solok["index"] == 2.88 and solok["index_2dp"] == 2.88
    assert solok["improvement"] == pytest.approx(0.38) and solok["predicate"]["code"] == "BAIK"
    assert solok["weights"] == {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20}
    assert sawahlunto["index"] == 4.325 and sawahlunto["index_2dp"] == 4.33 and sawahlunto["improvement"] is None
    assert sawahlunto["predicate"]["code"] == "ISTIMEWA"
    assert payload["scheme"]["year"] == 2022


@pytest.mark.django_db
def test_the_text_output_lists_each_region(tmp_path, frameworks, english):
    text = _run("index", _file(tmp_path, SOLOK))
    assert "13.72" in text and "2.88" in text and "+0.38" in text and "Baik" in text


@pytest.mark.django_db
def test_a_year_without_its_own_scheme_is_an_error_not_another_years_weights(tmp_path, frameworks, english):
    with pytest.raises(CommandError) as caught:
        _run("index", _file(tmp_path, {**SOLOK, "scheme": 2025}), "--json")
    assert caught.value.returncode == 2
    assert "2025" in str(caught.value) and "2022" in str(caught.value)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["eval.json", "eval.xlsx"])
def test_a_bad_file_names_region_and_field_and_exits_with_2(tmp_path, frameworks, english, name):
    bad = json.loads(json.dumps(SOLOK))
    bad["regions"][1]["dimensions"]["outcome"] = 9
    with pytest.raises(CommandError) as caught:
        _run("index", _file(tmp_path, bad, name), "--json")
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "13.73" in message and "outcome" in message and "1–5" in message
    if name.endswith(".xlsx"):
        assert "regions row 3" in message


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"{", b"\xff\xfe", b"[" * 100_000, b"PK\x03\x04 not really"])
def test_unreadable_files_are_refused_with_2(tmp_path, frameworks, english, content):
    path = tmp_path / ("x.xlsx" if content.startswith(b"PK") else "x.json")
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        _run("index", str(path))
    assert caught.value.returncode == 2


@pytest.mark.django_db
def test_a_missing_file_is_refused_with_2(tmp_path, frameworks, english):
    with pytest.raises(CommandError) as caught:
        _run("index", str(tmp_path / "none.json"))
    assert caught.value.returncode == 2 and "none.json" in str(caught.value)


@pytest.mark.django_db
def test_the_template_reads_back_as_the_same_file(tmp_path, frameworks, english):
    target = tmp_path / "t.xlsx"
    call_command("evaluation", "template", "2022", "--output", str(target), stderr=io.StringIO())
    with pytest.raises(CommandError) as caught:  # the template's scores are empty: each one is named
        _run("index", str(target))
    assert "regions row 2 (13.72) column outcome" in str(caught.value)


@pytest.mark.django_db
def test_a_workbook_row_without_a_code_is_named_by_its_row(tmp_path, frameworks, english):
    data = json.loads(json.dumps(SOLOK))
    del data["regions"][1]["code"]
    with pytest.raises(CommandError) as caught:
        _run("index", _file(tmp_path, data, "eval.xlsx"))
    assert "regions row 3 column code" in str(caught.value)
