"""Numbers as people read them: rupiah, grouped numbers and percentages in the active locale.

The one place where an amount becomes text, for pages, documents, change logs and the command
line: "Rp 1.500.000", "12,5", "17,8 %" in Indonesian; "Rp 1,500,000", "12.5", "17.8 %" in
English. Separators come from Django's locale formats (so the active language decides);
rounding is done here, half up, because Django's ``number_format`` cuts extra digits off.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

from django.utils import formats
from django.utils.translation import gettext

__all__ = ["as_decimal", "decimal", "grouped", "millions", "percent", "rupiah"]


def as_decimal(value: Any) -> Decimal | None:
    """``value`` as a Decimal, or None for no value or text that is not a number.

    Floats go through ``repr`` so that 0.1 stays 0.1 (not 0.1000000000000000055…).
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def grouped(value: int | float | Decimal, places: int = 0) -> str:
    """``value`` rounded half up to ``places`` decimals, thousands grouped: 1.500.000 or 12,50."""
    number = _number(value)
    with localcontext() as context:
        context.prec = max(28, number.adjusted() + places + 2)  # wide enough for any amount
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # no "-0"
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def decimal(value: int | float | Decimal, *, max_places: int | None = None) -> str:
    """A decimal with the places it has (trailing zeros dropped), at most ``max_places``: 12,5."""
    number = _number(value)
    if max_places is not None:
        with localcontext() as context:
            context.prec = max(28, number.adjusted() + max_places + 2)
            number = number.quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    exponent = number.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return grouped(number, places)


def rupiah(amount: int | float | Decimal, *, short: bool = False) -> str:
    """Whole rupiah: "Rp 1.500.000"; ``short`` for a headline amount in words: "Rp 12,5 miliar".

    Short amounts keep one decimal and use the largest of triliun, miliar, juta that fits;
    below a million they are written out in full.
    """
    number = _number(amount)
    if short:
        size = abs(number)
        if size >= 10**12:
            return gettext("Rp %(n)s trillion") % {"n": decimal(round(number / 10**12, 1))}
        if size >= 10**9:
            return gettext("Rp %(n)s billion") % {"n": decimal(round(number / 10**9, 1))}
        if size >= 10**6:
            return gettext("Rp %(n)s million") % {"n": decimal(round(number / 10**6, 1))}
    return "Rp " + grouped(number)


def millions(amount: int | float | Decimal) -> str:
    """Rupiah in millions (juta), the unit of Indonesian budget tables: 1.250,5 for Rp 1.250.500.000."""
    return decimal(round(_number(amount) / 1_000_000, 1))


def percent(share: int | float | Decimal, places: int = 1) -> str:
    """A 0–1 share as a percentage with ``places`` decimals: 17,8 % for 0.178."""
    return grouped(_number(share) * 100, places) + " %"


def _number(value: int | float | Decimal) -> Decimal:
    number = as_decimal(value)
    if number is None:
        raise ValueError(f"not a finite number: {value!r}")
    return number
