"""What makes a framework version publishable, per kind. Plain Python, no Django."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kotacerdas.frameworks.bands import Band, band_problems
from kotacerdas.frameworks.problem import Problem, gettext_noop

# Which of an entry's optional numbers mean something for each kind (the others stay empty).
NUMBERS_BY_KIND: dict[str, tuple[str, ...]] = {
    "taxonomy": (),
    "components": (),
    "levels": ("level",),
    "evaluation": ("weight",),
    "bands": ("lower_bound", "lower_inclusive"),
    "size_classes": ("lower_bound", "lower_inclusive"),
}

# Kinds whose entries have children (a taxonomy's dimensions have elements).
NESTED_KINDS = frozenset({"taxonomy"})

# An entry code is an identifier in links, exports and imports: no spaces or punctuation.
ENTRY_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass
class EntryData:
    code: str
    name: str
    level: int | None = None
    weight: Decimal | None = None
    lower_bound: Decimal | None = None
    lower_inclusive: bool = True
    children: list[EntryData] = field(default_factory=list)


def problems(kind: str, entries: Sequence[EntryData]) -> list[Problem]:
    """Problems that block publishing ``entries`` as a framework of ``kind``."""
    found: list[Problem] = []
    if not entries:
        return [Problem("no_entries", gettext_noop("A framework needs at least one entry."))]
    codes = [e.code for e in entries] + [c.code for e in entries for c in e.children]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        found.append(
            Problem("duplicate_codes", gettext_noop("Codes used twice: %(codes)s."), {"codes": ", ".join(duplicates)})
        )
    if kind == "taxonomy":
        for entry in entries:
            if not entry.children:
                found.append(
                    Problem(
                        "empty_dimension", gettext_noop("Dimension %(code)s has no elements."), {"code": entry.code}
                    )
                )
    elif kind == "levels":
        levels = sorted(e.level for e in entries if e.level is not None)
        if len(levels) != len(entries) or levels != list(range(1, len(entries) + 1)):
            found.append(Problem("level_gaps", gettext_noop("Levels must be numbered 1, 2, 3, … without gaps.")))
    elif kind == "evaluation":
        found.extend(_weight_problems(entries))
    elif kind in {"bands", "size_classes"}:
        bands = [Band(e.code, e.name, e.lower_bound, e.lower_inclusive) for e in entries]
        found.extend(band_problems(bands))
    return found


def _weight_problems(entries: Sequence[EntryData]) -> list[Problem]:
    weights = [e.weight for e in entries if e.weight is not None]
    if len(weights) != len(entries):
        return [Problem("missing_weight", gettext_noop("Every evaluation dimension needs a weight."))]
    negative = [e.code for e in entries if e.weight is not None and e.weight < 0]
    if negative:
        return [
            Problem(
                "negative_weight",
                gettext_noop("Weights cannot be negative: %(codes)s."),
                {"codes": ", ".join(negative)},
            )
        ]
    total = sum(weights, Decimal(0))
    if total != Decimal(100):
        # %% is a literal percent sign once the values are filled in.
        return [Problem("weights_total", gettext_noop("Weights add up to %(total)s%%, not 100%%."), {"total": total})]
    return []
