"""Follow-up registers of an engagement: actions, obstacles (kendala) and commitment signatories."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.engagements.models.engagement import Engagement
from kotacerdas.engagements.models.forum import Outcome, Session
from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(RegionOwned, Versioned, SampleMarked):
    """A follow-up agreed at a session, owned by an agency and a person, due on a date.

    While open it shows on every later session's agenda (computed by the selectors, not copied).
    """

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="actions", verbose_name=_("engagement")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="actions", verbose_name=_("agreed at session")
    )
    outcome = models.OneToOneField(
        Outcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="action", verbose_name=_("outcome")
    )
    title = models.CharField(_("action"), max_length=300)
    owner_opd = models.ForeignKey(
        "regions.OPD", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner agency (OPD)")
    )
    owner_name = models.CharField(_("owner (person)"), max_length=200)
    owner_email = models.EmailField(_("owner's e-mail"), blank=True, help_text=_("For reminders."))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    programme = models.ForeignKey(
        "plans.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concerns programme"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminder sent on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["engagement", "status"], name="action_engagement_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today


class ObstacleCategory(models.TextChoices):
    REGULATION = "regulation", _("regulation")
    BUDGET = "budget", _("budget")
    HUMAN_RESOURCES = "hr", _("human resources")
    INFRASTRUCTURE = "infrastructure", _("infrastructure")
    DATA = "data", _("data")
    COORDINATION = "coordination", _("coordination")
    OTHER = "other", _("other")


class ObstacleStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    ESCALATED = "escalated", _("escalated to the ministry")


class MinistryResponseStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved by the ministry")


class Obstacle(RegionOwned, Versioned, SampleMarked):
    """An obstacle (kendala) raised at a session, tracked until resolved or escalated.

    Once escalated, the ministry answers on the obstacle itself (``ministry_*``), so the region
    and its mentors read the answer where they follow the obstacle up.
    """

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="obstacles", verbose_name=_("engagement")
    )
    raised_in = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="obstacles_raised", verbose_name=_("raised at session")
    )
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=16, choices=ObstacleCategory.choices)
    programme = models.ForeignKey(
        "plans.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    opd = models.ForeignKey(
        "regions.OPD", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency (OPD)")
    )
    owner_name = models.CharField(_("owner"), max_length=200, blank=True)
    proposed_solution = models.TextField(_("proposed solution"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ObstacleStatus.choices, default=ObstacleStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    resolved_in = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obstacles_resolved",
        verbose_name=_("resolved at session"),
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    ministry_status = models.CharField(
        _("ministry's response"), max_length=12, choices=MinistryResponseStatus.choices, blank=True
    )
    ministry_owner = models.CharField(
        _("responsible at the ministry"), max_length=200, blank=True, help_text=_("The person following it up.")
    )
    ministry_note = models.TextField(_("ministry's note"), blank=True)
    ministry_responded_on = models.DateField(_("ministry responded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        ordering = ["opened_on", "id"]
        indexes = [
            models.Index(fields=["engagement", "status"], name="obstacle_engagement_status"),
            models.Index(fields=["status", "category", "opened_on", "id"], name="obstacle_escalated_order"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def days_open(self, today: datetime.date) -> int:
        end = self.resolved_on if self.resolved_on else today
        return max(0, (end - self.opened_on).days)


class SignatoryRole(models.TextChoices):
    HEAD_OF_REGION = "head_of_region", _("head of region")
    OPD_HEAD = "opd_head", _("head of agency (OPD)")


class CommitmentSignatory(RegionOwned, Versioned, SampleMarked):
    """Someone who must sign the commitment sheet (Pakta Integritas), and whether they have."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("engagement")
    )
    role = models.CharField(_("signs as"), max_length=16, choices=SignatoryRole.choices)
    opd = models.ForeignKey(
        "regions.OPD", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency (OPD)")
    )
    person_name = models.CharField(_("name"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment signatory")
        verbose_name_plural = _("commitment signatories")
        ordering = ["role", "opd__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "opd"],
                name="one_signatory_per_opd",
                violation_error_message=_("This agency has already signed the commitment."),
            ),
            models.UniqueConstraint(
                fields=["engagement"],
                condition=models.Q(role="head_of_region"),
                name="one_head_of_region_signatory",
                violation_error_message=_("The head of region has already signed the commitment."),
            ),
        ]

    def __str__(self) -> str:
        return self.person_name or str(self.opd_id)
