"""Waivers of plan-check findings: recorded with a reason, by whom and when (issue 18).

The findings a waiver names (its rule and subject, see ``Finding.subject``) still come out of
the check; the stored summary files them apart as waived, with the waiver, and counts only the
others (``summaries.compute``). A waived error needs no acknowledgement at an approval step.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.lib.concurrency import EditConflict, lock_current
from kotacerdas.plans.checks import RULES
from kotacerdas.plans.models import Edition, FindingWaiver
from kotacerdas.plans.services.common import ensure_editable
from kotacerdas.plans.summaries import touch as touch_summary

MAX_REASON = 4000
MAX_SUBJECT = FindingWaiver._meta.get_field("subject").max_length or 200


def _who(actor: Any) -> tuple[Any, str]:
    if getattr(actor, "is_authenticated", False):
        return actor, str(actor)
    return None, "system"


def _validate(rule: str, subject: str, reason: str) -> None:
    errors: dict[str, list[str]] = {}
    if rule not in RULES:
        errors["rule"] = [_("There is no plan-check rule %(rule)s.") % {"rule": rule}]
    if len(subject) > MAX_SUBJECT:
        errors["subject"] = [_("At most %(n)s characters.") % {"n": MAX_SUBJECT}]
    if not reason:
        errors["reason"] = [_("Say why these findings may stay: the reason is what the waiver records.")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("At most %(n)s characters.") % {"n": MAX_REASON}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def waive_findings(
    *,
    actor: Any,
    edition: Edition,
    rule: str,
    subject: str,
    reason: str,
    expected_version: int | None = None,
) -> FindingWaiver:
    """Record (or change the reason of) the waiver of ``rule``'s findings about ``subject``.

    Changing an existing waiver needs the ``expected_version`` the person saw.
    """
    access.check(actor, access.may_waive_findings, edition.region)
    ensure_editable(edition)
    rule, subject, reason = str(rule).strip().upper(), str(subject or "").strip(), str(reason or "").strip()
    _validate(rule, subject, reason)
    waived_by, name = _who(actor)
    queryset = FindingWaiver.objects.filter(edition=edition)
    existing = queryset.filter(rule=rule, subject=subject).values_list("pk", flat=True).first()
    if existing is None:
        waiver = FindingWaiver(region_id=edition.region_id, edition=edition, rule=rule, subject=subject)
        before = None
    else:
        if expected_version is None:
            raise EditConflict
        waiver = lock_current(queryset, existing, expected_version)
        before = snapshot(waiver)
        waiver.version += 1
    waiver.reason = reason
    waiver.waived_by, waiver.waived_by_name, waiver.waived_at = waived_by, name, timezone.now()
    try:
        with transaction.atomic():
            waiver.save()
    except IntegrityError:  # the same waiver recorded by someone else a moment ago
        raise EditConflict from None
    touch_summary(edition)
    record(
        actor=actor,
        action="update" if before else "create",
        obj=waiver,
        region=edition.region,
        before=before,
        after=snapshot(waiver),
    )
    return waiver


@transaction.atomic
def withdraw_waiver(*, actor: Any, waiver: FindingWaiver, expected_version: int) -> None:
    """Remove a waiver at the version the person saw: its findings count again."""
    edition = waiver.edition
    access.check(actor, access.may_waive_findings, edition.region)
    ensure_editable(edition)
    waiver = lock_current(FindingWaiver.objects.filter(edition=edition), waiver.pk, expected_version)
    record(actor=actor, action="delete", obj=waiver, region=edition.region, before=snapshot(waiver))
    waiver.delete()
    touch_summary(edition)
