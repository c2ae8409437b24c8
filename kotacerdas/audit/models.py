"""The audit trail: who changed what in which region, with the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """One create, change or delete, written by the service that made it, in the same transaction."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        SUBMIT = "submit", pgettext_lazy("audit action", "submitted")
        REVIEW = "review", pgettext_lazy("audit action", "reviewed")
        PUBLISH = "publish", pgettext_lazy("audit action", "published")
        START = "start", pgettext_lazy("audit action", "started")
        CLOSE = "close", pgettext_lazy("audit action", "closed")
        REMIND = "remind", pgettext_lazy("audit action", "reminded")
        SIGN_IN = "sign_in", pgettext_lazy("audit action", "signed in")
        REFUSED = "refused", pgettext_lazy("audit action", "sign-in refused")
        RESTORE = "restore", pgettext_lazy("audit action", "restored from a backup")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(
        _("who (as recorded)"), max_length=200, help_text=_("Kept even if the account is removed.")
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("region"),
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["region", "-at"], name="audit_region_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """Field-by-field (name, before, after) for the fields that differ."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class SentMessage(models.Model):
    """One e-mail claimed for sending: the log that makes scheduled reminders idempotent.

    A run claims the row (its own committed transaction) before it sends, so two overlapping runs
    cannot both send: the unique key is (kind, object, recipient, day). ``day`` is the day the
    message is for: today for daily reminders, the first day of the period for per-period ones.
    See ``kotacerdas.lib.reminders``.
    """

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    recipient = models.EmailField(_("recipient"))
    day = models.DateField(_("day"))
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.CLAIMED)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent message")
        verbose_name_plural = _("sent messages")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "recipient", "day"],
                name="one_message_per_recipient_day",
                violation_error_message=_("This message was already sent to this recipient on this day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.object_type}:{self.object_id} → {self.recipient}"


class Revision(models.Model):
    """How many times the data of one region changed (``scope`` = the region's id), or the data
    every region shares (``scope`` = 0): frameworks, accounts, cohorts.

    Raised in the transaction of every audit entry (services.record), so the number moves when
    the change commits and never before: a page built from what a revision showed may be served
    again for as long as the revision stays (lib/pagecache.py). Kept beside the region, not on its
    row, so that a service saving the region never writes an old count back.
    """

    scope = models.BigIntegerField(_("scope"), unique=True)
    value = models.PositiveBigIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("data revision")
        verbose_name_plural = _("data revisions")

    def __str__(self) -> str:
        return f"{self.scope}: {self.value}"
