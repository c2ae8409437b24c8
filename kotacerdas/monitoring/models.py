"""Implementation monitoring of an adopted master plan edition.

An adopted (in-force) :class:`~kotacerdas.plans.models.Edition` gets a :class:`ReportingPlan`
(cadence, grace days, roll-up rule) and its :class:`ReportingPeriod` rows, generated from the
plan's period by :mod:`kotacerdas.monitoring.periods`. Each programme's lead agency reports a
:class:`ProgrammeUpdate` per period (draft → submitted → accepted or returned); an accepted update
is frozen and a correction is a new update that names the one it corrects. Indicators get one
:class:`IndicatorActual` per period or per year, and the Satu Data metadata of an indicator is an
:class:`IndicatorMetadata`.

``Programme.status`` is the status of the programme's latest accepted update: only
:func:`kotacerdas.monitoring.services.accept_update` (and, for a plan's record of the past, the
plan importer) writes it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.files import RandomName, download_name
from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned
from kotacerdas.plans.models import MAX_BUDGET_AMOUNT, BudgetSource, ProgrammeStatus
from kotacerdas.plans.models.plan import YEAR_VALIDATORS


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly (triwulan)")


class Rollup(models.TextChoices):
    """How programmes add up to an element, a dimension and the plan (domain: monitoring.md)."""

    EQUAL = "equal", _("equal weights")
    BUDGET = "budget", _("weighted by the planned budget of the year")


class ReportingPlan(RegionOwned, Versioned, SampleMarked):
    """How an adopted edition reports: cadence, grace days after a period, the roll-up rule."""

    edition = models.OneToOneField(
        "plans.Edition", on_delete=models.CASCADE, related_name="reporting", verbose_name=_("edition")
    )
    # The cadence chosen last (it applies from its change on: see CadenceChange) and the one the
    # reporting started with, from which the schedule of periods is rebuilt.
    cadence = models.CharField(_("cadence"), max_length=9, choices=Cadence.choices, default=Cadence.QUARTERLY)
    initial_cadence = models.CharField(
        _("cadence at the start"), max_length=9, choices=Cadence.choices, default=Cadence.QUARTERLY, editable=False
    )
    grace_days = models.PositiveSmallIntegerField(
        _("days to report after a period ends"), default=10, validators=[MaxValueValidator(90)]
    )
    rollup = models.CharField(_("roll-up rule"), max_length=6, choices=Rollup.choices, default=Rollup.EQUAL)
    starts_on = models.DateField(
        _("reporting from"), help_text=_("The first reporting period is the quarter that contains this day.")
    )
    ends_on = models.DateField(_("reporting until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reporting plan")
        verbose_name_plural = _("reporting plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="reporting_plan_dates",
                violation_error_message=_("Reporting ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition_id} {self.cadence}"


class CadenceChange(RegionOwned):
    """A change of cadence, chosen on one day and applying from the next quarter on."""

    reporting = models.ForeignKey(
        ReportingPlan, on_delete=models.CASCADE, related_name="changes", verbose_name=_("reporting plan")
    )
    cadence = models.CharField(_("cadence"), max_length=9, choices=Cadence.choices)
    chosen_on = models.DateField(_("chosen on"))
    effective_from = models.DateField(_("applies from"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cadence change")
        verbose_name_plural = _("cadence changes")
        ordering = ["effective_from", "chosen_on", "id"]

    def __str__(self) -> str:
        return f"{self.cadence} {self.effective_from}"


class ReportingPeriod(RegionOwned):
    """One reporting period of an edition (``2025-Q1``, ``2025-M03``) with its due date."""

    edition = models.ForeignKey(
        "plans.Edition", on_delete=models.CASCADE, related_name="reporting_periods", verbose_name=_("edition")
    )
    key = models.CharField(_("period"), max_length=8)
    cadence = models.CharField(_("cadence"), max_length=9, choices=Cadence.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    due_on = models.DateField(_("due"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "key"],
                name="period_key_per_edition",
                violation_error_message=_("This edition already has this reporting period."),
            )
        ]
        indexes = [models.Index(fields=["region", "due_on"], name="period_region_due")]

    def __str__(self) -> str:
        return self.key

    @property
    def year(self) -> int:
        return self.starts_on.year


# The statuses an update may report: "planned" is the status of a programme before its plan is in force.
REPORTED_STATUSES = [(value, label) for value, label in ProgrammeStatus.choices if value != ProgrammeStatus.PLANNED]
# Ending a programme without its result needs a reason (issue 13 §2).
STATUSES_NEEDING_REASON = frozenset({ProgrammeStatus.CANCELLED, ProgrammeStatus.NOT_ACHIEVED})
# What counts as "carried out" for the roll-up and the evaluation's outcome suggestion.
CARRIED_OUT = frozenset({ProgrammeStatus.ON_TRACK, ProgrammeStatus.ACHIEVED})


class UpdateState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class ProgrammeUpdate(RegionOwned, Versioned, SampleMarked):
    """What a programme's lead agency reports for one period: status, progress, budget realised."""

    # PROTECT: reported history never disappears with a programme.
    programme = models.ForeignKey(
        "plans.Programme", on_delete=models.PROTECT, related_name="updates", verbose_name=_("programme")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="updates", verbose_name=_("period")
    )
    reported_on = models.DateField(_("date of the update"))
    status = models.CharField(_("status"), max_length=12, choices=REPORTED_STATUSES)
    progress = models.PositiveSmallIntegerField(
        _("physical progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.TextField(_("what happened"), max_length=4000)
    reason = models.TextField(
        _("reason"),
        max_length=2000,
        blank=True,
        help_text=_("Required when the programme is cancelled or not achieved."),
    )
    evidence_file = models.FileField(_("evidence file"), upload_to=RandomName("monitoring"), blank=True, max_length=300)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=500, blank=True)
    # Quick wins of a year also say when they launched and since when they are live.
    launched_on = models.DateField(_("launch date"), null=True, blank=True)
    live_since = models.DateField(_("live since"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=9, choices=UpdateState.choices, default=UpdateState.DRAFT)
    return_reason = models.TextField(_("reason for returning"), max_length=2000, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme update")
        verbose_name_plural = _("programme updates")
        ordering = ["period__starts_on", "reported_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="update_progress_at_most_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            )
        ]
        indexes = [
            models.Index(fields=["programme", "state"], name="update_programme_state"),
            models.Index(fields=["region", "state"], name="update_region_state"),
            # Reports sent per period (the national view's late reports) read this index alone.
            models.Index(fields=["period", "state", "programme"], name="update_period_state_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.period_id} {self.state}"

    @property
    def is_frozen(self) -> bool:
        return self.state in (UpdateState.SUBMITTED, UpdateState.ACCEPTED)

    def evidence_download_name(self) -> str:
        return download_name(self.evidence_file, self.evidence_name)


class RealisedBudget(RegionOwned):
    """Budget realised in the update's period from one source, in whole rupiah."""

    update = models.ForeignKey(
        ProgrammeUpdate, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("update")
    )
    source = models.CharField(_("source"), max_length=4, choices=BudgetSource.choices)
    amount = models.DecimalField(
        _("realised (Rp)"),
        max_digits=18,
        decimal_places=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_BUDGET_AMOUNT)],
    )

    class Meta:
        verbose_name = _("realised budget")
        verbose_name_plural = _("realised budgets")
        ordering = ["source"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "source"],
                name="realised_budget_source",
                violation_error_message=_("The update already has an amount from this source."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="realised_not_negative",
                violation_error_message=_("The amount cannot be negative: enter zero or more."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.amount}"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    SEMESTER = "semester", _("every six months")
    YEARLY = "yearly", _("yearly")


class IndicatorActual(RegionOwned, Versioned, SampleMarked):
    """The value an indicator measured in one period, or in a whole year (``period`` empty)."""

    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.PROTECT, related_name="actuals", verbose_name=_("indicator")
    )
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actuals",
        verbose_name=_("period"),
    )
    value = models.DecimalField(_("actual"), max_digits=16, decimal_places=2)
    producer = models.ForeignKey(
        "regions.OPD",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("data producer (OPD)"),
    )
    source = models.CharField(_("source"), max_length=250, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        ordering = ["year", "period__starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(period__isnull=False),
                name="one_actual_per_period",
                violation_error_message=_("The indicator already has an actual for this period."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=models.Q(period__isnull=True),
                name="one_yearly_actual",
                violation_error_message=_("The indicator already has an actual for this year."),
            ),
        ]
        indexes = [models.Index(fields=["region", "year"], name="actual_region_year")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.value}"


class IndicatorMetadata(RegionOwned, Versioned, SampleMarked):
    """What a Satu Data Indonesia publication of the indicator needs (domain: monitoring.md)."""

    indicator = models.OneToOneField(
        "plans.Indicator", on_delete=models.CASCADE, related_name="metadata", verbose_name=_("indicator")
    )
    definition = models.TextField(_("definition"), max_length=4000, blank=True)
    concept = models.TextField(_("concept"), max_length=4000, blank=True)
    method = models.TextField(_("method or formula"), max_length=4000, blank=True)
    interpretation = models.TextField(_("interpretation"), max_length=4000, blank=True)
    frequency = models.CharField(_("frequency"), max_length=9, choices=Frequency.choices, default=Frequency.YEARLY)
    cumulative = models.BooleanField(_("cumulative"), default=False)
    estimation_level = models.CharField(
        _("estimation level"), max_length=100, blank=True, help_text=_("e.g. kota/kabupaten, kecamatan.")
    )
    data_source = models.CharField(
        _("data source"),
        max_length=300,
        blank=True,
        help_text=_("Where the figures come from: a survey, an application, an administrative record."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator metadata")
        verbose_name_plural = _("indicator metadata")

    def __str__(self) -> str:
        return str(self.indicator_id)
