"""Cohorts, a region's engagement in one (agreement, period, commitment scan) and its mentor team."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.files import RandomName, download_name
from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned


class Cohort(models.Model):
    """A yearly intake of regions. The ministry's name is stored per cohort: it changed in 2024."""

    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    ministry_name = models.CharField(_("ministry"), max_length=200)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"],
                name="cohort_year_name",
                violation_error_message=_("A cohort with this year and name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Engagement(Versioned, SampleMarked):
    """One region's assistance within a cohort: the agreement, the period and the schedule.

    Without an explicit period the engagement runs over its cohort's calendar year; sessions
    must fall inside it (see :meth:`period`).
    """

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="engagements", verbose_name=_("region")
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("cohort"))
    purpose = models.TextField(_("purpose"), blank=True)
    starts_on = models.DateField(_("period from"), null=True, blank=True)
    ends_on = models.DateField(_("period to"), null=True, blank=True)
    agreement_number = models.CharField(
        _("agreement number"), max_length=120, blank=True, help_text=_("Number of the Nota Kesepakatan.")
    )
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    agreement_file = models.FileField(
        _("agreement file"), upload_to=RandomName("agreements"), blank=True, max_length=300
    )
    agreement_name = models.CharField(_("agreement file name"), max_length=255, blank=True)
    commitment_scan = models.FileField(
        _("signed commitment sheet"),
        upload_to=RandomName("commitments"),
        blank=True,
        max_length=300,
        help_text=_("Scan of the signed Pakta Integritas."),
    )
    commitment_scan_name = models.CharField(_("signed commitment sheet file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "cohort"],
                name="one_engagement_per_cohort",
                violation_error_message=_("This region already has an engagement in this cohort."),
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="engagement_period_in_order",
                violation_error_message=_("The engagement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.region}"

    @property
    def agreement_filename(self) -> str:
        """The agreement file's name as uploaded (the stored name is random)."""
        return download_name(self.agreement_file, self.agreement_name)

    @property
    def commitment_scan_filename(self) -> str:
        return download_name(self.commitment_scan, self.commitment_scan_name)

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The dates sessions must fall in: the explicit period or the cohort's calendar year."""
        year = self.cohort.year
        return (self.starts_on or datetime.date(year, 1, 1), self.ends_on or datetime.date(year, 12, 31))


class MentorRole(models.TextChoices):
    LEAD = "lead", _("team lead")
    EXPERT = "expert", _("expert (tenaga ahli)")
    MINISTRY = "ministry", _("ministry representative")


class MentorTeamMember(RegionOwned, Versioned, SampleMarked):
    """A person of the mentor team; linked to a user account when they have one."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="mentors", verbose_name=_("engagement")
    )
    person_name = models.CharField(_("name"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=MentorRole.choices, default=MentorRole.EXPERT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user account"),
    )

    class Meta:
        verbose_name = _("mentor team member")
        verbose_name_plural = _("mentor team members")
        ordering = ["role", "person_name", "id"]

    def __str__(self) -> str:
        return self.person_name
