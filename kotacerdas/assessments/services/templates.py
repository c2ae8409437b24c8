"""Writing assessment templates: create a version from a checked spec, start a new draft version,
edit a draft in the browser, publish a draft.

A published version is frozen (runs score against it). The ministry changes a template by starting
a new draft version (a copy), editing it and publishing it. Every editing service locks the draft's
row first, so writes to one draft take turns, compares the edited row's ``revision`` with the one
the form was loaded at (optimistic locking), validates with field-named ``ValidationError``
messages, writes and records an audit entry, all in one transaction. Publishing runs the whole
template through the same checks as an import, so a template edited in the browser can never be
published in a state a file could not be imported in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Prefetch
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.accounts import access
from kotacerdas.assessments.definition import (
    SLUG,
    Problem,
    TemplateInvalid,
    TemplateSpec,
    check,
    parse_header,
    parse_item,
    parse_section,
)
from kotacerdas.assessments.models import AnswerType, Item, Section, Template, TemplateStatus
from kotacerdas.assessments.scoring import METHODS, ScoringError, check_thresholds, check_weights
from kotacerdas.audit.services import record, snapshot
from kotacerdas.frameworks.models import Framework, FrameworkEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.limits import field_problem
from kotacerdas.lib.messages import Message


def _framework(code: str, version: int) -> Framework | None:
    return Framework.objects.filter(code=code, version=version).first()


def _entries_of(code: str, version: int) -> dict[str, str | None] | None:
    framework = _framework(code, version)
    if framework is None:
        return None
    return {e.code: (e.parent.code if e.parent else None) for e in framework.entries.select_related("parent")}


def _level_count(code: str, version: int) -> int | None:
    framework = _framework(code, version)
    return None if framework is None else framework.entries.count()


def _limits(spec: TemplateSpec, where: str) -> list[Problem]:
    """Values of the spec that their columns cannot store (issue 14: lengths, digits, NUL)."""
    rows: list[tuple[type[Any], Any, str]] = [(Template, spec, where)]
    for section in spec.sections:
        rows.append((Section, section, section.where or where))
        rows.extend((Item, item, item.where or where) for item in section.items)
    problems = []
    for model, row, here in rows:
        for name in ("kind", "code", "version", "title", "description", "text", "guidance", "weight", "combine"):
            problem = field_problem(model, name, getattr(row, name, None))
            if problem is not None:
                problems.append(Problem(here, name, problem))
        for n, text in enumerate(getattr(row, "rubric", [])):
            problem = field_problem(Item, "text", text)  # a rubric line is text like the item's own
            if problem is not None:
                problems.append(Problem(here, f"rubric_{n + 1}", problem))
    return problems


def validate(spec: TemplateSpec, where: str) -> None:
    """Raise TemplateInvalid listing every problem, including a clash with an existing version."""
    problems = check(spec, _entries_of, _level_count, where)
    problems.extend(_limits(spec, where))
    if Template.objects.filter(code=spec.code, version=spec.version).exists():
        problems.append(
            Problem(
                where,
                "version",
                Message(
                    "version",
                    gettext_noop("%(code)s v%(version)s already exists; raise the version"),
                    {"code": spec.code, "version": spec.version},
                ),
            )
        )
    if problems:
        raise TemplateInvalid(problems)


@transaction.atomic
def create_template(*, actor: Any, spec: TemplateSpec, where: str = "template", publish: bool = True) -> Template:
    """Write one template version (all of it, or nothing) and audit it."""
    access.check(actor, access.is_ministry)
    validate(spec, where)
    taxonomy = Framework.objects.get(code=spec.taxonomy, version=spec.taxonomy_version)
    levels = Framework.objects.get(code=spec.levels, version=spec.levels_version) if spec.levels else None
    entries = {e.code: e for e in FrameworkEntry.objects.filter(framework=taxonomy)}
    template = Template.objects.create(
        kind=spec.kind,
        code=spec.code,
        version=spec.version,
        title=spec.title,
        description=spec.description,
        taxonomy=taxonomy,
        levels=levels,
        thresholds=spec.thresholds,
        combine=spec.combine,
        status=TemplateStatus.PUBLISHED if publish else TemplateStatus.DRAFT,
    )
    order = 0
    items: list[Item] = []
    for s_order, s in enumerate(spec.sections, start=1):
        section = Section.objects.create(
            template=template,
            code=s.code,
            title=s.title,
            entry=entries.get(s.entry),
            weight=s.weight,
            has_swot=s.has_swot,
            order=s_order,
        )
        for i in s.items:
            order += 1
            items.append(
                Item(
                    template=template,
                    section=section,
                    code=i.code,
                    text=i.text,
                    guidance=i.guidance,
                    answer_type=i.answer_type,
                    weight=i.weight,
                    evidence_required=i.evidence_required,
                    allow_na=i.allow_na,
                    entry=entries.get(i.entry),
                    options=i.options,
                    rubric=i.rubric,
                    order=order,
                )
            )
    Item.objects.bulk_create(items)
    after = snapshot(template)
    after["sections"] = len(spec.sections)
    after["items"] = len(items)
    record(actor=actor, action="create", obj=template, after=after)
    return template


# Checking a stored template -------------------------------------------------------------------


def sections_with_items(template: Template) -> models.QuerySet[Section]:
    """The template's sections with their items and framework entries (two queries in all)."""
    items = Item.objects.select_related("entry").order_by("order", "id")
    return (
        Section.objects.filter(template=template)
        .select_related("entry")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("order", "id")
    )


def _spec_of(template: Template, sections: Iterable[Section]) -> tuple[TemplateSpec, list[Problem]]:
    """The stored template read back through the parsers of the file readers, so that publishing
    checks exactly what an import checks (weights, thresholds, choices and their points, bands)."""
    problems: list[Problem] = []
    header: dict[str, Any] = {
        "kind": template.kind,
        "code": template.code,
        "version": template.version,
        "title": template.title,
        "description": template.description,
        "taxonomy": template.taxonomy.code,
        "taxonomy_version": template.taxonomy.version,
        "thresholds": list(template.thresholds),
        "combine": template.combine,
    }
    if template.levels is not None:
        header.update(levels=template.levels.code, levels_version=template.levels.version)
    spec = parse_header(header, "template", problems)
    for s in sections:
        where = f"section {s.code}"
        raw_section = {
            "code": s.code,
            "title": s.title,
            "entry": s.entry.code if s.entry else "",
            "weight": s.weight,
            "swot": s.has_swot,
        }
        section = parse_section(raw_section, where, problems)
        for i in s.items.all():
            raw: dict[str, Any] = {
                "code": i.code,
                "text": i.text,
                "type": i.answer_type,
                "weight": i.weight,
                "evidence": i.evidence_required,
                "na": i.allow_na,
                "entry": i.entry.code if i.entry else "",
                "guidance": i.guidance,
                "rubric": list(i.rubric),
            }
            options = i.options or {}
            if i.answer_type == AnswerType.CHOICE:
                raw["choices"] = options.get("choices", [])
            if i.answer_type == AnswerType.NUMBER:
                raw["bands"] = options.get("bands", [])
                raw["direction"] = options.get("direction") or "higher"
                raw.update({b: options[b] for b in ("min", "max") if options.get(b) is not None})
            section.items.append(parse_item(raw, f"{where} item {i.code}", problems))
        spec.sections.append(section)
    return spec, problems


def publish_problems(template: Template, sections: Iterable[Section] | None = None) -> list[Problem]:
    """Why ``template`` cannot be published; empty when it can.

    Pass ``sections`` from :func:`sections_with_items` when the page has them already.
    """
    spec, problems = _spec_of(template, sections_with_items(template) if sections is None else sections)
    return problems + check(spec, _entries_of, _level_count, "template")


@transaction.atomic
def publish_template(*, actor: Any, template: Template) -> Template:
    """Publish a draft once the whole template passes the checks of an import; it is frozen from then on."""
    access.check(actor, access.is_ministry)
    template = Template.objects.select_for_update().get(pk=template.pk)
    if template.status != TemplateStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = publish_problems(template)
    if problems:
        raise ValidationError([str(p) for p in problems])
    before = snapshot(template)
    template.status = TemplateStatus.PUBLISHED
    template.save(update_fields=["status"])
    record(actor=actor, action="publish", obj=template, before=before, after=snapshot(template))
    return template


# New versions ---------------------------------------------------------------------------------


class DraftExists(ValidationError):
    """A draft of the code is already open; ``draft`` is it, so the page can point to it."""

    def __init__(self, draft: Template) -> None:
        super().__init__(
            _(
                "Version %(version)s of this template is already a draft. "
                "Edit or publish it before starting another version."
            )
            % {"version": draft.version},
            code="draft_exists",
        )
        self.draft = draft


@transaction.atomic
def start_template_version(*, actor: Any, template: Template) -> Template:
    """A new draft version of ``template``'s code: a copy of ``template`` with its sections and items.

    Any version may be the source (an older one too, to take a change back). One draft per code
    is open at a time, so two people never edit two competing next versions.
    """
    access.check(actor, access.is_ministry)
    # Lock every version of the code first, then read in fresh statements: a draft another
    # transaction created while we waited for the lock is then seen, not duplicated.
    list(Template.objects.select_for_update().filter(code=template.code).values_list("pk"))
    versions = Template.objects.filter(code=template.code)
    open_draft = versions.filter(status=TemplateStatus.DRAFT).order_by("-version").first()
    if open_draft is not None:
        raise DraftExists(open_draft)
    source = Template.objects.get(pk=template.pk)
    draft = Template.objects.create(
        kind=source.kind,
        code=source.code,
        version=(versions.aggregate(m=Max("version"))["m"] or 0) + 1,
        title=source.title,
        description=source.description,
        taxonomy_id=source.taxonomy_id,
        levels_id=source.levels_id,
        thresholds=list(source.thresholds),
        combine=source.combine,
        status=TemplateStatus.DRAFT,
    )
    sections = list(Section.objects.filter(template=source).order_by("order", "id"))
    old_codes = {s.pk: s.code for s in sections}
    for section in sections:
        section.pk, section.template, section.revision = None, draft, 1
    Section.objects.bulk_create(sections)
    new_sections = {s.code: s for s in Section.objects.filter(template=draft)}
    items = list(Item.objects.filter(template=source).order_by("order", "id"))
    for item in items:
        item.section = new_sections[old_codes[item.section_id]]
        item.pk, item.template, item.revision = None, draft, 1
    Item.objects.bulk_create(items)
    after = {
        **snapshot(draft),
        "version": draft.version,
        "copied_from": source.pk,
        "copied_from_version": source.version,
        "sections": len(sections),
        "items": len(items),
    }
    record(actor=actor, action="create", obj=draft, after=after)
    return draft


# Reading what a person typed ------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def _separator(name: str) -> str:
    return str(formats.get_format(name))


def _number(text: str) -> float | int | None:
    """A number typed as ``75``, ``2,5`` or ``2.5``; None when it is none or could be read two ways.

    ``1.000`` on an Indonesian page (``1,000`` on an English one) may mean a thousand, so a lone
    thousands separator before three digits is refused rather than read as a decimal point.
    """
    token = text.strip()
    if not _NUMBER.fullmatch(token):
        return None
    thousands = _separator("THOUSAND_SEPARATOR")
    if thousands in (".", ",") and re.fullmatch(rf"[+-]?[1-9]\d{{0,2}}{re.escape(thousands)}\d{{3}}", token):
        return None
    value = float(token.replace(",", "."))
    return int(value) if value.is_integer() else value


def number_text(value: Any) -> str:
    """A stored number as :func:`_number` reads it back: no grouping, the page's decimal separator."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", _separator("DECIMAL_SEPARATOR"))


def _example() -> str:
    return number_text(2.5)


def _lines(text: Any) -> list[tuple[int, str]]:
    """The non-empty lines of a textarea with their line numbers (counting from 1)."""
    return [(n, line.strip()) for n, line in enumerate(str(text or "").splitlines(), start=1) if line.strip()]


def parse_thresholds(value: str | Sequence[Any], levels: int) -> tuple[list[float | int], list[str]]:
    """Level thresholds typed as ``20; 40; 60; 80``: the numbers, or why they are refused."""
    tokens = [t for t in re.split(r"[;\s]+", value) if t] if isinstance(value, str) else [str(t) for t in value]
    numbers: list[float | int] = []
    for token in tokens:
        number = _number(token)
        if number is None:
            message = _("%(value)s is not a number; write the thresholds like 20; 40; 60; 80.")
            return [], [message % {"value": token}]
        numbers.append(number)
    if len(numbers) != levels - 1:
        return [], [_("Give %(count)s thresholds, one for each level above 1.") % {"count": levels - 1}]
    try:
        check_thresholds(numbers)
    except ScoringError:
        return [], [_("The thresholds must rise from one to the next and lie above 0 and at most 100.")]
    return numbers, []


def parse_choices(text: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """Choices typed one per line as ``code | label | points``: the choices, or line-numbered problems."""
    choices: list[dict[str, Any]] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in _lines(text):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not parts[0] or not parts[1]:
            problems.append(_("Line %(line)s: write code | label | points, e.g. T | Tinggi | 75.") % {"line": number})
            continue
        code, label, raw_points = parts
        points = _number(raw_points)
        if points is None or not 0 <= points <= 100:
            problems.append(
                _("Line %(line)s: the points of %(code)s must be a number from 0 to 100.")
                % {"line": number, "code": code}
            )
            continue
        if len(code) > 40:
            problems.append(_("Line %(line)s: a code has at most 40 characters.") % {"line": number})
            continue
        if code in first_line:
            problems.append(
                _("Line %(line)s: the code %(code)s is already used on line %(first)s.")
                % {"line": number, "code": code, "first": first_line[code]}
            )
            continue
        first_line[code] = number
        choices.append({"code": code, "label": label, "points": points})
    if not problems and len(choices) < 2:
        problems.append(_("A choice item needs at least two choices, one per line."))
    return choices, problems


def parse_bands(text: Any) -> tuple[list[float | int], list[str]]:
    """The thresholds (bands) of a number item, one per line and rising, or line-numbered problems."""
    bands: list[float | int] = []
    problems: list[str] = []
    for number, line in _lines(text):
        value = _number(line)
        if value is None:
            problems.append(
                _("Line %(line)s: %(value)s is not a number; write it like 75 or %(example)s.")
                % {"line": number, "value": line, "example": _example()}
            )
        elif bands and value <= bands[-1]:
            problems.append(_("Line %(line)s: each threshold must be above the one before it.") % {"line": number})
        else:
            bands.append(value)
    if not problems and not bands:
        problems.append(_("A number item needs at least one threshold, one per line."))
    return bands, problems


def parse_rubric(text: Any, levels: int) -> tuple[list[str], list[str]]:
    """A level item's rubric, one line per level; empty is allowed (no rubric)."""
    rubric = [line for _n, line in _lines(text)]
    if rubric and len(rubric) != levels:
        return [], [_("Give one line for each of the %(count)s levels, or leave the rubric empty.") % {"count": levels}]
    return rubric, []


# Editing a draft ------------------------------------------------------------------------------

HEADER_FIELDS = ("title", "description")
SECTION_FIELDS = ("title", "weight", "order")
ITEM_FIELDS = ("text", "guidance", "weight", "evidence_required", "allow_na")

Errors = dict[str, list[str]]


def _locked_draft(template_id: int) -> Template:
    """The template row, locked for this transaction; refused unless it is still a draft."""
    template = Template.objects.select_for_update().get(pk=template_id)
    if template.status != TemplateStatus.DRAFT:
        raise ValidationError(_("A published version cannot be changed; start a new draft."))
    return template


def _check_revision(row: Template | Section | Item, expected: int) -> None:
    """Required, like lib/concurrency.lock_current: no revision is refused like a stale one."""
    if row.revision != expected:
        raise EditConflict


def _apply(row: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            setattr(row, field, value.strip() if isinstance(value, str) else value)


def _add(errors: Errors, field: str, messages: Iterable[str]) -> None:
    errors.setdefault(field, []).extend(messages)


def _clean(row: models.Model, errors: Errors) -> None:
    """Add the model's own field checks (blank, length, decimal places) and raise every problem."""
    try:
        row.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            _add(errors, field, messages)
    if errors:
        raise ValidationError(errors)


def _levels_of(template: Template) -> int:
    """How many levels a level item of ``template`` has (5 without a level framework, as in checks)."""
    if template.levels_id is None:
        return 5
    return FrameworkEntry.objects.filter(framework_id=template.levels_id).count()


def _sum_to_zero(weights: Iterable[Any]) -> bool:
    """Whether scoring would refuse these weights (negative ones are refused field by field first)."""
    try:
        check_weights([float(w) for w in weights], "")
    except ScoringError:
        return True
    return False


def _renumber_items(template_id: int) -> None:
    """Number the items in section order: scores and pages list sections in the order of their items."""
    items = list(
        Item.objects.filter(template_id=template_id)
        .order_by("section__order", "section_id", "order", "id")
        .only("pk", "order")
    )
    changed = []
    for number, item in enumerate(items, start=1):
        if item.order != number:
            item.order = number
            changed.append(item)
    Item.objects.bulk_update(changed, ["order"])


@transaction.atomic
def update_template_header(
    *, actor: Any, template: Template, data: Mapping[str, Any], expected_revision: int
) -> Template:
    """Change a draft's title, description, level thresholds (``20; 40; 60; 80``) and combine method."""
    access.check(actor, access.is_ministry)
    template = _locked_draft(template.pk)
    _check_revision(template, expected_revision)
    before = snapshot(template)
    errors: Errors = {}
    _apply(template, data, HEADER_FIELDS)
    if "thresholds" in data:
        thresholds, problems = parse_thresholds(data["thresholds"], _levels_of(template))
        if problems:
            _add(errors, "thresholds", problems)
        else:
            template.thresholds = thresholds
    if "combine" in data:
        if data["combine"] in METHODS:
            template.combine = data["combine"]
        else:
            _add(errors, "combine", [_("Choose mean or median.")])
    _clean(template, errors)
    template.revision += 1
    template.save()
    record(actor=actor, action="update", obj=template, before=before, after=snapshot(template))
    return template


@transaction.atomic
def update_section(*, actor: Any, section: Section, data: Mapping[str, Any], expected_revision: int) -> Section:
    """Change a section of a draft: its title, weight and place (``order``) among the sections."""
    access.check(actor, access.is_ministry)
    template = _locked_draft(section.template_id)
    section = Section.objects.select_for_update().get(pk=section.pk)
    _check_revision(section, expected_revision)
    before = snapshot(section)
    errors: Errors = {}
    _apply(section, data, SECTION_FIELDS)
    if section.weight is not None and section.weight < 0:
        _add(errors, "weight", [_("Give a weight of zero or more.")])
    elif section.weight is not None:
        others = Section.objects.filter(template=template).exclude(pk=section.pk).values_list("weight", flat=True)
        if _sum_to_zero([*others, section.weight]):
            message = _(
                "The section weights of this template would sum to zero; give at least one section a weight above zero."
            )
            _add(errors, "weight", [message])
    _clean(section, errors)
    section.revision += 1
    section.save()
    section.refresh_from_db(fields=["weight"])  # the audit shows the weight as stored (2.00, not 2)
    if section.order != before["order"]:
        _renumber_items(template.pk)
    record(actor=actor, action="update", obj=section, before=before, after=snapshot(section))
    return section


def _apply_item(template: Template, item: Item, section: Section, data: Mapping[str, Any]) -> Errors:
    """Copy the editable fields of ``data`` onto ``item`` and say what is wrong with them."""
    errors: Errors = {}
    _apply(item, data, ITEM_FIELDS)
    if item.weight is not None and item.weight < 0:
        _add(errors, "weight", [_("Give a weight of zero or more.")])
    options = dict(item.options or {})
    if item.answer_type == AnswerType.CHOICE:
        if "options" in data:
            choices, problems = parse_choices(data["options"])
            if problems:
                _add(errors, "options", problems)
            else:
                options["choices"] = choices
    elif item.answer_type == AnswerType.NUMBER:
        if "options" in data:
            bands, problems = parse_bands(data["options"])
            if problems:
                _add(errors, "options", problems)
            else:
                options["bands"] = bands
        if data.get("direction"):
            if data["direction"] in ("higher", "lower"):
                options["direction"] = data["direction"]
            else:
                _add(errors, "direction", [_("Choose whether higher or lower values are better.")])
        for bound in ("min", "max"):
            if bound in data:
                value = data[bound]
                if value is None or value == "":
                    options.pop(bound, None)
                else:
                    number = float(value) if isinstance(value, Decimal | int | float) else _number(str(value))
                    if number is None:
                        _add(errors, bound, [_("Write a number like 75 or %(example)s.") % {"example": _example()}])
                    else:
                        options[bound] = int(number) if float(number).is_integer() else number
        low, high = options.get("min"), options.get("max")
        if low is not None and high is not None and low >= high and not {"min", "max"} & errors.keys():
            _add(errors, "max", [_("The maximum must be above the minimum.")])
    elif str(data.get("options") or "").strip():
        _add(errors, "options", [_("Only choice and number items have options; leave this empty.")])
    item.options = options
    if item.answer_type == AnswerType.LEVEL:
        if "rubric" in data:
            rubric, problems = parse_rubric(data["rubric"], _levels_of(template))
            if problems:
                _add(errors, "rubric", problems)
            else:
                item.rubric = rubric
    elif str(data.get("rubric") or "").strip():
        _add(errors, "rubric", [_("Only level items have a rubric; leave this empty.")])
    if item.weight is not None and "weight" not in errors and item.answer_type != AnswerType.TEXT:
        others = (
            Item.objects.filter(section=section)
            .exclude(pk=item.pk)
            .exclude(answer_type=AnswerType.TEXT)
            .values_list("weight", flat=True)
        )
        if _sum_to_zero([*others, item.weight]):
            message = _(
                "The weights of the scored items of section %(section)s would sum to zero; "
                "give at least one of them a weight above zero."
            ) % {"section": section.code}
            _add(errors, "weight", [message])
    return errors


@transaction.atomic
def update_item(*, actor: Any, item: Item, data: Mapping[str, Any], expected_revision: int) -> Item:
    """Change an item of a draft: its text, guidance, weight, evidence and N/A flags, and by its
    answer type its choices (``code | label | points`` lines), bands, bounds and direction, or rubric."""
    access.check(actor, access.is_ministry)
    template = _locked_draft(item.template_id)
    item = Item.objects.select_for_update().select_related("section").get(pk=item.pk)
    _check_revision(item, expected_revision)
    before = snapshot(item)
    errors = _apply_item(template, item, item.section, data)
    _clean(item, errors)
    item.revision += 1
    item.save()
    item.refresh_from_db(fields=["weight"])  # the audit shows the weight as stored (2.50, not 2.5)
    record(actor=actor, action="update", obj=item, before=before, after=snapshot(item))
    return item


@transaction.atomic
def add_item(*, actor: Any, template: Template, section: Section, data: Mapping[str, Any]) -> Item:
    """Add an item at the end of a section of a draft (``data`` as for :func:`update_item`, plus
    ``code``, ``answer_type`` and an optional taxonomy ``entry``)."""
    access.check(actor, access.is_ministry)
    template = _locked_draft(template.pk)
    if section.template_id != template.pk:
        raise ValidationError({"section": _("Choose one of this template's sections.")})
    errors: Errors = {}
    code = str(data.get("code") or "").strip()
    if not SLUG.fullmatch(code):
        _add(errors, "code", [_("Use letters, digits, '-', '_' and '.' only.")])
    elif Item.objects.filter(template=template, code__iexact=code).exists():
        _add(errors, "code", [_("Another item of this template already uses the code %(code)s.") % {"code": code}])
    answer_type = str(data.get("answer_type") or "")
    if answer_type not in AnswerType.values:
        _add(errors, "answer_type", [_("Choose an answer type.")])
    entry = data.get("entry")
    if entry is not None and entry.framework_id != template.taxonomy_id:
        _add(errors, "entry", [_("Choose an entry of the template's taxonomy.")])
    last = Item.objects.filter(section=section).aggregate(m=Max("order"))["m"]
    item = Item(
        template=template,
        section=section,
        code=code,
        answer_type=answer_type,
        entry=entry,
        options={"direction": "higher"} if answer_type == AnswerType.NUMBER else {},
        rubric=[],
        order=last or 0,  # the new item sorts after the section's last one (higher id), then renumbered
    )
    # A new choice or number item needs its options even when the field was left out.
    full = {"options": "", **data} if answer_type in (AnswerType.CHOICE, AnswerType.NUMBER) else data
    for field, messages in _apply_item(template, item, section, full).items():
        _add(errors, field, messages)
    _clean(item, errors)
    item.save()
    _renumber_items(template.pk)
    item.refresh_from_db(fields=["order", "weight"])
    record(actor=actor, action="create", obj=item, after=snapshot(item))
    return item


@transaction.atomic
def remove_item(*, actor: Any, item: Item, expected_revision: int) -> None:
    """Remove an item of a draft; its section keeps at least one item and scorable weights."""
    access.check(actor, access.is_ministry)
    _locked_draft(item.template_id)
    item = Item.objects.select_for_update().select_related("section").get(pk=item.pk)
    _check_revision(item, expected_revision)
    rest = list(
        Item.objects.filter(section_id=item.section_id).exclude(pk=item.pk).values_list("answer_type", "weight")
    )
    names = {"code": item.code, "section": item.section.code}
    if not rest:
        raise ValidationError(
            _("%(code)s is the only item of section %(section)s, and a section needs at least one item.") % names
        )
    if _sum_to_zero([w for kind, w in rest if kind != AnswerType.TEXT]):
        raise ValidationError(
            _(
                "Removing %(code)s would leave the scored items of section %(section)s with weights summing "
                "to zero; give another item a weight above zero first."
            )
            % names
        )
    record(actor=actor, action="delete", obj=item, before=snapshot(item))
    item.delete()
