"""Review writes: dispositions of carried programmes and mentor comment threads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.lib.concurrency import lock_current
from kotacerdas.notifications import events
from kotacerdas.plans.models import (
    Disposition,
    DispositionKind,
    Edition,
    Programme,
    ReviewComment,
    ReviewThread,
    Section,
    ThreadStatus,
)
from kotacerdas.plans.serialise import programme_snapshot
from kotacerdas.plans.services.common import ensure_editable
from kotacerdas.plans.services.editions import carry_programme
from kotacerdas.plans.summaries import touch as touch_summary

KEEPS_COPY = {DispositionKind.KEEP, DispositionKind.REVISE}


@transaction.atomic
def set_disposition(
    *, actor: Any, disposition: Disposition, data: Mapping[str, Any], expected_version: int
) -> Disposition:
    """Change a disposition. DROP and MERGE take the carried copy out of the edition; going back to
    KEEP or REVISE carries the previous programme again. ``merged_into`` is required for MERGE."""
    access.check(actor, access.may, disposition.edition.region, access.Can.EDIT)
    disposition = lock_current(
        Disposition.objects.filter(region_id=disposition.region_id), disposition.pk, expected_version
    )
    edition = disposition.edition
    ensure_editable(edition)
    before = snapshot(disposition)
    kind = data.get("kind", disposition.kind)
    merged_into: Programme | None = data.get("merged_into", disposition.merged_into)
    errors: dict[str, list[str]] = {}
    if kind not in DispositionKind.values:
        errors.setdefault("kind", []).append(_("Unknown disposition."))
    elif disposition.previous_programme_id is None and kind != DispositionKind.NEW:
        errors.setdefault("kind", []).append(_("A programme new in this edition can only be “new”."))
    elif disposition.previous_programme_id is not None and kind == DispositionKind.NEW:
        errors.setdefault("kind", []).append(_("A carried programme cannot be “new”; choose keep or revise."))
    if kind == DispositionKind.MERGE:
        if merged_into is None:
            errors.setdefault("merged_into", []).append(_("Choose the programme it is merged into."))
        elif merged_into.edition_id != edition.pk or merged_into.pk == disposition.programme_id:
            errors.setdefault("merged_into", []).append(_("Choose another programme of this edition."))
    else:
        merged_into = None
    if kind in (DispositionKind.DROP, DispositionKind.MERGE) and not (data.get("rationale") or disposition.rationale):
        errors.setdefault("rationale", []).append(_("Say why the programme is dropped or merged."))
    if errors:
        raise ValidationError(errors)
    copy = disposition.programme
    if kind not in KEEPS_COPY and kind != DispositionKind.NEW and copy is not None:
        record(actor=actor, action="delete", obj=copy, region=edition.region, before=programme_snapshot(copy))
        disposition.programme = None
        copy.delete()
    elif kind in KEEPS_COPY and copy is None and disposition.previous_programme is not None:
        disposition.programme = carry_programme(previous=disposition.previous_programme, edition=edition)
        record(
            actor=actor,
            action="create",
            obj=disposition.programme,
            region=edition.region,
            after=programme_snapshot(disposition.programme),
        )
    disposition.kind = kind
    disposition.merged_into = merged_into
    for field in ("rationale", "implementation_status", "implementation_note"):
        if field in data:
            setattr(disposition, field, data[field])
    disposition.full_clean(exclude=["region", "edition", "previous_programme", "programme", "merged_into"])
    disposition.version += 1
    disposition.save()
    touch_summary(edition)
    record(
        actor=actor,
        action="update",
        obj=disposition,
        region=edition.region,
        before=before,
        after=snapshot(disposition),
    )
    return disposition


def _author(actor: Any) -> tuple[Any, str]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, str(actor)
    return None, "system"


@transaction.atomic
def open_thread(
    *,
    actor: Any,
    edition: Edition,
    body: str,
    section: Section | None = None,
    programme: Programme | None = None,
    is_sample: bool = False,
    author_name: str | None = None,
) -> ReviewThread:
    """Start a comment thread on a section or a programme of ``edition`` with its first comment."""
    access.check(actor, access.may_comment, edition.region)
    if (section is None) == (programme is None):
        raise ValidationError(_("A thread is anchored to exactly one section or programme."))
    anchor = section if section is not None else programme
    if anchor is None or anchor.edition_id != edition.pk:
        raise ValidationError(_("The section or programme belongs to another edition."))
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    thread = ReviewThread.objects.create(
        region_id=edition.region_id, edition=edition, section=section, programme=programme, is_sample=is_sample
    )
    user, name = _author(actor)
    comment = ReviewComment.objects.create(
        region_id=edition.region_id,
        thread=thread,
        author=user,
        author_name=author_name or name,
        body=body.strip(),
        is_sample=is_sample,
    )
    record(actor=actor, action="create", obj=thread, region=edition.region, after=snapshot(thread))
    record(actor=actor, action="create", obj=comment, region=edition.region, after=snapshot(comment))
    return thread


@transaction.atomic
def reply(*, actor: Any, thread: ReviewThread, body: str, is_sample: bool = False) -> ReviewComment:
    access.check(actor, access.may_comment, thread.edition.region)
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    user, name = _author(actor)
    comment = ReviewComment.objects.create(
        region_id=thread.region_id,
        thread=thread,
        author=user,
        author_name=name,
        body=body.strip(),
        is_sample=is_sample,
    )
    record(actor=actor, action="create", obj=comment, region=thread.edition.region, after=snapshot(comment))
    events.thread_reply(actor=actor, comment=comment)
    return comment


@transaction.atomic
def set_thread_status(*, actor: Any, thread: ReviewThread, status: str, expected_version: int) -> ReviewThread:
    """Resolve or reopen a thread."""
    access.check(actor, access.may_comment, thread.edition.region)
    thread = lock_current(ReviewThread.objects.filter(region_id=thread.region_id), thread.pk, expected_version)
    if status not in ThreadStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == thread.status:
        raise ValidationError(
            {"status": _("The thread is already %(status)s.") % {"status": thread.get_status_display()}}
        )
    before = snapshot(thread)
    thread.status = status
    user, _name = _author(actor)
    thread.resolved_by = user if status == ThreadStatus.RESOLVED else None
    thread.resolved_at = timezone.now() if status == ThreadStatus.RESOLVED else None
    thread.version += 1
    thread.save()
    record(
        actor=actor, action="update", obj=thread, region=thread.edition.region, before=before, after=snapshot(thread)
    )
    return thread
