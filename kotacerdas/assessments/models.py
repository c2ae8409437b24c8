"""Assessments: versioned templates (selection, readiness, maturity) and the runs that answer them.

A :class:`Template` is reference data like a framework: published versions are frozen, a change
is a new version, and every :class:`Run` points at the exact version it answered, so old scores
stay reproducible. Templates link to the frameworks they classify against (the taxonomy or the
readiness components, and the maturity levels).

A run belongs to a region. Its answers are kept per *assessor slot* (:class:`Assessor`): the
region's own slot (the self-assessment the region submits) and one slot per panel assessor, so
several people can score the same item and the spread between them stays visible. Every change
to an answer is kept as an :class:`AnswerRevision`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.files import RandomName, download_name
from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned


class TemplateKind(models.TextChoices):
    SELECTION = "selection", _("selection")
    READINESS = "readiness", _("readiness analysis")
    MATURITY = "maturity", _("maturity self-assessment")


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class AnswerType(models.TextChoices):
    LEVEL = "level", _("maturity level")
    YESNO = "yesno", _("yes/no")
    NUMBER = "number", _("number with thresholds")
    CHOICE = "choice", _("choice")
    TEXT = "text", _("free text")


class Template(models.Model):
    """One version of an assessment template."""

    kind = models.CharField(_("kind"), max_length=12, choices=TemplateKind.choices)
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    taxonomy = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="assessment_templates",
        verbose_name=_("taxonomy or components"),
    )
    levels = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("maturity levels"),
    )
    # Lower bounds (score 0-100) from which levels 2, 3, ... start; level 1 starts at 0.
    thresholds = models.JSONField(_("level thresholds"), default=list)
    combine = models.CharField(
        _("combine assessors by"),
        max_length=8,
        choices=[("mean", _("mean")), ("median", _("median"))],
        default="mean",
    )
    status = models.CharField(_("status"), max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Optimistic locking of the draft editor (``version`` is already the template's version number):
    # every change of this row raises it, and an edit form loaded at an older revision is refused.
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        ordering = ["kind", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="assessment_template_code_version",
                violation_error_message=_("A template with this code and version already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Section(models.Model):
    """A part of a template: a dimension, a readiness component, or a block of questions."""

    template = models.ForeignKey(
        Template, on_delete=models.CASCADE, related_name="sections", verbose_name=_("template")
    )
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    entry = models.ForeignKey(
        "frameworks.FrameworkEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimension or component"),
    )
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1)
    has_swot = models.BooleanField(_("SWOT entries"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)  # see Template.revision

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"],
                name="assessment_section_code",
                violation_error_message=_("A section with this code already exists in the template."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Item(models.Model):
    """One question. ``options`` holds the choices (code, label, points 0-100) or number bands."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="items", verbose_name=_("template"))
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("section"))
    code = models.CharField(_("code"), max_length=40)
    text = models.TextField(_("question"))
    guidance = models.TextField(_("guidance"), blank=True)
    answer_type = models.CharField(_("answer type"), max_length=8, choices=AnswerType.choices)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    allow_na = models.BooleanField(_("may be not applicable"), default=False)
    entry = models.ForeignKey(
        "frameworks.FrameworkEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("element or component"),
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    rubric = models.JSONField(_("rubric (one line per level)"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)  # see Template.revision

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"],
                name="assessment_item_code",
                violation_error_message=_("An item with this code already exists in the template."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    RETURNED = "returned", _("returned to the region")
    ACCEPTED = "accepted", _("accepted")


class Run(Versioned, SampleMarked):
    """One assessment of a region for a period against one template version."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="assessment_runs", verbose_name=_("region")
    )
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="runs", verbose_name=_("template"))
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    # Target level per element code; missing codes default to one level above the current one.
    targets = models.JSONField(_("target levels"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["region", "year"], name="assessment_run_region_year")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Assessor(RegionOwned):
    """An answer slot of a run: the region's own, or one panel assessor's."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="assessors", verbose_name=_("assessment run"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessor_slots",
        verbose_name=_("account"),
    )
    is_region = models.BooleanField(_("the region's own answers"), default=False)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        ordering = ["-is_region", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "user"],
                name="assessor_once_per_run",
                violation_error_message=_("This person is already an assessor of this assessment."),
            ),
            models.UniqueConstraint(
                fields=["run"],
                condition=models.Q(is_region=True),
                name="one_region_slot_per_run",
                violation_error_message=_("The assessment already has the region's own assessor."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewState(models.TextChoices):
    OPEN = "open", _("not yet submitted")
    SUBMITTED = "submitted", _("awaiting review")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


def evidence_path(instance: Answer, filename: str) -> str:
    """Kept for the migrations that name it; new files are stored by lib.files.RandomName."""
    return f"assessments/{instance.region_id}/{instance.run_id}/{filename}"


class Answer(RegionOwned, Versioned, SampleMarked):
    """One assessor's answer to one item, with its evidence and review state."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment run"))
    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessor"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=40, blank=True)
    text = models.TextField(_("answer text"), blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to=RandomName("assessments"), blank=True, max_length=300
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_link = models.URLField(_("evidence link"), blank=True, max_length=500)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    review_state = models.CharField(_("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.OPEN)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessor", "item"],
                name="one_answer_per_assessor_item",
                violation_error_message=_("This assessor has already answered this item."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.code} / {self.assessor_id}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_file or self.evidence_link)

    @property
    def evidence_filename(self) -> str:
        """The evidence file's name as uploaded (the stored name is random)."""
        return download_name(self.evidence_file, self.evidence_name)

    @staticmethod
    def audit_value(name: str, value: Any, recorded: dict[str, Any], find: Any) -> str | None:
        """The audit trail shows a choice by its label (the item holds the codes and labels)."""
        if name != "choice" or not value:
            return None
        item = find(Item, recorded.get("item"))
        if item is None:
            return None
        labels = {str(c.get("code")): c.get("label") for c in item.options.get("choices", [])}
        return str(labels.get(str(value)) or value)

    @property
    def shown(self) -> str:
        """The answer as a reader sees it: option labels and yes/no, never the stored codes."""
        if self.not_applicable:
            return str(_("not applicable"))
        kind = self.item.answer_type
        if kind == AnswerType.CHOICE:
            labels = {str(c.get("code")): c.get("label") for c in self.item.options.get("choices", [])}
            return str(labels.get(self.choice) or self.choice)
        if kind == AnswerType.TEXT:
            return self.text
        if self.value is None:
            return ""
        if kind == AnswerType.YESNO:
            return str(_("yes") if int(self.value) == 1 else _("no"))
        if kind == AnswerType.LEVEL:
            rubric = list(self.item.rubric)
            level = int(self.value)
            line = rubric[level - 1] if 0 < level <= len(rubric) else ""
            return f"{level} · {line}" if line else str(level)
        whole = self.value == self.value.to_integral_value()
        return formats.number_format(self.value.quantize(Decimal(1)) if whole else self.value, force_grouping=True)


class AnswerRevision(RegionOwned):
    """The state of an answer after each change (answered, submitted, accepted, returned)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("answer"))
    event = models.CharField(_("event"), max_length=12)
    data = models.JSONField(_("values"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    actor_name = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer revision")
        verbose_name_plural = _("answer revisions")
        ordering = ["answer", "id"]

    def __str__(self) -> str:
        return f"{self.event} {self.at:%Y-%m-%d %H:%M}"

    @property
    def event_label(self) -> str:
        events = {
            "answered": _("answered"),
            "submitted": _("submitted for review"),
            "accepted": _("accepted"),
            "returned": _("returned"),
        }
        return str(events.get(self.event, self.event))

    def readable(self) -> list[tuple[str, str]]:
        """The recorded values as (field name, value in words); codes shown as their labels."""
        data = self.data or {}
        raw = data.get("value")
        kept = Answer(
            item=self.answer.item,
            value=Decimal(str(raw)) if raw not in (None, "") else None,
            choice=str(data.get("choice") or ""),
            text=str(data.get("text") or ""),
            not_applicable=bool(data.get("not_applicable")),
        )
        names = {
            "comment": _("comment"),
            "evidence_file": _("evidence file"),
            "evidence_link": _("evidence link"),
            "review_comment": _("review comment"),
        }
        rows = [(str(_("answer")), kept.shown)]
        rows += [(str(label), str(data[name])) for name, label in names.items() if data.get(name)]
        if data.get("review_state"):
            state = dict(ReviewState.choices).get(data["review_state"], data["review_state"])
            rows.append((str(_("review")), str(state)))
        return rows


class SwotQuadrant(models.TextChoices):
    STRENGTH = "S", _("strength")
    WEAKNESS = "W", _("weakness")
    OPPORTUNITY = "O", _("opportunity")
    THREAT = "T", _("threat")


class SwotEntry(RegionOwned, Versioned, SampleMarked):
    """A SWOT statement of a readiness section, with the evidence behind it."""

    run = models.ForeignKey(
        Run, on_delete=models.CASCADE, related_name="swot_entries", verbose_name=_("assessment run")
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("section"))
    quadrant = models.CharField(_("quadrant"), max_length=1, choices=SwotQuadrant.choices)
    text = models.TextField(_("statement"))
    evidence_link = models.URLField(_("evidence link"), blank=True, max_length=500)
    evidence_note = models.CharField(_("evidence"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )

    class Meta:
        verbose_name = _("SWOT entry")
        verbose_name_plural = _("SWOT entries")
        ordering = ["section", "quadrant", "id"]

    def __str__(self) -> str:
        return f"{self.quadrant}: {self.text[:60]}"


class GapProposal(RegionOwned):
    """A gap queued for the master plan: the element, levels and the evidence it rests on."""

    run = models.ForeignKey(
        Run, on_delete=models.CASCADE, related_name="gap_proposals", verbose_name=_("assessment run")
    )
    element_code = models.CharField(_("element"), max_length=40)
    element_name = models.CharField(_("element name"), max_length=200)
    dimension_code = models.CharField(_("dimension"), max_length=40, blank=True)
    current_level = models.PositiveSmallIntegerField(_("current level"))
    target_level = models.PositiveSmallIntegerField(_("target level"))
    kind = models.CharField(
        _("proposed as"),
        max_length=10,
        choices=[("strategy", _("strategy")), ("programme", _("programme"))],
        default="programme",
    )
    note = models.TextField(_("note"), blank=True)
    evidence = models.JSONField(_("evidence items"), default=list)
    # Set when the gap became a draft in the master plan ("plans.Strategy:12"); empty while queued.
    plan_ref = models.CharField(_("master plan row"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gap proposal")
        verbose_name_plural = _("gap proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.element_code}: {self.current_level} → {self.target_level}"


class RunScore(RegionOwned):
    """The scores of an accepted run, stored when it is accepted: an accepted run's answers no
    longer change, so comparisons across regions read these instead of rescoring every run
    (``assessments.summaries``). Derived data: a missing row is computed on its first read."""

    run = models.OneToOneField(
        Run, on_delete=models.CASCADE, primary_key=True, related_name="stored_score", verbose_name=_("assessment run")
    )
    overall = models.FloatField(_("overall score"), null=True)
    sections = models.JSONField(_("section scores"), default=dict)  # section code → score (or null)
    components = models.JSONField(_("component scores"), default=dict)  # element code → score (or null)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("stored run score")
        verbose_name_plural = _("stored run scores")

    def __str__(self) -> str:
        return f"{self.run_id}: {self.overall}"
