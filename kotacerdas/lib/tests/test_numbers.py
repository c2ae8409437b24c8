"""The one number formatter: what it writes reads back as the number it was given, in Indonesian
and in English, and the examples the pages and books show stay exactly as they are."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib import numbers

SEPARATORS = {"id": (".", ","), "en": (",", ".")}  # (thousands, decimal)

amounts = st.integers(min_value=-(10**16), max_value=10**16)
decimals = st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False)
languages = st.sampled_from(sorted(SEPARATORS))


def read_back(text: str, language: str) -> Decimal:
    """The number a reader of ``language`` sees in ``text`` (checking the grouping on the way)."""
    thousands, point = SEPARATORS[language]
    whole, _, fraction = text.partition(point)
    digits = whole.lstrip("-")
    groups = digits.split(thousands)
    assert all(len(group) == 3 for group in groups[1:]), text
    assert 1 <= len(groups[0]) <= 3, text
    assert thousands not in fraction, text
    return Decimal(whole.replace(thousands, "") + ("." + fraction if fraction else ""))


@given(amounts, languages)
def test_whole_rupiah_reads_back_as_the_amount(amount: int, language: str) -> None:
    with translation.override(language):
        text = numbers.rupiah(amount)
    assert text.startswith("Rp ")
    assert read_back(text.removeprefix("Rp "), language) == amount


@given(decimals, st.integers(min_value=0, max_value=3), languages)
def test_grouped_rounds_half_up_to_the_places_asked(value: Decimal, places: int, language: str) -> None:
    with translation.override(language):
        text = numbers.grouped(value, places)
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert read_back(text, language) == expected
    assert len(text.partition(SEPARATORS[language][1])[2]) == places
    assert not text.startswith("-0") or expected != 0


@given(decimals, languages)
def test_decimal_keeps_the_value_and_drops_trailing_zeros(value: Decimal, language: str) -> None:
    with translation.override(language):
        text = numbers.decimal(value)
    assert read_back(text, language) == value
    assert not text.partition(SEPARATORS[language][1])[2].endswith("0")


@given(st.floats(min_value=0, max_value=1), languages)
def test_a_share_reads_as_its_percentage(share: float, language: str) -> None:
    with translation.override(language):
        text = numbers.percent(share)
    assert text.endswith(" %")
    number = read_back(text.removesuffix(" %"), language)
    assert abs(number - Decimal(repr(share)) * 100) <= Decimal("0.05")


@given(amounts)
def test_a_short_amount_names_its_unit_and_stays_close(amount: int) -> None:
    with translation.override("en"):
        text = numbers.rupiah(amount, short=True)
    match = re.fullmatch(r"Rp (-?[\d,.]+)(?: (million|billion|trillion))?", text)
    assert match, text
    unit = {None: 1, "million": 10**6, "billion": 10**9, "trillion": 10**12}[match.group(2)]
    value = read_back(match.group(1), "en") * unit
    assert abs(value - amount) <= Decimal("0.05") * unit
    assert (match.group(2) is None) == (abs(amount) < 10**6)


@pytest.mark.parametrize(
    ("language", "call", "expected"),
    [
        ("id", lambda: numbers.rupiah(1_500_000), "Rp 1.500.000"),
        ("en", lambda: numbers.rupiah(1_500_000), "Rp 1,500,000"),
        ("id", lambda: numbers.rupiah(12_500_000_000, short=True), "Rp 12,5 miliar"),
        ("id", lambda: numbers.rupiah(1_200_000_000_000, short=True), "Rp 1,2 triliun"),
        ("id", lambda: numbers.rupiah(350_000_000, short=True), "Rp 350 juta"),
        ("id", lambda: numbers.rupiah(350_000, short=True), "Rp 350.000"),
        ("id", lambda: numbers.millions(1_250_500_000), "1.250,5"),
        ("id", lambda: numbers.decimal(Decimal("12.50")), "12,5"),
        ("id", lambda: numbers.decimal(Decimal("12.345"), max_places=2), "12,35"),
        ("id", lambda: numbers.percent(0.178), "17,8 %"),
        ("en", lambda: numbers.percent(0.178), "17.8 %"),
        ("id", lambda: numbers.grouped(Decimal("-0.4")), "0"),
    ],
)
def test_the_forms_the_pages_show(language: str, call: object, expected: str) -> None:
    with translation.override(language):
        assert call() == expected  # type: ignore[operator]


@pytest.mark.parametrize("value", [None, "", "abc", "nan", "inf", True])
def test_what_is_not_a_finite_number_is_no_decimal(value: object) -> None:
    assert numbers.as_decimal(value) is None
    if value is not None:
        with pytest.raises(ValueError, match="not a finite number"):
            numbers.rupiah(value)  # type: ignore[arg-type]
