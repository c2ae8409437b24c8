"""Score a run workbook against a template file with no database: for officials and scripts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.assessments import scoring
from kotacerdas.assessments.definition import Problem, TemplateInvalid, TemplateSpec
from kotacerdas.assessments.models import Answer
from kotacerdas.lib.limits import field_problem
from kotacerdas.lib.messages import Message
from kotacerdas.lib.spreadsheets import open_workbook, sheet_rows
from kotacerdas.lib.uploads import UnreadableFile


def read_spec(path: Path) -> TemplateSpec:
    """A template spec from a TOML file or a template workbook (no database needed)."""
    if path.suffix.lower() == ".toml":
        from kotacerdas.assessments.loader import read_file

        return read_file(path)
    from kotacerdas.assessments.interchange import read_template

    with path.open("rb") as handle:
        return read_template(handle, path.name)


def score_workbook(spec: TemplateSpec, handle: IO[bytes], name: str = "run.xlsx") -> scoring.Node:
    """Score the answers sheet of an exported run; TemplateInvalid lists rows that do not fit."""
    try:
        workbook = open_workbook(handle, name, _("Give the run's .xlsx file downloaded from KotaCerdas."))
    except UnreadableFile as error:
        raise TemplateInvalid([Problem(name, "", error.message)]) from None
    if "answers" not in workbook.sheetnames:
        message = _("The workbook “%(name)s” is not a run's answers: it lacks the sheet answers.")
        raise TemplateInvalid([Problem(name, "", message % {"name": name})])
    rows = list(sheet_rows(workbook["answers"]))
    header = [str(h) if h is not None else "" for h in rows[0]] if rows else []
    index = {h: n for n, h in enumerate(header)}
    items = {i.code: (s, i) for s, i in spec.items()}
    given: dict[str, float | None] = {}
    problems: list[Problem] = []
    for number, row in enumerate(rows[1:], start=2):
        cell = {h: row[n] if n < len(row) else None for h, n in index.items()}
        code = str(cell.get("item") or "").strip()
        if not code:
            continue
        if code not in items:
            problems.append(
                Problem(
                    _("sheet %(sheet)s row %(row)s") % {"sheet": "answers", "row": number},
                    "item",
                    Message("item", gettext_noop("unknown item %(code)r"), {"code": code}),
                )
            )
            continue
        _section, item = items[code]
        if str(cell.get("not_applicable") or "").strip().lower() in ("yes", "ya", "1", "true", "x"):
            given[code] = None
            continue
        raw, choice = cell.get("value"), str(cell.get("choice") or "").strip()
        if raw in (None, "") and not choice:
            continue
        try:
            value = None if raw in (None, "") else Decimal(str(raw))
        except InvalidOperation:
            problems.append(
                Problem(
                    _("sheet %(sheet)s row %(row)s") % {"sheet": "answers", "row": number},
                    "value",
                    Message("value", gettext_noop("%(value)r is not a number"), {"value": raw}),
                )
            )
            continue
        too_big = field_problem(Answer, "value", value)  # the same limit as a stored answer
        if too_big is not None:
            problems.append(
                Problem(_("sheet %(sheet)s row %(row)s") % {"sheet": "answers", "row": number}, "value", too_big)
            )
            continue
        levels = len(item.rubric) or 5
        problem = scoring.check_answer(item.answer_type, item.options, levels, value, choice)
        if problem:
            problems.append(
                Problem(_("sheet %(sheet)s row %(row)s") % {"sheet": "answers", "row": number}, "value", problem)
            )
            continue
        points = scoring.normalise(item.answer_type, item.options, levels, value, choice)
        if points is not None:
            given[code] = points
    if problems:
        raise TemplateInvalid(problems)
    inputs = [
        scoring.ItemInput(
            code=i.code,
            section=s.code,
            element=i.entry or s.code,
            weight=float(i.weight),
            scores=(given[i.code],) if i.code in given else (),
            label=i.text,
        )
        for s, i in spec.items()
        if i.answer_type != "text"
    ]
    labels = {s.code: s.title for s in spec.sections}
    return scoring.score(
        inputs, method=spec.combine, section_weights={s.code: float(s.weight) for s in spec.sections}, labels=labels
    )
