"""What makes a framework version publishable, per kind. Plain Python, no Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kotacerdas.frameworks.bands import Band, band_problems


@dataclass
class EntryData:
    code: str
    name: str
    level: int | None = None
    weight: Decimal | None = None
    lower_bound: Decimal | None = None
    lower_inclusive: bool = True
    children: list[EntryData] = field(default_factory=list)


def problems(kind: str, entries: Sequence[EntryData]) -> list[str]:
    """Problems that block publishing ``entries`` as a framework of ``kind``."""
    found: list[str] = []
    if not entries:
        return ["A framework needs at least one entry."]
    codes = [e.code for e in entries] + [c.code for e in entries for c in e.children]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        found.append(f"Codes used twice: {', '.join(duplicates)}.")
    if kind == "taxonomy":
        for entry in entries:
            if not entry.children:
                found.append(f"Dimension {entry.code} has no elements.")
    elif kind == "levels":
        levels = sorted(e.level for e in entries if e.level is not None)
        if len(levels) != len(entries) or levels != list(range(1, len(entries) + 1)):
            found.append("Levels must be numbered 1, 2, 3, … without gaps.")
    elif kind == "evaluation":
        if any(e.weight is None for e in entries):
            found.append("Every evaluation dimension needs a weight.")
        else:
            total = sum((e.weight for e in entries if e.weight is not None), Decimal(0))
            if total != Decimal(100):
                found.append(f"Weights add up to {total}%, not 100%.")
    elif kind in {"bands", "size_classes"}:
        bands = [Band(e.code, e.name, e.lower_bound, e.lower_inclusive) for e in entries]
        found.extend(band_problems(bands))
    return found
