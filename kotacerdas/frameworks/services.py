"""Changing reference frameworks (ministry admins only; the view checks the capability).

A published version is frozen. Editing means: start a draft from a version, change its title and
entries, publish it. The older version stays readable for whatever was made against it.

Every service validates, writes and records an audit entry in one transaction, and raises
``ValidationError`` (with field names where there is a field) so forms and the command line
report the same errors and nothing is saved on error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Status
from kotacerdas.frameworks.rules import ENTRY_CODE, NESTED_KINDS, EntryData, problems
from kotacerdas.lib.concurrency import lock_current

DRAFT_FIELDS = ("title", "title_en", "year", "source")
ENTRY_FIELDS = ("name", "name_en", "description", "level", "weight", "lower_bound", "lower_inclusive")


def _apply(obj: Any, data: dict[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])


def _locked_draft(framework_id: int) -> Framework:
    """The framework row, locked for this transaction; refused unless it is still a draft."""
    framework = Framework.objects.select_for_update().get(pk=framework_id)
    if framework.status != Status.DRAFT:
        raise ValidationError(_("A published version cannot be changed; start a new draft."))
    return framework


# Versions -----------------------------------------------------------------------------------


@transaction.atomic
def start_draft(*, actor: Any, source: Framework) -> Framework:
    """A new draft version of ``source``'s code, copying ``source``'s entries."""
    access.check(actor, access.is_ministry)
    # Lock every version of the code first, then read in fresh statements: a draft another
    # transaction created while we waited for the lock is then seen, not duplicated.
    list(Framework.objects.select_for_update().filter(code=source.code).values_list("pk"))
    versions = Framework.objects.filter(code=source.code)
    if versions.filter(status=Status.DRAFT).exists():
        raise ValidationError(_("There is already a draft of this framework; edit or publish it first."))
    next_version = (versions.aggregate(m=Max("version"))["m"] or 0) + 1
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
    by_parent: dict[int | None, list[FrameworkEntry]] = {}
    for entry in FrameworkEntry.objects.filter(framework_id=source.pk).order_by("order", "id"):
        by_parent.setdefault(entry.parent_id, []).append(entry)
    _copy_entries(draft, by_parent, old_parent_id=None, new_parent=None)
    record(actor=actor, action="create", obj=draft, after={**snapshot(draft), "copied_from": source.pk})
    return draft


def _copy_entries(
    draft: Framework,
    by_parent: dict[int | None, list[FrameworkEntry]],
    old_parent_id: int | None,
    new_parent: FrameworkEntry | None,
) -> None:
    # Parents before their children, whatever the database's ordering of NULL parent ids.
    for entry in by_parent.get(old_parent_id, []):
        old_id = entry.pk
        entry.pk = None
        entry.framework = draft
        entry.parent = new_parent
        entry.save()
        _copy_entries(draft, by_parent, old_parent_id=old_id, new_parent=entry)


@transaction.atomic
def update_draft(*, actor: Any, framework: Framework, data: dict[str, Any]) -> Framework:
    """Change a draft's title, English title, year and source."""
    access.check(actor, access.is_ministry)
    framework = _locked_draft(framework.pk)
    before = snapshot(framework)
    _apply(framework, data, DRAFT_FIELDS)
    framework.full_clean()
    framework.save()
    record(actor=actor, action="update", obj=framework, before=before, after=snapshot(framework))
    return framework


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
    """Why ``framework`` cannot be published, in the active language; empty when it can.

    Uses ``framework.entries.all()``, so a prefetched framework costs no query.
    """
    return [p.render(_, localize) for p in problems(framework.kind, _as_rule_data(framework))]


@transaction.atomic
def publish(*, actor: Any, framework: Framework) -> Framework:
    access.check(actor, access.is_ministry)
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


# Entries of a draft -------------------------------------------------------------------------


@transaction.atomic
def update_entry(
    *, actor: Any, entry: FrameworkEntry, changes: dict[str, Any], expected_version: int
) -> FrameworkEntry:
    """Change an entry of a draft at the version the caller saw (EditConflict otherwise); only
    the fields in ``ENTRY_FIELDS`` are taken from ``changes``."""
    access.check(actor, access.is_ministry)
    _locked_draft(entry.framework_id)
    # Re-read under the lock: a bound ModelForm has already copied its input onto the caller's
    # instance, and the audit entry must show the values as stored before this change.
    entry = lock_current(FrameworkEntry.objects.filter(framework_id=entry.framework_id), entry.pk, expected_version)
    before = snapshot(entry)
    _apply(entry, changes, ENTRY_FIELDS)
    entry.version += 1
    entry.full_clean()
    entry.save()
    record(actor=actor, action="update", obj=entry, before=before, after=snapshot(entry))
    return entry


@transaction.atomic
def add_entry(
    *, actor: Any, framework: Framework, data: dict[str, Any], parent: FrameworkEntry | None = None
) -> FrameworkEntry:
    """Add an entry at the end of a draft (or, for a taxonomy, at the end of ``parent``'s elements)."""
    access.check(actor, access.is_ministry)
    framework = _locked_draft(framework.pk)
    code = str(data.get("code") or "").strip()
    if not ENTRY_CODE.fullmatch(code):
        raise ValidationError({"code": _("Use letters, digits, - and _ only, starting with a letter or digit.")})
    if framework.entries.filter(code__iexact=code).exists():
        raise ValidationError(
            {"code": _("Another entry of this version already uses the code %(code)s.") % {"code": code}}
        )
    if parent is not None:
        if framework.kind not in NESTED_KINDS:
            raise ValidationError({"parent": _("Entries of this kind of framework have no sub-entries.")})
        if parent.framework_id != framework.pk or parent.parent_id is not None:
            raise ValidationError({"parent": _("Choose one of this version's top-level entries.")})
    siblings = framework.entries.filter(parent=parent)
    entry = FrameworkEntry(
        framework=framework,
        parent=parent,
        code=code,
        order=(siblings.aggregate(m=Max("order"))["m"] or 0) + 1,
    )
    _apply(entry, data, ENTRY_FIELDS)
    entry.full_clean()
    entry.save()
    record(actor=actor, action="create", obj=entry, after=snapshot(entry))
    return entry


@transaction.atomic
def remove_entry(*, actor: Any, entry: FrameworkEntry, expected_version: int) -> None:
    """Remove an entry of a draft, with its sub-entries (a dimension's elements), only at the
    version the person saw when they chose to remove it."""
    access.check(actor, access.is_ministry)
    _locked_draft(entry.framework_id)
    entry = lock_current(FrameworkEntry.objects.filter(framework_id=entry.framework_id), entry.pk, expected_version)
    removed = [*FrameworkEntry.objects.filter(parent=entry).order_by("order", "id"), entry]
    for row in removed:
        record(actor=actor, action="delete", obj=row, before=snapshot(row))
    entry.delete()
