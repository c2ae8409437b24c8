"""Running a session: start, agenda, attendance, minutes, outcomes, close (which freezes it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Act
from kotacerdas.audit.services import record, snapshot
from kotacerdas.engagements.models import Action, AgendaItem, Attendance, Outcome, OutcomeKind, Session
from kotacerdas.lib.concurrency import lock_current
from kotacerdas.notifications import events
from kotacerdas.regions.models import OPD


def frozen_message(session: Session) -> str:
    if session.closed_at:
        return _("The minutes of this session were closed on %(day)s and can no longer be changed.") % {
            "day": date_format(timezone.localtime(session.closed_at).date(), "j F Y")
        }
    return _("The minutes of this session are closed and can no longer be changed.")


def ensure_open(session: Session) -> None:
    """Refuse any change to what a closed session recorded."""
    if session.is_closed:
        raise ValidationError(frozen_message(session))


def _locked(session: Session) -> Session:
    """The session row locked for this transaction, so closing and writing cannot interleave."""
    return Session.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def start_session(*, actor: Any, session: Session) -> Session:
    access.check(actor, access.may_act, session.region, Act.RUN)
    session = _locked(session)
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("Only a planned session can be started."))
    before = snapshot(session)
    session.status = Session.Status.IN_PROGRESS
    session.version += 1
    session.save(update_fields=["status", "version"])
    record(actor=actor, action="start", obj=session, region=session.region, before=before, after=snapshot(session))
    return session


@transaction.atomic
def close_session(*, actor: Any, session: Session, at: datetime.datetime | None = None) -> Session:
    """Close a session in progress: its minutes, attendance, agenda and outcomes are frozen.

    ``at`` records when it was closed, for minutes imported after the fact (default: now)."""
    access.check(actor, access.may_act, session.region, Act.CLOSE)
    session = _locked(session)
    if session.status != Session.Status.IN_PROGRESS:
        raise ValidationError(_("Only a session in progress can be closed; start it first."))
    before = snapshot(session)
    session.status = Session.Status.CLOSED
    session.closed_at = at or timezone.now()
    session.version += 1
    session.save(update_fields=["status", "closed_at", "version"])
    record(actor=actor, action="close", obj=session, region=session.region, before=before, after=snapshot(session))
    return session


def _with_mentors(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "mentors_present": sorted(session.mentors_present.values_list("pk", flat=True))}


@transaction.atomic
def save_minutes(*, actor: Any, session: Session, data: dict[str, Any], expected_version: int) -> Session:
    """Save the minutes, who chaired, who took them and which mentors of the team were present."""
    access.check(actor, access.may_act, session.region, Act.RUN)
    session = lock_current(Session.objects.all(), session.pk, expected_version)
    ensure_open(session)
    before = _with_mentors(session, snapshot(session))
    for field in ("minutes", "chair", "minute_taker"):
        if field in data:
            setattr(session, field, data[field])
    mentors = list(data["mentors_present"]) if data.get("mentors_present") is not None else None
    if mentors is not None and any(m.engagement_id != session.engagement_id for m in mentors):
        raise ValidationError({"mentors_present": _("Choose members of this engagement's mentor team.")})
    session.full_clean(exclude=["region", "engagement"])
    session.version += 1
    session.save()
    if mentors is not None:
        session.mentors_present.set(mentors)
    after = _with_mentors(session, snapshot(session))
    record(actor=actor, action="update", obj=session, region=session.region, before=before, after=after)
    return session


@transaction.atomic
def add_agenda_item(*, actor: Any, session: Session, data: dict[str, Any], is_sample: bool = False) -> AgendaItem:
    access.check(actor, access.may_act, session.region, Act.RUN)
    session = _locked(session)
    ensure_open(session)
    programme = data.get("programme")
    if programme is not None and programme.region_id != session.region_id:
        raise ValidationError({"programme": _("Choose a programme of this region's master plan.")})
    order = data.get("order")
    if order is None:
        order = (session.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem(
        region_id=session.region_id,
        session=session,
        section=data.get("section", ""),
        title=data.get("title", ""),
        programme=programme,
        order=order,
        is_sample=is_sample,
    )
    item.full_clean(exclude=["region", "session", "programme"])
    item.save()
    record(actor=actor, action="create", obj=item, region=session.region, after=snapshot(item))
    return item


@transaction.atomic
def remove_agenda_item(*, actor: Any, item: AgendaItem, expected_version: int) -> None:
    """Remove an agenda item, only at the version the person saw when they chose to remove it."""
    access.check(actor, access.may_act, item.region, Act.RUN)
    ensure_open(_locked(item.session))
    item = lock_current(AgendaItem.objects.filter(region_id=item.region_id), item.pk, expected_version)
    record(actor=actor, action="delete", obj=item, region=item.region, before=snapshot(item))
    item.delete()


def opd_valid_on(opd: OPD, day: datetime.date) -> bool:
    return opd.is_valid_on(day)


@transaction.atomic
def record_attendance(
    *, actor: Any, session: Session, opd: OPD, data: dict[str, Any], is_sample: bool = False
) -> Attendance:
    """Record (or correct) one agency's attendance; the agency must exist on the session's first day."""
    access.check(actor, access.may_act, session.region, Act.RUN)
    session = _locked(session)
    ensure_open(session)
    if opd.region_id != session.region_id:
        raise ValidationError({"opd": _("Choose an agency of this region.")})
    if not opd_valid_on(opd, session.starts_on):
        raise ValidationError(
            {
                "opd": _("%(opd)s did not exist on %(day)s (valid %(start)s to %(end)s); record its successor instead.")
                % {
                    "opd": opd.name,
                    "day": date_format(session.starts_on, "j F Y"),
                    "start": date_format(opd.valid_from, "j F Y"),
                    "end": date_format(opd.valid_to, "j F Y") if opd.valid_to else _("now"),
                }
            }
        )
    row = Attendance.objects.select_for_update().filter(session=session, opd=opd).first()
    before = snapshot(row) if row else None
    if row is None:
        row = Attendance(region_id=session.region_id, session=session, opd=opd, is_sample=is_sample)
    for field in ("status", "person_name", "position", "signed"):
        if field in data:
            setattr(row, field, data[field])
    row.full_clean(exclude=["region", "session", "opd"], validate_unique=False)
    if before is not None:
        row.version += 1
    row.save()
    record(
        actor=actor,
        action="update" if before else "create",
        obj=row,
        region=session.region,
        before=before,
        after=snapshot(row),
    )
    return row


@transaction.atomic
def add_outcome(*, actor: Any, session: Session, data: dict[str, Any], is_sample: bool = False) -> Outcome:
    """Record an information, decision or action; an action needs an owner (agency and person) and a due date."""
    access.check(actor, access.may_act, session.region, Act.RUN)
    session = _locked(session)
    ensure_open(session)
    kind = data.get("kind")
    text = (data.get("text") or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in OutcomeKind.values:
        errors.setdefault("kind", []).append(_("Choose information, decision or action."))
    if not text:
        errors.setdefault("text", []).append(_("Write what was said, decided or agreed."))
    owner_opd = data.get("owner_opd")
    if kind == OutcomeKind.ACTION:
        if owner_opd is None or not (data.get("owner_name") or "").strip():
            errors.setdefault("owner_opd", []).append(
                _("An action needs an owner: choose the agency and name the person responsible.")
            )
        elif owner_opd.region_id != session.region_id:
            errors.setdefault("owner_opd", []).append(_("Choose an agency of this region."))
        if not data.get("due_on"):
            errors.setdefault("due_on", []).append(_("An action needs a due date."))
        elif data["due_on"] < session.starts_on:
            errors.setdefault("due_on", []).append(_("The due date is before the session."))
        programme = data.get("programme")
        if programme is not None and programme.region_id != session.region_id:
            errors.setdefault("programme", []).append(_("Choose a programme of this region's master plan."))
    if errors:
        raise ValidationError(errors)
    order = (session.outcomes.aggregate(m=Max("order"))["m"] or 0) + 1
    outcome = Outcome.objects.create(
        region_id=session.region_id, session=session, kind=str(kind), text=text, order=order, is_sample=is_sample
    )
    record(actor=actor, action="create", obj=outcome, region=session.region, after=snapshot(outcome))
    if kind == OutcomeKind.ACTION:
        action = Action(
            region_id=session.region_id,
            engagement_id=session.engagement_id,
            session=session,
            outcome=outcome,
            title=text[:300],
            owner_opd=owner_opd,
            owner_name=data["owner_name"].strip(),
            owner_email=data.get("owner_email") or "",
            due_on=data["due_on"],
            programme=data.get("programme"),
            is_sample=is_sample,
        )
        action.full_clean(exclude=["region", "engagement", "session", "outcome", "owner_opd", "programme"])
        action.save()
        record(actor=actor, action="create", obj=action, region=session.region, after=snapshot(action))
        events.action_assigned(actor=actor, action=action)
    return outcome
