"""Scheduled e-mails that are sent once: claim, commit, then send.

A reminder run (``kotacerdas engagement remind`` today, the monitoring reminders next) may overlap
with another run. Each message is first *claimed* as a row of ``audit.SentMessage`` whose unique
key is (kind, object, recipient, day), in its own committed transaction; only the run that created
the claim sends. No row lock is held while the mail server is talked to. A failed send marks the
claim failed (with the error), and a later run may claim it again. A claim still "being sent"
after :data:`STALE_CLAIM` belongs to a run that crashed between claiming and recording: a later
run takes it over, so one crash does not skip the reminder for that day for good.

``day`` is the day the message is for: today for a daily reminder, or the first day of a period
for reminders that must not repeat within it.

Call ``send_once`` outside any transaction in production, so the claim commits before sending.
"""

from __future__ import annotations

import datetime
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation

from kotacerdas.audit.models import SentMessage

log = logging.getLogger(__name__)

# Far longer than one send takes (seconds), short enough for the next run of the day to retry.
STALE_CLAIM = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class Key:
    """What makes a message unique: at most one per kind, object, recipient and day."""

    kind: str
    object_type: str
    object_id: str
    recipient: str
    day: datetime.date

    @classmethod
    def of(cls, kind: str, obj: models.Model, recipient: str, day: datetime.date) -> Key:
        return cls(kind, obj._meta.label_lower, str(obj.pk), recipient.strip().lower(), day)


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


class Outcome(enum.StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"  # another run claimed it (and sent it, or is sending it)
    NOT_DUE = "not_due"  # the re-check after locking found nothing to send any more
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    error: str = ""


def compose(build: Callable[[], Mail], language: str | None = None) -> Mail:
    """Build the message in the recipient's language (the site's, Bahasa Indonesia, by default)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        mail = build()
    return Mail(mail.subject.replace("\n", " ")[:200], mail.body)


def claim(key: Key, *, region: Any = None, still_due: Callable[[], bool] | None = None) -> SentMessage | None:
    """Claim the message for this run, or None when another run has it or it is no longer due.

    ``still_due`` runs inside the claim's transaction; it should lock what it reads
    (``select_for_update``) so the check and the claim see the same state.
    """
    with transaction.atomic():
        if still_due is not None and not still_due():
            return None
        try:
            with transaction.atomic():
                return SentMessage.objects.create(
                    kind=key.kind,
                    object_type=key.object_type,
                    object_id=key.object_id,
                    recipient=key.recipient,
                    day=key.day,
                    region=region,
                )
        except IntegrityError:
            pass
        existing = SentMessage.objects.filter(
            kind=key.kind, object_type=key.object_type, object_id=key.object_id, recipient=key.recipient, day=key.day
        )
        # A failed or stale claim may be retried; taking it over is one conditional update (the
        # fresh claimed_at makes it no longer stale), so of two runs only one wins.
        now = timezone.now()
        retriable = Q(status=SentMessage.Status.FAILED) | Q(
            status=SentMessage.Status.CLAIMED, claimed_at__lt=now - STALE_CLAIM
        )
        retried = existing.filter(retriable).update(status=SentMessage.Status.CLAIMED, error="", claimed_at=now)
        return existing.first() if retried else None


def send_once(
    key: Key,
    mail: Mail,
    *,
    region: Any = None,
    still_due: Callable[[], bool] | None = None,
    on_sent: Callable[[], None] | None = None,
) -> Result:
    """Claim, then send ``mail`` to ``key.recipient``, then record it (``on_sent`` runs in that transaction)."""
    claimed = claim(key, region=region, still_due=still_due)
    if claimed is None:
        already = SentMessage.objects.filter(
            kind=key.kind, object_type=key.object_type, object_id=key.object_id, recipient=key.recipient, day=key.day
        ).exists()
        return Result(Outcome.ALREADY_SENT if already else Outcome.NOT_DUE)
    try:
        send_mail(mail.subject, mail.body, None, [key.recipient])
    except Exception as error:  # any transport error marks the claim; the run goes on
        log.exception("reminder not sent", extra={"kind": key.kind, "object": f"{key.object_type}:{key.object_id}"})
        SentMessage.objects.filter(pk=claimed.pk).update(status=SentMessage.Status.FAILED, error=str(error)[:2000])
        return Result(Outcome.FAILED, str(error))
    with transaction.atomic():
        SentMessage.objects.filter(pk=claimed.pk).update(
            status=SentMessage.Status.SENT, subject=mail.subject, sent_at=timezone.now()
        )
        if on_sent is not None:
            on_sent()
    return Result(Outcome.SENT)
