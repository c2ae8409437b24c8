"""The master plan, its editions and the edition-wide content of Buku 1 and Buku 2.

A region has one :class:`MasterPlan`; the plan has :class:`Edition` rows (the 2019 original, the
2024 review, ...). An edition names the taxonomy it uses (a specific
:class:`~kotacerdas.frameworks.models.Framework` version, so old plans stay reproducible) and
its period. Once adopted (Perwal/Perbup) an edition is frozen: services refuse every change and
a change starts a new edition.

Every region-owned row carries ``region``; rows edited through forms carry ``version`` for
optimistic locking (see ``kotacerdas/lib/concurrency.py``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class MasterPlan(Versioned, SampleMarked):
    """A region's smart city master plan across all its editions (one per region)."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="master_plan", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("master plan")
        verbose_name_plural = _("master plans")

    def __str__(self) -> str:
        return self.title


class EditionStatus(models.TextChoices):
    """The approval chain, in order. Each step after DRAFT is recorded as an :class:`ApprovalStep`."""

    DRAFT = "draft", _("draft (Tim Pelaksana drafting)")
    TEAM_FINAL = "team_final", _("final draft of the Tim Pelaksana")
    DEWAN_ENDORSED = "dewan_endorsed", _("endorsed by the Dewan Smart City")
    HEAD_APPROVED = "head_approved", _("approved by the head of region")
    ADOPTED = "adopted", _("adopted (Perwal/Perbup)")


APPROVAL_ORDER: list[str] = [s.value for s in EditionStatus]


class AdoptionInstrument(models.TextChoices):
    PERWAL = "perwal", _("Peraturan Wali Kota (Perwal)")
    PERBUP = "perbup", _("Peraturan Bupati (Perbup)")
    PERDA = "perda", _("Peraturan Daerah (Perda)")


class Edition(Versioned, SampleMarked):
    """One edition of a master plan: its period, taxonomy, Buku 1/Buku 2 content and approval state.

    ``year`` is the edition's own year (2019, 2024) and identifies it within the plan (URLs, CLI
    ``--edition``). ``start_year``–``end_year`` is the plan period programmes must fall in.
    """

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="plan_editions", verbose_name=_("region")
    )
    plan = models.ForeignKey(MasterPlan, on_delete=models.CASCADE, related_name="editions", verbose_name=_("plan"))
    year = models.PositiveIntegerField(_("edition year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveIntegerField(_("plan period from"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveIntegerField(_("plan period to"), validators=YEAR_VALIDATORS)
    taxonomy = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="plan_editions", verbose_name=_("taxonomy")
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("previous edition"),
        help_text=_("The edition this one reviews; its programmes were carried over with a disposition."),
    )
    status = models.CharField(_("status"), max_length=16, choices=EditionStatus.choices, default=EditionStatus.DRAFT)
    # Buku 2 headline content (the longer texts are Sections).
    vision = models.TextField(_("smart city vision"), blank=True)
    vision_keywords = models.JSONField(_("vision keywords"), default=list, blank=True)
    rpjmd_period = models.CharField(
        _("RPJMD period"),
        max_length=20,
        blank=True,
        help_text=_("The regional medium-term plan it links to, e.g. 2021–2026."),
    )
    # Settings of the plan check that differ per edition.
    quick_win_limit = models.PositiveSmallIntegerField(
        _("maximum quick wins per year"), default=6, validators=[MinValueValidator(1)]
    )
    rpjmd_min_share = models.PositiveSmallIntegerField(
        _("minimum share of programmes linked to the RPJMD (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    # Adoption record: fills when the edition is adopted; from then on it is frozen.
    adoption_instrument = models.CharField(
        _("adopted by"), max_length=8, choices=AdoptionInstrument.choices, blank=True
    )
    adoption_number = models.CharField(_("regulation number"), max_length=120, blank=True)
    adoption_date = models.DateField(_("regulation date"), null=True, blank=True)
    adopted_hash = models.CharField(
        _("fingerprint of the adopted content"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the exported edition at adoption: proves which content was adopted."),
    )
    # Changes whenever anything the stored summary is derived from changes (``plans.summaries``):
    # a fresh random value, so no save of an older copy can bring back a stamp a summary matches.
    summary_stamp = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("master plan edition")
        verbose_name_plural = _("master plan editions")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"],
                name="edition_year_per_plan",
                violation_error_message=_("The plan already has an edition of this year."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="edition_period",
                violation_error_message=_("The plan period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.status == EditionStatus.ADOPTED

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")
    REVISED = "revised", _("revised")
    ENDORSED = "endorsed", _("endorsed")


class Book(models.IntegerChoices):
    ANALYSIS = 1, _("Buku 1 – strategic analysis")
    PLAN = 2, _("Buku 2 – master plan")


class Section(RegionOwned, Versioned, SampleMarked):
    """A chapter of Buku 1 or Buku 2 with its text (sanitised HTML) and its mentor review state.

    The chapter list comes from a template (``plans/data/chapters.toml``), not code: ``key`` is
    the template's stable identifier (``b1-swot``, ``b2-programmes``...).
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sections", verbose_name=_("edition"))
    key = models.SlugField(_("key"), max_length=40)
    book = models.PositiveSmallIntegerField(_("book"), choices=Book.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Rich text; unsafe markup is removed on save."))
    review_state = models.CharField(
        _("review state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["book", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "key"],
                name="section_key_per_edition",
                violation_error_message=_("The edition already has this chapter."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class SwotItem(RegionOwned, Versioned, SampleMarked):
    """One strength/weakness/opportunity/threat of a readiness component (Buku 1)."""

    class Kind(models.TextChoices):
        STRENGTH = "S", _("strength")
        WEAKNESS = "W", _("weakness")
        OPPORTUNITY = "O", _("opportunity")
        THREAT = "T", _("threat")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="swot_items", verbose_name=_("edition"))
    component = models.ForeignKey(
        "frameworks.FrameworkEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("readiness component"),
    )
    kind = models.CharField(_("kind"), max_length=1, choices=Kind.choices)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")
        ordering = ["kind", "order", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:60]}"


class Mission(RegionOwned, Versioned, SampleMarked):
    """A smart city mission (misi), optionally linked to the RPJMD mission it serves."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="missions", verbose_name=_("edition"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("mission"))
    rpjmd_mission = models.CharField(
        _("RPJMD mission"),
        max_length=300,
        blank=True,
        help_text=_("The regional medium-term plan's mission it serves."),
    )

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"],
                name="mission_number_per_edition",
                violation_error_message=_("There is already a mission with this number in this edition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class Goal(RegionOwned, Versioned, SampleMarked):
    """A goal (sasaran) under a mission."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="goals", verbose_name=_("edition"))
    mission = models.ForeignKey(
        Mission, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals", verbose_name=_("mission")
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("goal"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("goal (sasaran)")
        verbose_name_plural = _("goals (sasaran)")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="goal_code_per_edition",
                violation_error_message=_("There is already a goal with this code in this edition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class Strategy(RegionOwned, Versioned, SampleMarked):
    """A strategy for one dimension (and optionally one element) of the taxonomy."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="strategies", verbose_name=_("edition"))
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
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="strategies", verbose_name=_("goal")
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("strategy"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="strategy_code_per_edition",
                violation_error_message=_("There is already a strategy with this code in this edition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class ElementWaiver(RegionOwned, Versioned, SampleMarked):
    """An element of the taxonomy the edition deliberately does not cover, with the reason."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="waivers", verbose_name=_("edition"))
    element = models.ForeignKey(
        "frameworks.FrameworkEntry", on_delete=models.PROTECT, related_name="+", verbose_name=_("element")
    )
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("element waiver")
        verbose_name_plural = _("element waivers")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "element"],
                name="one_waiver_per_element",
                violation_error_message=_("This element already has a waiver in this edition."),
            )
        ]

    def __str__(self) -> str:
        return str(self.element_id)


class ApprovalStep(RegionOwned, SampleMarked):
    """One recorded step of the approval chain (team final → Dewan → head of region → adoption)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="approval_steps", verbose_name=_("edition")
    )
    step = models.CharField(_("step"), max_length=16, choices=EditionStatus.choices)
    decided_on = models.DateField(_("date"))
    reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("Minutes, letter or regulation number.")
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    actor_name = models.CharField(_("recorded by (as recorded)"), max_length=200)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.decided_on}"
