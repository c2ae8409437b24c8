"""Writes for the assistance. Each service validates, writes and audits in one transaction.

Services take objects already fetched inside the region (views go through the access layer)
and raise ``ValidationError`` with field names, so the web and the command line show the same
messages. Edits compare the form's ``version`` (optimistic locking).
"""

from kotacerdas.engagements.services.forum import (
    add_agenda_item,
    add_outcome,
    close_session,
    record_attendance,
    remove_agenda_item,
    save_minutes,
    start_session,
)
from kotacerdas.engagements.services.register import (
    prepare_signatories,
    raise_obstacle,
    record_signature,
    respond_to_escalation,
    update_action,
    update_obstacle,
    upload_commitment_scan,
)
from kotacerdas.engagements.services.reminders import send_reminders
from kotacerdas.engagements.services.setup import (
    SESSION_FIELDS,
    add_mentor,
    cancel_session,
    create_engagement,
    ensure_cohort,
    plan_session,
    remove_mentor,
    schedule_default_stages,
    update_engagement,
    update_session,
)

__all__ = [
    "SESSION_FIELDS",
    "add_agenda_item",
    "add_mentor",
    "add_outcome",
    "cancel_session",
    "close_session",
    "create_engagement",
    "ensure_cohort",
    "plan_session",
    "prepare_signatories",
    "raise_obstacle",
    "record_attendance",
    "record_signature",
    "remove_agenda_item",
    "remove_mentor",
    "respond_to_escalation",
    "save_minutes",
    "schedule_default_stages",
    "send_reminders",
    "start_session",
    "update_action",
    "update_engagement",
    "update_obstacle",
    "update_session",
    "upload_commitment_scan",
]
