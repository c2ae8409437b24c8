"""Programmes of an edition and what hangs under them: budgets, indicators, action plans.

A programme carried from one edition to the next keeps its ``lineage`` (a UUID shared by every
edition's copy), so the change log can match programmes between any two editions, and points
at the copy it came from through ``carried_from``.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned
from kotacerdas.plans.models.plan import YEAR_VALIDATORS, Edition, Strategy


class InnovationKind(models.TextChoices):
    ICT = "ict", _("ICT")
    NON_ICT = "non_ict", _("non-ICT")
    POLICY = "policy", _("policy")


class Horizon(models.TextChoices):
    SHORT = "short", _("short (1 year)")
    MEDIUM = "medium", _("medium (up to 5 years)")
    LONG = "long", _("long (up to 10 years)")


class ProgrammeStatus(models.TextChoices):
    """The implementation vocabulary regional officials know (domain: frameworks.md)."""

    PLANNED = "planned", _("planned")
    NOT_STARTED = "not_started", _("not started")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")
    ACHIEVED = "achieved", _("achieved")
    NOT_ACHIEVED = "not_achieved", _("not achieved")
    CANCELLED = "cancelled", _("cancelled")


class Programme(Versioned, SampleMarked):
    """A programme (or innovation) of the master plan, under one dimension and element."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="plan_programmes", verbose_name=_("region")
    )
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("edition"))
    code = models.CharField(_("code"), max_length=20, help_text=_("Short identifier within the edition, e.g. GOV-03."))
    dimension = models.ForeignKey(
        "frameworks.FrameworkEntry", on_delete=models.PROTECT, related_name="+", verbose_name=_("dimension")
    )
    element = models.ForeignKey(
        "frameworks.FrameworkEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("element"),
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("strategy"),
    )
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    problem = models.TextField(_("problem addressed"), blank=True)
    innovation_kind = models.CharField(
        _("kind of innovation"), max_length=8, choices=InnovationKind.choices, default=InnovationKind.ICT
    )
    lead_opd = models.ForeignKey(
        "regions.OPD",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_programmes",
        verbose_name=_("lead agency (OPD)"),
    )
    supporting_opds = models.ManyToManyField(
        "regions.OPD", blank=True, related_name="supported_programmes", verbose_name=_("supporting agencies")
    )
    partners = models.TextField(
        _("partners"), blank=True, help_text=_("Universities, companies, communities; one per line.")
    )
    # Empty (horizon) or None (years) is "not stated": older plans often give neither, and intake
    # records what the plan says instead of a default (the plan check lists it as a gap).
    horizon = models.CharField(_("horizon"), max_length=6, choices=Horizon.choices, blank=True)
    start_year = models.PositiveIntegerField(_("start year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    end_year = models.PositiveIntegerField(_("end year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PLANNED
    )
    rpjmd_programme = models.CharField(_("RPJMD programme"), max_length=300, blank=True)
    renstra_ref = models.CharField(_("OPD Renstra reference"), max_length=300, blank=True)
    permendagri_code = models.CharField(
        _("Permendagri 90 code"),
        max_length=40,
        blank=True,
        help_text=_("Programme, activity or sub-activity code, e.g. 2.16.02 or 2.16.02.2.01.0001."),
    )
    spbe_indicator = models.CharField(
        _("SPBE indicator"), max_length=20, blank=True, help_text=_("Indicator number of the SPBE evaluation, 1–47.")
    )
    # Provenance: where a reviewed plan's programme comes from (a document and page, or a URL).
    source_document = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("Document and page, or URL, the programme is taken from.")
    )
    source_note = models.TextField(_("source note"), blank=True)
    dependencies = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents", verbose_name=_("depends on")
    )
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, db_index=True, editable=False)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried from"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="programme_code_per_edition",
                violation_error_message=_("There is already a programme with this code in this edition."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="programme_years",
                violation_error_message=_("The end year is before the start year."),
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "dimension"], name="programme_edition_dimension"),
            # The national view counts every edition's programmes by status from this index alone.
            models.Index(fields=["edition", "status"], name="programme_edition_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class QuickWinFlag(RegionOwned):
    """The programme is a quick win of the master plan in ``year`` (re-chosen every year)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="quick_wins", verbose_name=_("programme")
    )
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)

    class Meta:
        verbose_name = _("quick-win flag")
        verbose_name_plural = _("quick-win flags")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year"],
                name="one_quick_win_flag_per_year",
                violation_error_message=_("The programme is already a quick win in this year."),
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


# The most one budget line may hold: just under Rp 1.000 triliun (Rp 10^15), a third of the whole
# state budget, so a typo of extra zeros is caught; sums of many lines stay exact (docs/data-model.md).
MAX_BUDGET_AMOUNT = 999_999_999_999_999


class BudgetSource(models.TextChoices):
    APBD = "apbd", _("APBD (regional budget)")
    APBN = "apbn", _("APBN (state budget)")
    DAK = "dak", _("DAK (special allocation fund)")
    CSR = "csr", _("CSR (corporate social responsibility)")
    KPBU = "kpbu", _("KPBU (public-private partnership)")


class ProgrammeBudget(RegionOwned):
    """Budget estimate of a programme for one year from one source, in whole rupiah."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("programme")
    )
    # None / empty: the plan gives no year or no funding source (counted in totals, in no year).
    year = models.PositiveIntegerField(_("year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    source = models.CharField(_("source"), max_length=4, choices=BudgetSource.choices, blank=True)
    amount = models.DecimalField(
        _("amount (Rp)"),
        max_digits=18,
        decimal_places=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_BUDGET_AMOUNT)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Where the line sits in the region's budget (SIPD): a sub kegiatan of the loaded code list.
    sub_activity_code = models.CharField(
        _("SIPD sub-activity code"),
        max_length=40,
        blank=True,
        help_text=_("The sub kegiatan of Permendagri 90 the line is budgeted under, e.g. 2.16.03.2.02.0001."),
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "source"],
                name="budget_year_source",
                violation_error_message=_("There is already a budget line for this year from this source."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="budget_not_negative",
                violation_error_message=_("The amount cannot be negative: enter zero or more."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source} {self.amount}"


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")
    RANGE = "range", _("within a range")


class Indicator(RegionOwned, Versioned):
    """An output/outcome indicator of a programme (Satu Data: every indicator has a data producer)."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("output")
        OUTCOME = "outcome", _("outcome")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("programme")
    )
    name = models.CharField(_("indicator"), max_length=250)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.OUTPUT)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveIntegerField(_("baseline year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    data_producer = models.ForeignKey(
        "regions.OPD",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="produced_indicators",
        verbose_name=_("data producer (OPD)"),
    )
    # Shared by the copies of one indicator across editions (like Programme.lineage), so the
    # change log and, later, monitoring follow an indicator through renames and new editions.
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, db_index=True, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(RegionOwned):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    # None: the plan states the target without a year (the plan check asks for it).
    year = models.PositiveIntegerField(_("year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    # An indicator whose direction is "range" is on target between ``value`` (the lower bound)
    # and ``upper``; the other directions have no upper bound.
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    upper = models.DecimalField(_("upper bound"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(upper__isnull=True) | models.Q(upper__gte=models.F("value")),
                name="target_range_in_order",
                violation_error_message=_("The upper bound of a target range cannot be below its lower bound."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="one_target_per_year",
                violation_error_message=_("The indicator already has a target for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}" if self.upper is None else f"{self.year}: {self.value}–{self.upper}"


class ActionItem(RegionOwned, Versioned):
    """A step of a programme's action plan."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("programme")
    )
    activity = models.CharField(_("activity"), max_length=250)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    person_in_charge = models.CharField(_("person in charge"), max_length=200, blank=True)
    opd = models.ForeignKey(
        "regions.OPD",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency in charge"),
    )
    output = models.CharField(_("output"), max_length=250, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        ordering = ["starts_on", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="action_item_dates",
                violation_error_message=_("The end is before the start."),
            )
        ]

    def __str__(self) -> str:
        return self.activity
