"""Writes to master plans. Every service asks the access layer with its ``actor`` first (plan
content Can.EDIT, approval steps Can.ADMINISTER, review threads ``may_comment``; ``None`` is the
console), is atomic, validates (ValidationError with field names), locks and compares ``version``
for edits, refuses changes to an adopted (frozen) edition, and records an audit entry with the
values before and after.

Other apps call these: ``create_edition``, ``create_programme``, ``update_programme`` ...
"""

from kotacerdas.plans.services.common import clean_html, ensure_editable
from kotacerdas.plans.services.editions import (
    carry_programme,
    chapters,
    create_edition,
    delete_content,
    ensure_plan,
    fingerprint,
    record_approval,
    save_content,
    set_section_state,
    start_review_edition,
    update_edition,
    update_section,
)
from kotacerdas.plans.services.programmes import (
    create_programme,
    delete_programme,
    set_action_items,
    set_budgets,
    set_indicators,
    set_quick_win_years,
    set_year_quick_wins,
    update_programme,
)
from kotacerdas.plans.services.review import open_thread, reply, set_disposition, set_thread_status

__all__ = [
    "carry_programme",
    "chapters",
    "clean_html",
    "create_edition",
    "create_programme",
    "delete_content",
    "delete_programme",
    "ensure_editable",
    "ensure_plan",
    "fingerprint",
    "open_thread",
    "record_approval",
    "reply",
    "save_content",
    "set_action_items",
    "set_budgets",
    "set_disposition",
    "set_indicators",
    "set_quick_win_years",
    "set_section_state",
    "set_thread_status",
    "set_year_quick_wins",
    "start_review_edition",
    "update_edition",
    "update_programme",
    "update_section",
]
