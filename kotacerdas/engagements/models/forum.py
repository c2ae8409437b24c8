"""A session (Bimtek stage or extra forum) and what happens in it: agenda, attendance, outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.engagements.models.engagement import Engagement
from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned


class Session(RegionOwned, Versioned, SampleMarked):
    """A Bimtek stage or an extra forum. Planned → in progress → closed; closing freezes the minutes.

    A planned session that will not take place is cancelled (kept, so calendars that subscribed
    show it as cancelled instead of silently losing it)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

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
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Written during the meeting; frozen on closing."))
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    minute_taker = models.CharField(_("minutes taken by"), max_length=200, blank=True)
    mentors_present = models.ManyToManyField(
        "engagements.MentorTeamMember",
        blank=True,
        related_name="sessions_attended",
        verbose_name=_("mentors present"),
        help_text=_("Listed in the minutes (berita acara)."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="session_dates_in_order",
                violation_error_message=_("The session cannot end before it starts."),
            )
        ]
        indexes = [models.Index(fields=["region", "starts_on"], name="session_region_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class AgendaItem(RegionOwned, Versioned, SampleMarked):
    """An item of a session's agenda, in a section, optionally about a programme of the master plan."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("session"))
    section = models.CharField(_("section"), max_length=120, help_text=_("E.g. Opening, Material, Group work."))
    title = models.CharField(_("item"), max_length=300)
    programme = models.ForeignKey(
        "plans.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    HEAD = "head", _("head present")
    DELEGATE = "delegate", _("delegate")
    ABSENT = "absent", _("absent")


class Attendance(RegionOwned, Versioned, SampleMarked):
    """One agency's attendance at a session (one row per OPD): the sign-in list."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session"))
    opd = models.ForeignKey("regions.OPD", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency (OPD)"))
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    person_name = models.CharField(_("name of who attended"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    signed = models.BooleanField(_("signed the sign-in list"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["opd__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "opd"],
                name="one_attendance_per_opd",
                violation_error_message=_("This agency's attendance is already recorded for the session."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.opd_id}: {self.status}"


class OutcomeKind(models.TextChoices):
    INFORMATION = "information", _("information")
    DECISION = "decision", _("decision")
    ACTION = "action", _("action")


class Outcome(RegionOwned, SampleMarked):
    """A recorded outcome of a session. An action outcome also has an :class:`Action` to follow up."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("session"))
    kind = models.CharField(_("kind"), max_length=12, choices=OutcomeKind.choices)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]
