"""The claim that makes a scheduled e-mail go out once per kind, object, recipient and day."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kotacerdas.audit.models import SentMessage
from kotacerdas.lib import reminders

pytestmark = pytest.mark.django_db
KEY = reminders.Key("test", "regions.region", "1", "a@example.org", datetime.date(2024, 7, 1))
MAIL = reminders.Mail("Subject", "Body")


def test_of_two_interleaved_claims_only_the_first_wins():
    first = reminders.claim(KEY)
    second = reminders.claim(KEY)
    assert first is not None and second is None
    assert SentMessage.objects.count() == 1


def test_another_day_or_recipient_is_another_claim():
    assert reminders.claim(KEY) is not None
    assert reminders.claim(reminders.Key(*KEY.__dict__.values())) is None
    assert reminders.claim(reminders.Key("test", "regions.region", "1", "a@example.org", datetime.date(2024, 7, 2)))
    assert reminders.claim(reminders.Key("test", "regions.region", "1", "b@example.org", datetime.date(2024, 7, 1)))


def test_send_once_sends_once_and_records_it():
    calls = []
    assert reminders.send_once(KEY, MAIL, on_sent=lambda: calls.append(1)).outcome == reminders.Outcome.SENT
    assert reminders.send_once(KEY, MAIL, on_sent=lambda: calls.append(1)).outcome == reminders.Outcome.ALREADY_SENT
    assert len(mail.outbox) == 1 and calls == [1]
    sent = SentMessage.objects.get()
    assert sent.status == SentMessage.Status.SENT and sent.subject == "Subject" and sent.sent_at is not None


def test_a_message_no_longer_due_is_neither_claimed_nor_sent():
    result = reminders.send_once(KEY, MAIL, still_due=lambda: False)
    assert result.outcome == reminders.Outcome.NOT_DUE
    assert mail.outbox == [] and not SentMessage.objects.exists()


def test_a_failed_claim_can_be_taken_over_once():
    claimed = reminders.claim(KEY)
    assert claimed is not None
    SentMessage.objects.filter(pk=claimed.pk).update(status=SentMessage.Status.FAILED)
    assert reminders.claim(KEY) is not None
    assert reminders.claim(KEY) is None


def test_a_claim_left_by_a_crashed_run_is_taken_over_once_it_is_stale():
    claimed = reminders.claim(KEY)  # the run crashed here: never sent, never marked failed
    assert claimed is not None
    assert reminders.claim(KEY) is None  # fresh: another run may still be sending it
    just_fresh = timezone.now() - reminders.STALE_CLAIM + datetime.timedelta(minutes=1)
    SentMessage.objects.filter(pk=claimed.pk).update(claimed_at=just_fresh)
    assert reminders.claim(KEY) is None
    SentMessage.objects.filter(pk=claimed.pk).update(claimed_at=timezone.now() - reminders.STALE_CLAIM * 2)
    assert reminders.send_once(KEY, MAIL).outcome == reminders.Outcome.SENT
    assert len(mail.outbox) == 1
    assert reminders.send_once(KEY, MAIL).outcome == reminders.Outcome.ALREADY_SENT


def test_a_sent_message_is_never_stale():
    assert reminders.send_once(KEY, MAIL).outcome == reminders.Outcome.SENT
    SentMessage.objects.update(claimed_at=timezone.now() - datetime.timedelta(days=1))
    assert reminders.claim(KEY) is None


def test_compose_renders_in_the_given_language():
    from django.utils.translation import get_language

    assert reminders.compose(lambda: reminders.Mail(get_language(), ""), "id").subject == "id"
    assert reminders.compose(lambda: reminders.Mail("a\nb", "")).subject == "a b"
