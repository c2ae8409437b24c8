"""Evaluation fixtures on top of the shared cast: a draft of region A for 2025 (scheme 2022) and
helpers to score and release it."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.evaluation import services
from kotacerdas.evaluation.models import Evaluation

SCORES = {"baseline": "3.00", "output": "3.50", "outcome": "2.75", "impact": "3.25", "quick_win": "4.00"}
# 0.1*3 + 0.2*3.5 + 0.3*2.75 + 0.2*3.25 + 0.2*4 = 0.3 + 0.7 + 0.825 + 0.65 + 0.8 = 3.275 -> 3.28
INDEX = "3.275"


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages (the shared ``english`` fixture)."""


def new_draft(region: Any, year: int = 2025, **data: Any) -> Evaluation:
    return services.create_evaluation(
        actor=None, region=region, data={"year": year, "scheme_year": 2022, "panel": "Tim Evaluasi", **data}
    )


def score_data(evaluation: Evaluation, scores: dict[str, str] | None = None, area: str = "3.00") -> dict[str, Any]:
    return {
        "scores": {name: {"score": value, "note": f"Catatan {name}"} for name, value in (scores or SCORES).items()},
        "areas": {a.dimension_id: {"score": area, "programmes": 2} for a in evaluation.area_scores.all()},
    }


def scored(evaluation: Evaluation, **kwargs: Any) -> Evaluation:
    return services.save_scores(
        actor=None, evaluation=evaluation, data=score_data(evaluation, **kwargs), version=evaluation.version
    )


def released(region: Any, year: int = 2025, **data: Any) -> Evaluation:
    evaluation = scored(new_draft(region, year, **data))
    return services.release(actor=None, evaluation=evaluation, version=evaluation.version)


@pytest.fixture
def draft(cast: Any) -> Evaluation:
    return new_draft(cast.region_a)
