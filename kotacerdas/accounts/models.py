"""Users and their grants to regions.

A user sees a region only through a grant: a :class:`Membership` in that region (region admin,
editor, viewer, or mentor) or the ministry-wide flag on the user. The rules that turn grants
into capabilities live in :mod:`kotacerdas.accounts.access`, and only there.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. ``is_ministry`` grants programme-wide access to every region."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    institution = models.CharField(
        _("institution"), max_length=200, blank=True, help_text=_("For mentors: university or firm.")
    )
    is_ministry = models.BooleanField(
        _("ministry programme staff"),
        default=False,
        help_text=_("Ministry admins see and manage every region and the reference frameworks."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("Region admin (Diskominfo)")
    EDITOR = "editor", _("Editor (Tim Pelaksana)")
    VIEWER = "viewer", _("Viewer (e.g. Dewan member)")
    MENTOR = "mentor", _("Mentor (tenaga ahli)")


class Membership(models.Model):
    """A user's grant in one region. One grant per user and region."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("region")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    opd = models.ForeignKey(
        "regions.OPD",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="editors",
        verbose_name=_("agency (OPD)"),
        help_text=_("Optional: ties an editor to one agency."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region"],
                name="one_membership_per_region",
                violation_error_message=_("This person already has a role in this region."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region} · {self.get_role_display()}"
