"""Writing notifications: :func:`notify` (called by the services that cause the events, through
``notifications.events``), marking them read, and each user's preferences."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.lib.concurrency import EditConflict, lock_current
from kotacerdas.notifications.models import Delivery, Kind, Mail, Notification, Preference


def _mail_later(event_key: str) -> None:
    from kotacerdas.notifications.tasks import mail_event

    mail_event.enqueue(event_key)


@transaction.atomic
def notify(
    kind: str,
    recipients: Iterable[Any],
    *,
    actor: Any,
    region: Any,
    label: str,
    url: str,
    event_key: str,
    label_is_msgid: bool = False,
    sample: bool = False,
) -> int:
    """Notify ``recipients`` (users or their ids) of one event, inside the caller's transaction.

    Only people who may open ``region`` are notified (``access.region_viewers``), never the actor
    themself; each as their preferences say (in KotaCerdas, by e-mail at once, in the daily
    digest, or not at all). ``event_key`` names the event: the same event notifies a person once
    however often it is processed. Immediate e-mails leave after the commit, from a background
    job. Events of sample (demo) rows are shown but never mailed: their people are invented.
    Returns how many notifications were written (4 queries plus the insert, whatever the
    number of recipients).
    """
    access.check(actor, access.may, region, access.Can.VIEW)
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}: add it to notifications.models.Kind.")
    acting = actor if getattr(actor, "is_authenticated", False) else None
    ids = {getattr(r, "pk", r) for r in recipients if r is not None} - {getattr(acting, "pk", None)}
    if not ids:
        return 0
    event_key = event_key[:120]
    already = set(
        Notification.objects.filter(event_key=event_key, recipient_id__in=ids).values_list("recipient_id", flat=True)
    )
    people = list(access.region_viewers(region).filter(pk__in=ids - already).values_list("pk", "email"))
    chosen = {p.user_id: p for p in Preference.objects.filter(user_id__in=[pk for pk, _e in people], kind=kind)}
    digest = set(
        Delivery.objects.filter(user_id__in=[pk for pk, _e in people], daily_digest=True).values_list(
            "user_id", flat=True
        )
    )
    rows = []
    for pk, email in people:
        preference = chosen.get(pk)
        in_app = preference.in_app if preference else True
        mail = Mail.NONE
        if not sample and (preference.email if preference else True) and (email or "").strip():
            mail = Mail.DIGEST if pk in digest else Mail.NOW
        if not in_app and mail == Mail.NONE:
            continue
        rows.append(
            Notification(
                region=region,
                recipient_id=pk,
                kind=kind,
                event_key=event_key,
                label=label[:300],
                label_is_msgid=label_is_msgid,
                url=url[:300],
                actor=acting,
                actor_name=str(acting) if acting else "system",
                in_app=in_app,
                mail=mail,
            )
        )
    # Who was notified of this event already was left out above; the unique (event, recipient) pair
    # also holds against a concurrent second processing, which then writes nothing.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.mail == Mail.NOW for row in rows):
        transaction.on_commit(partial(_mail_later, event_key), robust=True)
    return len(rows)


@transaction.atomic
def mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (reading it again changes nothing)."""
    access.check(actor, access.may_read_notification, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def mark_all_read(*, actor: Any, owner: Any) -> int:
    """Mark every unread notification of ``owner`` read; how many were."""
    access.check(actor, access.may_manage_notifications, owner)
    return Notification.objects.filter(recipient=owner, read_at=None).update(read_at=timezone.now())


def preferences_of(user: Any) -> tuple[dict[str, Preference], Delivery]:
    """The user's preference per kind (defaults where they chose nothing) and their delivery."""
    stored = {p.kind: p for p in Preference.objects.filter(user=user)}
    chosen = {kind: stored.get(kind) or Preference(user=user, kind=kind) for kind in Kind.values}
    delivery = Delivery.objects.filter(user=user).first() or Delivery(user=user, version=0)
    return chosen, delivery


SETTINGS = {"daily_digest"} | {f"{how}_{kind}" for how in ("in_app", "email") for kind in Kind.values}


@transaction.atomic
def set_preferences(*, actor: Any, owner: Any, data: Mapping[str, Any], expected_version: int) -> Delivery:
    """Save ``owner``'s choices: ``data`` holds ``in_app_<kind>`` and ``email_<kind>`` for each
    kind and ``daily_digest``. The version is the delivery row's (0 before the first save)."""
    access.check(actor, access.may_manage_notifications, owner)
    if set(data) - SETTINGS:
        raise ValidationError(_("Unknown notification setting."))
    existing = Delivery.objects.filter(user=owner).first()
    if existing is None:
        if expected_version != 0:
            raise EditConflict
        delivery = Delivery.objects.create(user=owner, daily_digest=bool(data.get("daily_digest")))
        before: dict[str, Any] = {}
    else:
        delivery = lock_current(Delivery.objects.filter(user=owner), existing.pk, expected_version)
        before = snapshot(delivery)
        delivery.daily_digest = bool(data.get("daily_digest"))
        delivery.version += 1
        delivery.save()
    stored = {p.kind: p for p in Preference.objects.filter(user=owner)}
    before["kinds"] = {k: [p.in_app, p.email] for k, p in stored.items()}
    for kind in Kind.values:
        in_app, email = bool(data.get(f"in_app_{kind}")), bool(data.get(f"email_{kind}"))
        preference = stored.get(kind)
        if preference is None:
            if not (in_app and email):  # the defaults need no row
                Preference.objects.create(user=owner, kind=kind, in_app=in_app, email=email)
        elif (preference.in_app, preference.email) != (in_app, email):
            preference.in_app, preference.email = in_app, email
            preference.save(update_fields=["in_app", "email"])
    after = snapshot(delivery)
    after["kinds"] = {p.kind: [p.in_app, p.email] for p in Preference.objects.filter(user=owner).order_by("kind")}
    record(actor=actor, action="update", obj=delivery, before=before, after=after)
    return delivery
