"""The ministry's annual evaluation index, in plain Python (no Django).

Evaluators score five evaluation dimensions on a 1–5 scale with at most two decimals. The index
is the weighted sum Σ (weight % / 100) × score with the weights of that year's scheme, kept exact
(``Decimal``); the letter prints it to two decimals, rounded half up, and the predicate is read
from the band table at that printed value, so the number and the word on the letter always agree.
The improvement is the exact index minus the previous year's index.

A year without its own published scheme is an error for the caller to report, never a default:
the scheme is passed in, and :mod:`kotacerdas.evaluation.schemes` finds it by year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kotacerdas.frameworks.bands import Band, classify
from kotacerdas.frameworks.problem import Problem, gettext_noop

# The file's dimension names and the scheme's entry codes (frameworks/data/evaluation-*.toml).
DIMENSIONS: dict[str, str] = {
    "baseline": "BASELINE",
    "output": "OUTPUT",
    "outcome": "OUTCOME",
    "impact": "IMPACT",
    "quick_win": "QUICKWIN",
}
LOWEST = Decimal(1)
HIGHEST = Decimal(5)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Scheme:
    year: int
    code: str
    version: int
    weights: Mapping[str, Decimal]  # file dimension name → weight in percent, adding up to 100
    bands: Sequence[Band]
    bands_code: str = ""
    bands_version: int = 0


@dataclass(frozen=True)
class Result:
    index: Decimal  # exact
    index_2dp: Decimal  # as printed: two decimals, half up
    improvement: Decimal | None  # exact index minus the previous index; None without one
    predicate: Band | None


def two_decimals(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def read_score(value: object) -> tuple[Decimal | None, Problem | None]:
    """A score as evaluators write it: a number from 1 to 5 with at most two decimals."""
    number, problem = _number(value)
    if problem is not None or number is None:
        return None, problem
    if not LOWEST <= number <= HIGHEST:
        return None, Problem(
            "score_range", gettext_noop("%(value)s is outside the scale 1–5."), {"value": _shown(value)}
        )
    if number != number.quantize(CENT):
        return None, Problem(
            "score_digits", gettext_noop("%(value)s has more than two decimals."), {"value": _shown(value)}
        )
    return number, None


def read_index(value: object) -> tuple[Decimal | None, Problem | None]:
    """A previous year's index: a number from 1 to 5 (any decimals: it may be the exact index)."""
    number, problem = _number(value)
    if problem is not None or number is None:
        return None, problem
    if not LOWEST <= number <= HIGHEST:
        return None, Problem(
            "index_range", gettext_noop("%(value)s is outside the index range 1–5."), {"value": _shown(value)}
        )
    return number, None


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _number(value: object) -> tuple[Decimal | None, Problem | None]:
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        return None, Problem("not_number", gettext_noop("Give a number, not %(value)s."), {"value": _shown(value)})
    if isinstance(value, float | int):
        text = repr(value)
    elif isinstance(value, str | Decimal):
        text = str(value).strip().replace(",", ".") if isinstance(value, str) else str(value)
    else:
        return None, Problem("not_number", gettext_noop("Give a number, not %(value)s."), {"value": _shown(value)})
    if len(text) > 40:
        return None, Problem("not_number", gettext_noop("Give a number, not %(value)s."), {"value": _shown(value)})
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, Problem("not_number", gettext_noop("Give a number, not %(value)s."), {"value": _shown(value)})
    if not number.is_finite():
        return None, Problem("not_number", gettext_noop("Give a number, not %(value)s."), {"value": _shown(value)})
    return number, None


def evaluate(scores: Mapping[str, Decimal], scheme: Scheme, previous: Decimal | None = None) -> Result:
    """The index of one region in one year (every dimension of the scheme scored)."""
    index = sum((scheme.weights[name] * scores[name] for name in scheme.weights), Decimal(0)) / 100
    printed = two_decimals(index)
    return Result(
        index=index,
        index_2dp=printed,
        improvement=None if previous is None else index - previous,
        predicate=classify(printed, scheme.bands),
    )
