"""Changing reference frameworks (ministry admins only; the view checks the capability).

A published version is frozen. Editing means: start a draft from the newest version, change its
entries, publish it. The older version stays readable for whatever was made against it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.services import record, snapshot
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Status
from kotacerdas.frameworks.rules import EntryData, problems


@transaction.atomic
def start_draft(*, actor: Any, source: Framework) -> Framework:
    """A new draft version of ``source``'s code, copying ``source``'s entries."""
    existing = Framework.objects.select_for_update().filter(code=source.code)
    if existing.filter(status=Status.DRAFT).exists():
        raise ValidationError(_("There is already a draft of this framework; edit or publish it first."))
    next_version = (existing.aggregate(m=Max("version"))["m"] or 0) + 1
    draft = Framework.objects.create(
        kind=source.kind,
        code=source.code,
        version=next_version,
        title=source.title,
        title_en=source.title_en,
        year=source.year,
        source=source.source,
        is_default=source.is_default,
        status=Status.DRAFT,
    )
    copies: dict[int, FrameworkEntry] = {}
    for entry in source.entries.order_by("parent_id", "order", "id"):
        old_id = entry.pk
        parent_id = entry.parent_id
        entry.pk = None
        entry.framework = draft
        entry.parent = copies[parent_id] if parent_id else None
        entry.save()
        copies[old_id] = entry
    record(actor=actor, action="create", obj=draft, after=snapshot(draft))
    return draft


@transaction.atomic
def update_entry(*, actor: Any, entry: FrameworkEntry, changes: dict[str, Any]) -> FrameworkEntry:
    framework = Framework.objects.select_for_update().get(pk=entry.framework_id)
    if framework.status != Status.DRAFT:
        raise ValidationError(_("A published version cannot be changed; start a new draft."))
    before = snapshot(entry)
    for field, value in changes.items():
        setattr(entry, field, value)
    entry.full_clean()
    entry.save()
    record(actor=actor, action="update", obj=entry, before=before, after=snapshot(entry))
    return entry


def _as_rule_data(framework: Framework) -> list[EntryData]:
    entries = list(framework.entries.all())
    children: dict[int, list[EntryData]] = {}
    for e in entries:
        if e.parent_id:
            children.setdefault(e.parent_id, []).append(EntryData(e.code, e.name))
    return [
        EntryData(e.code, e.name, e.level, e.weight, e.lower_bound, e.lower_inclusive, children.get(e.pk, []))
        for e in entries
        if e.parent_id is None
    ]


def publish_problems(framework: Framework) -> list[str]:
    return problems(framework.kind, _as_rule_data(framework))


@transaction.atomic
def publish(*, actor: Any, framework: Framework) -> Framework:
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    found = publish_problems(framework)
    if found:
        raise ValidationError(found)
    before = snapshot(framework)
    framework.status = Status.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at"])
    record(actor=actor, action="update", obj=framework, before=before, after=snapshot(framework))
    return framework
