"""Template filters of the quick-win pages: rupiah, decimals and percentages in the active locale."""

from __future__ import annotations

from typing import Any

from django import template

from kotacerdas.lib import numbers
from kotacerdas.quickwins.engine.messages import Number
from kotacerdas.quickwins.text import decimal

register = template.Library()


@register.filter(name="rupiah")
def rupiah_filter(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = numbers.as_decimal(value)
    return str(value) if number is None else numbers.rupiah(number)


@register.filter
def dec(value: Any, digits: int = 1) -> str:
    """A decimal with ``digits`` places (12,5 in Indonesian)."""
    if value is None or value == "":
        return ""
    return decimal(Number(float(value), int(digits)))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    """A 0–1 share as a percentage (17,8 %)."""
    if value is None or value == "":
        return ""
    return decimal(Number(float(value), int(digits), percent=True))


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
