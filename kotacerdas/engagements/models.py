"""The assistance (pendampingan): cohorts, a region's engagement in one, and its sessions.

The foundation holds what the demo needs (cohort, engagement, planned Bimtek sessions); the
assistance capability adds agendas, attendance, minutes, actions and obstacles on top.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cohort(models.Model):
    """A yearly intake of regions. The ministry's name is stored per cohort: it changed in 2024."""

    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    ministry_name = models.CharField(_("ministry"), max_length=200)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="cohort_year_name")]

    def __str__(self) -> str:
        return self.name


class Engagement(models.Model):
    """One region's assistance within a cohort."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="engagements", verbose_name=_("region")
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("cohort"))
    purpose = models.TextField(_("purpose"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [models.UniqueConstraint(fields=["region", "cohort"], name="one_engagement_per_cohort")]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.region}"


class Session(models.Model):
    """A Bimtek stage or an extra forum."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        CLOSED = "closed", _("closed")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("engagement")
    )
    stage = models.PositiveSmallIntegerField(
        _("Bimtek stage"), null=True, blank=True, help_text=_("1–4 for Bimtek I–IV; empty for an extra forum.")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="session_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title
