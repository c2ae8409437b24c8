"""Weights from pairwise comparisons (AHP): principal eigenvector and Saaty's consistency ratio.

Power iteration in plain Python: the matrices are small (a handful of criteria), so this is
exact enough and keeps the engine free of numerical libraries here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kotacerdas.quickwins.engine.messages import Message, gettext_noop

# Saaty's random consistency index by matrix size (../shared/domain/frameworks.md).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
CR_LIMIT = 0.10


@dataclass(frozen=True)
class AhpResult:
    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    ri: float | None  # None beyond the table (more than 10 criteria): CR is not defined
    cr: float | None
    iterations: int

    @property
    def consistent(self) -> bool:
        return self.cr is None or self.cr <= CR_LIMIT

    @property
    def warning(self) -> Message | None:
        if self.cr is not None and self.cr > CR_LIMIT:
            return Message(
                gettext_noop(
                    "The pairwise judgements are inconsistent (consistency ratio %(cr)s, above 0.10): "
                    "revisit the comparisons before relying on these weights."
                ),
                {"cr": f"{self.cr:.3f}"},
                "ahp_inconsistent",
            )
        if self.ri is None:
            return Message(
                gettext_noop("More than 10 criteria: Saaty's table gives no random index, so no consistency ratio."),
                {},
                "ahp_no_ri",
            )
        return None


def principal_eigenvector(
    matrix: Sequence[Sequence[float]], tolerance: float = 1e-12, max_iterations: int = 10_000
) -> tuple[list[float], float, int]:
    """The principal eigenvector (normalised to sum 1), its eigenvalue and the iterations used.

    A positive matrix has a unique positive principal eigenvector (Perron–Frobenius), and power
    iteration converges to it from the all-ones start.
    """
    n = len(matrix)
    vector = [1.0 / n] * n
    iteration = 0
    while iteration < max_iterations:
        iteration += 1
        product = [sum(matrix[i][j] * vector[j] for j in range(n)) for i in range(n)]
        total = sum(product)
        following = [p / total for p in product]
        if max(abs(a - b) for a, b in zip(following, vector, strict=True)) < tolerance:
            vector = following
            break
        vector = following
    product = [sum(matrix[i][j] * vector[j] for j in range(n)) for i in range(n)]
    lambda_max = sum(product[i] / vector[i] for i in range(n)) / n
    return vector, lambda_max, iteration


def ahp(matrix: Sequence[Sequence[float]]) -> AhpResult:
    """Weights and consistency of a positive reciprocal matrix (validated by the parser)."""
    n = len(matrix)
    weights, lambda_max, iterations = principal_eigenvector(matrix)
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    ci = max(ci, 0.0)  # rounding can put λmax a hair below n for a consistent matrix
    ri = RANDOM_INDEX.get(n)
    if ri is None:
        cr = None
    elif ri == 0:
        cr = 0.0  # 1×1 and 2×2 reciprocal matrices are always consistent
    else:
        cr = ci / ri
    return AhpResult(tuple(weights), lambda_max, ci, ri, cr, iterations)
