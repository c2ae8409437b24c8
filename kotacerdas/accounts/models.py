"""Users and their grants to regions.

A user sees a region only through a grant: a :class:`Membership` in that region (region admin,
editor, viewer, or mentor) or the ministry-wide flag on the user. The rules that turn grants
into capabilities live in :mod:`kotacerdas.accounts.access`, and only there.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import Versioned


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


class Membership(Versioned):
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


class SignInAttempt(models.Model):
    """One attempt to sign in, kept in the database so that every app server counts the same.

    ``username`` is what was typed (lower-cased, shortened), whether or not such an account exists;
    ``address`` is the client address as the app server sees it (see docs/configuration.md for a
    reverse proxy). Attempts older than a day are removed by the sign-in itself.
    """

    username = models.CharField(_("username"), max_length=150)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    at = models.DateTimeField(_("at"), db_index=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        indexes = [
            models.Index(fields=["username", "at"], name="signin_username_at"),
            models.Index(fields=["address", "at"], name="signin_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"


class SecondFactor(models.Model):
    """A user's authenticator app (TOTP): required for ministry accounts, optional for others.

    ``confirmed_at`` is empty until the user has typed one code from the app; only a confirmed
    second factor is asked at sign-in. ``last_step`` is the time step of the last code accepted,
    so no code is accepted twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_step = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")

    def __str__(self) -> str:
        return f"{self.user_id} {'confirmed' if self.confirmed_at else 'pending'}"


class CalendarToken(models.Model):
    """The secret of a user's calendar subscription addresses (one per user).

    Only the SHA-256 digest is kept: the address is shown once when created. The feeds it opens
    are computed at each request through the access layer as this user, so a revoked grant
    removes that region's events; deleting the row (revoking) makes every address a 404.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_token", verbose_name=_("user"))
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
