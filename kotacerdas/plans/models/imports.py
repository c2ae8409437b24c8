"""A large edition file imported in the background (issue 14 §1: bounded work for any input).

A workbook of thousands of rows takes longer to read and check than a request should last, so the
web import above ``settings.IMPORT_BACKGROUND_BYTES`` keeps the uploaded file here and a worker
(``kotacerdas db_worker``, django-tasks on the database) imports it, writing its progress and, when
refused, the located problems (at most ``IMPORT_MAX_PROBLEMS`` of them, and their count).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("refused")


class EditionImport(models.Model):
    """One upload of an edition file (JSON or XLSX) waiting for, or done by, the worker."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="edition_imports", verbose_name=_("region")
    )
    name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"))
    replace = models.BooleanField(_("replace a draft edition"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("number of problems"), default=0)
    year = models.PositiveIntegerField(_("edition imported"), null=True, blank=True)
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
        ordering = ["-created_at"]
        verbose_name = _("edition import")
        verbose_name_plural = _("edition imports")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
