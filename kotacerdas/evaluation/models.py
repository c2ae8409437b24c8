"""The ministry's annual evaluation of a region: scores, the computed index and the release.

One :class:`Evaluation` per region and year. Ministry evaluators (accounts or a named panel)
score the five evaluation dimensions (:class:`DimensionScore`, 1–5 with two decimals, a note and
evidence) and each smart city dimension of the region's taxonomy (:class:`AreaScore`, with the
number of programmes evaluated). The index, improvement and predicate are computed by
:mod:`kotacerdas.evaluation.domain` with the published scheme of ``scheme_year``: live while the
evaluation is a draft, and stored on release, so a released letter never changes.

A draft is seen by ministry staff only; a released evaluation is frozen and seen by the region.
Every row carries ``region``; the evaluation carries ``version`` (one form edits it whole).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.files import RandomName, download_name
from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
SCORE_VALIDATORS = [MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))]
INDEX_VALIDATORS = [MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))]


class Status(models.TextChoices):
    DRAFT = "draft", _("draft (ministry only)")
    RELEASED = "released", _("released to the region")


class EvaluationDimension(models.TextChoices):
    """The five evaluation dimensions, in the order of the scheme (domain.DIMENSIONS)."""

    BASELINE = "baseline", _("Baseline")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")
    QUICK_WIN = "quick_win", _("Quick win")


class PreviousSource(models.TextChoices):
    NONE = "", _("none")
    ENTERED = "entered", _("entered by the evaluators")
    RECORD = "record", _("last year's released evaluation")


class Evaluation(Versioned, SampleMarked):
    """The ministry's evaluation of one region in one year."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("region")
    )
    year = models.PositiveIntegerField(_("evaluation year"), validators=YEAR_VALIDATORS)
    scheme_year = models.PositiveIntegerField(
        _("scheme year"),
        validators=YEAR_VALIDATORS,
        help_text=_("The year of the published evaluation scheme whose weights are applied."),
    )
    taxonomy = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("smart city dimensions"),
        help_text=_("The taxonomy whose dimensions are scored (the region's plan's, or the default)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    previous_index = models.DecimalField(
        _("previous year's index"),
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        validators=INDEX_VALIDATORS,
        help_text=_("Entered when the previous year's evaluation is not recorded in KotaCerdas."),
    )
    previous_source = models.CharField(
        _("previous index from"), max_length=8, choices=PreviousSource.choices, blank=True, default=""
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("evaluators (ministry staff)")
    )
    panel = models.CharField(
        _("evaluation panel"),
        max_length=500,
        blank=True,
        help_text=_("Names of the evaluators without an account, or the panel's name."),
    )
    conclusion = models.TextField(_("conclusion and recommendations"), blank=True)
    # Stored on release (None while a draft: drafts are computed live from the published scheme).
    index = models.DecimalField(_("index"), max_digits=12, decimal_places=6, null=True, blank=True)
    index_2dp = models.DecimalField(_("index (two decimals)"), max_digits=4, decimal_places=2, null=True, blank=True)
    improvement = models.DecimalField(_("improvement"), max_digits=12, decimal_places=6, null=True, blank=True)
    predicate_code = models.CharField(_("predicate code"), max_length=40, blank=True)
    predicate_name = models.CharField(_("predicate"), max_length=200, blank=True)
    weights = models.JSONField(_("weights applied (%)"), default=dict, blank=True)
    scheme_code = models.CharField(_("scheme"), max_length=40, blank=True)
    scheme_version = models.PositiveIntegerField(_("scheme version"), null=True, blank=True)
    bands_code = models.CharField(_("predicate table"), max_length=40, blank=True)
    bands_version = models.PositiveIntegerField(_("predicate table version"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="one_evaluation_per_region_year",
                violation_error_message=_("The region already has an evaluation for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id}:{self.year}"

    @property
    def is_released(self) -> bool:
        return self.status == Status.RELEASED


class DimensionScore(RegionOwned):
    """The evaluators' score of one evaluation dimension, with a note and the evidence behind it."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("evaluation")
    )
    dimension = models.CharField(_("evaluation dimension"), max_length=10, choices=EvaluationDimension.choices)
    score = models.DecimalField(
        _("score"), max_digits=3, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    note = models.TextField(_("note"), blank=True)
    evidence_link = models.URLField(_("evidence link"), blank=True, max_length=500)
    evidence_file = models.FileField(_("evidence file"), upload_to=RandomName("evaluation"), blank=True, max_length=300)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("evaluation dimension score")
        verbose_name_plural = _("evaluation dimension scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "dimension"],
                name="one_score_per_evaluation_dimension",
                violation_error_message=_("This evaluation dimension is already scored."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.score}"

    @property
    def evidence_filename(self) -> str:
        """The evidence file's name as uploaded (the stored name is random)."""
        return download_name(self.evidence_file, self.evidence_name)


class AreaScore(RegionOwned):
    """The score of one smart city dimension (GOV…ENV) and how many of its programmes were evaluated."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="area_scores", verbose_name=_("evaluation")
    )
    dimension = models.ForeignKey(
        "frameworks.FrameworkEntry", on_delete=models.PROTECT, related_name="+", verbose_name=_("smart city dimension")
    )
    score = models.DecimalField(
        _("score"), max_digits=3, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    programmes = models.PositiveIntegerField(_("programmes evaluated"), default=0)

    class Meta:
        verbose_name = _("smart city dimension score")
        verbose_name_plural = _("smart city dimension scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "dimension"],
                name="one_score_per_smart_city_dimension",
                violation_error_message=_("This smart city dimension is already scored."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension_id}: {self.score}"
