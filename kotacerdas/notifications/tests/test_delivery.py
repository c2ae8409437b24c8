"""Preferences decide how each person hears of an event; e-mails leave once, at once or in the
daily digest."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.utils import timezone

from kotacerdas.audit.models import SentMessage
from kotacerdas.notifications import services
from kotacerdas.notifications.mail import send_digests, send_event
from kotacerdas.notifications.models import Kind, Mail, Notification
from kotacerdas.plans import services as plans

pytestmark = pytest.mark.django_db


def _settings(user, expected_version=0, digest=False, **off):
    data = {f"{how}_{kind}": True for how in ("in_app", "email") for kind in Kind.values}
    data.update(dict.fromkeys(off, False))
    data["daily_digest"] = digest
    return services.set_preferences(actor=user, owner=user, data=data, expected_version=expected_version)


def _reply(cast, plan, body="Karena data."):
    thread = plans.open_thread(actor=cast.mentor, edition=plan.edition, body="Mengapa?", programme=plan.first)
    return plans.reply(actor=cast.editor, thread=thread, body=body)


def test_with_the_defaults_a_notification_is_shown_and_mailed_at_once_after_the_commit(
    mailed, plan, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        comment = _reply(mailed, plan)
    note = Notification.objects.get(recipient=mailed.mentor)
    assert note.in_app and note.mail == Mail.NOW
    assert len(callbacks) == 1 and DBTaskResult.objects.count() == 1  # the mail job, queued after commit
    assert not outbox.outbox  # nothing is sent inside the request
    assert send_event(f"thread_comment:{comment.pk}") == 1
    assert send_event(f"thread_comment:{comment.pk}") == 0  # the job run again sends nothing twice
    assert len(outbox.outbox) == 1 and outbox.outbox[0].to == ["mentor@example.go.id"]
    assert "commented in the review thread on GOV-01" in outbox.outbox[0].subject


def test_switching_off_in_app_keeps_the_e_mail_and_off_both_writes_nothing(mailed, plan):
    _settings(mailed.mentor, **{f"in_app_{Kind.THREAD_REPLY}": False})
    _reply(mailed, plan)
    note = Notification.objects.get(recipient=mailed.mentor)
    assert not note.in_app and note.mail == Mail.NOW
    client = mailed.client(mailed.mentor)
    assert "Mengapa" not in client.get("/notifikasi/").content.decode()
    delivery = _settings(
        mailed.mentor, expected_version=1, **{f"in_app_{Kind.THREAD_REPLY}": False, f"email_{Kind.THREAD_REPLY}": False}
    )
    assert delivery.version == 2
    _reply(mailed, plan, "Lagi.")
    assert Notification.objects.filter(recipient=mailed.mentor).count() == 1


def test_switching_off_e_mail_keeps_the_notification_without_mail(mailed, plan):
    _settings(mailed.mentor, **{f"email_{Kind.THREAD_REPLY}": False})
    _reply(mailed, plan)
    assert Notification.objects.get(recipient=mailed.mentor).mail == Mail.NONE


def test_a_person_without_an_address_gets_no_mail(cast, plan):
    _reply(cast, plan)
    assert Notification.objects.get(recipient=cast.mentor).mail == Mail.NONE


def test_stale_settings_are_refused(mailed):
    from kotacerdas.lib.concurrency import EditConflict

    _settings(mailed.mentor)
    with pytest.raises(EditConflict):
        _settings(mailed.mentor, expected_version=0)


def test_the_digest_sends_one_mail_per_recipient_and_day_and_running_it_twice_sends_nothing_more(mailed, plan):
    _settings(mailed.mentor, digest=True)
    _settings(mailed.owner, digest=True)
    thread = plans.open_thread(actor=mailed.mentor, edition=plan.edition, body="Mengapa?", programme=plan.first)
    plans.reply(actor=mailed.editor, thread=thread, body="Satu.")
    plans.reply(actor=mailed.owner, thread=thread, body="Dua.")
    plans.reply(actor=mailed.mentor, thread=thread, body="Tiga.")  # the owner's one, the editor's at once
    assert set(Notification.objects.filter(recipient=mailed.mentor).values_list("mail", flat=True)) == {Mail.DIGEST}
    today = timezone.localdate()
    out = StringIO()
    call_command("notifications", "digest", "--date", today.isoformat(), "--json", stdout=out)
    sent = json.loads(out.getvalue())
    by_user = {d["username"]: d for d in sent["digests"]}
    assert by_user["mentor"]["notifications"] == 2 and by_user["mentor"]["sent"]
    assert by_user["owner"]["notifications"] == 1 and by_user["owner"]["sent"]
    assert len(outbox.outbox) == 2  # the editor's come at once, from the job
    assert "2 notifications" in next(m for m in outbox.outbox if m.to == ["mentor@example.go.id"]).subject
    again = StringIO()
    call_command("notifications", "digest", "--date", today.isoformat(), "--json", stdout=again)
    assert not any(d["sent"] for d in json.loads(again.getvalue())["digests"])
    assert len(outbox.outbox) == 2
    assert SentMessage.objects.filter(kind="notification_digest").count() == 2
    # Another day has its own digest (nothing happened then).
    assert send_digests(day=today - datetime.timedelta(days=1)) == []


def test_the_list_command_shows_a_users_notifications(mailed, plan):
    _reply(mailed, plan)
    out = StringIO()
    call_command("notifications", "list", "mentor", "--unread", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 1 and rows[0]["kind"] == "thread_reply" and not rows[0]["read"]
    assert rows[0]["text"] == "Editor commented in the review thread on GOV-01 " + plan.first.name + "."
    out = StringIO()
    call_command("notifications", "list", "outsider", stdout=out)
    assert "0 notification" in out.getvalue()


def test_sample_rows_are_shown_but_never_mailed_to_their_invented_people(mailed, plan):
    thread = plans.open_thread(actor=mailed.mentor, edition=plan.edition, body="Mengapa?", programme=plan.first)
    plans.reply(actor=mailed.editor, thread=thread, body="Contoh.", is_sample=True)
    note = Notification.objects.get(recipient=mailed.mentor)
    assert note.in_app and note.mail == Mail.NONE


# The worker closes its database connection after each job: only committed data survives that.
@pytest.mark.django_db(transaction=True)
def test_the_worker_mails_a_committed_event_once(mailed, plan):
    from django_tasks_db.models import DBTaskResult

    _reply(mailed, plan)
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", stdout=StringIO(), stderr=StringIO())
    assert [m.to for m in outbox.outbox] == [["mentor@example.go.id"]]
    assert SentMessage.objects.get(kind="notification").status == SentMessage.Status.SENT
