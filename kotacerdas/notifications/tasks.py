"""The background job that mails a notification event at once (django-tasks; the database is
the queue). Enqueued after the causing transaction commits; sending is idempotent
(``lib/reminders``), so a job run twice, or retried by the reaper, mails each person once."""

from __future__ import annotations

from django_tasks import task


@task()
def mail_event(event_key: str) -> int:
    from kotacerdas.notifications.mail import send_event

    return send_event(event_key)
