"""Dependency graph helpers: reading an edition's dependency edges and finding a cycle."""

from __future__ import annotations

from collections.abc import Iterable

from kotacerdas.plans.checks.graphs import find_cycle
from kotacerdas.plans.models import Programme

__all__ = ["edges_of_edition", "find_cycle"]


def edges_of_edition(edition_id: int, replacing: int | None = None, new: Iterable[int] = ()) -> dict[int, set[int]]:
    """programme id → ids it depends on, with ``replacing``'s edges swapped for ``new``."""
    through = Programme.dependencies.through
    edges: dict[int, set[int]] = {}
    rows = through.objects.filter(from_programme__edition_id=edition_id).values_list(
        "from_programme_id", "to_programme_id"
    )
    for source, target in rows:
        if source != replacing:
            edges.setdefault(source, set()).add(target)
    if replacing is not None:
        edges[replacing] = set(new)
    return edges
