"""Turning the engine's messages into text in the active language, with Indonesian number formats.

The engine (``quickwins/engine``) has no Django; its messages carry English msgids and raw
amounts. This renderer translates them with Django's catalogue and formats rupiah and decimals
in the active locale ("Rp 2.300.000.000", "17,8 %"), for the pages, the summary and the CLI.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext

from kotacerdas.lib import numbers
from kotacerdas.quickwins.engine.messages import Number, Renderer


def rupiah(amount: Decimal | int | float) -> str:
    return numbers.rupiah(amount)


def decimal(number: Number) -> str:
    if number.percent:
        return numbers.percent(number.value, number.digits)
    return numbers.grouped(number.value, number.digits)


def renderer() -> Renderer:
    """A renderer for the language active now (call it per request or command)."""
    translated: dict[str, str] = {}  # thousands of left-out candidates share a handful of sentences

    def translate(text: str) -> str:
        if text not in translated:
            translated[text] = gettext(text)
        return translated[text]

    return Renderer(translate=translate, money=rupiah, number=decimal)


def round_label(year: int, budget_year: int) -> str:
    """The one name of a round everywhere (pages, reports, CLI): the year the forum decides in and
    the budget year it selects for, both labelled, e.g. "Putaran 2024 · untuk anggaran 2025"."""
    return gettext("Round %(year)s · for budget %(budget_year)s") % {"year": year, "budget_year": budget_year}
