"""Scoring assessments: plain Python, no Django, so the web, the CLI and the bench share it.

Every answer becomes a score from 0 to 100 (:func:`normalise`); answers of several assessors to
one item combine by mean or median, with the spread kept so disagreement stays visible; items
roll up to their element, elements to their section (dimension or component), sections to the
overall score, each step a weighted mean. Not-applicable items drop out and the weights of what
remains renormalise, so an N/A item neither helps nor hurts. A score maps to a level through
editable thresholds. The result is a tree of :class:`Node` that explains every score down to the
items that produced it.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from kotacerdas.lib.messages import Message, gettext_noop

DEFAULT_THRESHOLDS: tuple[float, ...] = (20.0, 40.0, 60.0, 80.0)  # levels 2..5 start here; level 1 at 0
METHODS = ("mean", "median")


class ScoringError(ValueError):
    """Input that cannot be scored (out of scale, weights summing to zero, bad thresholds).

    ``message`` says why in the one message style (code, msgid, values), so whoever shows it
    translates it; ``str(error)`` is the English text for logs.
    """

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render())


# Answers to scores ----------------------------------------------------------------------------


def level_points(level: int, levels: int) -> float:
    """Level 1 of ``levels`` is 0 points, the top level 100; the rest evenly between."""
    return 100.0 * (level - 1) / (levels - 1)


def check_answer(answer_type: str, options: Mapping[str, Any], levels: int, value: Any, choice: str) -> Message | None:
    """Why this answer is outside the item's scale (a message to render), or None if it fits."""
    if answer_type == "level":
        if value is None or not _is_whole(value) or not 1 <= int(value) <= levels:
            return Message(
                "level", gettext_noop("level must be a whole number from 1 to %(levels)s"), {"levels": levels}
            )
    elif answer_type == "yesno":
        if value is None or not _is_whole(value) or int(value) not in (0, 1):
            return Message("yesno", gettext_noop("answer must be yes (1) or no (0)"))
    elif answer_type == "number":
        if value is None:
            return Message("number", gettext_noop("a number is needed"))
        low, high = options.get("min"), options.get("max")
        if low is not None and float(value) < float(low):
            return Message("min", gettext_noop("number must be at least %(low)s"), {"low": low})
        if high is not None and float(value) > float(high):
            return Message("max", gettext_noop("number must be at most %(high)s"), {"high": high})
    elif answer_type == "choice":
        codes = [str(c["code"]) for c in options.get("choices", [])]
        if choice not in codes:
            return Message("choice", gettext_noop("choose one of: %(codes)s"), {"codes": ", ".join(codes)})
    return None


def _is_whole(value: Any) -> bool:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return False
    return number.is_finite() and number == number.to_integral_value()


def normalise(answer_type: str, options: Mapping[str, Any], levels: int, value: Any, choice: str) -> float | None:
    """The answer as a score 0-100; None for unscored (free-text) items. Call :func:`check_answer` first."""
    if answer_type == "level":
        return level_points(int(value), levels)
    if answer_type == "yesno":
        return 100.0 if int(value) == 1 else 0.0
    if answer_type == "number":
        bands = [float(b) for b in options.get("bands", [])]
        if not bands:
            return None
        reached = sum(1 for b in bands if float(value) >= b)
        if options.get("direction") == "lower":
            reached = len(bands) - sum(1 for b in bands if float(value) > b)
        return 100.0 * reached / len(bands)
    if answer_type == "choice":
        for option in options.get("choices", []):
            if str(option["code"]) == choice:
                return float(option["points"])
        return None
    return None


# Weights and thresholds ------------------------------------------------------------------------


def check_weights(weights: Iterable[float], where: str) -> None:
    """Refuse negative weights and a set that sums to zero (nothing could be scored)."""
    values = list(weights)
    if any(w < 0 or not math.isfinite(w) for w in values):
        raise ScoringError(
            Message("negative_weight", gettext_noop("%(where)s: weights must be zero or more"), {"where": where})
        )
    if values and sum(values) <= 0:
        raise ScoringError(
            Message("zero_weights", gettext_noop("%(where)s: the weights sum to zero"), {"where": where})
        )


def check_thresholds(thresholds: Sequence[float]) -> None:
    values = [float(t) for t in thresholds]
    if any(not 0 < t <= 100 for t in values):
        raise ScoringError(Message("threshold_range", gettext_noop("thresholds must lie above 0 and at most 100")))
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ScoringError(Message("threshold_order", gettext_noop("thresholds must rise strictly")))


def level_for(score: float, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> int:
    """Level 1 below the first threshold, level k+1 from the k-th threshold on."""
    return 1 + sum(1 for t in thresholds if score >= float(t) - 1e-9)


# Roll-up ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemInput:
    """One item with the scores its assessors gave; None in ``scores`` means not applicable."""

    code: str
    section: str
    element: str
    weight: float
    scores: tuple[float | None, ...]
    label: str = ""


@dataclass(slots=True)
class Node:
    """A score and how it was made. ``share`` is the weight after renormalisation (0 if N/A)."""

    code: str
    label: str
    kind: str  # overall, section, element, item
    weight: float
    score: float | None = None
    share: float = 0.0
    mean: float | None = None
    median: float | None = None
    spread: float | None = None
    assessors: int = 0
    children: list[Node] = field(default_factory=list)

    @property
    def not_applicable(self) -> bool:
        return self.score is None

    def contribution(self) -> float:
        """Points this node adds to its parent's score."""
        return (self.score or 0.0) * self.share

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "kind": self.kind,
            "weight": self.weight,
            "share": round(self.share, 6),
            "score": None if self.score is None else round(self.score, 4),
            "mean": None if self.mean is None else round(self.mean, 4),
            "median": None if self.median is None else round(self.median, 4),
            "spread": None if self.spread is None else round(self.spread, 4),
            "assessors": self.assessors,
            "children": [c.as_dict() for c in self.children],
        }


def combine(scores: Sequence[float | None], method: str = "mean") -> Node:
    """Combine assessors' scores of one item (N/A answers are left out)."""
    if method not in METHODS:
        raise ScoringError(
            Message("unknown_method", gettext_noop("unknown method %(method)s"), {"method": repr(method)})
        )
    given = [s for s in scores if s is not None]
    node = Node(code="", label="", kind="item", weight=0.0, assessors=len(given))
    if not given:
        return node
    if len(given) == 1:  # the common case, kept cheap for rescoring many runs
        node.score = node.mean = node.median = float(given[0])
        node.spread = 0.0
        return node
    node.mean = statistics.fmean(given)
    node.median = float(statistics.median(given))
    node.spread = max(given) - min(given)
    node.score = node.mean if method == "mean" else node.median
    return node


def _roll_up(parent: Node) -> None:
    """Set ``parent.score`` to the weighted mean of its applicable children and their shares."""
    live = [c for c in parent.children if c.score is not None and c.weight > 0]
    total = sum(c.weight for c in live)
    for child in parent.children:
        child.share = 0.0
    if total <= 0:
        parent.score = None
        if parent.kind == "overall":
            parent.share = 0.0
        return
    for child in live:
        child.share = child.weight / total
    parent.score = sum(c.score * c.share for c in live if c.score is not None)
    parent.assessors = max((c.assessors for c in parent.children), default=0)


def score(
    items: Sequence[ItemInput],
    *,
    method: str = "mean",
    section_weights: Mapping[str, float] | None = None,
    element_weights: Mapping[str, float] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Node:
    """The overall score tree: overall → section → element → item.

    Sections and elements keep the order they first appear in ``items``; missing weights are 1.
    """
    section_weights = section_weights or {}
    element_weights = element_weights or {}
    labels = labels or {}
    overall = Node(code="overall", label=labels.get("overall", ""), kind="overall", weight=1.0, share=1.0)
    sections: dict[str, Node] = {}
    elements: dict[tuple[str, str], Node] = {}
    for item in items:
        if item.weight < 0 or not math.isfinite(item.weight):
            raise ScoringError(
                Message(
                    "negative_weight", gettext_noop("%(where)s: weights must be zero or more"), {"where": item.code}
                )
            )
        section = sections.get(item.section)
        if section is None:
            section = Node(
                code=item.section,
                label=labels.get(item.section, item.section),
                kind="section",
                weight=float(section_weights.get(item.section, 1.0)),
            )
            sections[item.section] = section
            overall.children.append(section)
        key = (item.section, item.element)
        element = elements.get(key)
        if element is None:
            element = Node(
                code=item.element,
                label=labels.get(item.element, item.element),
                kind="element",
                weight=float(element_weights.get(item.element, 1.0)),
            )
            elements[key] = element
            section.children.append(element)
        node = combine(item.scores, method)
        node.code, node.label, node.weight = item.code, item.label or item.code, item.weight
        element.children.append(node)
    for element in elements.values():
        _roll_up(element)
    for section in sections.values():
        _roll_up(section)
    _roll_up(overall)
    return overall


# Gaps ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    code: str
    label: str
    section: str
    score: float
    current: int
    target: int

    @property
    def size(self) -> int:
        return self.target - self.current


def default_target(current: int, top: int = 5) -> int:
    """One level up (the five-year default), never above the top level."""
    return min(current + 1, top)


def gaps(
    tree: Node,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    targets: Mapping[str, int] | None = None,
    top: int = 5,
) -> list[Gap]:
    """Elements below their target, the largest gap first, then the weakest score."""
    targets = targets or {}
    found: list[Gap] = []
    for section in tree.children:
        for element in section.children:
            if element.score is None:
                continue
            current = level_for(element.score, thresholds)
            target = int(targets.get(element.code, default_target(current, top)))
            if target > current:
                found.append(Gap(element.code, element.label, section.code, element.score, current, target))
    found.sort(key=lambda g: (-g.size, g.score, g.code))
    return found
