"""Following up: actions, the obstacle register (kendala) and the commitment sheet."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Act
from kotacerdas.audit.services import record, snapshot
from kotacerdas.engagements.models import (
    Action,
    CommitmentSignatory,
    Engagement,
    MinistryResponseStatus,
    Obstacle,
    ObstacleStatus,
    Session,
    SignatoryRole,
)
from kotacerdas.engagements.services.forum import ensure_open
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import lock_current
from kotacerdas.notifications import events
from kotacerdas.regions.models import OPD

ACTION_FIELDS = ("title", "owner_opd", "owner_name", "owner_email", "due_on", "status", "programme")
OBSTACLE_FIELDS = ("description", "category", "programme", "opd", "owner_name", "proposed_solution")


def _same_region(errors: dict[str, list[str]], region_id: int, field: str, obj: Any, message: str) -> None:
    if obj is not None and obj.region_id != region_id:
        errors.setdefault(field, []).append(message)


@transaction.atomic
def update_action(
    *,
    actor: Any,
    action: Action,
    data: dict[str, Any],
    expected_version: int,
    today: datetime.date | None = None,
) -> Action:
    """Change an action's owner, due date or status. Closing it (done, dropped) records the day."""
    access.check(actor, access.may_act, action.region, Act.FOLLOW_UP)
    action = lock_current(Action.objects.all(), action.pk, expected_version)
    before = snapshot(action)
    for field in ACTION_FIELDS:
        if field in data:
            setattr(action, field, data[field])
    errors: dict[str, list[str]] = {}
    if action.owner_opd_id is None or not action.owner_name.strip():
        errors.setdefault("owner_opd", []).append(
            _("An action needs an owner: choose the agency and name the person responsible.")
        )
    _same_region(errors, action.region_id, "owner_opd", data.get("owner_opd"), _("Choose an agency of this region."))
    _same_region(
        errors,
        action.region_id,
        "programme",
        data.get("programme"),
        _("Choose a programme of this region's master plan."),
    )
    if errors:
        raise ValidationError(errors)
    if action.is_open:
        action.closed_on = None
    elif action.closed_on is None:
        action.closed_on = today or timezone.localdate()
    action.full_clean(exclude=["region", "engagement", "session", "outcome", "owner_opd", "programme"])
    action.version += 1
    action.save()
    record(actor=actor, action="update", obj=action, region=action.region, before=before, after=snapshot(action))
    events.action_assigned(actor=actor, action=action, before=before)
    return action


def _check_obstacle(obstacle: Obstacle, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    _same_region(errors, obstacle.region_id, "opd", data.get("opd"), _("Choose an agency of this region."))
    _same_region(
        errors,
        obstacle.region_id,
        "programme",
        data.get("programme"),
        _("Choose a programme of this region's master plan."),
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def raise_obstacle(*, actor: Any, session: Session, data: dict[str, Any], is_sample: bool = False) -> Obstacle:
    """Register an obstacle raised at ``session`` (open from the session's first day)."""
    access.check(actor, access.may_act, session.region, Act.RUN)
    session = Session.objects.select_for_update().get(pk=session.pk)
    ensure_open(session)
    obstacle = Obstacle(
        region_id=session.region_id,
        engagement_id=session.engagement_id,
        raised_in=session,
        opened_on=session.starts_on,
        is_sample=is_sample,
    )
    for field in OBSTACLE_FIELDS:
        if field in data:
            setattr(obstacle, field, data[field])
    _check_obstacle(obstacle, data)
    obstacle.full_clean(exclude=["region", "engagement", "raised_in", "opd", "programme", "resolved_in"])
    obstacle.save()
    record(actor=actor, action="create", obj=obstacle, region=session.region, after=snapshot(obstacle))
    return obstacle


@transaction.atomic
def update_obstacle(
    *,
    actor: Any,
    obstacle: Obstacle,
    data: dict[str, Any],
    expected_version: int,
    today: datetime.date | None = None,
) -> Obstacle:
    """Edit an obstacle or move its status. Resolving names the session that resolved it;
    escalating to the ministry is for the mentor team and the ministry (``Act.ESCALATE``)."""
    access.check(actor, access.may_act, obstacle.region, Act.FOLLOW_UP)
    obstacle = lock_current(Obstacle.objects.all(), obstacle.pk, expected_version)
    before = snapshot(obstacle)
    day = today or timezone.localdate()
    for field in OBSTACLE_FIELDS:
        if field in data:
            setattr(obstacle, field, data[field])
    _check_obstacle(obstacle, data)
    status = data.get("status", obstacle.status)
    if (
        status == ObstacleStatus.ESCALATED
        and before["status"] != ObstacleStatus.ESCALATED
        and actor is not None
        and not access.may_act(actor, obstacle.region, Act.ESCALATE)
    ):
        raise ValidationError({"status": _("Only the mentor team or the ministry can escalate an obstacle.")})
    obstacle.status = status
    if status == ObstacleStatus.RESOLVED:
        resolved_in = data.get("resolved_in", obstacle.resolved_in)
        if resolved_in is None:
            raise ValidationError({"resolved_in": _("Name the session at which the obstacle was resolved.")})
        if resolved_in.engagement_id != obstacle.engagement_id:
            raise ValidationError({"resolved_in": _("Choose a session of this engagement.")})
        if resolved_in.starts_on < obstacle.opened_on:
            raise ValidationError({"resolved_in": _("That session took place before the obstacle was raised.")})
        obstacle.resolved_in = resolved_in
        obstacle.resolved_on = resolved_in.ends_on
    else:
        obstacle.resolved_in = None
        obstacle.resolved_on = None
    if status == ObstacleStatus.ESCALATED and obstacle.escalated_on is None:
        obstacle.escalated_on = day
    obstacle.full_clean(exclude=["region", "engagement", "raised_in", "opd", "programme", "resolved_in"])
    obstacle.version += 1
    obstacle.save()
    record(actor=actor, action="update", obj=obstacle, region=obstacle.region, before=before, after=snapshot(obstacle))
    events.obstacle_changed(actor=actor, obstacle=obstacle, before=before)
    return obstacle


MINISTRY_RESPONSE_FIELDS = ("ministry_status", "ministry_owner", "ministry_note")


@transaction.atomic
def respond_to_escalation(
    *,
    actor: Any,
    obstacle: Obstacle,
    data: dict[str, Any],
    expected_version: int,
    today: datetime.date | None = None,
) -> Obstacle:
    """The ministry's answer to an escalated obstacle: how far it is (received, in progress,
    resolved by the ministry), who follows it up at the ministry, and a note for the region.

    Only ministry staff answer (or the system, ``actor=None``, as the demo loader), and only while
    the obstacle stands escalated; the region still closes the obstacle itself at a session (its
    own status stays in its hands).
    """
    access.check(actor, access.may_respond)
    obstacle = lock_current(Obstacle.objects.all(), obstacle.pk, expected_version)
    if obstacle.status != ObstacleStatus.ESCALATED:
        raise ValidationError(_("Only an obstacle escalated to the ministry can be answered by the ministry."))
    before = snapshot(obstacle)
    errors: dict[str, list[str]] = {}
    status = data.get("ministry_status", obstacle.ministry_status)
    if status not in MinistryResponseStatus.values:
        errors.setdefault("ministry_status", []).append(_("Choose received, in progress or resolved."))
    owner = (data.get("ministry_owner", obstacle.ministry_owner) or "").strip()
    if not owner:
        errors.setdefault("ministry_owner", []).append(_("Name the person responsible at the ministry."))
    note = (data.get("ministry_note", obstacle.ministry_note) or "").strip()
    if not note:
        errors.setdefault("ministry_note", []).append(_("Write the ministry's answer for the region."))
    if errors:
        raise ValidationError(errors)
    obstacle.ministry_status = status
    obstacle.ministry_owner = owner
    obstacle.ministry_note = note
    obstacle.ministry_responded_on = today or timezone.localdate()
    obstacle.full_clean(exclude=["region", "engagement", "raised_in", "opd", "programme", "resolved_in"])
    obstacle.version += 1
    obstacle.save()
    record(actor=actor, action="update", obj=obstacle, region=obstacle.region, before=before, after=snapshot(obstacle))
    events.obstacle_answered(actor=actor, obstacle=obstacle)
    return obstacle


@transaction.atomic
def prepare_signatories(
    *, actor: Any, engagement: Engagement, on: datetime.date, is_sample: bool = False
) -> list[CommitmentSignatory]:
    """Who must sign the Pakta Integritas: the head of region and the head of every agency existing on ``on``.

    Idempotent: people already on the list are kept with their signatures.
    """
    access.check(actor, access.may_act, engagement.region, Act.FOLLOW_UP)
    existing = CommitmentSignatory.objects.filter(engagement=engagement)
    have_head = existing.filter(role=SignatoryRole.HEAD_OF_REGION).exists()
    have_opds = set(existing.exclude(opd=None).values_list("opd_id", flat=True))
    created: list[CommitmentSignatory] = []
    if not have_head:
        created.append(
            CommitmentSignatory(
                region_id=engagement.region_id,
                engagement=engagement,
                role=SignatoryRole.HEAD_OF_REGION,
                is_sample=is_sample,
            )
        )
    opds = OPD.objects.filter(region_id=engagement.region_id).valid_on(on)
    for opd in opds:
        if opd.pk not in have_opds:
            created.append(
                CommitmentSignatory(
                    region_id=engagement.region_id,
                    engagement=engagement,
                    role=SignatoryRole.OPD_HEAD,
                    opd=opd,
                    person_name=opd.head_name,
                    is_sample=is_sample,
                )
            )
    for signatory in created:
        signatory.save()
        record(actor=actor, action="create", obj=signatory, region=engagement.region, after=snapshot(signatory))
    return created


@transaction.atomic
def record_signature(
    *, actor: Any, signatory: CommitmentSignatory, data: dict[str, Any], expected_version: int
) -> CommitmentSignatory:
    """Record who signed and when (or clear a signature recorded by mistake)."""
    access.check(actor, access.may_act, signatory.region, Act.FOLLOW_UP)
    signatory = lock_current(CommitmentSignatory.objects.all(), signatory.pk, expected_version)
    before = snapshot(signatory)
    if "person_name" in data:
        signatory.person_name = data["person_name"]
    signatory.signed_on = data.get("signed_on")
    if signatory.signed_on and not signatory.person_name.strip():
        raise ValidationError({"person_name": _("Name the person who signed.")})
    if signatory.signed_on and signatory.signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signature date is in the future.")})
    signatory.version += 1
    signatory.save()
    record(
        actor=actor, action="update", obj=signatory, region=signatory.region, before=before, after=snapshot(signatory)
    )
    return signatory


@transaction.atomic
def upload_commitment_scan(*, actor: Any, engagement: Engagement, scan: Any, expected_version: int) -> Engagement:
    """Store (an upload, checked by lib.files) or remove (False or "") the signed commitment sheet."""
    access.check(actor, access.may_act, engagement.region, Act.FOLLOW_UP)
    engagement = lock_current(Engagement.objects.all(), engagement.pk, expected_version)
    before = snapshot(engagement)
    files.accept_upload(engagement, "commitment_scan", "commitment_scan_name", scan if scan else False)
    engagement.version += 1
    engagement.save()
    record(
        actor=actor,
        action="update",
        obj=engagement,
        region=engagement.region,
        before=before,
        after=snapshot(engagement),
    )
    return engagement
