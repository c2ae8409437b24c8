"""Every value of an edition document against the limits of the field it will be stored in.

The schema says what type a value has; this says whether it fits the column (a budget of 10^400,
a title of 1,000 characters, a NUL character in a note), with the field's own limits through
:func:`kotacerdas.lib.limits.field_problem`. The importer calls :func:`document_problems` once,
right after the schema check, so nothing out of range reaches the database; the problems carry
JSON paths, which the workbook reader turns into cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from kotacerdas.lib.limits import field_problem
from kotacerdas.plans.models import (
    ActionItem,
    Disposition,
    Edition,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Programme,
    ProgrammeBudget,
    Section,
    Strategy,
    SwotItem,
)
from kotacerdas.plans.models.plan import ElementWaiver

TABLES: dict[str, type[models.Model]] = {
    "sections": Section,
    "swot": SwotItem,
    "missions": Mission,
    "goals": Goal,
    "strategies": Strategy,
    "waivers": ElementWaiver,
    "programmes": Programme,
    "dispositions": Disposition,
}
CHILDREN: dict[str, type[models.Model]] = {
    "budgets": ProgrammeBudget,
    "indicators": Indicator,
    "action_items": ActionItem,
}


def _row(model: type[models.Model], row: Any, path: str) -> Iterator[tuple[str, str]]:
    if not isinstance(row, dict):
        return
    for key, value in row.items():
        if isinstance(value, (dict, list)):
            continue
        problem = field_problem(model, key, value)
        if problem is not None:
            yield f"{path}.{key}", problem


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """A NUL character in any text of the document (no column can store one)."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                yield where, _("The text holds a NUL character (code 0), which cannot be stored.")
        elif isinstance(item, dict):
            stack.extend((v, f"{where}.{k}") for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{n}]") for n, v in enumerate(item))


def document_problems(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(JSON path, why) for every value of ``doc`` that its column cannot store."""
    problems: dict[str, str] = dict(_texts(doc, "$"))
    problems.update(_row(Edition, doc.get("edition"), "$.edition"))
    for key, model in TABLES.items():
        for n, row in enumerate(doc.get(key) or []):
            problems.update(_row(model, row, f"$.{key}[{n}]"))
    for n, programme in enumerate(doc.get("programmes") or []):
        if not isinstance(programme, dict):
            continue
        for key, model in CHILDREN.items():
            for k, row in enumerate(programme.get(key) or []):
                here = f"$.programmes[{n}].{key}[{k}]"
                problems.update(_row(model, row, here))
                for t, target in enumerate(row.get("targets") or [] if isinstance(row, dict) else []):
                    problems.update(_row(IndicatorTarget, target, f"{here}.targets[{t}]"))
    return list(problems.items())
