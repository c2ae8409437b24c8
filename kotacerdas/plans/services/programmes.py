"""Writing programmes and what hangs under them (budgets, indicators and targets, action plans).

Budgets, indicators and action items are edited as part of their programme: saving them
bumps the programme's ``version``, so two people editing the same programme cannot overwrite
each other, and the audit entry holds the whole programme (with every row's id) before and after.

Rows keep their identity (house style 18): an input row names the row it edits by ``id``; a row
that did not change is not written, a changed row is updated in place, rows not named any more
are deleted and rows without an id are created. Monitoring attaches actuals to these ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.frameworks.models import FrameworkEntry, SipdLevel
from kotacerdas.frameworks.sipd import level_of
from kotacerdas.lib.concurrency import lock_current
from kotacerdas.plans import fields as programme_fields
from kotacerdas.plans import graph
from kotacerdas.plans.models import (
    MAX_BUDGET_AMOUNT,
    ActionItem,
    BudgetSource,
    Direction,
    Disposition,
    DispositionKind,
    Edition,
    Indicator,
    IndicatorTarget,
    Programme,
    ProgrammeBudget,
    QuickWinFlag,
)
from kotacerdas.plans.serialise import programme_snapshot
from kotacerdas.plans.services.common import apply, ensure_editable, full_clean, in_period, period_error
from kotacerdas.plans.summaries import touch as touch_summary
from kotacerdas.regions.models import OPD

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")


def _check_programme(programme: Programme, supporting: list[OPD], dependencies: list[Programme]) -> None:
    """Refuse what cannot be right whatever the plan: wrong taxonomy, foreign rows, years, cycles."""
    edition = programme.edition
    errors: dict[str, list[str]] = {}
    if programme.code and not CODE.match(programme.code):
        errors.setdefault("code", []).append(
            _("Use letters, digits, dots and hyphens only, starting with a letter or digit (e.g. GOV-03).")
        )
    elif programme.code:
        taken = Programme.objects.filter(edition_id=edition.pk, code=programme.code).exclude(pk=programme.pk)
        if taken.exists():
            errors.setdefault("code", []).append(
                _("There is already a programme %(value)s in this edition: choose another code.")
                % {"value": programme.code}
            )
    dimension: FrameworkEntry | None = programme.dimension if programme.dimension_id else None
    if dimension is not None and (dimension.framework_id != edition.taxonomy_id or dimension.parent_id is not None):
        errors.setdefault("dimension", []).append(
            _("%(code)s is not a dimension of this edition's taxonomy.") % {"code": dimension.code}
        )
    element = programme.element if programme.element_id else None
    if element is not None and (dimension is None or element.parent_id != dimension.pk):
        errors.setdefault("element", []).append(
            _("%(code)s is not an element of the chosen dimension.") % {"code": element.code}
        )
    if programme.strategy_id and programme.strategy and programme.strategy.edition_id != edition.pk:
        errors.setdefault("strategy", []).append(_("The strategy must belong to the same edition."))
    if programme.lead_opd_id and programme.lead_opd and programme.lead_opd.region_id != programme.region_id:
        errors.setdefault("lead_opd", []).append(_("The agency must belong to this region."))
    if any(o.region_id != programme.region_id for o in supporting):
        errors.setdefault("supporting_opds", []).append(_("Every agency must belong to this region."))
    for field in ("start_year", "end_year"):
        year = getattr(programme, field)
        if year is not None and not in_period(edition, year):
            errors.setdefault(field, []).append(period_error(edition, year))
    if programme.start_year and programme.end_year and programme.end_year < programme.start_year:
        errors.setdefault("end_year", []).append(_("The end year is before the start year."))
    for other in dependencies:
        if other.edition_id != edition.pk:
            errors.setdefault("dependencies", []).append(_("A dependency must be a programme of the same edition."))
            break
        if other.pk == programme.pk:
            errors.setdefault("dependencies", []).append(_("A programme cannot depend on itself."))
            break
    if programme.pk and "dependencies" not in errors:
        edges = graph.edges_of_edition(edition.pk, replacing=programme.pk, new=[d.pk for d in dependencies])
        cycle = graph.find_cycle(edges)
        if cycle:
            codes = dict(Programme.objects.filter(pk__in=cycle).values_list("pk", "code"))
            errors.setdefault("dependencies", []).append(
                _("These dependencies make a cycle: %(cycle)s.")
                % {"cycle": " → ".join(codes.get(pk, "?") for pk in [*cycle, cycle[0]])}
            )
    if errors:
        raise ValidationError(errors)


def _m2m(data: Mapping[str, Any], key: str) -> list[Any] | None:
    value = data.get(key)
    return None if value is None else list(value)


@transaction.atomic
def create_programme(
    *, actor: Any, edition: Edition, data: Mapping[str, Any], is_sample: bool = False, lineage: Any = None
) -> Programme:
    """Add a programme to ``edition``. In a review edition it gets a NEW disposition.

    ``data`` holds the model fields by name (FK fields as objects) plus optional
    ``supporting_opds`` and ``dependencies`` (iterables of OPD / Programme).
    """
    access.check(actor, access.may, edition.region, access.Can.EDIT)
    ensure_editable(edition)
    programme = Programme(region_id=edition.region_id, edition=edition, is_sample=is_sample)
    if lineage is not None:
        programme.lineage = lineage
    apply(programme, dict(data), programme_fields.EDITED_FIELDS)
    supporting = _m2m(data, "supporting_opds") or []
    dependencies = _m2m(data, "dependencies") or []
    full_clean(programme, exclude=["region", "edition"])
    _check_programme(programme, supporting, dependencies)
    programme.save()
    programme.supporting_opds.set(supporting)
    programme.dependencies.set(dependencies)
    touch_summary(edition)
    record(actor=actor, action="create", obj=programme, region=edition.region, after=programme_snapshot(programme))
    if edition.previous_id is not None:
        disposition = Disposition.objects.create(
            region_id=edition.region_id,
            edition=edition,
            programme=programme,
            kind=DispositionKind.NEW,
            is_sample=is_sample,
        )
        record(actor=actor, action="create", obj=disposition, region=edition.region, after=snapshot(disposition))
    return programme


@transaction.atomic
def update_programme(*, actor: Any, programme: Programme, data: Mapping[str, Any], expected_version: int) -> Programme:
    """Change a programme's fields (and, when given, its supporting agencies and dependencies)."""
    access.check(actor, access.may, programme.region, access.Can.EDIT)
    programme = lock_current(Programme.objects.filter(region_id=programme.region_id), programme.pk, expected_version)
    ensure_editable(programme.edition)
    before = programme_snapshot(programme)
    apply(programme, dict(data), programme_fields.EDITED_FIELDS)
    supporting = _m2m(data, "supporting_opds")
    dependencies = _m2m(data, "dependencies")
    full_clean(programme, exclude=["region", "edition"])
    _check_programme(
        programme,
        supporting if supporting is not None else list(programme.supporting_opds.all()),
        dependencies if dependencies is not None else list(programme.dependencies.all()),
    )
    programme.version += 1
    programme.save()
    if supporting is not None:
        programme.supporting_opds.set(supporting)
    if dependencies is not None:
        programme.dependencies.set(dependencies)
    touch_summary(programme.edition_id)
    record(
        actor=actor,
        action="update",
        obj=programme,
        region=programme.region,
        before=before,
        after=programme_snapshot(programme),
    )
    return programme


def _ensure_unreferenced(programme: Programme) -> None:
    """ValidationError when a later edition's disposition or a progress update points at the programme.

    Both keep history (what became of the programme; what was reported), so the database protects
    them; asking first turns that into a sentence instead of a ProtectedError (a 500).
    """
    later = (
        Disposition.objects.filter(previous_programme=programme)
        .exclude(edition_id=programme.edition_id)
        .select_related("edition")
        .order_by("edition__year")
        .first()
    )
    if later is not None:
        raise ValidationError(
            _(
                "Programme %(code)s cannot be removed: the edition of %(year)s says what became of it. "
                "Change that edition's disposition first."
            )
            % {"code": programme.code, "year": later.edition.year}
        )
    if programme.updates.exists():
        raise ValidationError(
            _("Programme %(code)s cannot be removed: progress has been reported on it.") % {"code": programme.code}
        )


@transaction.atomic
def delete_programme(*, actor: Any, programme: Programme, expected_version: int) -> None:
    access.check(actor, access.may, programme.region, access.Can.EDIT)
    programme = lock_current(Programme.objects.filter(region_id=programme.region_id), programme.pk, expected_version)
    ensure_editable(programme.edition)
    _ensure_unreferenced(programme)
    before = programme_snapshot(programme)
    record(actor=actor, action="delete", obj=programme, region=programme.region, before=before)
    Disposition.objects.filter(programme=programme, kind=DispositionKind.NEW).delete()
    programme.delete()
    touch_summary(programme.edition_id)


def _lock_for_children(programme: Programme, expected_version: int) -> tuple[Programme, dict[str, Any]]:
    current = lock_current(Programme.objects.filter(region_id=programme.region_id), programme.pk, expected_version)
    ensure_editable(current.edition)
    return current, programme_snapshot(current)


def _finish_children(actor: Any, programme: Programme, before: dict[str, Any]) -> Programme:
    programme.version += 1
    programme.save(update_fields=["version", "updated_at"])
    touch_summary(programme.edition_id)
    record(
        actor=actor,
        action="update",
        obj=programme,
        region=programme.region,
        before=before,
        after=programme_snapshot(programme),
    )
    return programme


def _whole_rupiah(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        return None
    return amount


def _claim(
    raw: Mapping[str, Any], where: str, existing: Mapping[int, Any], claimed: set[int], errors: dict[str, list[str]]
) -> Any | None:
    """The programme's row that ``raw`` names by ``id`` (None: a new row); a foreign id is an error."""
    value = raw.get("id")
    if value is None or value == "":
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = None
    row = existing.get(pk) if pk is not None else None
    if row is None or pk is None:
        errors.setdefault(f"{where}.id", []).append(
            _("Row %(id)s is not one of this programme's rows: leave the id empty to add a new row.") % {"id": value}
        )
        return None
    if pk in claimed:
        errors.setdefault(f"{where}.id", []).append(_("Row %(id)s is given twice.") % {"id": value})
        return None
    claimed.add(pk)
    return row


def update_row(row: Any, values: Mapping[str, Any]) -> list[str]:
    """Set ``values`` on ``row``; the names of the fields whose value changed."""
    changed = []
    for name, value in values.items():
        field = row._meta.get_field(name)
        current = getattr(row, field.attname)
        wanted = value.pk if field.is_relation and value is not None else value
        if current != wanted:
            changed.append(name)
        setattr(row, name, value)
    return changed


@transaction.atomic
def set_budgets(
    *, actor: Any, programme: Programme, lines: Iterable[Mapping[str, Any]], expected_version: int
) -> Programme:
    """Make the programme's budget lines these. Errors are keyed ``budgets.<n>.<field>`` (n from 0).

    A line names the line it edits by ``id``; a line without one takes over the unclaimed line of
    the same year and source, if any (so callers that know no ids still keep them), else is new.
    """
    access.check(actor, access.may, programme.region, access.Can.EDIT)
    programme, before = _lock_for_children(programme, expected_version)
    edition = programme.edition
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int, str]] = set()
    existing = {b.pk: b for b in programme.budgets.all()}
    claimed: set[int] = set()
    rows: list[tuple[ProgrammeBudget | None, dict[str, Any]]] = []
    for n, line in enumerate(lines):
        # No year or no source: not stated in the plan (a gap the plan check lists), kept as such.
        year, source = line.get("year"), line.get("source") or ""
        amount = _whole_rupiah(line.get("amount"))
        target = _claim(line, f"budgets.{n}", existing, claimed, errors)
        if year is not None and (not isinstance(year, int) or not in_period(edition, year)):
            errors.setdefault(f"budgets.{n}.year", []).append(period_error(edition, year))
        if source and source not in BudgetSource.values:
            errors.setdefault(f"budgets.{n}.source", []).append(
                _("Unknown source %(source)r: use one of %(choices)s.")
                % {"source": source, "choices": ", ".join(BudgetSource.values)}
            )
        if amount is None or amount < 0:
            errors.setdefault(f"budgets.{n}.amount", []).append(_("Enter a whole amount of rupiah, zero or more."))
        elif amount > MAX_BUDGET_AMOUNT:
            errors.setdefault(f"budgets.{n}.amount", []).append(
                _("The amount is larger than Rp %(limit)s, the most one line can hold.")
                % {"limit": f"{MAX_BUDGET_AMOUNT:,}".replace(",", ".")}
            )
            amount = None
        if isinstance(year, int) and isinstance(source, str) and source:
            if (year, source) in seen:
                errors.setdefault(f"budgets.{n}.year", []).append(
                    _("There is already a line for %(year)s from this source.") % {"year": year}
                )
            seen.add((year, source))
        sub_activity = " ".join(str(line.get("sub_activity_code") or "").split())
        if sub_activity and (len(sub_activity) > 40 or level_of(sub_activity) != SipdLevel.SUB_KEGIATAN):
            errors.setdefault(f"budgets.{n}.sub_activity_code", []).append(
                _("Write a sub kegiatan code of six parts, e.g. 2.16.03.2.02.0001.")
            )
        if amount is not None and (year is None or isinstance(year, int)) and isinstance(source, str):
            values = {
                "year": year,
                "source": source,
                "amount": amount,
                "note": str(line.get("note") or "")[:200],
                "sub_activity_code": sub_activity[:40],
            }
            rows.append((target, values))
    if errors:
        raise ValidationError(errors)
    by_key: dict[tuple[Any, Any], ProgrammeBudget] = {
        (b.year, b.source): b for pk, b in existing.items() if pk not in claimed
    }
    for k, (target, values) in enumerate(rows):
        if target is None and (found := by_key.pop((values["year"], values["source"]), None)) is not None:
            claimed.add(found.pk)
            rows[k] = (found, values)
    ProgrammeBudget.objects.filter(pk__in=[pk for pk in existing if pk not in claimed]).delete()
    updated: list[tuple[ProgrammeBudget, list[str]]] = []
    for target, values in rows:
        if target is not None and (changed := update_row(target, values)):
            updated.append((target, changed))
    rekeyed = [b for b, changed in updated if {"year", "source"} & set(changed)]
    if len(rekeyed) > 1:
        # Two lines may swap years or sources: park them on distinct years so the unique key holds.
        for k, b in enumerate(rekeyed, start=1):
            ProgrammeBudget.objects.filter(pk=b.pk).update(year=k)
    for b, changed in updated:
        b.save(update_fields=changed)
    ProgrammeBudget.objects.bulk_create(
        ProgrammeBudget(region_id=programme.region_id, programme=programme, **values)
        for target, values in rows
        if target is None
    )
    return _finish_children(actor, programme, before)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


INDICATOR_FIELDS = ("name", "kind", "unit", "direction", "baseline", "baseline_year", "data_producer", "order")


Bounds = tuple[Decimal, Decimal | None]  # (target or lower bound, upper bound of a range)


def _save_targets(indicator: Indicator, targets: dict[int | None, Bounds], current: list[IndicatorTarget]) -> bool:
    """Make the indicator's targets these, keeping each year's row; whether anything changed.

    ``None`` is the target whose year the plan does not state (one per indicator here; extra
    undated rows an import brought in are folded into it).
    """
    by_year: dict[int | None, IndicatorTarget] = {}
    gone = []
    for t in sorted(current, key=lambda t: t.pk):
        if t.year in by_year:
            gone.append(t.pk)
        else:
            by_year[t.year] = t
    gone += [t.pk for year, t in by_year.items() if year not in targets]
    IndicatorTarget.objects.filter(pk__in=gone).delete()
    changed = bool(gone)
    added: list[IndicatorTarget] = []
    for year, (value, upper) in sorted(targets.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        row = by_year.get(year)
        if row is None:
            added.append(
                IndicatorTarget(region_id=indicator.region_id, indicator=indicator, year=year, value=value, upper=upper)
            )
        elif (row.value, row.upper) != (value, upper):
            row.value, row.upper = value, upper
            row.save(update_fields=["value", "upper"])
            changed = True
    IndicatorTarget.objects.bulk_create(added)
    return changed or bool(added)


def _bounds(value: Any) -> tuple[Any, Any]:
    """A target as given: a number, or a (lower, upper) pair for an indicator within a range."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return value[0], value[1]
    return value, None


def _targets(
    raw: Mapping[str, Any], indicator: Indicator, edition: Any, where: str, errors: dict[str, list[str]]
) -> dict[int | None, Bounds]:
    """The indicator's targets by year (None: the plan does not state the year), each checked
    against the plan period and the indicator's direction."""
    targets: dict[int | None, Bounds] = {}
    is_range = indicator.direction == Direction.RANGE
    for year, given in dict(raw.get("targets") or {}).items():
        low_given, high_given = _bounds(given)
        low, high = _decimal(low_given), _decimal(high_given)
        when = _("year not stated") if year is None else year
        problem = None
        if year is not None and (not isinstance(year, int) or not in_period(edition, year)):
            problem = period_error(edition, year)
        elif low is None and year is None:
            problem = _("The target without a year is not a number.")
        elif low is None or (high_given not in (None, "") and high is None):
            problem = _("The target for %(year)s is not a number.") % {"year": when}
        elif is_range and high is None:
            problem = _("The target for %(year)s needs an upper bound: the indicator is within a range.") % {
                "year": when
            }
        elif not is_range and high is not None:
            problem = _("The target for %(year)s has an upper bound, but only an indicator within a range has one.") % {
                "year": when
            }
        elif high is not None and high < low:
            problem = _("The upper bound for %(year)s is below its lower bound.") % {"year": when}
        if problem:
            errors.setdefault(f"{where}.targets", []).append(problem)
        else:
            assert low is not None
            targets[year] = (low, high)
    return targets


@transaction.atomic
def set_indicators(
    *, actor: Any, programme: Programme, indicators: Iterable[Mapping[str, Any]], expected_version: int
) -> Programme:
    """Make the programme's indicators and their yearly targets these.

    Each indicator: id (of the indicator it edits; none for a new one), name, kind, unit,
    direction, baseline, baseline_year, data_producer (OPD or None), targets (mapping year →
    value, or year → (lower, upper) for an indicator within a range). An edited indicator keeps
    its id and lineage, each target its row per year.
    Errors are keyed ``indicators.<n>.<field>``.
    """
    access.check(actor, access.may, programme.region, access.Can.EDIT)
    programme, before = _lock_for_children(programme, expected_version)
    edition = programme.edition
    errors: dict[str, list[str]] = {}
    existing = {i.pk: i for i in programme.indicators.prefetch_related("targets")}
    claimed: set[int] = set()
    built: list[tuple[Indicator | None, Indicator, dict[int | None, Bounds]]] = []
    for n, raw in enumerate(indicators):
        where = f"indicators.{n}"
        target = _claim(raw, where, existing, claimed, errors)
        indicator = Indicator(
            region_id=programme.region_id,
            programme=programme,
            name=str(raw.get("name") or "").strip(),
            kind=raw.get("kind") or Indicator.Kind.OUTPUT,
            unit=str(raw.get("unit") or "").strip(),
            direction=raw.get("direction") or Direction.HIGHER,
            baseline=_decimal(raw.get("baseline")),
            baseline_year=raw.get("baseline_year"),
            data_producer=raw.get("data_producer"),
            order=n,
        )
        if raw.get("baseline") not in (None, "") and indicator.baseline is None:
            errors.setdefault(f"{where}.baseline", []).append(_("Enter a number."))
        try:
            indicator.full_clean(exclude=["region", "programme", "lineage"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(f"{where}.{field}", []).extend(messages)
        producer = indicator.data_producer
        if producer is not None and producer.region_id != programme.region_id:
            errors.setdefault(f"{where}.data_producer", []).append(_("The agency must belong to this region."))
        targets = _targets(raw, indicator, edition, where, errors)
        built.append((target, indicator, targets))
    if errors:
        raise ValidationError(errors)
    Indicator.objects.filter(pk__in=[pk for pk in existing if pk not in claimed]).delete()
    for target, indicator, targets in built:
        if target is None:
            indicator.save()
            _save_targets(indicator, targets, [])
            continue
        changed = update_row(target, {f: getattr(indicator, f) for f in INDICATOR_FIELDS})
        targets_changed = _save_targets(target, targets, list(target.targets.all()))
        if changed or targets_changed:
            target.version += 1
            target.save(update_fields=[*changed, "version"])
    return _finish_children(actor, programme, before)


ACTION_FIELDS = ("activity", "starts_on", "ends_on", "person_in_charge", "opd", "output")


@transaction.atomic
def set_action_items(
    *, actor: Any, programme: Programme, items: Iterable[Mapping[str, Any]], expected_version: int
) -> Programme:
    """Make the programme's action plan these items (id of the item edited, none for a new one;
    activity, starts_on, ends_on, person_in_charge, opd, output)."""
    access.check(actor, access.may, programme.region, access.Can.EDIT)
    programme, before = _lock_for_children(programme, expected_version)
    errors: dict[str, list[str]] = {}
    existing = {a.pk: a for a in programme.action_items.all()}
    claimed: set[int] = set()
    rows: list[tuple[ActionItem | None, ActionItem]] = []
    for n, raw in enumerate(items):
        target = _claim(raw, f"action_items.{n}", existing, claimed, errors)
        item = ActionItem(region_id=programme.region_id, programme=programme, order=n)
        apply(item, dict(raw), ACTION_FIELDS)
        try:
            item.full_clean(exclude=["region", "programme"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(f"action_items.{n}.{field}", []).extend(messages)
        if item.starts_on and item.ends_on and item.ends_on < item.starts_on:
            errors.setdefault(f"action_items.{n}.ends_on", []).append(_("The end is before the start."))
        if item.opd is not None and item.opd.region_id != programme.region_id:
            errors.setdefault(f"action_items.{n}.opd", []).append(_("The agency must belong to this region."))
        rows.append((target, item))
    if errors:
        raise ValidationError(errors)
    ActionItem.objects.filter(pk__in=[pk for pk in existing if pk not in claimed]).delete()
    for target, item in rows:
        if target is not None and (
            changed := update_row(target, {f: getattr(item, f) for f in (*ACTION_FIELDS, "order")})
        ):
            target.version += 1
            target.save(update_fields=[*changed, "version"])
    ActionItem.objects.bulk_create(item for target, item in rows if target is None)
    return _finish_children(actor, programme, before)


@transaction.atomic
def set_quick_win_years(*, actor: Any, programme: Programme, years: Iterable[int], expected_version: int) -> Programme:
    """Flag the programme as a quick win in exactly these years (inside the plan period)."""
    access.check(actor, access.may, programme.region, access.Can.EDIT)
    programme, before = _lock_for_children(programme, expected_version)
    chosen = sorted(set(years))
    bad = [y for y in chosen if not in_period(programme.edition, y)]
    if bad:
        raise ValidationError({"quick_win_years": [period_error(programme.edition, y) for y in bad]})
    # In place: a year still chosen keeps its flag row (and id), only the dropped and new ones change.
    programme.quick_wins.exclude(year__in=chosen).delete()
    kept = set(programme.quick_wins.values_list("year", flat=True))
    QuickWinFlag.objects.bulk_create(
        QuickWinFlag(region_id=programme.region_id, programme=programme, year=y) for y in chosen if y not in kept
    )
    return _finish_children(actor, programme, before)


@transaction.atomic
def set_year_quick_wins(*, actor: Any, edition: Edition, year: int, programmes: Iterable[Programme]) -> list[str]:
    """Make exactly these programmes the edition's quick wins of ``year``.

    Quick wins are chosen again every year against the adopted plan, so unlike the plan's content
    this is allowed on a frozen edition; it changes no programme and bumps no programme version.
    The edition row is locked so that two selections for the same plan run one after the other.
    Returns the chosen programme codes.
    """
    access.check(actor, access.may, edition.region, access.Can.EDIT)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if not in_period(edition, year):
        raise ValidationError({"year": [period_error(edition, year)]})
    chosen = {p.pk: p for p in programmes}
    foreign = sorted(p.code for p in chosen.values() if p.edition_id != edition.pk)
    if foreign:
        raise ValidationError(_("These programmes are not in this edition: %(codes)s.") % {"codes": ", ".join(foreign)})
    flags = QuickWinFlag.objects.filter(programme__edition=edition, year=year)
    before = sorted(flags.values_list("programme__code", flat=True))
    after = sorted(p.code for p in chosen.values())
    if before != after:
        flags.exclude(programme_id__in=chosen).delete()  # the programmes still chosen keep their flag rows
        kept = set(flags.values_list("programme_id", flat=True))
        QuickWinFlag.objects.bulk_create(
            QuickWinFlag(region_id=edition.region_id, programme_id=pk, year=year) for pk in chosen if pk not in kept
        )
        touch_summary(edition)
        record(
            actor=actor,
            action="update",
            obj=edition,
            region=edition.region,
            before={"year": year, "quick_wins": before},
            after={"year": year, "quick_wins": after},
        )
    return after
