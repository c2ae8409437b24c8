"""Writing assessment templates: create a version from a checked spec, publish a draft."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kotacerdas.assessments.definition import Problem, TemplateInvalid, TemplateSpec, check
from kotacerdas.assessments.models import Item, Section, Template, TemplateStatus
from kotacerdas.audit.services import record, snapshot
from kotacerdas.frameworks.models import Framework, FrameworkEntry


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


def validate(spec: TemplateSpec, where: str) -> None:
    """Raise TemplateInvalid listing every problem, including a clash with an existing version."""
    problems = check(spec, _entries_of, _level_count, where)
    if Template.objects.filter(code=spec.code, version=spec.version).exists():
        problems.append(Problem(where, "version", f"{spec.code} v{spec.version} already exists; raise the version"))
    if problems:
        raise TemplateInvalid(problems)


@transaction.atomic
def create_template(*, actor: Any, spec: TemplateSpec, where: str = "template", publish: bool = True) -> Template:
    """Write one template version (all of it, or nothing) and audit it."""
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


@transaction.atomic
def publish_template(*, actor: Any, template: Template) -> Template:
    template = Template.objects.select_for_update().get(pk=template.pk)
    before = snapshot(template)
    template.status = TemplateStatus.PUBLISHED
    template.save(update_fields=["status"])
    record(actor=actor, action="publish", obj=template, before=before, after=snapshot(template))
    return template
