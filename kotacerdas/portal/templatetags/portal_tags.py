from __future__ import annotations

from typing import Any

from django import template

from kotacerdas.lib import numbers

register = template.Library()


@register.filter
def number(value: Any) -> str:
    """A decimal in the active language (12,5 in Indonesian), trailing zeros dropped; "–" for none."""
    found = numbers.as_decimal(value)
    return "–" if found is None else numbers.decimal(found, max_places=2)


@register.filter
def rupiah(value: Any) -> str:
    found = numbers.as_decimal(value)
    return "–" if found is None else numbers.rupiah(found, short=True)


@register.filter
def index2(value: Any) -> str:
    """An evaluation index as printed: two decimals."""
    found = numbers.as_decimal(value)
    return "–" if found is None else numbers.grouped(found, 2)
