"""Fixtures of the assessment tests: the shipped templates and a maturity run of region A."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.assessments.loader import load_templates
from kotacerdas.assessments.models import Template
from kotacerdas.assessments.services import runs as services


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages (the shared ``english`` fixture)."""


@pytest.fixture
def templates(cast: Any) -> dict[str, Template]:
    load_templates()
    return {t.kind: t for t in Template.objects.all()}


@pytest.fixture
def maturity(cast: Any, templates: dict[str, Template]) -> Any:
    return services.start_run(actor=cast.owner, region=cast.region_a, template=templates["maturity"], year=2024)


@pytest.fixture
def readiness(cast: Any, templates: dict[str, Template]) -> Any:
    return services.start_run(actor=cast.owner, region=cast.region_a, template=templates["readiness"], year=2024)


def answer_all(run: Any, actor: Any, level: int = 3, link: str = "https://example.org/bukti.pdf") -> None:
    """Answer every scored item of ``run`` for the region (choice items with their first choice)."""
    from kotacerdas.assessments.models import Answer, Item
    from kotacerdas.assessments.selectors import region_slot

    slot = region_slot(run)
    for item in Item.objects.filter(template=run.template).order_by("order"):
        data: dict[str, Any] = {"comment": "", "evidence_link": link if item.evidence_required else ""}
        if item.answer_type == "level":
            data["value"] = level
        elif item.answer_type == "choice":
            data["choice"] = item.options["choices"][0]["code"]
        elif item.answer_type == "yesno":
            data["value"] = 1
        elif item.answer_type == "number":
            data["value"] = item.options["bands"][0]
        else:
            data["text"] = "catatan"
        seen = Answer.objects.filter(assessor=slot, item=item).values_list("version", flat=True).first()
        services.save_answer(actor=actor, run=run, assessor=slot, item=item, data=data, expected_version=seen)
