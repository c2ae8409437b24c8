"""Programme → element → dimension → plan roll-up of implementation status, in plain Python.

The rule (issue 13 §4, written here once):

* A programme counts by its status in the latest accepted update: on track and achieved count
  1, at risk counts ½, off track and not achieved count 0, not started counts 0 once the
  programme's start year has come (before that it is not yet due and is left out). Cancelled
  programmes are left out, and so are programmes with no accepted update ("not reported"), which
  are listed separately so a level is never coloured by guesses; a programme whose start year
  has not come is not due and so is not "not reported" either.
* A level's score is the weighted mean of its programmes' counts: equal weights, or the planned
  budget of the year (a level whose counted programmes have no budget at all falls back to
  equal weights, so a level is never "0 of 0").
* RAG colour of a level: green from 0.80, amber from 0.50, red below [verify: programme default].
* What pulls a level down: its counted programmes below 1, the heaviest loss first
  (weight × (1 − count)).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

GREEN_FROM = Decimal("0.80")
AMBER_FROM = Decimal("0.50")

COUNTS = {
    "on_track": Decimal(1),
    "achieved": Decimal(1),
    "at_risk": Decimal("0.5"),
    "off_track": Decimal(0),
    "not_achieved": Decimal(0),
    "not_started": Decimal(0),
}


class Rag(enum.Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"  # nothing counted yet


@dataclass(frozen=True)
class Item:
    """One programme as the roll-up sees it."""

    key: object
    dimension: str
    element: str
    status: str | None  # latest accepted status; None: not reported
    budget: Decimal = Decimal(0)
    due: bool = True  # False before the programme's start year


@dataclass
class Level:
    name: str
    score: Decimal | None = None
    rag: Rag = Rag.GREY
    counted: int = 0
    not_reported: list[object] = field(default_factory=list)
    pulling_down: list[object] = field(default_factory=list)
    children: list[Level] = field(default_factory=list)


def count(item: Item) -> Decimal | None:
    """The programme's contribution from 0 to 1, or None when it is left out."""
    if item.status is None or item.status == "cancelled":
        return None
    if item.status == "not_started" and not item.due:
        return None
    return COUNTS.get(item.status)


def rag(score: Decimal | None) -> Rag:
    if score is None:
        return Rag.GREY
    if score >= GREEN_FROM:
        return Rag.GREEN
    if score >= AMBER_FROM:
        return Rag.AMBER
    return Rag.RED


def level(name: str, items: Sequence[Item], *, budget_weighted: bool = False) -> Level:
    """Score one level from the programmes under it."""
    counted = [(item, c) for item in items if (c := count(item)) is not None]
    out = Level(name=name, counted=len(counted))
    out.not_reported = [item.key for item in items if item.status is None and item.due]
    if not counted:
        return out
    weights = [item.budget if budget_weighted else Decimal(1) for item, _ in counted]
    if sum(weights) <= 0:
        weights = [Decimal(1)] * len(counted)
    total = sum(weights)
    out.score = sum((w * c for w, (_, c) in zip(weights, counted, strict=True)), Decimal(0)) / total
    out.rag = rag(out.score)
    losses = sorted(
        (
            (w * (1 - c), index, item.key)
            for index, (w, (item, c)) in enumerate(zip(weights, counted, strict=True))
            if c < 1
        ),
        key=lambda loss: (-loss[0], loss[1]),
    )
    out.pulling_down = [key for _, _, key in losses]
    return out


def tree(items: Iterable[Item], *, budget_weighted: bool = False, plan_name: str = "") -> Level:
    """The plan level with its dimensions, each with its elements, in the order first seen."""
    items = list(items)
    plan = level(plan_name, items, budget_weighted=budget_weighted)
    dimensions: dict[str, list[Item]] = {}
    for item in items:
        dimensions.setdefault(item.dimension, []).append(item)
    for dimension, in_dimension in dimensions.items():
        node = level(dimension, in_dimension, budget_weighted=budget_weighted)
        elements: dict[str, list[Item]] = {}
        for item in in_dimension:
            elements.setdefault(item.element, []).append(item)
        node.children = [level(e, rows, budget_weighted=budget_weighted) for e, rows in elements.items()]
        plan.children.append(node)
    return plan
