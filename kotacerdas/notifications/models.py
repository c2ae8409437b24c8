"""Notifications: one row per recipient and event, written by the service that caused the event.

A row stores what it is about as data (the kind, the thing's own name as its users wrote it, a
link, who acted), never a sentence: the sentence is the kind's translatable text, rendered in the
reader's language when the row is shown or mailed (:meth:`Notification.text`). The unique
(``event_key``, ``recipient``) pair keeps one event from reaching one person twice, however often
the causing service (or a retried job) runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import RegionOwned, Versioned


class Kind(models.TextChoices):
    UPDATE_RETURNED = "update_returned", _("A progress update returned to you")
    SECTION_RETURNED = "section_returned", _("A plan chapter sent back to draft")
    THREAD_REPLY = "thread_reply", _("A new comment in a review thread you took part in")
    ACTION_ASSIGNED = "action_assigned", _("An action assigned to you or your agency")
    OBSTACLE_ESCALATED = "obstacle_escalated", _("An obstacle escalated to the ministry")
    OBSTACLE_ANSWERED = "obstacle_answered", _("The ministry's answer to an escalated obstacle")
    DOCUMENT_READY = "document_ready", _("A document you asked for is ready")


# What a notification says, by kind; ``actor`` is who acted, ``thing`` what it is about.
TEXTS = {
    Kind.UPDATE_RETURNED: _("%(actor)s returned the progress update of %(thing)s."),
    Kind.SECTION_RETURNED: _("%(actor)s sent the chapter %(thing)s back to draft."),
    Kind.THREAD_REPLY: _("%(actor)s commented in the review thread on %(thing)s."),
    Kind.ACTION_ASSIGNED: _("%(actor)s assigned the action %(thing)s."),
    Kind.OBSTACLE_ESCALATED: _("%(actor)s escalated an obstacle to the ministry: %(thing)s."),
    Kind.OBSTACLE_ANSWERED: _("%(actor)s answered the escalated obstacle %(thing)s."),
    Kind.DOCUMENT_READY: _("The document %(thing)s is ready to download."),
}


class Mail(models.TextChoices):
    NONE = "none", _("no e-mail")
    NOW = "now", _("e-mail at once")
    DIGEST = "digest", _("in the daily digest")


class Notification(RegionOwned):
    """One event for one recipient: shown in the header count and on the notifications page
    (``in_app``), mailed at once or in the daily digest (``mail``), as the recipient chose."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    event_key = models.CharField(_("event"), max_length=120)
    label = models.CharField(_("about"), max_length=300, help_text=_("The thing's own name, as written."))
    # A label that is a name of the programme's own (a document kind) is stored as its English
    # msgid and translated when shown, never frozen in the language of the moment it was written.
    label_is_msgid = models.BooleanField(default=False)
    url = models.CharField(_("link"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (as recorded)"), max_length=200)
    in_app = models.BooleanField(_("shown in KotaCerdas"), default=True)
    mail = models.CharField(_("e-mail"), max_length=8, choices=Mail.choices, default=Mail.NONE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"],
                name="one_notification_per_event_and_recipient",
                violation_error_message=_("This person was already notified of this event."),
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "in_app", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(fields=["mail", "created_at"], name="notification_mail"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_key} → {self.recipient_id}"

    def text(self) -> str:
        """The sentence, in the active language (rendered now, not when the row was written)."""
        actor = self.actor_name if self.actor_name != "system" else _("KotaCerdas")
        thing = gettext(self.label) if self.label_is_msgid else self.label
        return str(TEXTS[Kind(self.kind)]) % {"actor": actor, "thing": thing}


class Preference(models.Model):
    """How one user wants one kind of notification; no row means the defaults (both on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    in_app = models.BooleanField(_("show in KotaCerdas"), default=True)
    email = models.BooleanField(_("send by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="one_preference_per_user_and_kind",
                violation_error_message=_("This kind already has a preference."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} app={self.in_app} mail={self.email}"


class Delivery(Versioned):
    """A user's choice of how e-mails arrive: one per event, or one daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_delivery",
        verbose_name=_("user"),
    )
    daily_digest = models.BooleanField(
        _("one daily digest instead of one e-mail per event"),
        default=False,
    )

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")

    def __str__(self) -> str:
        return f"{self.user_id} digest={self.daily_digest}"
