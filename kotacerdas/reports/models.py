"""Generated documents: one :class:`DocumentJob` per generation request, with its stored file.

A request is queued as a background job (django-tasks; the database is the queue). The worker
builds the document, stores the file through Django's storage API and records progress; a failed
generation records its error on the job. Files are never overwritten: the previous successful
job of the same document keeps its file, so a failure leaves the last good file in place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    BUKU1 = "buku1", _("Buku 1 – strategic analysis")
    BUKU2 = "buku2", _("Buku 2 – master plan")
    CHANGELOG = "changelog", _("Change log between two editions")
    QUICKWINS = "quickwins", _("Quick-win selection report")
    ASSESSMENT = "assessment", _("Assessment report")
    EVALUATION = "evaluation", _("Annual evaluation letter")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", _("PDF (for circulation)")
    DOCX = "docx", _("DOCX (editable in Word or LibreOffice)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def document_path(job: DocumentJob, filename: str) -> str:
    return f"documents/{job.region_id}/{filename}"


class DocumentJob(models.Model):
    """One generation of a document (a book, the change log, a quick-win or assessment report) in one format."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="document_jobs", verbose_name=_("region")
    )
    edition = models.ForeignKey(
        "plans.Edition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_jobs",
        verbose_name=_("edition"),
    )
    kind = models.CharField(_("document"), max_length=12, choices=DocumentKind.choices)
    fmt = models.CharField(_("format"), max_length=4, choices=DocumentFormat.choices)
    options = models.JSONField(
        _("options"), default=dict, blank=True, help_text=_("E.g. the edition compared with, the round year.")
    )
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    missing = models.JSONField(_("still missing"), default=list, blank=True)
    seconds = models.FloatField(_("generation time (s)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Set by the reaper (kotacerdas/jobs): how often the worker stopped while making this document.
    interruptions = models.PositiveSmallIntegerField(_("times the worker stopped"), default=0)
    task_id = models.CharField(_("job"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document generation")
        verbose_name_plural = _("document generations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "edition", "kind", "fmt"], name="document_job_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.fmt})"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)
