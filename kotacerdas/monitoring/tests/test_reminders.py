"""Reminders to report: before the due date and overdue, once per recipient, period and kind."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from kotacerdas.accounts.models import Membership
from kotacerdas.audit.models import AuditEntry, SentMessage
from kotacerdas.monitoring import reminders, services
from kotacerdas.monitoring.tests.conftest import TODAY, update_data

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def addresses(cast):
    for user in (cast.owner, cast.editor, cast.viewer, cast.mentor):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return cast


def test_the_agencys_editor_is_reminded_before_the_due_date_once(addresses, monitored):
    first = reminders.send_reminders(today=D(2025, 4, 6))
    second = reminders.send_reminders(today=D(2025, 4, 8))
    assert [(r.kind, r.to, r.period, r.sent) for r in first] == [
        (reminders.DUE_SOON, "editor@example.org", "2025-Q1", True)
    ]
    assert sorted(first[0].programmes) == ["ENV-01", "GOV-01"]
    assert second == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["editor@example.org"]
    assert "2025-Q1" in mail.outbox[0].subject and "GOV-01" in mail.outbox[0].body
    assert SentMessage.objects.get().status == SentMessage.Status.SENT
    assert AuditEntry.objects.filter(action="remind", object_type="monitoring.ReportingPeriod").count() == 1


def test_overdue_is_a_second_kind_sent_once_too(addresses, monitored):
    reminders.send_reminders(today=D(2025, 4, 6))
    late = reminders.send_reminders(today=D(2025, 4, 11))
    again = reminders.send_reminders(today=D(2025, 4, 20))
    assert [r.kind for r in late] == [reminders.OVERDUE] and again == []
    assert len(mail.outbox) == 2


def test_nothing_is_due_too_early_or_long_after(addresses, monitored):
    assert reminders.send_reminders(today=D(2025, 4, 4)) == []
    assert reminders.send_reminders(today=D(2025, 4, 10) + datetime.timedelta(days=reminders.OVERDUE_WITHIN + 1)) == []


def test_a_submitted_update_is_not_reminded(addresses, monitored):
    update = services.create_update(
        actor=None, programme=monitored.first, period=monitored.q1, data=update_data(), today=TODAY
    )
    services.submit_update(actor=None, update=update, expected_version=update.version)
    sent = reminders.send_reminders(today=D(2025, 4, 6))
    assert [r.programmes for r in sent] == [["ENV-01"]]


def test_region_admins_are_reminded_when_no_editor_is_tied_to_the_agency(addresses, monitored):
    Membership.objects.filter(user=addresses.editor).update(opd=None)
    sent = reminders.send_reminders(today=D(2025, 4, 6))
    assert [r.to for r in sent] == ["owner@example.org"]
    assert mail.outbox[0].to == ["owner@example.org"]


def test_a_recipient_without_an_address_is_listed_as_skipped(cast, monitored):
    sent = reminders.send_reminders(today=D(2025, 4, 6))
    assert [r.skipped for r in sent] == ["no e-mail address"] and not mail.outbox


def test_a_dry_run_sends_and_claims_nothing(addresses, monitored):
    planned = reminders.send_reminders(today=D(2025, 4, 6), dry_run=True)
    assert [r.to for r in planned] == ["editor@example.org"] and not planned[0].sent
    assert not mail.outbox and not SentMessage.objects.exists()
    assert not AuditEntry.objects.filter(action="remind").exists()
    # The real run afterwards still sends.
    assert [r.sent for r in reminders.send_reminders(today=D(2025, 4, 6))] == [True]


def test_the_reminder_is_in_indonesian(addresses, monitored, settings):
    settings.LANGUAGE_CODE = "id"  # the product's language (this module's tests otherwise read English)
    reminders.send_reminders(today=D(2025, 4, 6))
    assert mail.outbox[0].body.startswith("Yth. Editor,")
