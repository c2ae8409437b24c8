"""Quick-win selection rounds: criteria, weights, evaluators' scores, constraints and solves.

A region runs one :class:`SelectionRound` a year over the programmes of a master plan edition.
The round holds what the forum decides on (criteria and weights, candidates and constraints),
the evaluators' scores, and every :class:`Solve` with its inputs and result for audit. The
decision itself is computed by the pure engine in ``quickwins/engine`` from the round exported
in the candidates-file format, so the command line gives the same answer on the exported file.

Every row carries ``region``; rows edited through forms carry ``version`` (optimistic locking).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned
from kotacerdas.plans.models import MAX_BUDGET_AMOUNT, BudgetSource

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open (criteria and scoring)")
    SOLVED = "solved", _("solved")
    CONFIRMED = "confirmed", _("confirmed (marked in the plan)")


class WeightMode(models.TextChoices):
    DIRECT = "direct", _("entered directly")
    PAIRWISE = "pairwise", _("pairwise comparison (AHP)")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("mean")
    GEOMETRIC = "geometric", _("geometric mean")


class Direction(models.TextChoices):
    BENEFIT = "benefit", _("benefit (higher score is better)")
    COST = "cost", _("cost (higher score is worse)")


class Must(models.TextChoices):
    INCLUDE = "include", _("must be included")
    EXCLUDE = "exclude", _("must be left out")


class SelectionRound(Versioned, SampleMarked):
    """A year's quick-win selection of a region over one edition's programmes.

    ``year`` is the year the forum decides in (one round per region and year); ``budget_year``
    is the year the quick wins are delivered and budgeted in, and the year they are marked as
    quick wins in the plan (often the next year: the 2024 round chooses the 2025 quick wins).
    """

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="quickwin_rounds", verbose_name=_("region")
    )
    edition = models.ForeignKey(
        "plans.Edition", on_delete=models.PROTECT, related_name="quickwin_rounds", verbose_name=_("edition")
    )
    year = models.PositiveIntegerField(_("round year"), validators=YEAR_VALIDATORS)
    budget_year = models.PositiveIntegerField(
        _("budget year"),
        validators=YEAR_VALIDATORS,
        help_text=_("The year the quick wins are delivered and marked in the plan."),
    )
    cost_years = models.PositiveSmallIntegerField(
        _("years of cost counted"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        help_text=_(
            "1: only the budget year's budget lines; 2: also the following year (a quick win takes 1–2 years)."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    aggregation = models.CharField(
        _("combining evaluators' scores"), max_length=10, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    weight_mode = models.CharField(_("weights"), max_length=10, choices=WeightMode.choices, default=WeightMode.DIRECT)
    pairwise = models.JSONField(
        _("pairwise comparisons"),
        default=dict,
        blank=True,
        help_text=_("Judgements above the diagonal, keyed 'a|b' by criterion codes: how much more a matters than b."),
    )
    per_dimension_min = models.PositiveSmallIntegerField(_("minimum per dimension"), default=1)
    per_dimension_max = models.PositiveSmallIntegerField(
        _("maximum per dimension"), null=True, blank=True, default=1, help_text=_("Empty: no maximum.")
    )
    max_per_opd = models.PositiveSmallIntegerField(
        _("maximum per agency (OPD)"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    confirmed_solve = models.ForeignKey(
        "Solve",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed selection"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quick-win selection round")
        verbose_name_plural = _("quick-win selection rounds")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="one_quickwin_round_per_year",
                violation_error_message=_("There is already a quick-win round for this year."),
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="round_scale",
                violation_error_message=_("The top of the score scale must be above its bottom."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        """The round's one name on pages, documents and the CLI: "Round 2024 · for budget 2025"."""
        from kotacerdas.quickwins.text import round_label

        return round_label(self.year, self.budget_year)

    @property
    def cost_year_range(self) -> range:
        return range(self.budget_year, self.budget_year + self.cost_years)


class Criterion(RegionOwned):
    """A criterion of a round (editable per round); ``code`` identifies it in the candidates file."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=120)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.BENEFIT)
    weight = models.DecimalField(
        _("weight"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Any scale; the weights are normalised to sum to 100 %."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "code"],
                name="criterion_code_per_round",
                violation_error_message=_("A criterion with this code already exists in the round."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Candidate(RegionOwned):
    """A programme of the edition taking part in the round, with the forum's must-choice on it."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="candidates")
    programme = models.ForeignKey(
        "plans.Programme", on_delete=models.CASCADE, related_name="quickwin_candidacies", verbose_name=_("programme")
    )
    must = models.CharField(_("decision"), max_length=8, choices=Must.choices, blank=True)
    excludes = models.ManyToManyField("self", symmetrical=True, blank=True, verbose_name=_("not together with"))

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["programme__order", "programme__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "programme"],
                name="one_candidacy_per_round",
                violation_error_message=_("This programme is already a candidate in the round."),
            )
        ]

    def __str__(self) -> str:
        return str(self.programme)


class BudgetCap(RegionOwned):
    """Spending of the chosen programmes in ``year`` (all years if empty) from ``source`` (all if empty)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="caps")
    year = models.PositiveIntegerField(_("year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    source = models.CharField(_("source"), max_length=4, choices=BudgetSource.choices, blank=True)
    amount = models.DecimalField(
        _("cap (Rp)"),
        max_digits=18,
        decimal_places=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_BUDGET_AMOUNT)],
    )

    class Meta:
        verbose_name = _("budget cap")
        verbose_name_plural = _("budget caps")
        ordering = ["year", "source"]

    def __str__(self) -> str:
        return f"{self.year or '*'} {self.source or '*'} {self.amount}"


class DimensionLimit(RegionOwned):
    """A dimension's own minimum and maximum, overriding the round's default."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="dimension_limits")
    dimension = models.ForeignKey(
        "frameworks.FrameworkEntry", on_delete=models.PROTECT, related_name="+", verbose_name=_("dimension")
    )
    minimum = models.PositiveSmallIntegerField(_("minimum"), null=True, blank=True)
    maximum = models.PositiveSmallIntegerField(_("maximum"), null=True, blank=True)

    class Meta:
        verbose_name = _("dimension limit")
        verbose_name_plural = _("dimension limits")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "dimension"],
                name="one_limit_per_dimension",
                violation_error_message=_("This dimension already has a limit in the round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.minimum}–{self.maximum}"


class Evaluator(RegionOwned, SampleMarked):
    """Someone who scores the candidates: a signed-in user, or a named person whose paper scores an
    editor enters (the forum does not always have everyone at a keyboard)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name"],
                name="evaluator_name_per_round",
                violation_error_message=_("An evaluator with this name already exists in the round."),
            ),
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=models.Q(user__isnull=False),
                name="evaluator_user_per_round",
                violation_error_message=_("This account is already an evaluator in the round."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Score(RegionOwned):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "candidate", "criterion"],
                name="one_score_per_cell",
                violation_error_message=_("This evaluator has already scored this programme on this criterion."),
            )
        ]

    def __str__(self) -> str:
        return str(self.value)


class SolveStatus(models.TextChoices):
    OPTIMAL = "optimal", _("optimal")
    FEASIBLE = "feasible", _("feasible (time limit, not proven optimal)")
    INFEASIBLE = "infeasible", _("no selection satisfies the constraints")
    NO_SOLUTION = "no_solution", _("no selection found in time")
    ERROR = "error", _("solver error")


class Solve(RegionOwned, SampleMarked):
    """One run of the optimisation, kept for audit: the exact inputs, the weights, the solver's
    status, objective and time, and the full report (explanations stored as translatable data)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="solves")
    number = models.PositiveIntegerField(_("number"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("solved by"), max_length=150)
    inputs = models.JSONField(_("inputs (candidates file)"))
    weights = models.JSONField(_("weights"))
    status = models.CharField(_("status"), max_length=12, choices=SolveStatus.choices)
    solver = models.CharField(_("solver"), max_length=40)
    solver_status = models.CharField(_("solver status"), max_length=60, blank=True)
    objective = models.FloatField(_("total value"), null=True, blank=True)
    seconds = models.FloatField(_("solve time (s)"))
    report = models.JSONField(_("report"))
    created_at = models.DateTimeField(_("solved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("solve")
        verbose_name_plural = _("solves")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"],
                name="solve_number_per_round",
                violation_error_message=_("A result with this number already exists in the round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"

    @property
    def chosen_codes(self) -> list[str]:
        return list(self.report.get("selection") or [])


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class RobustnessRun(RegionOwned, SampleMarked):
    """A weight-perturbation analysis of a solve, run as a background job with visible progress."""

    solve = models.ForeignKey(Solve, on_delete=models.CASCADE, related_name="robustness_runs")
    draws = models.PositiveIntegerField(_("draws"), validators=[MinValueValidator(1), MaxValueValidator(20000)])
    spread = models.DecimalField(
        _("weight perturbation (±)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(0.9)],
    )
    seed = models.PositiveIntegerField(_("seed"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    done = models.PositiveIntegerField(_("draws done"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("job"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("robustness run")
        verbose_name_plural = _("robustness runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.solve} ({self.draws})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.draws) if self.draws else 0
