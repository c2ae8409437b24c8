"""Builders for the quick-win view and service tests: a round of region A, scored by three evaluators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services as plan_services
from kotacerdas.plans.tests.factories import make_edition, make_programme
from kotacerdas.quickwins import services
from kotacerdas.quickwins.models import Criterion, SelectionRound
from kotacerdas.regions.models import Region

DIMENSIONS = ["GOV", "BRD", "ECO", "LIV", "SOC", "ENV"]


def make_round(
    region: Region, per_dimension: int = 2, evaluators: int = 3, cap: int | None = 3_000_000_000, **extra: Any
) -> SelectionRound:
    """An edition 2025–2029 with ``per_dimension`` programmes in each of the six dimensions (each with
    a 2025 budget line), and its 2024 round choosing the 2025 quick wins, fully scored."""
    edition = make_edition(region, year=2024, start=2025, end=2029)
    for d, dimension in enumerate(DIMENSIONS):
        for k in range(per_dimension):
            programme = make_programme(edition, f"{dimension}-{k + 1:02d}", dimension=dimension, order=d * 10 + k)
            plan_services.set_budgets(
                actor=None,
                programme=programme,
                lines=[{"year": 2025, "source": "apbd", "amount": Decimal((200 + 150 * k + 10 * d) * 1_000_000)}],
                expected_version=stored_version(programme),
            )
    selection_round = services.create_round(
        actor=None, region=region, data={"edition": edition, "year": 2024, "budget_year": 2025, **extra}
    )
    if cap is not None:
        services.set_constraints(
            actor=None,
            selection_round=selection_round,
            data={},
            caps=[{"year": 2025, "source": "", "amount": Decimal(cap)}],
            limits={},
            expected_version=stored_version(selection_round),
        )
    for e in range(evaluators):
        score_all(services.add_evaluator(actor=None, selection_round=selection_round, name=f"Evaluator {e + 1}"), e)
    selection_round.refresh_from_db()
    return selection_round


def score_all(evaluator: Any, offset: int = 0) -> None:
    """Score every cell: the first programme of a dimension better than the second, with some noise."""
    selection_round = evaluator.round
    criteria = list(Criterion.objects.filter(round=selection_round))
    values = {}
    for n, candidate in enumerate(selection_round.candidates.select_related("programme").order_by("programme__code")):
        first = candidate.programme.code.endswith("01")
        for k, criterion in enumerate(criteria):
            values[(candidate.pk, criterion.pk)] = max(1, min(5, (4 if first else 3) + (n + k + offset) % 3 - 1))
    services.save_scores(actor=None, evaluator=evaluator, values=values)
