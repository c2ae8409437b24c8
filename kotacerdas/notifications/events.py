"""The events that notify someone, one function each, called in one line by the service that
causes the event (inside its transaction, after its own access check).

Each function says who hears of the event (the recipients, through memberships; ``notify``
keeps only those who may open the region and drops the actor), what it is about and where the
link goes, and names the event by a key that is the same however often the event is processed.
The rows read here are the caller's; no domain app's models are imported.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from kotacerdas.accounts.models import Membership, Role, User
from kotacerdas.notifications.models import Kind
from kotacerdas.notifications.services import notify


def _members(region_id: int, *roles: str, opd_id: int | None = None) -> set[int]:
    """Users holding one of ``roles`` in the region, or (``opd_id``) the editors tied to that agency."""
    scope = Q(role__in=roles)
    if opd_id is not None:
        scope |= Q(role=Role.EDITOR, opd_id=opd_id)
    return set(Membership.objects.filter(scope, region_id=region_id).values_list("user_id", flat=True))


def update_returned(*, actor: Any, update: Any) -> None:
    """A validator returned a progress update: its author and the editors of the lead agency hear of it."""
    programme = update.programme
    recipients = _members(update.region_id, opd_id=programme.lead_opd_id) if programme.lead_opd_id else set()
    notify(
        Kind.UPDATE_RETURNED,
        recipients | {update.author_id},
        actor=actor,
        region=programme.region,
        label=f"{programme.code} {programme.name} ({update.period.key})",
        url=reverse("monitoring:update", args=[programme.region.code, update.pk]),
        sample=update.is_sample,
        event_key=f"update_returned:{update.pk}:{update.version}",
    )


def section_state_changed(*, actor: Any, section: Any) -> None:
    """A reviewer sent a plan chapter back to draft: the region's admins and editors hear of it."""
    if section.review_state != "draft":
        return
    edition = section.edition
    notify(
        Kind.SECTION_RETURNED,
        _members(section.region_id, Role.ADMIN, Role.EDITOR),
        actor=actor,
        region=edition.region,
        label=section.title,
        url=reverse("plans:section", args=[edition.region.code, edition.year, section.key]),
        sample=section.is_sample,
        event_key=f"section_returned:{section.pk}:{section.version}",
    )


def thread_reply(*, actor: Any, comment: Any) -> None:
    """A new comment in a review thread: everyone who wrote in the thread before hears of it."""
    thread = comment.thread
    edition = thread.edition
    anchor = thread.programme or thread.section
    label = f"{anchor.code} {anchor.name}" if thread.programme else str(anchor)
    notify(
        Kind.THREAD_REPLY,
        set(thread.comments.exclude(pk=comment.pk).values_list("author_id", flat=True)),
        actor=actor,
        region=edition.region,
        label=label,
        url=reverse("plans:threads", args=[edition.region.code, edition.year]) + f"#thread-{thread.pk}",
        sample=comment.is_sample,
        event_key=f"thread_comment:{comment.pk}",
    )


def action_assigned(*, actor: Any, action: Any, before: dict[str, Any] | None = None) -> None:
    """An action given to an agency and a person (new, or its owner changed): the editors tied to
    the agency and the account with the owner's e-mail address hear of it."""
    if before is not None and (before.get("owner_opd"), (before.get("owner_email") or "").lower()) == (
        action.owner_opd_id,
        (action.owner_email or "").lower(),
    ):
        return
    recipients = _members(action.region_id, opd_id=action.owner_opd_id) if action.owner_opd_id else set()
    if action.owner_email:
        recipients |= set(User.objects.filter(email__iexact=action.owner_email).values_list("pk", flat=True))
    notify(
        Kind.ACTION_ASSIGNED,
        recipients,
        actor=actor,
        region=action.region,
        label=action.title,
        url=reverse("engagements:action_edit", args=[action.region.code, action.pk]),
        sample=action.is_sample,
        event_key=f"action_assigned:{action.pk}:{action.version}",
    )


def obstacle_changed(*, actor: Any, obstacle: Any, before: dict[str, Any]) -> None:
    """An obstacle escalated to the ministry (it was not before): ministry staff hear of it."""
    if obstacle.status != "escalated" or before.get("status") == "escalated":
        return
    notify(
        Kind.OBSTACLE_ESCALATED,
        set(User.objects.filter(is_ministry=True).values_list("pk", flat=True)),
        actor=actor,
        region=obstacle.region,
        label=obstacle.description[:200],
        url=reverse("engagements:obstacle_respond", args=[obstacle.region.code, obstacle.pk]),
        sample=obstacle.is_sample,
        event_key=f"obstacle_escalated:{obstacle.pk}:{obstacle.version}",
    )


def obstacle_answered(*, actor: Any, obstacle: Any) -> None:
    """The ministry answered an escalated obstacle: the region's admins, its mentors (who escalate)
    and the editors of the agency concerned hear of it."""
    notify(
        Kind.OBSTACLE_ANSWERED,
        _members(obstacle.region_id, Role.ADMIN, Role.MENTOR, opd_id=obstacle.opd_id),
        actor=actor,
        region=obstacle.region,
        label=obstacle.description[:200],
        url=reverse("engagements:obstacle_edit", args=[obstacle.region.code, obstacle.pk]),
        sample=obstacle.is_sample,
        event_key=f"obstacle_answered:{obstacle.pk}:{obstacle.version}",
    )


def document_ready(*, job: Any) -> None:
    """A generated document is stored: whoever asked for it hears of it (the worker acts, no one signed in)."""
    with translation.override("en"):
        label = str(job.get_kind_display())  # an English msgid, translated when shown
    notify(
        Kind.DOCUMENT_READY,
        {job.actor_id},
        actor=None,
        region=job.region,
        label=label,
        label_is_msgid=True,
        url=reverse("reports:job", args=[job.region.code, job.pk]),
        event_key=f"document_ready:{job.pk}",
    )
