"""Writing assessment runs: start, assign assessors, answer, submit, review, targets, SWOT, gaps.

Every service is atomic, validates (ValidationError with field names, or with item codes for
the whole-run checks), writes, keeps an :class:`AnswerRevision` for every answer change and
records an audit entry in the same transaction. Callers pass objects fetched through the access
layer; the services re-check that what they are given belongs together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.assessments.models import (
    Answer,
    AnswerRevision,
    AnswerType,
    Assessor,
    GapProposal,
    Item,
    ReviewState,
    Run,
    RunStatus,
    Section,
    SwotEntry,
    Template,
    TemplateStatus,
)
from kotacerdas.assessments.scoring import Gap, check_answer
from kotacerdas.assessments.summaries import store_scores
from kotacerdas.audit.services import record, snapshot
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import EditConflict, lock_current
from kotacerdas.regions.models import Region

EDITABLE_RUN = (RunStatus.DRAFT, RunStatus.RETURNED)
EDITABLE_ANSWER = (ReviewState.OPEN, ReviewState.RETURNED)


def level_count(template: Template) -> int:
    """How many levels a level item of this template has (5 when no level framework is linked)."""
    if template.levels_id is None:
        return 5
    return len(template.levels.entries.all()) if template.levels else 5


def _revise(answer: Answer, event: str, actor: Any) -> None:
    data = snapshot(answer, fields=("value", "choice", "text", "not_applicable", "comment", "evidence_file",
                                    "evidence_name", "evidence_link", "review_state", "review_comment"))  # fmt: skip
    named = actor is not None and getattr(actor, "is_authenticated", False)
    AnswerRevision.objects.create(
        region_id=answer.region_id,
        answer=answer,
        event=event,
        data=data,
        actor=actor if named else None,
        actor_name=str(actor) if named else "system",
    )


# Runs -------------------------------------------------------------------------------------------


@transaction.atomic
def start_run(
    *,
    actor: Any,
    region: Region,
    template: Template,
    year: int,
    title: str = "",
    is_sample: bool = False,
) -> Run:
    """A new run of ``template`` for ``region``, with the region's own answer slot."""
    access.check(actor, access.may, region, access.Can.EDIT)
    errors: dict[str, str] = {}
    if template.status != TemplateStatus.PUBLISHED:
        errors["template"] = _("Only a published template can be used.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    if errors:
        raise ValidationError(errors)
    run = Run.objects.create(
        region=region,
        template=template,
        year=year,
        title=title or f"{template.title} {year}",
        is_sample=is_sample,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Assessor.objects.create(region=region, run=run, is_region=True, name=str(region))
    record(actor=actor, action="create", obj=run, region=region, after=snapshot(run))
    return run


@transaction.atomic
def assign_assessor(*, actor: Any, run: Run, user: Any) -> Assessor:
    """Add a panel assessor: a mentor of the region or ministry staff (``access.may_be_assessor``)."""
    access.check(actor, access.may_assign_assessors, run.region)
    if not access.may_be_assessor(user, run.region):
        raise ValidationError({"user": _("An assessor must be a mentor of this region or ministry staff.")})
    if Assessor.objects.filter(run=run, user=user).exists():
        raise ValidationError({"user": _("%(name)s is already an assessor of this run.") % {"name": user}})
    slot = Assessor.objects.create(region_id=run.region_id, run=run, user=user, name=str(user))
    record(actor=actor, action="create", obj=slot, region=run.region, after=snapshot(slot))
    return slot


@transaction.atomic
def set_targets(*, actor: Any, run: Run, targets: Mapping[str, int], expected_version: int) -> Run:
    access.check(actor, access.may, run.region, access.Can.EDIT)
    run = lock_current(Run.objects.filter(region_id=run.region_id), run.pk, expected_version)
    top = level_count(run.template)
    bad = {code: value for code, value in targets.items() if not 1 <= int(value) <= top}
    if bad:
        raise ValidationError({"targets": _("Targets must be levels from 1 to %(top)s.") % {"top": top}})
    before = snapshot(run)
    run.targets = {code: int(value) for code, value in targets.items()}
    run.version += 1
    run.save()
    record(actor=actor, action="update", obj=run, region=run.region, before=before, after=snapshot(run))
    return run


# Answers ----------------------------------------------------------------------------------------


def _value(item: Item, data: Mapping[str, Any], levels: int) -> tuple[Decimal | None, str, str]:
    """The checked (value, choice, text) of an answer; ValidationError naming the field."""
    if item.answer_type == AnswerType.TEXT:
        return None, "", str(data.get("text") or "")
    raw_value = data.get("value")
    value: Decimal | None = None
    if raw_value not in (None, ""):
        try:
            value = Decimal(str(raw_value).replace(",", "."))
        except InvalidOperation:
            raise ValidationError({"value": _("Give a number.")}) from None
    choice = str(data.get("choice") or "")
    problem = check_answer(item.answer_type, item.options, levels, value, choice)
    if problem:
        field = "choice" if item.answer_type == AnswerType.CHOICE else "value"
        raise ValidationError(
            {field: _("Out of scale for %(item)s: %(problem)s.") % {"item": item.code, "problem": problem.render(_)}}
        )
    if value is not None:
        value = value.quantize(Decimal("0.01"))
    return value, choice, str(data.get("text") or "")


@transaction.atomic
def save_answer(
    *,
    actor: Any,
    run: Run,
    assessor: Assessor,
    item: Item,
    data: Mapping[str, Any],
    expected_version: int | None,
    is_sample: bool = False,
) -> Answer:
    """Write one answer (value, comment, evidence) of ``assessor`` to ``item``.

    ``expected_version`` is the version of the answer the person saw, or None when they saw no
    answer yet: an answer someone else gave meanwhile is then a conflict, not overwritten.

    ``data`` keys: value, choice, text, not_applicable, comment, evidence_file (an upload),
    evidence_link, clear_evidence.
    """
    access.check(actor, access.may_answer_slot, run.region, assessor)
    if assessor.run_id != run.pk or item.template_id != run.template_id:
        raise ValidationError(_("This item or assessor does not belong to the run."))
    run = Run.objects.select_for_update(of=("self",)).select_related("template__levels").get(pk=run.pk)
    if assessor.is_region and run.status not in EDITABLE_RUN:
        raise ValidationError(
            _("The run is %(status)s; answers cannot change now.") % {"status": run.get_status_display()}
        )
    if run.status == RunStatus.ACCEPTED:
        raise ValidationError(_("The run is accepted; answers cannot change now."))
    existing = Answer.objects.filter(assessor=assessor, item=item).first()
    if existing is not None:
        if expected_version is None:
            raise EditConflict
        answer = lock_current(Answer.objects.filter(run=run), existing.pk, expected_version)
        if assessor.is_region and answer.review_state not in EDITABLE_ANSWER:
            raise ValidationError(
                _("%(item)s is %(state)s and cannot change.")
                % {"item": item.code, "state": answer.get_review_state_display()}
            )
        before: dict[str, Any] | None = snapshot(answer)
    else:
        answer = Answer(region_id=run.region_id, run=run, assessor=assessor, item=item, is_sample=is_sample)
        before = None
    not_applicable = bool(data.get("not_applicable"))
    if not_applicable and not item.allow_na:
        raise ValidationError(
            {"not_applicable": _("%(item)s must be answered; it cannot be not applicable.") % {"item": item.code}}
        )
    if not_applicable:
        answer.value, answer.choice, answer.text = None, "", str(data.get("text") or "")
    else:
        answer.value, answer.choice, answer.text = _value(item, data, level_count(run.template))
    answer.not_applicable = not_applicable
    answer.comment = str(data.get("comment") or "")
    if data.get("clear_evidence"):
        files.accept_upload(answer, "evidence_file", "evidence_name", False)
        answer.evidence_link = ""
    files.accept_upload(answer, "evidence_file", "evidence_name", data.get("evidence_file"))
    if "evidence_link" in data and data.get("evidence_link") is not None and not data.get("clear_evidence"):
        answer.evidence_link = str(data["evidence_link"])
    answer.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    answer.answered_at = timezone.now()
    answer.full_clean(exclude=["region", "run", "assessor", "item", "evidence_file"])
    if existing is not None:
        answer.version += 1
    answer.save()
    _revise(answer, "answered", actor)
    record(
        actor=actor,
        action="update" if existing else "create",
        obj=answer,
        region=run.region,
        before=before,
        after=snapshot(answer),
    )
    return answer


class AnswerErrors(Exception):
    """Some answers of a batch were refused, so none of the batch was saved; ``errors`` by item code."""

    def __init__(self, errors: dict[str, ValidationError | EditConflict]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@transaction.atomic
def save_answers(
    *,
    actor: Any,
    run: Run,
    assessor: Assessor,
    entries: Sequence[tuple[Item, Mapping[str, Any], int | None]],
) -> list[Answer]:
    """Save several answers (a section's form) all or nothing: (item, data, expected version) each.

    Every answer is checked, against its own version too, before the batch is kept; if any is
    refused, :class:`AnswerErrors` names each refused item and nothing is written.
    """
    access.check(actor, access.may_answer_slot, run.region, assessor)
    saved: list[Answer] = []
    errors: dict[str, ValidationError | EditConflict] = {}
    for item, data, expected_version in entries:
        try:
            saved.append(
                save_answer(
                    actor=actor, run=run, assessor=assessor, item=item, data=data, expected_version=expected_version
                )
            )
        except (ValidationError, EditConflict) as error:
            errors[item.code] = error
    if errors:
        raise AnswerErrors(errors)
    return saved


def missing_on_submit(run: Run, slot: Assessor) -> dict[str, list[str]]:
    """Items that stop a submission: unanswered, or without their required evidence."""
    answers = {a.item_id: a for a in Answer.objects.filter(assessor=slot)}
    errors: dict[str, list[str]] = {}
    for item in Item.objects.filter(template=run.template).order_by("order"):
        answer = answers.get(item.pk)
        if answer is None:
            if item.answer_type != AnswerType.TEXT:
                errors.setdefault(item.code, []).append(_("%(item)s has no answer.") % {"item": item.code})
            continue
        if item.evidence_required and not answer.not_applicable and not answer.has_evidence:
            errors.setdefault(item.code, []).append(
                _("%(item)s needs evidence: upload a file or give a link.") % {"item": item.code}
            )
    return errors


@transaction.atomic
def submit_run(*, actor: Any, run: Run, expected_version: int) -> Run:
    """The region hands its answers in for review; every editable answer becomes 'awaiting review'."""
    access.check(actor, access.may_submit_run, run.region)
    run = lock_current(Run.objects.filter(region_id=run.region_id), run.pk, expected_version)
    if run.status not in EDITABLE_RUN:
        raise ValidationError(_("Only a draft or returned run can be submitted."))
    slot = Assessor.objects.get(run=run, is_region=True)
    errors = missing_on_submit(run, slot)
    if errors:
        raise ValidationError(errors)
    before = snapshot(run)
    for answer in Answer.objects.filter(assessor=slot, review_state__in=EDITABLE_ANSWER).select_for_update():
        answer.review_state = ReviewState.SUBMITTED
        answer.version += 1
        answer.save(update_fields=["review_state", "version"])
        _revise(answer, "submitted", actor)
    run.status = RunStatus.SUBMITTED
    run.submitted_at = timezone.now()
    run.version += 1
    run.save()
    record(actor=actor, action="submit", obj=run, region=run.region, before=before, after=snapshot(run))
    return run


@transaction.atomic
def review_answer(*, actor: Any, answer: Answer, accept: bool, comment: str = "", expected_version: int) -> Answer:
    """A mentor or ministry assessor accepts or returns one submitted item.

    When no item awaits review any more, the run becomes accepted (all accepted) or returned
    to the region (some returned).
    """
    access.check(actor, access.may, answer.run.region, access.Can.REVIEW)
    run = Run.objects.select_for_update().get(pk=answer.run_id)
    if run.status != RunStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted run can be reviewed."))
    answer = lock_current(Answer.objects.filter(run=run), answer.pk, expected_version)
    if answer.review_state != ReviewState.SUBMITTED:
        raise ValidationError(_("%(item)s is not awaiting review.") % {"item": answer.item.code})
    if not accept and not comment.strip():
        raise ValidationError({"review_comment": _("Say why the item is returned, so the region can fix it.")})
    before = snapshot(answer)
    answer.review_state = ReviewState.ACCEPTED if accept else ReviewState.RETURNED
    answer.review_comment = comment.strip()
    answer.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    answer.version += 1
    answer.save()
    _revise(answer, "accepted" if accept else "returned", actor)
    record(actor=actor, action="review", obj=answer, region=run.region, before=before, after=snapshot(answer))
    states = set(Answer.objects.filter(run=run, assessor__is_region=True).values_list("review_state", flat=True))
    if ReviewState.SUBMITTED not in states:
        run_before = snapshot(run)
        if ReviewState.RETURNED in states:
            run.status = RunStatus.RETURNED
        else:
            run.status = RunStatus.ACCEPTED
            run.accepted_at = timezone.now()
        run.version += 1
        run.save()
        if run.status == RunStatus.ACCEPTED:
            store_scores([run.pk])
        record(actor=actor, action="review", obj=run, region=run.region, before=run_before, after=snapshot(run))
    return answer


# SWOT and gaps ---------------------------------------------------------------------------------


@transaction.atomic
def add_swot(*, actor: Any, run: Run, section: Section, data: Mapping[str, Any], is_sample: bool = False) -> SwotEntry:
    access.check(actor, access.may, run.region, access.Can.EDIT)
    if section.template_id != run.template_id or not section.has_swot:
        raise ValidationError({"section": _("This section takes no SWOT entries.")})
    if run.status not in EDITABLE_RUN:
        raise ValidationError(
            _("The run is %(status)s; SWOT entries cannot change now.") % {"status": run.get_status_display()}
        )
    entry = SwotEntry(
        region_id=run.region_id,
        run=run,
        section=section,
        quadrant=str(data.get("quadrant") or ""),
        text=str(data.get("text") or "").strip(),
        evidence_link=str(data.get("evidence_link") or ""),
        evidence_note=str(data.get("evidence_note") or ""),
        is_sample=is_sample,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entry.full_clean(exclude=["region", "run", "section", "created_by"])
    entry.save()
    record(actor=actor, action="create", obj=entry, region=run.region, after=snapshot(entry))
    return entry


@transaction.atomic
def remove_swot(*, actor: Any, entry: SwotEntry, expected_version: int) -> None:
    """Remove a SWOT entry, only at the version the person saw when they chose to remove it."""
    access.check(actor, access.may, entry.region, access.Can.EDIT)
    entry = lock_current(
        SwotEntry.objects.filter(region_id=entry.region_id).select_related("run__region"), entry.pk, expected_version
    )
    if entry.run.status not in EDITABLE_RUN:
        raise ValidationError(_("The run is no longer editable."))
    record(actor=actor, action="delete", obj=entry, region=entry.run.region, before=snapshot(entry))
    entry.delete()


@transaction.atomic
def propose_from_gap(
    *,
    actor: Any,
    run: Run,
    gap: Gap,
    dimension: str,
    kind: str,
    note: str,
    evidence: list[dict[str, Any]],
    plan_ref: str = "",
) -> GapProposal:
    """Queue a gap for the master plan, keeping the items and evidence it rests on."""
    access.check(actor, access.may, run.region, access.Can.EDIT)
    if kind not in ("strategy", "programme"):
        raise ValidationError({"kind": _("Choose strategy or programme.")})
    proposal = GapProposal.objects.create(
        region_id=run.region_id,
        run=run,
        element_code=gap.code,
        element_name=gap.label,
        dimension_code=dimension,
        current_level=gap.current,
        target_level=gap.target,
        kind=kind,
        note=note,
        evidence=evidence,
        plan_ref=plan_ref,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor=actor, action="create", obj=proposal, region=run.region, after=snapshot(proposal))
    return proposal


@transaction.atomic
def draft_strategy_from_gap(
    *, actor: Any, run: Run, gap: Gap, edition: Any, note: str, evidence: list[dict[str, Any]]
) -> GapProposal:
    """Write a draft strategy for the gap's element into an open master plan edition of the same
    region (through the plan's own service, which audits it), and keep the gap with its evidence
    pointing at it."""
    from kotacerdas.frameworks.models import FrameworkEntry
    from kotacerdas.plans.models import Strategy
    from kotacerdas.plans.services.editions import save_content

    access.check(actor, access.may, run.region, access.Can.EDIT)

    if edition.region_id != run.region_id:
        raise ValidationError({"edition": _("Choose an edition of this region's master plan.")})
    dimension = FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id, code=gap.section, parent=None).first()
    element = FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id, code=gap.code, parent=dimension).first()
    if dimension is None or element is None:
        raise ValidationError(
            {"edition": _("%(element)s is not an element of this edition's taxonomy.") % {"element": gap.code}}
        )
    taken = set(Strategy.objects.filter(edition=edition).values_list("code", flat=True))
    code = f"AS-{gap.code}"
    number = 2
    while code in taken:
        code, number = f"AS-{gap.code}-{number}", number + 1
    items = ", ".join(sorted({str(e["item"]) for e in evidence if e.get("item")}))
    text = _(
        "%(note)s (from the assessment %(run)s: %(element)s at level %(current)s, target %(target)s; items %(items)s)"
    ) % {
        "note": note.strip() or _("Raise %(element)s by one level") % {"element": gap.label},
        "run": run.title,
        "element": gap.code,
        "current": gap.current,
        "target": gap.target,
        "items": items or "-",
    }
    strategy = save_content(
        actor=actor,
        edition=edition,
        kind="strategy",
        data={"dimension": dimension, "element": element, "code": code, "text": text, "order": 900},
    )
    return propose_from_gap(
        actor=actor,
        run=run,
        gap=gap,
        dimension=gap.section,
        kind="strategy",
        note=note,
        evidence=evidence,
        plan_ref=f"plans.Strategy:{strategy.pk}",
    )
