"""Writes of implementation monitoring: reporting set-up, updates and their validation, actuals.

Every function is atomic, asks the access layer with its ``actor`` (None: the console) and
records an audit entry. Edits take the row's version (``lib.concurrency.lock_current``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import entry, record, record_all, snapshot
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import EditConflict, lock_current
from kotacerdas.lib.forms import RupiahField
from kotacerdas.monitoring import periods as pure
from kotacerdas.monitoring.models import (
    STATUSES_NEEDING_REASON,
    CadenceChange,
    IndicatorActual,
    IndicatorMetadata,
    ProgrammeUpdate,
    RealisedBudget,
    ReportingPeriod,
    ReportingPlan,
    Rollup,
    UpdateState,
)
from kotacerdas.notifications import events
from kotacerdas.plans.models import (
    MAX_BUDGET_AMOUNT,
    BudgetSource,
    Edition,
    Indicator,
    Programme,
    ProgrammeStatus,
    QuickWinFlag,
)
from kotacerdas.plans.models.plan import EditionStatus

# Reporting ---------------------------------------------------------------------------------


def _cadence(value: str) -> pure.Cadence:
    try:
        return pure.Cadence(value)
    except ValueError:
        raise ValidationError({"cadence": _("Choose monthly or quarterly.")}) from None


def _wanted_periods(reporting: ReportingPlan) -> list[pure.Period]:
    changes = [(c.chosen_on, pure.Cadence(c.cadence)) for c in reporting.changes.all()]
    return pure.schedule(reporting.starts_on, reporting.ends_on, pure.Cadence(reporting.initial_cadence), changes)


def _sync_periods(reporting: ReportingPlan, *, from_day: datetime.date | None = None) -> None:
    """Make the edition's period rows match its schedule, from ``from_day`` on (default: all).

    Periods that start before ``from_day`` are history and stay as they are; later ones that no
    longer belong to the schedule are removed (none can carry a report: reports are written only
    for periods that have begun).
    """
    edition = reporting.edition
    wanted = [p for p in _wanted_periods(reporting) if from_day is None or p.start >= from_day]
    existing = ReportingPeriod.objects.filter(edition=edition)
    if from_day is not None:
        existing = existing.filter(starts_on__gte=from_day)
    by_key = {p.key: p for p in existing}
    wanted_keys = {p.key for p in wanted}
    stale = [p.pk for key, p in by_key.items() if key not in wanted_keys]
    if stale:
        ReportingPeriod.objects.filter(pk__in=stale).delete()
    new = []
    for period in wanted:
        due = period.due(reporting.grace_days)
        row = by_key.get(period.key)
        if row is None:
            new.append(
                ReportingPeriod(
                    region_id=reporting.region_id,
                    edition=edition,
                    key=period.key,
                    cadence=period.cadence.value,
                    starts_on=period.start,
                    ends_on=period.end,
                    due_on=due,
                )
            )
        elif row.due_on != due:
            row.due_on = due
            row.save(update_fields=["due_on"])
    ReportingPeriod.objects.bulk_create(new)


def _reporting_dates(edition: Edition, starts_on: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    first = starts_on or datetime.date(edition.start_year, 1, 1)
    last = datetime.date(edition.end_year, 12, 31)
    if not edition.start_year <= first.year <= edition.end_year:
        raise ValidationError(
            {
                "starts_on": _("Reporting must start within the plan period %(start)s–%(end)s.")
                % {"start": edition.start_year, "end": edition.end_year}
            }
        )
    return first, last


def _grace(value: Any) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"grace_days": _("Enter a whole number of days from 0 to 90.")}) from None
    if not 0 <= days <= 90:
        raise ValidationError({"grace_days": _("Enter a whole number of days from 0 to 90.")})
    return days


@transaction.atomic
def start_reporting(
    *,
    actor: Any,
    edition: Edition,
    cadence: str = "quarterly",
    grace_days: Any = pure.DEFAULT_GRACE_DAYS,
    rollup: str = Rollup.EQUAL,
    starts_on: datetime.date | None = None,
    is_sample: bool = False,
) -> ReportingPlan:
    """Start monitoring an adopted edition: its reporting plan and every period of the plan period."""
    access.check(actor, access.may_set_up_reporting, edition.region)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != EditionStatus.ADOPTED:
        raise ValidationError(_("Only an adopted edition is monitored: adopt the edition first."))
    if ReportingPlan.objects.filter(edition=edition).exists():
        raise ValidationError(_("Reporting for this edition has already started."))
    if rollup not in Rollup.values:
        raise ValidationError({"rollup": _("Choose equal weights or budget weights.")})
    _cadence(cadence)
    first, last = _reporting_dates(edition, starts_on)
    reporting = ReportingPlan.objects.create(
        region_id=edition.region_id,
        edition=edition,
        cadence=cadence,
        initial_cadence=cadence,
        grace_days=_grace(grace_days),
        rollup=rollup,
        starts_on=first,
        ends_on=last,
        is_sample=is_sample,
    )
    _sync_periods(reporting)
    record(actor=actor, action="create", obj=reporting, region=edition.region, after=snapshot(reporting))
    return reporting


@transaction.atomic
def change_reporting(
    *,
    actor: Any,
    reporting: ReportingPlan,
    data: dict[str, Any],
    expected_version: int,
    today: datetime.date | None = None,
) -> ReportingPlan:
    """Change the cadence (from the next quarter on), the grace days or the roll-up rule."""
    access.check(actor, access.may_set_up_reporting, reporting.edition.region)
    reporting = lock_current(ReportingPlan.objects.select_related("edition"), reporting.pk, expected_version)
    today = today or timezone.localdate()
    before = snapshot(reporting)
    errors: dict[str, str] = {}
    cadence = data.get("cadence", reporting.cadence)
    try:
        _cadence(cadence)
    except ValidationError as error:
        errors.update(error.message_dict)  # type: ignore[arg-type]
    grace = reporting.grace_days
    try:
        grace = _grace(data.get("grace_days", reporting.grace_days))
    except ValidationError as error:
        errors.update(error.message_dict)  # type: ignore[arg-type]
    rollup = data.get("rollup", reporting.rollup)
    if rollup not in Rollup.values:
        errors["rollup"] = _("Choose equal weights or budget weights.")
    if errors:
        raise ValidationError(errors)
    changed_from: datetime.date | None = None
    if cadence != reporting.cadence:
        change = CadenceChange.objects.create(
            region_id=reporting.region_id,
            reporting=reporting,
            cadence=cadence,
            chosen_on=today,
            effective_from=pure.effective_from(today),
            chosen_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        changed_from = change.effective_from
    grace_changed = grace != reporting.grace_days
    reporting.cadence = cadence
    reporting.grace_days = grace
    reporting.rollup = rollup
    reporting.version += 1
    reporting.save()
    if grace_changed:
        # A new grace applies to the periods that have not begun; the past keeps its due dates.
        _sync_periods(reporting, from_day=today)
    elif changed_from:
        _sync_periods(reporting, from_day=changed_from)
    after = snapshot(reporting)
    if changed_from:
        after["cadence_from"] = {"cadence": cadence, "from": changed_from.isoformat()}
    record(actor=actor, action="update", obj=reporting, region=reporting.edition.region, before=before, after=after)
    return reporting


# Updates -----------------------------------------------------------------------------------


def _amount(value: Any, field: str) -> Decimal | None:
    """Whole rupiah typed as people write it, by the same rules as every amount field (RupiahField)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(value)
        value = int(number) if number.is_finite() and number == number.to_integral_value() else str(value)
    try:
        amount = RupiahField(max_value=MAX_BUDGET_AMOUNT, required=False).clean(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages[0]}) from None
    return None if amount is None else Decimal(amount)


def _clean_update(data: dict[str, Any], period: ReportingPeriod, *, is_quick_win: bool) -> dict[str, Any]:
    """The update's fields from ``data``, or every problem at once (ValidationError by field)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    status = data.get("status") or ""
    if status not in ProgrammeStatus.values or status == ProgrammeStatus.PLANNED:
        errors["status"] = _("Choose the programme's status in this period.")
    out["status"] = status
    progress = data.get("progress")
    try:
        out["progress"] = int(str(progress).strip())
        if not 0 <= out["progress"] <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors["progress"] = _("Enter the physical progress as a whole percentage from 0 to 100.")
    comment = (data.get("comment") or "").strip()
    if not comment:
        errors["comment"] = _("Say what happened in this period: a status changes only with a comment.")
    elif len(comment) > 4000:
        errors["comment"] = _("Keep the comment under 4,000 characters.")
    out["comment"] = comment
    reason = (data.get("reason") or "").strip()
    if status in STATUSES_NEEDING_REASON and not reason:
        errors["reason"] = _("Give the reason why the programme is cancelled or not achieved.")
    elif len(reason) > 2000:
        errors["reason"] = _("Keep the reason under 2,000 characters.")
    out["reason"] = reason
    reported_on = data.get("reported_on") or timezone.localdate()
    if not isinstance(reported_on, datetime.date):
        errors["reported_on"] = _("Enter the date of the update.")
    elif reported_on < period.starts_on:
        errors["reported_on"] = _("The update cannot be dated before its period begins (%(day)s).") % {
            "day": period.starts_on.isoformat()
        }
    out["reported_on"] = reported_on
    link = (data.get("evidence_link") or "").strip()
    if link and not (link.startswith("https://") or link.startswith("http://")):
        errors["evidence_link"] = _("Enter a web address starting with https://.")
    elif len(link) > 500:
        errors["evidence_link"] = _("Keep the link under 500 characters.")
    out["evidence_link"] = link
    for field in ("launched_on", "live_since"):
        value = data.get(field) or None
        if value is not None and not is_quick_win:
            errors[field] = _("Only a quick win of this year has a launch date.")
        out[field] = value
    if out["launched_on"] and out["live_since"] and out["live_since"] < out["launched_on"]:
        errors["live_since"] = _("A quick win cannot be live before it launched.")
    budgets: dict[str, Decimal] = {}
    for source in BudgetSource.values:
        try:
            amount = _amount(data.get(f"budget_{source}"), f"budget_{source}")
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
            continue
        if amount is not None:
            budgets[source] = amount
    out["budgets"] = budgets
    if errors:
        raise ValidationError(errors)
    return out


def _is_quick_win(programme: Programme, year: int) -> bool:
    return programme.quick_wins.filter(year=year).exists()


UPDATE_FIELDS = (
    "status",
    "progress",
    "comment",
    "reason",
    "reported_on",
    "evidence_link",
    "launched_on",
    "live_since",
)


def _write_update(update: ProgrammeUpdate, clean: dict[str, Any], evidence: Any) -> None:
    for field in UPDATE_FIELDS:
        setattr(update, field, clean[field])
    files.accept_upload(update, "evidence_file", "evidence_name", evidence)
    update.save()
    wanted = clean["budgets"]
    kept = {b.source: b for b in update.budgets.all()}
    for source, row in kept.items():
        if source not in wanted:
            row.delete()
        elif row.amount != wanted[source]:
            row.amount = wanted[source]
            row.save(update_fields=["amount"])
    RealisedBudget.objects.bulk_create(
        RealisedBudget(region_id=update.region_id, update=update, source=source, amount=amount)
        for source, amount in wanted.items()
        if source not in kept
    )


def _update_snapshot(update: ProgrammeUpdate) -> dict[str, Any]:
    data = snapshot(update)
    data["budgets"] = {b.source: str(b.amount) for b in update.budgets.all()}
    return data


def _reporting_region(programme: Programme) -> Any:
    return programme.edition.region


def _refuse_new(
    programme: Programme,
    period: ReportingPeriod,
    today: datetime.date,
    corrects: ProgrammeUpdate | None,
    *,
    has_open: bool,
    has_accepted: bool,
) -> None:
    """ValidationError when ``programme`` may not get a new update for ``period`` (the rules of creation)."""
    if period.edition_id != programme.edition_id:
        raise ValidationError(_("The period belongs to another edition."))
    if period.starts_on > today:
        raise ValidationError(
            {
                "period": _("Period %(key)s has not begun: report it from %(day)s.")
                % {"key": period.key, "day": period.starts_on.isoformat()}
            }
        )
    if programme.status == ProgrammeStatus.CANCELLED and corrects is None:
        raise ValidationError(_("The programme was cancelled: nothing more is reported for it."))
    if has_open:
        raise ValidationError(
            _("This programme already has an update for %(key)s that is not yet accepted: continue that one.")
            % {"key": period.key}
        )
    if corrects is None and has_accepted:
        raise ValidationError(
            _("The update for %(key)s is accepted and frozen: write a correction of it instead.") % {"key": period.key}
        )


OPEN_STATES = (UpdateState.DRAFT, UpdateState.SUBMITTED, UpdateState.RETURNED)


@transaction.atomic
def create_update(
    *,
    actor: Any,
    programme: Programme,
    period: ReportingPeriod,
    data: dict[str, Any],
    today: datetime.date | None = None,
    corrects: ProgrammeUpdate | None = None,
    is_sample: bool = False,
) -> ProgrammeUpdate:
    """A draft update of ``programme`` for ``period`` (which must have begun)."""
    region = _reporting_region(programme)
    access.check(actor, access.may_report_for, region, programme.lead_opd_id)
    states = set(ProgrammeUpdate.objects.filter(programme=programme, period=period).values_list("state", flat=True))
    _refuse_new(
        programme,
        period,
        today or timezone.localdate(),
        corrects,
        has_open=bool(states & set(OPEN_STATES)),
        has_accepted=UpdateState.ACCEPTED in states,
    )
    clean = _clean_update(data, period, is_quick_win=_is_quick_win(programme, period.year))
    update = ProgrammeUpdate(
        region_id=programme.region_id,
        programme=programme,
        period=period,
        corrects=corrects,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        is_sample=is_sample,
    )
    _write_update(update, clean, data.get("evidence_file"))
    record(actor=actor, action="create", obj=update, region=region, after=_update_snapshot(update))
    return update


@dataclass(frozen=True)
class NewUpdate:
    """One update for :func:`create_updates`: ``data`` as :func:`create_update` takes it (no file)."""

    programme: Programme
    period: ReportingPeriod
    data: dict[str, Any]


@transaction.atomic
def create_updates(
    *, actor: Any, items: Sequence[NewUpdate], today: datetime.date | None = None, submit: bool = False
) -> list[ProgrammeUpdate | ValidationError | PermissionDenied]:
    """Many draft updates at once (the spreadsheet import): the checks of :func:`create_update`, in a
    fixed number of queries.

    The answer has one outcome per item, in order: its new update, or the error
    :func:`create_update` would have raised for it. When any item fails nothing is written (the
    other outcomes are then the unsaved updates), so the caller can report every problem at once.
    With ``submit`` each is submitted too, as :func:`submit_update` would (its own audit entry).
    Programmes must come with ``edition.region`` loaded.
    """
    today = today or timezone.localdate()
    programme_ids = {item.programme.pk for item in items}
    states: dict[tuple[int, int], set[str]] = {}
    for programme_id, period_id, state in ProgrammeUpdate.objects.filter(
        programme__in=programme_ids, period__in={item.period.pk for item in items}
    ).values_list("programme_id", "period_id", "state"):
        states.setdefault((programme_id, period_id), set()).add(state)
    quick_wins = set(QuickWinFlag.objects.filter(programme__in=programme_ids).values_list("programme_id", "year"))
    allowed: dict[tuple[int, int | None], PermissionDenied | None] = {}
    outcomes: list[ProgrammeUpdate | ValidationError | PermissionDenied] = []
    cleaned: list[dict[str, Any]] = []
    author = actor if getattr(actor, "is_authenticated", False) else None
    for item in items:
        programme, period = item.programme, item.period
        region = _reporting_region(programme)
        asked = (region.pk, programme.lead_opd_id)
        if asked not in allowed:
            try:
                access.check(actor, access.may_report_for, region, programme.lead_opd_id)
                allowed[asked] = None
            except PermissionDenied as refused:
                allowed[asked] = refused
        if (denied := allowed[asked]) is not None:
            outcomes.append(denied)
            cleaned.append({})
            continue
        taken = states.setdefault((programme.pk, period.pk), set())
        try:
            _refuse_new(
                programme,
                period,
                today,
                None,
                has_open=bool(taken & set(OPEN_STATES)),
                has_accepted=UpdateState.ACCEPTED in taken,
            )
            clean = _clean_update(item.data, period, is_quick_win=(programme.pk, period.year) in quick_wins)
        except ValidationError as error:
            outcomes.append(error)
            cleaned.append({})
            continue
        taken.add(UpdateState.DRAFT)  # a second item for the same programme and period is refused
        update = ProgrammeUpdate(region_id=programme.region_id, programme=programme, period=period, author=author)
        for name in UPDATE_FIELDS:
            setattr(update, name, clean[name])
        outcomes.append(update)
        cleaned.append(clean)
    if any(not isinstance(outcome, ProgrammeUpdate) for outcome in outcomes):
        return outcomes
    updates = ProgrammeUpdate.objects.bulk_create([u for u in outcomes if isinstance(u, ProgrammeUpdate)])
    drafts = {update.pk: snapshot(update) for update in updates} if submit else {}
    if submit:
        now = timezone.now()
        ProgrammeUpdate.objects.filter(pk__in=list(drafts)).update(
            state=UpdateState.SUBMITTED, submitted_at=now, updated_at=now, version=F("version") + 1
        )
        for update in updates:
            update.state, update.submitted_at, update.version = UpdateState.SUBMITTED, now, update.version + 1
    RealisedBudget.objects.bulk_create(
        RealisedBudget(region_id=update.region_id, update=update, source=source, amount=amount)
        for update, clean in zip(updates, cleaned, strict=True)
        for source, amount in clean["budgets"].items()
    )
    entries = []
    for update, clean in zip(updates, cleaned, strict=True):
        after = snapshot(update)
        after["budgets"] = {source: str(amount) for source, amount in sorted(clean["budgets"].items())}
        region = _reporting_region(update.programme)
        if submit:
            draft = {**drafts[update.pk], "budgets": after["budgets"]}
            entries.append(entry(actor=actor, action="create", obj=update, region=region, after=draft))
            submitted = snapshot(update)
            entries.append(
                entry(
                    actor=actor, action="submit", obj=update, region=region, before=drafts[update.pk], after=submitted
                )
            )
        else:
            entries.append(entry(actor=actor, action="create", obj=update, region=region, after=after))
    record_all(entries)
    return list(updates)


def _locked_update(update: ProgrammeUpdate, expected_version: int) -> ProgrammeUpdate:
    return lock_current(
        ProgrammeUpdate.objects.select_related("programme__edition__region", "period"), update.pk, expected_version
    )


@transaction.atomic
def edit_update(*, actor: Any, update: ProgrammeUpdate, data: dict[str, Any], expected_version: int) -> ProgrammeUpdate:
    """Change a draft or returned update (submitted and accepted ones are frozen)."""
    region = _reporting_region(update.programme)
    access.check(actor, access.may_report_for, region, update.programme.lead_opd_id)
    update = _locked_update(update, expected_version)
    if update.is_frozen:
        raise ValidationError(_("A submitted or accepted update can no longer be changed."))
    before = _update_snapshot(update)
    clean = _clean_update(data, update.period, is_quick_win=_is_quick_win(update.programme, update.period.year))
    update.version += 1
    _write_update(update, clean, data.get("evidence_file"))
    record(actor=actor, action="update", obj=update, region=region, before=before, after=_update_snapshot(update))
    return update


@transaction.atomic
def submit_update(*, actor: Any, update: ProgrammeUpdate, expected_version: int) -> ProgrammeUpdate:
    """Send a draft (or a returned update, corrected) for validation."""
    region = _reporting_region(update.programme)
    access.check(actor, access.may_report_for, region, update.programme.lead_opd_id)
    update = _locked_update(update, expected_version)
    if update.state not in (UpdateState.DRAFT, UpdateState.RETURNED):
        raise ValidationError(_("Only a draft or a returned update can be submitted."))
    before = snapshot(update)
    update.state = UpdateState.SUBMITTED
    update.submitted_at = timezone.now()
    update.version += 1
    update.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    record(actor=actor, action="submit", obj=update, region=region, before=before, after=snapshot(update))
    return update


def _latest_accepted(programme_id: int) -> ProgrammeUpdate | None:
    return (
        ProgrammeUpdate.objects.filter(programme_id=programme_id, state=UpdateState.ACCEPTED)
        # An accepted correction replaces the update it corrects, whatever the dates say.
        .exclude(corrections__state=UpdateState.ACCEPTED)
        .order_by("-period__starts_on", "-reported_on", "-decided_at", "-id")
        .first()
    )


@transaction.atomic
def accept_update(*, actor: Any, update: ProgrammeUpdate, expected_version: int) -> ProgrammeUpdate:
    """Accept a submitted update: it is frozen and the programme's status follows its latest one."""
    region = _reporting_region(update.programme)
    access.check(actor, access.may_validate_updates, region)
    update = _locked_update(update, expected_version)
    if update.state != UpdateState.SUBMITTED:
        raise ValidationError(_("Only a submitted update can be accepted."))
    before = snapshot(update)
    update.state = UpdateState.ACCEPTED
    update.return_reason = ""
    update.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    update.decided_at = timezone.now()
    update.version += 1
    update.save(update_fields=["state", "return_reason", "decided_by", "decided_at", "version", "updated_at"])
    record(actor=actor, action="review", obj=update, region=region, before=before, after=snapshot(update))
    _follow_status(update.programme_id, actor, region)
    return update


def _follow_status(programme_id: int, actor: Any, region: Any) -> None:
    """``Programme.status`` becomes the status of its latest accepted update (one source of truth)."""
    latest = _latest_accepted(programme_id)
    programme = Programme.objects.select_for_update().get(pk=programme_id)
    status = latest.status if latest else ProgrammeStatus.NOT_STARTED
    if programme.status != status:
        before = snapshot(programme, ["status"])
        programme.status = status
        programme.version += 1
        programme.save(update_fields=["status", "version", "updated_at"])
        record(
            actor=actor,
            action="update",
            obj=programme,
            region=region,
            before=before,
            after=snapshot(programme, ["status"]),
        )


@transaction.atomic
def return_update(*, actor: Any, update: ProgrammeUpdate, reason: str, expected_version: int) -> ProgrammeUpdate:
    """Send a submitted update back to its agency with the reason; it returns to their list."""
    region = _reporting_region(update.programme)
    access.check(actor, access.may_validate_updates, region)
    update = _locked_update(update, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": _("Say why the update goes back, so the agency can fix it.")})
    if len(reason) > 2000:
        raise ValidationError({"return_reason": _("Keep the reason under 2,000 characters.")})
    if update.state != UpdateState.SUBMITTED:
        raise ValidationError(_("Only a submitted update can be returned."))
    before = snapshot(update)
    update.state = UpdateState.RETURNED
    update.return_reason = reason
    update.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    update.decided_at = timezone.now()
    update.version += 1
    update.save(update_fields=["state", "return_reason", "decided_by", "decided_at", "version", "updated_at"])
    record(actor=actor, action="review", obj=update, region=region, before=before, after=snapshot(update))
    events.update_returned(actor=actor, update=update)
    return update


@transaction.atomic
def correct_update(*, actor: Any, update: ProgrammeUpdate, data: dict[str, Any]) -> ProgrammeUpdate:
    """A correction of an accepted update: a new draft for the same period naming the one it corrects."""
    access.check(actor, access.may_report_for, _reporting_region(update.programme), update.programme.lead_opd_id)
    if update.state != UpdateState.ACCEPTED:
        raise ValidationError(_("Only an accepted update is corrected; change a draft or returned one directly."))
    return create_update(
        actor=actor,
        programme=update.programme,
        period=update.period,
        data=data,
        corrects=update,
        today=update.period.starts_on,
    )


@transaction.atomic
def delete_update(*, actor: Any, update: ProgrammeUpdate, expected_version: int) -> None:
    """Throw away a draft that was never submitted."""
    region = _reporting_region(update.programme)
    access.check(actor, access.may_report_for, region, update.programme.lead_opd_id)
    update = _locked_update(update, expected_version)
    if update.state != UpdateState.DRAFT:
        raise ValidationError(_("Only a draft that was never submitted can be deleted."))
    before = _update_snapshot(update)
    record(actor=actor, action="delete", obj=update, region=region, before=before)
    if update.evidence_file:
        update.evidence_file.delete(save=False)
    update.delete()


# Indicator actuals -------------------------------------------------------------------------


def _clean_actual(data: dict[str, Any], region_id: int) -> dict[str, Any]:
    from kotacerdas.regions.models import OPD

    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    raw = data.get("value")
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
        if not value.is_finite():
            raise InvalidOperation
        if abs(value) >= Decimal("1e14"):
            errors["value"] = _("The value is too large: at most 14 digits before the decimal point.")
        elif value != value.quantize(Decimal("0.01")):
            errors["value"] = _("Enter the value with at most two decimals.")
        out["value"] = value
    except (InvalidOperation, ValueError, TypeError):
        errors["value"] = _("Enter the measured value as a number, e.g. 72.5.")
    producer = data.get("producer")
    if producer in ("", None):
        out["producer"] = None
    else:
        producer_id = getattr(producer, "pk", producer)
        opd = (
            OPD.objects.filter(region_id=region_id, pk=int(str(producer_id))).first()
            if str(producer_id).isdigit()
            else None
        )
        if opd is None:
            errors["producer"] = _("Choose an agency of this region.")
        out["producer"] = opd
    for field, limit in (("source", 250), ("note", 2000)):
        text = (data.get(field) or "").strip()
        if len(text) > limit:
            errors[field] = _("Keep this under %(n)s characters.") % {"n": limit}
        out[field] = text
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def record_actual(
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    period: ReportingPeriod | None,
    data: dict[str, Any],
    expected_version: int,
    is_sample: bool = False,
) -> IndicatorActual:
    """Record or change the actual of a period or a year.

    ``expected_version`` is the version of the actual the caller saw, 0 when it saw none: a
    recorded actual someone else added meanwhile is never overwritten (EditConflict).
    """
    programme = indicator.programme
    region = _reporting_region(programme)
    access.check(actor, access.may_report_for, region, programme.lead_opd_id)
    if period is not None and (period.edition_id != programme.edition_id or period.year != year):
        raise ValidationError({"period": _("The period does not belong to this year of the edition.")})
    if period is not None and period.starts_on > timezone.localdate():
        raise ValidationError({"period": _("Period %(key)s has not begun.") % {"key": period.key}})
    edition = programme.edition
    if period is None and not edition.start_year <= year <= min(edition.end_year, timezone.localdate().year):
        # A yearly actual outside the plan period (or of a year still to come) would never be read.
        raise ValidationError(
            {
                "year": _("Choose a year of the plan period %(start)s–%(end)s that has begun.")
                % {"start": edition.start_year, "end": edition.end_year}
            }
        )
    clean = _clean_actual(data, programme.region_id)
    existing = IndicatorActual.objects.filter(indicator=indicator, year=year, period=period).first()
    if existing is None and expected_version != 0:
        raise EditConflict
    if existing is None:
        actual = IndicatorActual.objects.create(
            region_id=programme.region_id,
            indicator=indicator,
            year=year,
            period=period,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_sample=is_sample,
            **clean,
        )
        record(actor=actor, action="create", obj=actual, region=region, after=snapshot(actual))
        return actual
    if expected_version is None:
        raise ValidationError(_("This indicator already has an actual for this period: open it and change it instead."))
    actual = lock_current(IndicatorActual.objects.all(), existing.pk, expected_version)
    before = snapshot(actual)
    for field, value in clean.items():
        setattr(actual, field, value)
    actual.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    actual.version += 1
    actual.save()
    record(actor=actor, action="update", obj=actual, region=region, before=before, after=snapshot(actual))
    return actual


METADATA_FIELDS = (
    "definition",
    "concept",
    "method",
    "interpretation",
    "frequency",
    "cumulative",
    "estimation_level",
    "data_source",
)


@transaction.atomic
def save_metadata(
    *, actor: Any, indicator: Indicator, data: dict[str, Any], expected_version: int
) -> IndicatorMetadata:
    """The Satu Data metadata of an indicator (created on first save, then versioned).

    ``expected_version``: the version the caller saw, 0 when there was none yet.
    """
    programme = indicator.programme
    region = _reporting_region(programme)
    access.check(actor, access.may_report_for, region, indicator.data_producer_id or programme.lead_opd_id)
    existing = IndicatorMetadata.objects.filter(indicator=indicator).first()
    if existing is None and expected_version != 0:
        raise EditConflict
    if existing is None:
        metadata = IndicatorMetadata(region_id=programme.region_id, indicator=indicator)
        before = None
    else:
        metadata = lock_current(IndicatorMetadata.objects.all(), existing.pk, expected_version)
        before = snapshot(metadata)
        metadata.version += 1
    for field in METADATA_FIELDS:
        if field in data:
            setattr(metadata, field, data[field])
    metadata.full_clean(exclude=["region", "indicator"])
    metadata.save()
    record(
        actor=actor,
        action="update" if before else "create",
        obj=metadata,
        region=region,
        before=before,
        after=snapshot(metadata),
    )
    return metadata
