""" "Not stated": how a field the plan leaves open reads on pages, in files and in the books.

An older plan brought in as it is may give no horizon, no years, no budget year or source, no
target year, element, strategy or lead agency. These stay empty (``None`` or ``""``), never a
default, and every place that shows them says *belum ditetapkan* ("not stated") instead of
leaving a blank or a dash that reads like zero.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy

NOT_STATED = gettext_lazy("not stated")


def stated(value: Any) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


def text(value: Any) -> str:
    """The value as text, or "not stated" in the reader's language."""
    return str(value) if stated(value) else gettext("not stated")


def years(start: int | None, end: int | None) -> str:
    """A programme's years: "2025–2027", "2025–not stated", or "not stated" when neither is given."""
    if start is None and end is None:
        return gettext("not stated")
    return f"{text(start)}–{text(end)}"


# Columns of the interchange workbook where an empty value is a gap of the plan: written as
# "belum ditetapkan" (or "not stated"), and either phrase, or an empty cell, reads back as none.
WORKBOOK_COLUMNS = frozenset({"horizon", "start_year", "end_year", "element", "strategy", "lead_opd", "year", "source"})
WORDS = frozenset({"belum ditetapkan", "not stated"})


def cell(value: Any) -> Any:
    """A workbook cell for a field the plan may leave open."""
    return value if stated(value) else gettext("not stated")


def read_cell(value: Any) -> Any:
    """The cell back: the "not stated" phrases in either language are an empty cell."""
    return None if isinstance(value, str) and value.strip().lower() in WORDS else value


def runs_in(start: int | None, end: int | None, year: int) -> bool:
    """Whether a programme runs in ``year``; one whose years are not stated runs in no year."""
    return start is not None and end is not None and start <= year <= end
