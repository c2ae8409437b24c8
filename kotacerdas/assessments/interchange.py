"""XLSX round trips: templates (for the ministry) and runs (for officials filling in offline).

Imports are all-or-nothing: every row is checked first and every problem is reported with its
sheet, row and column; only a clean file is written, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.assessments.definition import (
    Problem,
    TemplateInvalid,
    TemplateSpec,
    parse_header,
    parse_item,
    parse_section,
)
from kotacerdas.assessments.models import Answer, AnswerType, Item, Run, Section, Template
from kotacerdas.assessments.scoring import check_answer
from kotacerdas.assessments.selectors import region_slot
from kotacerdas.assessments.services import runs as run_services
from kotacerdas.assessments.services.templates import create_template
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.limits import field_problem, row_problems
from kotacerdas.lib.messages import Message
from kotacerdas.lib.spreadsheets import append_row, first_sheet, new_workbook, open_workbook, sheet_rows, workbook_bytes
from kotacerdas.lib.uploads import UnreadableFile

HEADER_FIELDS = [
    "kind", "code", "version", "title", "description", "taxonomy", "taxonomy_version", "levels", "levels_version",
    "thresholds", "combine",
]  # fmt: skip
SECTION_COLUMNS = ["code", "title", "entry", "weight", "swot"]
ITEM_COLUMNS = [
    "section", "code", "text", "type", "weight", "evidence", "na", "entry", "guidance", "choices", "bands", "min",
    "max", "direction", "rubric_1", "rubric_2", "rubric_3", "rubric_4", "rubric_5",
]  # fmt: skip
ANSWER_COLUMNS = [
    "section", "item", "question", "type", "scale", "value", "choice", "text", "not_applicable", "comment",
    "evidence_link", "evidence_file",
]  # fmt: skip


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:20]))


def _where(sheet: str, row: int, columns: list[str], field: str) -> tuple[str, str]:
    column = get_column_letter(columns.index(field) + 1) if field in columns else "?"
    return _row(sheet, row), _column(column, field)


def _row(sheet: str, row: int) -> str:
    """Where a problem is, in the reader's language ("sheet items row 5")."""
    return _("sheet %(sheet)s row %(row)s") % {"sheet": sheet, "row": row}


def _column(column: str, field: str) -> str:
    return _("column %(column)s (%(field)s)") % {"column": column, "field": field}


def _rows(sheet: Worksheet) -> list[tuple[int, dict[str, Any]]]:
    values = list(sheet_rows(sheet))
    if not values:
        return []
    header = [str(h).strip() if h is not None else "" for h in values[0]]
    rows = []
    for number, row in enumerate(values[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        rows.append((number, {h: v for h, v in zip(header, row, strict=False) if h}))
    return rows


# Templates --------------------------------------------------------------------------------------


def export_template(template: Template) -> bytes:
    workbook = new_workbook("template")
    head = first_sheet(workbook)
    append_row(head, ["field", "value"])
    values = {
        "kind": template.kind,
        "code": template.code,
        "version": template.version,
        "title": template.title,
        "description": template.description,
        "taxonomy": template.taxonomy.code,
        "taxonomy_version": template.taxonomy.version,
        "levels": template.levels.code if template.levels else "",
        "levels_version": template.levels.version if template.levels else "",
        "thresholds": "; ".join(f"{t:g}" for t in template.thresholds),
        "combine": template.combine,
    }
    for name in HEADER_FIELDS:
        append_row(head, [name, values[name]])
    sections = workbook.create_sheet("sections")
    append_row(sections, SECTION_COLUMNS)
    for s in Section.objects.filter(template=template).select_related("entry"):
        append_row(
            sections, [s.code, s.title, s.entry.code if s.entry else "", float(s.weight), "yes" if s.has_swot else "no"]
        )
    items = workbook.create_sheet("items")
    append_row(items, ITEM_COLUMNS)
    for i in Item.objects.filter(template=template).select_related("section", "entry").order_by("order"):
        options = i.options or {}
        rubric = list(i.rubric) + [""] * (5 - len(i.rubric))
        append_row(
            items,
            [
                i.section.code,
                i.code,
                i.text,
                i.answer_type,
                float(i.weight),
                "yes" if i.evidence_required else "no",
                "yes" if i.allow_na else "no",
                i.entry.code if i.entry else "",
                i.guidance,
                "\n".join(f"{c['code']} | {c['label']} | {c['points']:g}" for c in options.get("choices", [])),
                "; ".join(f"{b:g}" for b in options.get("bands", [])),
                options.get("min", ""),
                options.get("max", ""),
                options.get("direction", "") if i.answer_type == AnswerType.NUMBER else "",
                *rubric[:5],
            ],
        )
    return workbook_bytes(workbook)


def read_template(handle: IO[bytes], name: str = "upload.xlsx") -> TemplateSpec:
    """A spec from a template workbook; TemplateInvalid lists every bad row with sheet and column."""
    try:
        workbook = open_workbook(handle, name, _("Upload a template file (.xlsx or .toml) exported from KotaCerdas."))
    except UnreadableFile as error:
        raise TemplateInvalid([Problem(name, "", error.message)]) from None
    problems: list[Problem] = []
    missing = [s for s in ("template", "sections", "items") if s not in workbook.sheetnames]
    if missing:
        message = _(
            "The workbook “%(name)s” is not a template: it lacks the sheets %(sheets)s. "
            "Start from a downloaded template."
        )
        raise TemplateInvalid([Problem(name, "", message % {"name": name, "sheets": ", ".join(missing)})])
    header: dict[str, Any] = {}
    for row in sheet_rows(workbook["template"], min_row=2):
        if row and row[0]:
            header[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    header = {k: v for k, v in header.items() if v not in (None, "")}
    spec = parse_header(header, _("sheet %(sheet)s") % {"sheet": "template"}, problems)
    by_code: dict[str, Any] = {}
    for number, raw in _rows(workbook["sections"]):
        sub: list[Problem] = []
        section = parse_section(raw, _row("sections", number), sub)
        problems.extend(_columns(sub, SECTION_COLUMNS))
        section.where = _row("sections", number)
        by_code[section.code] = section
        spec.sections.append(section)
    for number, raw in _rows(workbook["items"]):
        raw = dict(raw)
        section_code = str(raw.pop("section", "") or "").strip()
        rubric = [raw.pop(f"rubric_{n}", None) for n in range(1, 6)]
        raw["rubric"] = [str(x) for x in rubric if x not in (None, "")]
        raw = {k: v for k, v in raw.items() if v not in (None, "") or k == "rubric"}
        sub = []
        item = parse_item(raw, _row("items", number), sub)
        problems.extend(_columns(sub, ITEM_COLUMNS))
        if section_code not in by_code:
            where, column = _where("items", number, ITEM_COLUMNS, "section")
            problems.append(
                Problem(
                    where,
                    column,
                    Message("section", gettext_noop("no section %(code)r in sheet sections"), {"code": section_code}),
                )
            )
            continue
        by_code[section_code].items.append(item)
    if problems:
        raise TemplateInvalid(problems)
    return spec


def _columns(problems: list[Problem], columns: list[str]) -> list[Problem]:
    """Name the column of each problem as a spreadsheet user sees it (column C (text))."""
    out = []
    for p in problems:
        field = "rubric_1" if p.field == "rubric" else p.field
        column = _column(get_column_letter(columns.index(field) + 1), p.field) if field in columns else p.field
        out.append(Problem(p.where, column, p.message))
    return out


def import_template(*, actor: Any, handle: IO[bytes], name: str = "upload.xlsx", publish: bool = False) -> Template:
    """A new template version from a template workbook, or from a TOML file like the shipped ones."""
    if name.lower().endswith(".toml"):
        from kotacerdas.assessments.loader import read_toml

        spec = read_toml(handle.read(), name)
    else:
        spec = read_template(handle, name)
    return create_template(actor=actor, spec=spec, where=name, publish=publish)


# Runs -------------------------------------------------------------------------------------------


def _scale(item: Item, levels: int) -> str:
    if item.answer_type == AnswerType.LEVEL:
        return f"1-{levels}"
    if item.answer_type == AnswerType.YESNO:
        return "1 = yes, 0 = no"
    if item.answer_type == AnswerType.CHOICE:
        return ", ".join(f"{c['code']} = {c['label']}" for c in item.options.get("choices", []))
    if item.answer_type == AnswerType.NUMBER:
        return "number"
    return "text"


def export_run(run: Run) -> bytes:
    """The region's answers of a run, one row per item, ready to be filled in offline."""
    levels = run_services.level_count(run.template)
    workbook = new_workbook("run")
    head = first_sheet(workbook)
    append_row(head, ["field", "value"])
    for key, value in (
        ("region", run.region.code),
        ("template", run.template.code),
        ("template_version", run.template.version),
        ("run", run.pk),
        ("year", run.year),
        ("title", run.title),
    ):
        append_row(head, [key, value])
    sheet = workbook.create_sheet("answers")
    append_row(sheet, ANSWER_COLUMNS)
    answers = {a.item_id: a for a in Answer.objects.filter(run=run, assessor__is_region=True)}
    for item in Item.objects.filter(template=run.template).select_related("section").order_by("order"):
        a = answers.get(item.pk)
        shown: Any = ""
        if a is not None and a.value is not None:
            shown = int(a.value) if a.value == a.value.to_integral_value() else float(a.value)
        append_row(
            sheet,
            [
                item.section.code,
                item.code,
                item.text,
                item.answer_type,
                _scale(item, levels),
                shown,
                a.choice if a else "",
                a.text if a else "",
                "yes" if a and a.not_applicable else "",
                a.comment if a else "",
                a.evidence_link if a else "",
                a.evidence_filename if a and a.evidence_file else "",
            ],
        )
    return workbook_bytes(workbook)


@dataclass
class RunImport:
    changed: int
    unchanged: int


def _same(answer: Answer | None, data: dict[str, Any]) -> bool:
    if answer is None:
        return False
    return (
        answer.value == data["value"]
        and answer.choice == data["choice"]
        and answer.text == data["text"]
        and answer.not_applicable == data["not_applicable"]
        and answer.comment == data["comment"]
        and answer.evidence_link == data["evidence_link"]
    )


def import_run(*, actor: Any, run: Run, handle: IO[bytes], name: str = "upload.xlsx") -> RunImport:
    """Write the answers of a filled-in run workbook, or nothing; ImportRefused lists every problem."""
    try:
        workbook = open_workbook(handle, name, _("Upload the run's .xlsx file downloaded from KotaCerdas."))
    except UnreadableFile as error:
        raise ImportRefused([Problem(name, "", error.message)]) from None
    if "run" not in workbook.sheetnames or "answers" not in workbook.sheetnames:
        message = _(
            "The workbook “%(name)s” is not a run's answers: it lacks the sheets run and answers. "
            "Download the run as XLSX to start."
        )
        raise ImportRefused([Problem(name, "", message % {"name": name})])
    meta = {str(r[0]).strip(): r[1] for r in sheet_rows(workbook["run"], min_row=2) if r and r[0]}
    problems: list[Problem] = []
    if str(meta.get("region", "")) != run.region.code:
        problems.append(
            Problem(
                _("sheet %(sheet)s") % {"sheet": "run"},
                "region",
                Message(
                    "region",
                    gettext_noop("the file is for region %(file)s, not %(region)s"),
                    {"file": meta.get("region"), "region": run.region.code},
                ),
            )
        )
    if str(meta.get("template", "")) != run.template.code or str(meta.get("template_version", "")) != str(
        run.template.version
    ):
        problems.append(
            Problem(
                _("sheet %(sheet)s") % {"sheet": "run"},
                "template",
                Message(
                    "template",
                    gettext_noop("the file is for template %(file)s v%(file_version)s, not %(code)s v%(version)s"),
                    {
                        "file": meta.get("template"),
                        "file_version": meta.get("template_version"),
                        "code": run.template.code,
                        "version": run.template.version,
                    },
                ),
            )
        )
    if problems:
        raise ImportRefused(problems)
    levels = run_services.level_count(run.template)
    items = {i.code: i for i in Item.objects.filter(template=run.template)}
    slot = region_slot(run)
    answers = {a.item_id: a for a in Answer.objects.filter(assessor=slot)}
    planned: list[tuple[Item, dict[str, Any]]] = []
    unchanged = 0
    for number, raw in _rows(workbook["answers"]):

        def bad(field: str, message: str | Message, number: int = number) -> None:
            where, column = _where("answers", number, ANSWER_COLUMNS, field)
            problems.append(Problem(where, column, message))

        code = str(raw.get("item") or "").strip()
        item = items.get(code)
        if item is None:
            bad("item", Message("item", gettext_noop("unknown item %(code)r"), {"code": code}))
            continue
        value_raw, choice = raw.get("value"), str(raw.get("choice") or "").strip()
        not_applicable = str(raw.get("not_applicable") or "").strip().lower() in ("yes", "ya", "1", "true", "x")
        text = str(raw.get("text") or "")
        if value_raw in (None, "") and not choice and not not_applicable and not text.strip():
            continue  # left empty: nothing to write
        value: Decimal | None = None
        if value_raw not in (None, ""):
            try:
                value = Decimal(str(value_raw).strip().replace(",", "."))
            except InvalidOperation:
                bad("value", Message("value", gettext_noop("%(value)r is not a number"), {"value": value_raw}))
                continue
        too_big = field_problem(Answer, "value", value)
        if too_big is not None:
            bad("value", too_big)
            continue
        if not_applicable and not item.allow_na:
            bad(
                "not_applicable",
                Message("na", gettext_noop("%(code)s cannot be not applicable"), {"code": code}),
            )
            continue
        if not not_applicable and item.answer_type != AnswerType.TEXT:
            problem = check_answer(item.answer_type, item.options, levels, value, choice)
            if problem:
                bad(
                    "choice" if item.answer_type == AnswerType.CHOICE else "value",
                    Message(
                        "scale",
                        gettext_noop("%(code)s: value outside the scale: %(problem)s"),
                        {"code": code, "problem": problem},
                    ),
                )
                continue
        link = str(raw.get("evidence_link") or "").strip()
        existing = answers.get(item.pk)
        if item.evidence_required and not not_applicable and not link and not (existing and existing.evidence_file):
            bad(
                "evidence_link",
                Message(
                    "evidence",
                    gettext_noop("%(code)s needs evidence: give a link (or upload a file in the browser)"),
                    {"code": code},
                ),
            )
            continue
        data = {
            "value": value.quantize(Decimal("0.01")) if value is not None else None,
            "choice": choice if item.answer_type == AnswerType.CHOICE else "",
            "text": text,
            "not_applicable": not_applicable,
            "comment": str(raw.get("comment") or ""),
            "evidence_link": link,
        }
        unstorable = list(row_problems(Answer, data))  # what the columns can store (issue 14)
        for key, why in unstorable:
            bad(key, why)
        if unstorable:
            continue
        if _same(existing, data):
            unchanged += 1
            continue
        planned.append((item, data))
    if problems:
        raise ImportRefused(problems)
    with transaction.atomic():
        for item, data in planned:
            current = answers.get(item.pk)
            try:
                run_services.save_answer(
                    actor=actor, run=run, assessor=slot, item=item, data=data,
                    expected_version=current.version if current else None,
                )  # fmt: skip
            except ValidationError as error:
                raise ImportRefused([Problem(f"item {item.code}", "answer", " ".join(error.messages))]) from None
            except EditConflict as conflict:
                # Someone answered meanwhile: the file was checked against answers that changed.
                raise ImportRefused([Problem(f"item {item.code}", "answer", str(conflict))]) from None
    return RunImport(changed=len(planned), unchanged=unchanged)
