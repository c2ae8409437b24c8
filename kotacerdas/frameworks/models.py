"""Reference frameworks as versioned data.

A :class:`Framework` is one published (or draft) version of a reference table: the smart city
taxonomy, the readiness components, a maturity scale, an evaluation scheme with its weights for
a year, a predicate band table, a population size-class scheme. Its rows are
:class:`FrameworkEntry` objects, nested one level for taxonomies (dimension → element).

Published versions are never changed: a change is a new version, so plans and scores made
against an old version stay reproducible.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import Versioned


class Kind(models.TextChoices):
    TAXONOMY = "taxonomy", _("Dimension taxonomy")
    COMPONENTS = "components", _("Readiness components")
    LEVELS = "levels", _("Maturity levels")
    EVALUATION = "evaluation", _("Annual evaluation scheme")
    BANDS = "bands", _("Predicate bands")
    SIZE_CLASSES = "size_classes", _("Population size classes")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Framework(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=40, help_text=_("Stable identifier shared by all versions."))
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    year = models.PositiveIntegerField(
        _("year"), null=True, blank=True, help_text=_("For schemes that change by year.")
    )
    source = models.TextField(_("source"), blank=True)
    is_default = models.BooleanField(_("default of its kind"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reference framework")
        verbose_name_plural = _("reference frameworks")
        ordering = ["kind", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="framework_code_version",
                violation_error_message=_("A framework with this code and version already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class FrameworkEntry(Versioned):
    """A row of a framework. Which of the optional numbers apply depends on the kind."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="entries")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    lower_bound = models.DecimalField(
        _("lower bound"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Bands: the value from which this band starts; empty for the lowest band."),
    )
    lower_inclusive = models.BooleanField(_("lower bound included"), default=True)

    class Meta:
        verbose_name = _("framework entry")
        verbose_name_plural = _("framework entries")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="entry_code_per_framework",
                violation_error_message=_("An entry with this code already exists in the framework."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# SIPD / Permendagri 90 codes ---------------------------------------------------------------------


class SipdLevel(models.TextChoices):
    """The levels of the Permendagri 90 classification, from the dotted code's number of parts."""

    URUSAN = "urusan", _("government affair (urusan)")
    BIDANG = "bidang", _("affair field (bidang urusan)")
    PROGRAM = "program", _("programme (program)")
    KEGIATAN = "kegiatan", _("activity (kegiatan)")
    SUB_KEGIATAN = "sub_kegiatan", _("sub-activity (sub kegiatan)")


class SipdTable(models.Model):
    """One loaded version of the SIPD classification (Permendagri 90 and its updates).

    Never changed once loaded: a new list from the ministry is a new load under a new version
    label, so a plan checked against the 2024 list stays checked against it.
    """

    label = models.CharField(
        _("version"), max_length=20, help_text=_("A year, or a year and a suffix: 2024, 2024-rev1.")
    )
    year = models.PositiveIntegerField(_("year"), help_text=_("The first budget year the list applies to."))
    source_file = models.CharField(_("file"), max_length=200, blank=True)
    is_sample = models.BooleanField(_("sample"), default=False)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SIPD code list")
        verbose_name_plural = _("SIPD code lists")
        ordering = ["-year", "-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["label"],
                name="sipd_table_label",
                violation_error_message=_("A SIPD code list of this version is already loaded."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class SipdCode(models.Model):
    """A row of a SIPD code list: a dotted code (2.16.03.2.02.0001), its level and its name."""

    table = models.ForeignKey(SipdTable, on_delete=models.CASCADE, related_name="codes", verbose_name=_("code list"))
    code = models.CharField(_("code"), max_length=40)
    level = models.CharField(_("level"), max_length=12, choices=SipdLevel.choices)
    name = models.CharField(_("name"), max_length=500)
    parent_code = models.CharField(_("parent code"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("SIPD code")
        verbose_name_plural = _("SIPD codes")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "code"],
                name="sipd_code_per_table",
                violation_error_message=_("The code is already in this code list."),
            )
        ]
        indexes = [models.Index(fields=["table", "level"], name="sipd_code_table_level")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
