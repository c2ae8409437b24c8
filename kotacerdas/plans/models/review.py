"""Reviewing a plan: dispositions of carried programmes, and mentor comment threads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned
from kotacerdas.plans.models.plan import Edition, Section
from kotacerdas.plans.models.programme import Programme, ProgrammeStatus


class DispositionKind(models.TextChoices):
    KEEP = "keep", _("keep")
    REVISE = "revise", _("revise")
    MERGE = "merge", _("merge into another")
    DROP = "drop", _("drop")
    NEW = "new", _("new")


class Disposition(RegionOwned, Versioned, SampleMarked):
    """What a review edition does with one programme of the previous edition (or marks one as new).

    ``previous_programme`` is the programme in the previous edition (empty for NEW);
    ``programme`` its copy in this edition (empty for DROP and MERGE); ``merged_into`` the
    programme of this edition that absorbs it (MERGE only).
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="dispositions", verbose_name=_("review edition")
    )
    previous_programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispositions_as_previous",
        verbose_name=_("programme in the previous edition"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispositions",
        verbose_name=_("programme in this edition"),
    )
    kind = models.CharField(
        _("disposition"), max_length=8, choices=DispositionKind.choices, default=DispositionKind.KEEP
    )
    merged_into = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="absorbed",
        verbose_name=_("merged into"),
    )
    rationale = models.TextField(_("rationale"), blank=True)
    implementation_status = models.CharField(
        _("implementation so far"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.NOT_STARTED
    )
    implementation_note = models.TextField(_("implementation note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "previous_programme"],
                condition=models.Q(previous_programme__isnull=False),
                name="one_disposition_per_previous_programme",
                violation_error_message=_("This programme of the previous edition already has a disposition."),
            ),
            models.UniqueConstraint(
                fields=["edition", "programme"],
                condition=models.Q(kind="new"),
                name="one_new_disposition_per_programme",
                violation_error_message=_("This programme is already marked as new in this review."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ThreadStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class ReviewThread(RegionOwned, Versioned, SampleMarked):
    """A comment thread anchored to a section or a programme of an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="threads", verbose_name=_("edition"))
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="threads", verbose_name=_("section")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="threads", verbose_name=_("programme")
    )
    status = models.CharField(_("status"), max_length=10, choices=ThreadStatus.choices, default=ThreadStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment thread")
        verbose_name_plural = _("comment threads")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(section__isnull=True, programme__isnull=False)
                | models.Q(section__isnull=False, programme__isnull=True),
                name="thread_has_one_anchor",
                violation_error_message=_("A comment thread is about either a chapter or a programme."),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ReviewComment(RegionOwned, SampleMarked):
    thread = models.ForeignKey(
        ReviewThread, on_delete=models.CASCADE, related_name="comments", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author (as recorded)"), max_length=200)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]
