"""Reminder e-mails: claimed before they are sent, so they go out once per owner and day."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from kotacerdas.audit.models import AuditEntry, SentMessage
from kotacerdas.engagements import services
from kotacerdas.engagements.models import Action
from kotacerdas.lib import reminders as outbox

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def action(forum: Any) -> Action:
    session = forum.sessions[0]
    return Action.objects.create(
        region=session.region,
        engagement=forum.engagement,
        session=session,
        title="Menyusun peta jalan",
        owner_opd=forum.bappeda,
        owner_name="Ibu Rina",
        owner_email="rina@example.org",
        due_on=D(2024, 7, 10),
    )


def remind(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("engagement", "remind", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_two_runs_on_the_same_day_send_once(action):
    first = services.send_reminders(today=D(2024, 7, 8))
    second = services.send_reminders(today=D(2024, 7, 8))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rina@example.org"]
    assert [r.sent for r in first] == [True] and second == []
    action.refresh_from_db()
    assert action.last_reminded_on == D(2024, 7, 8)
    assert SentMessage.objects.get().status == SentMessage.Status.SENT
    assert AuditEntry.objects.filter(object_type__iendswith="action", object_id=str(action.pk)).exists()


def test_a_run_that_overlaps_a_claimed_reminder_does_not_send_it(action):
    # Another run has claimed today's reminder but not yet finished (last_reminded_on not yet written).
    key = outbox.Key.of("due_soon", action, action.owner_email, D(2024, 7, 8))
    assert outbox.claim(key) is not None
    reminders = services.send_reminders(today=D(2024, 7, 8))
    assert mail.outbox == []
    assert reminders[0].sent is False and reminders[0].skipped == "already_sent"


def test_the_recheck_after_locking_sees_an_action_closed_meanwhile(action, monkeypatch):
    from kotacerdas.engagements import selectors

    stale = list(selectors.reminder_actions(D(2024, 7, 8), 3))  # read before another user closes it
    Action.objects.filter(pk=action.pk).update(status="done")
    monkeypatch.setattr(selectors, "reminder_actions", lambda today, days: stale)
    reminders = services.send_reminders(today=D(2024, 7, 8))
    assert mail.outbox == [] and reminders[0].skipped == "not_due"
    assert not SentMessage.objects.exists()


def test_dry_run_sends_nothing_and_claims_nothing(action):
    payload = remind("--today", "2024-07-08", "--dry-run")
    assert payload["dry_run"] is True
    assert payload["reminders"] == [
        {
            "action_id": action.pk,
            "region": action.region.code,
            "kind": "due_soon",
            "to": "rina@example.org",
            "subject": "[KotaCerdas] Action reminder: Menyusun peta jalan",
            "sent": False,
            "skipped": "",
        }
    ]
    assert mail.outbox == [] and not SentMessage.objects.exists()
    action.refresh_from_db()
    assert action.last_reminded_on is None


def test_the_json_output_says_what_was_sent(action):
    payload = remind("--today", "2024-07-11")
    assert payload["today"] == "2024-07-11"
    assert [(r["kind"], r["sent"]) for r in payload["reminders"]] == [("overdue", True)]
    assert "Action overdue" in mail.outbox[0].subject


def test_a_failed_send_is_marked_and_retried_by_the_next_run(action, monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(outbox, "send_mail", refuse)
    reminders = services.send_reminders(today=D(2024, 7, 8))
    assert reminders[0].sent is False and "mail server down" in reminders[0].skipped
    claim = SentMessage.objects.get()
    assert claim.status == SentMessage.Status.FAILED and "mail server down" in claim.error
    action.refresh_from_db()
    assert action.last_reminded_on is None
    monkeypatch.undo()
    assert [r.sent for r in services.send_reminders(today=D(2024, 7, 8))] == [True]
    assert len(mail.outbox) == 1


def test_the_mail_is_written_in_the_recipients_language_indonesian_by_default(action, settings):
    settings.LANGUAGE_CODE = "id"
    with translation.override("en"):  # whatever the command's own language
        services.send_reminders(today=D(2024, 7, 8))
    body = mail.outbox[0].body
    assert "10 Juli 2024" in body and "Ibu Rina" in body


def test_an_owner_without_an_address_is_skipped(action):
    Action.objects.filter(pk=action.pk).update(owner_email="")
    reminders = services.send_reminders(today=D(2024, 7, 8))
    assert reminders[0].skipped == "no e-mail address" and mail.outbox == []
