"""Writing editions: creating one, starting a review edition from the previous one, the Buku 1
and Buku 2 content (sections, SWOT, missions, goals, strategies, waivers) and the approval chain
that ends in adoption and freezes the edition."""

from __future__ import annotations

import datetime
import hashlib
import json
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.frameworks.models import Framework, Kind, Status
from kotacerdas.lib.concurrency import EditConflict, lock_current
from kotacerdas.notifications import events
from kotacerdas.plans.models import (
    APPROVAL_ORDER,
    ApprovalStep,
    Disposition,
    DispositionKind,
    Edition,
    EditionStatus,
    ElementWaiver,
    Goal,
    MasterPlan,
    Mission,
    Programme,
    ProgrammeStatus,
    ReviewState,
    Section,
    Strategy,
    SwotItem,
)
from kotacerdas.plans.services.common import apply, clean_html, ensure_editable, full_clean
from kotacerdas.plans.summaries import touch as touch_summary
from kotacerdas.regions.models import Region

CHAPTERS_FILE = Path(__file__).resolve().parent.parent / "data" / "chapters.toml"
EDITION_FIELDS = (
    "year",
    "title",
    "start_year",
    "end_year",
    "taxonomy",
    "vision",
    "vision_keywords",
    "rpjmd_period",
    "quick_win_limit",
    "rpjmd_min_share",
)


@cache
def chapters() -> list[dict[str, Any]]:
    """The chapter template (key, book, title), in order."""
    with CHAPTERS_FILE.open("rb") as handle:
        return [{**c, "order": n} for n, c in enumerate(tomllib.load(handle)["chapters"])]


def _check_edition(edition: Edition) -> None:
    errors: dict[str, list[str]] = {}
    if edition.taxonomy_id is not None and edition.taxonomy.kind != Kind.TAXONOMY:
        errors.setdefault("taxonomy", []).append(_("Choose a dimension taxonomy."))
    elif edition.taxonomy_id is not None and edition.taxonomy.status != Status.PUBLISHED:
        errors.setdefault("taxonomy", []).append(_("Choose a published taxonomy version."))
    if edition.start_year and edition.end_year and edition.end_year < edition.start_year:
        errors.setdefault("end_year", []).append(_("The period ends before it starts."))
    if edition.start_year and edition.end_year and edition.end_year - edition.start_year > 20:
        errors.setdefault("end_year", []).append(_("A master plan covers at most 20 years."))
    keywords = edition.vision_keywords
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        errors.setdefault("vision_keywords", []).append(_("Vision keywords are a list of words."))
    if errors:
        raise ValidationError(errors)


def ensure_plan(*, actor: Any, region: Region, is_sample: bool = False) -> MasterPlan:
    """The region's master plan, made on first use (by a service that starts an edition)."""
    access.check(actor, access.may, region, access.Can.EDIT)
    plan = MasterPlan.objects.filter(region=region).first()
    if plan is None:
        plan = MasterPlan.objects.create(
            region=region, title=_("Smart city master plan of %(region)s") % {"region": region}, is_sample=is_sample
        )
        record(actor=actor, action="create", obj=plan, region=region, after=snapshot(plan))
    return plan


def _create_sections(edition: Edition, is_sample: bool) -> None:
    Section.objects.bulk_create(
        Section(
            region_id=edition.region_id,
            edition=edition,
            key=c["key"],
            book=c["book"],
            order=n,
            title=c["title"],
            is_sample=is_sample,
        )
        for n, c in enumerate(chapters())
    )


@transaction.atomic
def create_edition(*, actor: Any, region: Region, data: Mapping[str, Any], is_sample: bool = False) -> Edition:
    """Start an empty edition (with the chapter template's sections). ``taxonomy`` defaults to the
    published default taxonomy."""
    access.check(actor, access.may, region, access.Can.EDIT)
    plan = ensure_plan(actor=actor, region=region, is_sample=is_sample)
    values = dict(data)
    if values.get("taxonomy") is None:
        values["taxonomy"] = (
            Framework.objects.filter(kind=Kind.TAXONOMY, status=Status.PUBLISHED, is_default=True)
            .order_by("-version")
            .first()
        )
    edition = Edition(region=region, plan=plan, is_sample=is_sample)
    apply(edition, values, EDITION_FIELDS)
    if Edition.objects.filter(plan=plan, year=edition.year).exists():
        raise ValidationError({"year": _("The plan already has an edition of %(year)s.") % {"year": edition.year}})
    full_clean(edition, exclude=["region", "plan", "previous"])
    _check_edition(edition)
    edition.save()
    _create_sections(edition, is_sample)
    record(actor=actor, action="create", obj=edition, region=region, after=snapshot(edition))
    return edition


@transaction.atomic
def update_edition(*, actor: Any, edition: Edition, data: Mapping[str, Any], expected_version: int) -> Edition:
    access.check(actor, access.may, edition.region, access.Can.EDIT)
    edition = lock_current(Edition.objects.filter(region_id=edition.region_id), edition.pk, expected_version)
    ensure_editable(edition)
    before = snapshot(edition)
    apply(edition, {k: v for k, v in data.items() if k != "taxonomy"}, EDITION_FIELDS)
    full_clean(edition, exclude=["region", "plan", "previous", "taxonomy"])
    _check_edition(edition)
    if Edition.objects.filter(plan_id=edition.plan_id, year=edition.year).exclude(pk=edition.pk).exists():
        raise ValidationError({"year": _("The plan already has an edition of %(year)s.") % {"year": edition.year}})
    too_early = Programme.objects.filter(edition=edition, start_year__lt=edition.start_year).exists()
    too_late = Programme.objects.filter(edition=edition, end_year__gt=edition.end_year).exists()
    if too_early or too_late:
        raise ValidationError(
            {
                "start_year" if too_early else "end_year": _(
                    "Some programmes fall outside this period; change them first."
                )
            }
        )
    edition.version += 1
    edition.save()
    touch_summary(edition)
    record(actor=actor, action="update", obj=edition, region=edition.region, before=before, after=snapshot(edition))
    return edition


# Review editions ----------------------------------------------------------------------------


def _copy_rows(
    model: Any, rows: Any, edition: Edition, remap: Mapping[str, Mapping[int, Any]] | None = None
) -> dict[int, Any]:
    """Copy simple edition rows to ``edition``; returns old id → new row."""
    mapping: dict[int, Any] = {}
    for row in rows:
        old_id = row.pk
        row.pk = None
        row.id = None
        row.edition = edition
        row.version = 1
        for field, table in (remap or {}).items():
            old = getattr(row, f"{field}_id")
            setattr(row, field, table.get(old) if old is not None else None)
        row.save()
        mapping[old_id] = row
    return mapping


def carry_programme(
    *, previous: Programme, edition: Edition, strategies: Mapping[int, Strategy] | None = None
) -> Programme:
    """Copy ``previous`` into ``edition`` with its children (no dependencies, no audit: callers do that)."""
    from kotacerdas.plans.models import ActionItem, IndicatorTarget, ProgrammeBudget, QuickWinFlag

    source = Programme.objects.get(pk=previous.pk)
    supporting = list(source.supporting_opds.all())
    touch_summary(edition)
    copy = Programme.objects.get(pk=previous.pk)
    copy.pk = None
    copy.id = None
    copy.edition = edition
    copy.version = 1
    copy.carried_from = source
    if strategies is not None:
        copy.strategy = strategies.get(source.strategy_id) if source.strategy_id else None
    elif source.strategy_id:
        copy.strategy = (
            Strategy.objects.filter(edition=edition, code=source.strategy.code).first() if source.strategy else None
        )
    # Years and budgets outside the new period are kept: the plan check points at them.
    copy.save()
    copy.supporting_opds.set(supporting)
    ProgrammeBudget.objects.bulk_create(
        ProgrammeBudget(
            region_id=b.region_id, programme=copy, year=b.year, source=b.source, amount=b.amount, note=b.note
        )
        for b in source.budgets.all()
    )
    for ind in source.indicators.prefetch_related("targets"):
        targets = list(ind.targets.all())
        ind.pk = None
        ind.id = None
        ind.programme = copy
        ind.version = 1
        ind.save()
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(region_id=t.region_id, indicator=ind, year=t.year, value=t.value) for t in targets
        )
    items = list(source.action_items.all())
    for item in items:
        item.pk = None
        item.id = None
        item.programme = copy
        item.version = 1
    ActionItem.objects.bulk_create(items)
    # Quick wins are chosen again every year: only flags inside the new period travel.
    QuickWinFlag.objects.bulk_create(
        QuickWinFlag(region_id=q.region_id, programme=copy, year=q.year)
        for q in source.quick_wins.all()
        if edition.start_year <= q.year <= edition.end_year
    )
    return copy


@transaction.atomic
def start_review_edition(*, actor: Any, previous: Edition, data: Mapping[str, Any], is_sample: bool = False) -> Edition:
    """Start a new edition from ``previous``: copy its content and programmes, and give every
    carried programme a KEEP disposition recording its implementation status so far."""
    access.check(actor, access.may, previous.region, access.Can.EDIT)
    values = {k: v for k, v in data.items() if k in EDITION_FIELDS}
    for field in ("vision", "vision_keywords", "rpjmd_period", "quick_win_limit", "rpjmd_min_share"):
        values.setdefault(field, getattr(previous, field))
    values.setdefault("taxonomy", previous.taxonomy)
    if values["taxonomy"] != previous.taxonomy:
        raise ValidationError({"taxonomy": _("A review edition keeps the taxonomy of the edition it reviews.")})
    edition = create_edition(actor=actor, region=previous.region, data=values, is_sample=is_sample)
    edition.previous = previous
    edition.save(update_fields=["previous"])
    old_sections = {s.key: s for s in previous.sections.all()}
    for section in edition.sections.all():
        old = old_sections.get(section.key)
        if old is not None and old.body:
            section.body = old.body
            section.save(update_fields=["body"])
    missions = _copy_rows(Mission, previous.missions.all(), edition)
    goals = _copy_rows(Goal, previous.goals.all(), edition, {"mission": missions})
    strategies = _copy_rows(Strategy, previous.strategies.all(), edition, {"goal": goals})
    _copy_rows(SwotItem, previous.swot_items.all(), edition)
    _copy_rows(ElementWaiver, previous.waivers.all(), edition)
    copies: dict[int, Programme] = {}
    for old_programme in previous.programmes.order_by("order", "code"):
        copies[old_programme.pk] = carry_programme(previous=old_programme, edition=edition, strategies=strategies)
        Disposition.objects.create(
            region_id=edition.region_id,
            edition=edition,
            previous_programme=old_programme,
            programme=copies[old_programme.pk],
            kind=DispositionKind.KEEP,
            implementation_status=_carried_status(old_programme.status),
            is_sample=is_sample,
        )
    through = Programme.dependencies.through
    through.objects.bulk_create(
        through(from_programme_id=copies[a].pk, to_programme_id=copies[b].pk)
        for a, b in through.objects.filter(from_programme__edition=previous).values_list(
            "from_programme_id", "to_programme_id"
        )
        if a in copies and b in copies
    )
    touch_summary(edition)
    record(
        actor=actor,
        action="update",
        obj=edition,
        region=edition.region,
        after={"started_from": previous.year, "programmes_carried": len(copies)},
    )
    return edition


def _carried_status(status: str) -> str:
    return ProgrammeStatus.NOT_STARTED if status == ProgrammeStatus.PLANNED else status


# Sections and Buku content ------------------------------------------------------------------


@transaction.atomic
def update_section(*, actor: Any, section: Section, data: Mapping[str, Any], expected_version: int) -> Section:
    """Change a chapter's title or text (sanitised). A reviewed or endorsed chapter becomes REVISED."""
    access.check(actor, access.may, section.edition.region, access.Can.EDIT)
    section = lock_current(Section.objects.filter(region_id=section.region_id), section.pk, expected_version)
    ensure_editable(section.edition)
    before = snapshot(section)
    if "title" in data:
        section.title = data["title"]
    if "body" in data:
        section.body = clean_html(data["body"])
    if section.body != before["body"] and section.review_state in (ReviewState.REVIEWED, ReviewState.ENDORSED):
        section.review_state = ReviewState.REVISED
    full_clean(section, exclude=["region", "edition"])
    section.version += 1
    section.save()
    touch_summary(section.edition_id)
    record(
        actor=actor, action="update", obj=section, region=section.edition.region, before=before, after=snapshot(section)
    )
    return section


# Which review states each side may set, from which states: mentors review and endorse,
# editors mark their revision done.
REVIEWER_MOVES = {
    ReviewState.REVIEWED: {ReviewState.DRAFT, ReviewState.REVISED},
    ReviewState.ENDORSED: {ReviewState.REVIEWED, ReviewState.REVISED},
    ReviewState.DRAFT: {ReviewState.REVIEWED, ReviewState.ENDORSED},
}
EDITOR_MOVES = {ReviewState.REVISED: {ReviewState.REVIEWED, ReviewState.ENDORSED}}


@transaction.atomic
def set_section_state(*, actor: Any, section: Section, state: str, as_reviewer: bool, expected_version: int) -> Section:
    """Move a section along draft → reviewed → revised → endorsed (reviewers) or to revised (editors).

    A signed-in ``actor`` acts in the role ``access.section_review_role`` gives them, whatever
    ``as_reviewer`` says; ``as_reviewer`` is for the console (``actor=None``)."""
    if actor is not None:
        role = access.section_review_role(actor, section.edition.region, state)
        if role is None:
            raise PermissionDenied
        as_reviewer = role
    section = lock_current(Section.objects.filter(region_id=section.region_id), section.pk, expected_version)
    ensure_editable(section.edition)
    moves = REVIEWER_MOVES if as_reviewer else EDITOR_MOVES
    allowed_from = moves.get(ReviewState(state)) if state in ReviewState.values else None
    if not allowed_from or section.review_state not in allowed_from:
        raise ValidationError(
            {
                "state": _("A section in state “%(current)s” cannot be set to “%(state)s” by you.")
                % {"current": section.get_review_state_display(), "state": state}
            }
        )
    before = snapshot(section)
    section.review_state = state
    section.version += 1
    section.save()
    touch_summary(section.edition_id)
    record(
        actor=actor, action="update", obj=section, region=section.edition.region, before=before, after=snapshot(section)
    )
    events.section_state_changed(actor=actor, section=section)
    return section


CONTENT_MODELS: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "swot": (SwotItem, ("component", "kind", "text", "order")),
    "mission": (Mission, ("number", "text", "rpjmd_mission")),
    "goal": (Goal, ("mission", "code", "text", "order")),
    "strategy": (Strategy, ("dimension", "element", "goal", "code", "text", "order")),
    "waiver": (ElementWaiver, ("element", "reason")),
}


def _check_content(row: Any, edition: Edition) -> None:
    errors: dict[str, list[str]] = {}
    for field in ("mission", "goal"):
        related = getattr(row, field, None)
        if related is not None and related.edition_id != edition.pk:
            errors.setdefault(field, []).append(_("Choose one of this edition's rows."))
    dimension = getattr(row, "dimension", None) if getattr(row, "dimension_id", None) else None
    if dimension is not None and (dimension.framework_id != edition.taxonomy_id or dimension.parent_id is not None):
        errors.setdefault("dimension", []).append(_("Choose a dimension of this edition's taxonomy."))
    element = getattr(row, "element", None) if getattr(row, "element_id", None) else None
    if element is not None:
        if element.framework_id != edition.taxonomy_id or element.parent_id is None:
            errors.setdefault("element", []).append(_("Choose an element of this edition's taxonomy."))
        elif dimension is not None and element.parent_id != dimension.pk:
            errors.setdefault("element", []).append(_("The element belongs to another dimension."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_content(
    *,
    actor: Any,
    edition: Edition,
    kind: str,
    data: Mapping[str, Any],
    row: Any = None,
    expected_version: int | None = None,
    is_sample: bool = False,
) -> Any:
    """Create (``row`` None) or change a SWOT item, mission, goal, strategy or element waiver.

    A change needs the ``expected_version`` of the row the person saw (see lib/concurrency.py).
    """
    access.check(actor, access.may, edition.region, access.Can.EDIT)
    ensure_editable(edition)
    model, fields = CONTENT_MODELS[kind]
    if row is None:
        obj = model(region_id=edition.region_id, edition=edition, is_sample=is_sample)
        before = None
    else:
        if expected_version is None:
            raise EditConflict
        obj = lock_current(model.objects.filter(edition=edition), row.pk, expected_version)
        before = snapshot(obj)
        obj.version += 1
    apply(obj, dict(data), fields)
    full_clean(obj, exclude=["region", "edition"])
    _check_content(obj, edition)
    obj.save()
    touch_summary(edition)
    record(
        actor=actor,
        action="update" if before else "create",
        obj=obj,
        region=edition.region,
        before=before,
        after=snapshot(obj),
    )
    return obj


@transaction.atomic
def delete_content(*, actor: Any, edition: Edition, row: Any, expected_version: int) -> None:
    """Remove a content row, only at the version the person saw when they chose to remove it."""
    access.check(actor, access.may, edition.region, access.Can.EDIT)
    ensure_editable(edition)
    row = lock_current(type(row).objects.filter(edition=edition), row.pk, expected_version)
    record(actor=actor, action="delete", obj=row, region=edition.region, before=snapshot(row))
    row.delete()
    touch_summary(edition)


# Approval chain -----------------------------------------------------------------------------


def fingerprint(edition: Edition) -> str:
    """SHA-256 of the edition's canonical export: which exact content was adopted."""
    from kotacerdas.plans.interchange.export import edition_document

    document = edition_document(edition)
    document["edition"].pop("status", None)
    document["edition"].pop("adoption", None)
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def record_approval(
    *,
    actor: Any,
    edition: Edition,
    step: str,
    decided_on: datetime.date,
    reference: str = "",
    note: str = "",
    adoption: Mapping[str, Any] | None = None,
    expected_version: int,
    is_sample: bool = False,
    acknowledge_errors: bool = False,
) -> ApprovalStep:
    """Record the next step of the approval chain. Adoption needs the regulation (instrument,
    number, date), stores the content fingerprint and freezes the edition.

    While the plan check finds errors, a step is recorded only with ``acknowledge_errors``: the
    person recording it has seen the list, and the audit entry keeps the errors acknowledged.
    """
    access.check(actor, access.may, edition.region, access.Can.ADMINISTER)
    edition = lock_current(Edition.objects.filter(region_id=edition.region_id), edition.pk, expected_version)
    ensure_editable(edition)
    current = APPROVAL_ORDER.index(edition.status)
    expected = APPROVAL_ORDER[current + 1]
    if step != expected:
        raise ValidationError({"step": _("The next step is “%(step)s”.") % {"step": EditionStatus(expected).label}})
    last = edition.approval_steps.order_by("-decided_on").first()
    if last is not None and decided_on < last.decided_on:
        raise ValidationError({"decided_on": _("This step cannot be dated before the previous one.")})
    before = snapshot(edition)
    if step == EditionStatus.ADOPTED:
        adoption = adoption or {}
        errors: dict[str, list[str]] = {}
        for field in ("adoption_instrument", "adoption_number", "adoption_date"):
            if not adoption.get(field):
                errors.setdefault(field, []).append(_("Required to record the adoption."))
        if errors:
            raise ValidationError(errors)
        edition.adoption_instrument = adoption["adoption_instrument"]
        edition.adoption_number = adoption["adoption_number"]
        edition.adoption_date = adoption["adoption_date"]
        full_clean(edition, exclude=["region", "plan", "previous", "taxonomy"])
        edition.adopted_hash = fingerprint(edition)
        reference = reference or edition.adoption_number
    errors_acknowledged = plan_check_errors(edition)
    if errors_acknowledged and not acknowledge_errors:
        raise ValidationError(
            {
                "acknowledge_errors": ngettext(
                    "The plan check still finds %(n)s error: confirm that you record this step anyway.",
                    "The plan check still finds %(n)s errors: confirm that you record this step anyway.",
                    len(errors_acknowledged),
                )
                % {"n": len(errors_acknowledged)}
            }
        )
    approval = ApprovalStep(
        region_id=edition.region_id,
        edition=edition,
        step=step,
        decided_on=decided_on,
        reference=reference,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=str(actor) if getattr(actor, "is_authenticated", False) else "system",
        is_sample=is_sample,
    )
    full_clean(approval, exclude=["region", "edition", "actor"])
    approval.save()
    edition.status = step
    edition.version += 1
    edition.save()
    touch_summary(edition)
    after = snapshot(approval)
    if errors_acknowledged:
        after["acknowledged_errors"] = errors_acknowledged
    record(actor=actor, action="create", obj=approval, region=edition.region, after=after)
    record(actor=actor, action="update", obj=edition, region=edition.region, before=before, after=snapshot(edition))
    return approval


def plan_check_errors(edition: Edition) -> list[str]:
    """The plan check's errors on the edition as it is now, one line each ("PC011 ENV-01: …"),
    in the active language: what an approval step acknowledges."""
    from kotacerdas.plans.summaries import checked

    lines = []
    for f in checked(edition).errors:  # a waived error needs no acknowledgement
        message = f.render(gettext)
        where = f" {f.programme}" if f.programme else (f" {f.dimension}" if f.dimension else "")
        lines.append(f"{f.rule}{where}: {message}")
    return lines
