"""Achievement of an indicator against its target (capaian kinerja), in plain Python.

The formulas of Indonesian performance reports (LKjIP / e-SAKIP), with the edge cases they leave
open defined here once. ``a`` is the actual (realisation), ``t`` the target of the year, ``b``
the baseline; the result is a percentage, or None with the reason when there is nothing to
compare (never a zero that would read as "failed").

Standard case, a target above zero:

- higher is better: ``a / t × 100``
- lower is better: ``(2t − a) / t × 100`` (the same as ``(1 + (1 − a / t)) × 100``)
- a target range ``[lo, hi]``: inside the range 100; below it the higher-is-better formula against
  ``lo``; above it the lower-is-better formula against ``hi``.

Edge cases:

- **No actual** or **no target**: None (reasons ``no_actual``, ``no_target``).
- **A target of zero or below** (zero accidents; a shrinking rate of −2 %): the ratio formulas
  lose their meaning (division by zero, signs that flip), so it is the share of the way from the
  baseline to the target, ``(a − b) / (t − b) × 100``: 100 at the target, more beyond it, 0 at
  the baseline. That needs a baseline that has not reached the target yet; without one (no
  baseline, or a baseline already at or past the target) it is 100 when the target is reached
  and 0 when not.
- **A target equal to the baseline** (hold the level): above zero the ratio formulas answer it;
  at zero or below it is the "baseline already at the target" case: reached or not.
- **Yes/no indicators** are 1 or 0 against a target of 1 (higher is better): 100 or 0.
- Results are never below 0 (a realisation far on the wrong side is 0 %, not negative), and are
  capped at ``cap`` when the scheme sets one (some schemes stop at 110 % or 120 %).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class Direction(enum.Enum):
    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"


@dataclass(frozen=True)
class Target:
    direction: Direction
    value: Decimal | None = None  # higher/lower
    low: Decimal | None = None  # range
    high: Decimal | None = None  # range

    def reached(self, actual: Decimal) -> bool:
        if self.direction is Direction.RANGE:
            assert self.low is not None and self.high is not None
            return self.low <= actual <= self.high
        assert self.value is not None
        return actual >= self.value if self.direction is Direction.HIGHER else actual <= self.value


@dataclass(frozen=True)
class Achievement:
    percent: Decimal | None  # None: nothing to compare (see reason)
    reason: str  # "ratio", "range", "zero_target", "below_zero_target", "reached", "no_actual", "no_target"

    @property
    def rounded(self) -> Decimal | None:
        """As reports print it: two decimals, rounded half up."""
        return None if self.percent is None else self.percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _finish(percent: Decimal, reason: str, cap: Decimal | None) -> Achievement:
    percent = max(percent, ZERO)
    if cap is not None:
        percent = min(percent, cap)
    return Achievement(percent, reason)


def _ratio(direction: Direction, actual: Decimal, target: Decimal) -> Decimal:
    if direction is Direction.HIGHER:
        return actual / target * HUNDRED
    return (2 * target - actual) / target * HUNDRED


def achievement(
    target: Target | None, actual: Decimal | None, baseline: Decimal | None = None, cap: Decimal | None = None
) -> Achievement:
    """The achievement of ``actual`` against ``target`` (see the module text for every case)."""
    if actual is None:
        return Achievement(None, "no_actual")
    if target is None:
        return Achievement(None, "no_target")
    if target.direction is Direction.RANGE:
        if target.low is None or target.high is None:
            return Achievement(None, "no_target")
        if target.low <= actual <= target.high:
            return _finish(HUNDRED, "range", cap)
        side = Target(Direction.HIGHER, target.low) if actual < target.low else Target(Direction.LOWER, target.high)
        outside = achievement(side, actual, baseline)
        assert outside.percent is not None
        # Outside the range is never better than inside it.
        return _finish(min(outside.percent, HUNDRED), "range", cap)
    value = target.value
    if value is None:
        return Achievement(None, "no_target")
    if value > 0:
        return _finish(_ratio(target.direction, actual, value), "ratio", cap)
    reason = "zero_target" if value == 0 else "below_zero_target"
    if baseline is not None and not target.reached(baseline):
        # The share of the way from the baseline (on the wrong side) to the target: 100 at the target.
        return _finish((actual - baseline) / (value - baseline) * HUNDRED, reason, cap)
    return _finish(HUNDRED if target.reached(actual) else ZERO, reason, cap)
