"""The pure computations: band classification and what makes a version publishable (no database)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.frameworks.bands import Band, band_problems, classify
from kotacerdas.frameworks.problem import Problem
from kotacerdas.frameworks.rules import EntryData, problems

EPSILON = Decimal("0.001")  # finer than any generated bound, which has two decimal places
bounds = st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def band_tables(draw: st.DrawFn) -> list[Band]:
    """A usable table: distinct bounds, each inclusive or not, maybe one open lowest band, in any order."""
    lowers = draw(st.lists(bounds, min_size=1, max_size=6, unique=True))
    bands = [Band(f"B{i}", f"band {i}", lower, draw(st.booleans())) for i, lower in enumerate(lowers)]
    if draw(st.booleans()):
        bands.append(Band("OPEN", "open below", None))
    return draw(st.permutations(bands))


def ranked(bands: list[Band]) -> list[Band]:
    """Lowest band first: the open band, then by bound."""
    return sorted(bands, key=lambda b: (b.lower is not None, b.lower or Decimal(0)))


def rank(band: Band | None, bands: list[Band]) -> int:
    return -1 if band is None else ranked(bands).index(band)


@given(band_tables(), bounds, bounds)
def test_a_larger_value_never_gets_a_lower_band(bands, a, b):
    low, high = sorted([a, b])
    assert rank(classify(low, bands), bands) <= rank(classify(high, bands), bands)


@given(band_tables(), bounds)
def test_the_band_found_is_the_highest_one_the_value_reaches(bands, value):
    found = classify(value, bands)
    reached = [b for b in bands if b.lower is None or (value >= b.lower if b.inclusive else value > b.lower)]
    assert rank(found, bands) == max((rank(b, bands) for b in reached), default=-1)


@given(band_tables(), st.decimals(min_value=0, max_value=1000, places=3))
def test_every_value_above_the_lowest_bound_gets_a_band(bands, above):
    lowest = ranked(bands)[0]
    start = lowest.lower if lowest.lower is not None else Decimal(-1_000_000)
    assert classify(start + above + EPSILON, bands) is not None
    if lowest.lower is None or lowest.inclusive:
        assert classify(start, bands) is not None


@given(band_tables())
def test_a_band_starts_at_its_bound_when_inclusive_and_just_after_it_when_not(bands):
    order = ranked(bands)
    for position, band in enumerate(order):
        if band.lower is None:
            continue
        below = order[position - 1] if position > 0 else None
        assert classify(band.lower - EPSILON, bands) == below
        assert classify(band.lower, bands) == (band if band.inclusive else below)
        assert classify(band.lower + EPSILON, bands) == band


@given(band_tables())
def test_generated_tables_are_usable_and_repeated_bounds_are_not(bands):
    assert band_problems(bands) == []
    bounded = [b for b in bands if b.lower is not None]
    twin = Band("TWIN", "twin", bounded[0].lower, not bounded[0].inclusive)
    assert [p.code for p in band_problems([*bands, twin])] == ["same_bound"]


def test_classify_reads_ints_and_floats_as_the_decimals_they_print_as():
    bands = [Band("A", "a", None), Band("B", "b", Decimal("2.60"))]
    assert classify(2.6, bands) == bands[1]
    assert classify(2, bands) == bands[0]


def test_an_empty_table_and_two_open_bands_are_refused():
    assert [p.code for p in band_problems([])] == ["no_bands"]
    open_twice = [Band("A", "a", None), Band("B", "b", None)]
    assert [p.code for p in band_problems(open_twice)] == ["open_bands"]


# Publishing rules --------------------------------------------------------------------------


@st.composite
def weights_summing_to_100(draw: st.DrawFn) -> list[Decimal]:
    """Cut 100.00 into 1–8 non-negative parts with two decimal places."""
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=0, max_size=7)))
    edges = [0, *cuts, 10_000]
    return [Decimal(high - low) / 100 for low, high in pairwise(edges)]


def evaluation(weights: list[Decimal | None]) -> list[EntryData]:
    return [EntryData(f"D{i}", f"dimension {i}", weight=w) for i, w in enumerate(weights)]


@given(weights_summing_to_100())
def test_evaluation_weights_adding_up_to_100_can_be_published(weights):
    assert problems("evaluation", evaluation(weights)) == []


@given(weights_summing_to_100(), st.integers(1, 5_000), st.data())
def test_evaluation_weights_not_adding_up_to_100_are_refused_with_the_total(weights, cents, data):
    index = data.draw(st.integers(0, len(weights) - 1))
    changed = list(weights)
    changed[index] += Decimal(cents) / 100
    found = problems("evaluation", evaluation(changed))
    assert [p.code for p in found] == ["weights_total"]
    assert found[0].params["total"] == sum(changed, Decimal(0))


def test_a_missing_or_negative_weight_is_refused():
    assert [p.code for p in problems("evaluation", evaluation([Decimal(100), None]))] == ["missing_weight"]
    negative = problems("evaluation", evaluation([Decimal(110), Decimal(-10)]))
    assert [p.code for p in negative] == ["negative_weight"]
    assert negative[0].params == {"codes": "D1"}


@given(st.permutations(list(range(1, 8))).flatmap(lambda p: st.integers(1, 7).map(lambda n: p[:n])))
def test_levels_numbered_1_to_n_in_any_order_can_be_published(levels):
    entries = [EntryData(f"L{i}", f"level {i}", level=level) for i, level in enumerate(levels)]
    # Any order of 1..n is fine only when it is all of 1..n.
    contiguous = sorted(levels) == list(range(1, len(levels) + 1))
    assert (problems("levels", entries) == []) == contiguous


@given(st.lists(st.one_of(st.none(), st.integers(0, 9)), min_size=1, max_size=8))
def test_levels_with_gaps_repeats_or_blanks_are_refused(levels):
    entries = [EntryData(f"L{i}", f"level {i}", level=level) for i, level in enumerate(levels)]
    contiguous = sorted(x for x in levels if x is not None) == list(range(1, len(levels) + 1))
    assert ("level_gaps" in [p.code for p in problems("levels", entries)]) == (not contiguous)


def test_a_framework_needs_entries_unique_codes_and_dimensions_with_elements():
    assert [p.code for p in problems("components", [])] == ["no_entries"]
    twice = [EntryData("A", "a"), EntryData("A", "again")]
    assert [p.code for p in problems("components", twice)] == ["duplicate_codes"]
    bare = [EntryData("GOV", "governance", children=[EntryData("GOV-1", "service")]), EntryData("ECO", "economy")]
    found = problems("taxonomy", bare)
    assert [(p.code, dict(p.params)) for p in found] == [("empty_dimension", {"code": "ECO"})]


def test_a_problem_is_an_english_template_filled_in_after_translation():
    problem = problems("evaluation", evaluation([Decimal(50), Decimal("45.5")]))[0]
    assert problem.template == "Weights add up to %(total)s%%, not 100%%."
    assert str(problem) == "Weights add up to 95.5%, not 100%."
    catalogue = {problem.template: "Jumlah bobot %(total)s%%, bukan 100%%."}
    assert problem.render(translate=catalogue.__getitem__, format=lambda v: str(v).replace(".", ",")) == (
        "Jumlah bobot 95,5%, bukan 100%."
    )
    assert str(Problem("x", "No values, 100%% plain.")) == "No values, 100% plain."


def test_the_pure_modules_do_not_import_django():
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1]
    for name in ("bands.py", "rules.py", "problem.py"):
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        ]
        assert not [m for m in imported if m and m.startswith("django")], name
