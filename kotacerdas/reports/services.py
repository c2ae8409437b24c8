"""Writes of the documents capability: requesting a generation and running it.

``request_document`` validates, records the job with an audit entry and queues it; the worker
calls ``run_job``, which stores the file through Django's storage API under a new name (the
storage never overwrites), so the last good file of a document stays in place when a later
generation fails, and the failure is recorded on the job.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit import revisions
from kotacerdas.audit.services import record, snapshot
from kotacerdas.notifications import events
from kotacerdas.plans.models import Edition
from kotacerdas.quickwins.models import SelectionRound
from kotacerdas.regions.models import Region
from kotacerdas.reports import selectors
from kotacerdas.reports.generate import DOCUMENT_LANGUAGE, generate
from kotacerdas.reports.models import DocumentFormat, DocumentJob, DocumentKind, JobStatus, document_path

AUDITED = ("kind", "fmt", "edition", "options", "status")


def _validate(region: Region, edition: Edition | None, kind: str, fmt: str, options: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors.setdefault("kind", []).append(_("Choose a document."))
    if fmt not in DocumentFormat.values:
        errors.setdefault("fmt", []).append(_("Choose PDF or DOCX."))
    if edition is not None and edition.region_id != region.pk:
        errors.setdefault("edition", []).append(_("Choose an edition of this region."))
    if kind in (DocumentKind.BUKU1, DocumentKind.BUKU2, DocumentKind.CHANGELOG) and edition is None:
        errors.setdefault("edition", []).append(_("Choose an edition."))
    if kind == DocumentKind.CHANGELOG and edition is not None:
        compare = options.get("compare")
        if compare is None and edition.previous_id is None:
            errors.setdefault("compare", []).append(
                _("This edition reviews no earlier edition: choose one to compare with.")
            )
        if compare is not None and not Edition.objects.filter(region=region, year=compare).exists():
            errors.setdefault("compare", []).append(_("The region has no edition %(year)s.") % {"year": compare})
    if kind == DocumentKind.QUICKWINS:
        year = options.get("round")
        rounds = SelectionRound.objects.filter(region=region)
        if not (rounds.filter(year=year) if year is not None else rounds).exists():
            errors.setdefault("round", []).append(_("The region has no quick-win selection round to report on."))
    if kind == DocumentKind.ASSESSMENT:
        if edition is not None:
            errors.setdefault("edition", []).append(_("An assessment report belongs to no edition: leave it empty."))
        try:
            selectors.assessment_run(region, options.get("run"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if kind == DocumentKind.EVALUATION:
        from kotacerdas.evaluation.selectors import released_for_letter

        if edition is not None:
            errors.setdefault("edition", []).append(_("An evaluation letter belongs to no edition: leave it empty."))
        try:
            released_for_letter(region, options.get("year"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def request_document(
    *,
    actor: Any,
    region: Region,
    edition: Edition | None,
    kind: str,
    fmt: str,
    options: dict[str, Any] | None = None,
    background: bool = True,
) -> DocumentJob:
    """Record a generation request (audited) and queue it for the worker.

    ``background=False`` only records the job, for a caller that runs it at once (tests, the demo).
    Generating writes a job and a file in the region, so it takes what the documents page asks of
    its generate button: the capability to edit the region's plan, for every kind of document.
    """
    from kotacerdas.reports.tasks import generate_document_job

    access.check(actor, access.may, region, access.Can.EDIT)

    options = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    _validate(region, edition, kind, fmt, options)
    job = DocumentJob.objects.create(
        region=region,
        edition=edition,
        kind=kind,
        fmt=fmt,
        options=options,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor=actor, action="create", obj=job, region=region, after=snapshot(job, fields=AUDITED))
    if background:
        result = generate_document_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


def job_lost(job_id: int, *, retried: bool) -> None:
    """The worker making this document stopped (killed, the machine gone): the reaper queued the
    job again (``retried``) or gave it up. Says so on the job's page; older files stay in place."""
    job = DocumentJob.objects.select_related("region").filter(pk=job_id).first()
    if job is None or job.status == JobStatus.DONE:
        return
    before = snapshot(job, fields=(*AUDITED, "progress", "interruptions"))
    job.interruptions += 1
    if retried:
        job.status, job.progress, job.step = JobStatus.QUEUED, 0, ""
    else:
        with translation.override(DOCUMENT_LANGUAGE):  # stored like the generation's own errors
            job.error = _(
                "the worker stopped while making this document, also after it was started again. "
                "Generate it again; if it keeps stopping, tell the administrator."
            )
        job.status, job.finished_at = JobStatus.FAILED, timezone.now()
    job.save(update_fields=["status", "progress", "step", "error", "finished_at", "interruptions"])
    after = snapshot(job, fields=(*AUDITED, "progress", "interruptions"))
    record(actor=None, action="update", obj=job, region=job.region, before=before, after=after)


def run_job(job_id: int) -> DocumentJob:
    """The job's work: generate, store the file, record the outcome (a failure keeps older files)."""
    job = DocumentJob.objects.select_related("region", "edition").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    started = timezone.now()
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=5, error="")
    revisions.bump([job.region_id])  # progress is shown but not audited: pages kept must move on

    def progress(percent: int, step: str) -> None:
        DocumentJob.objects.filter(pk=job.pk).update(progress=percent, step=step[:120])
        revisions.bump([job.region_id])

    try:
        generated = generate(job.kind, job.fmt, job.region, job.edition, dict(job.options), progress)
        name = job.file.storage.save(document_path(job, generated.filename), ContentFile(generated.content))
    except Exception as error:  # the job records any failure for the page instead of dying silently
        message = (
            "; ".join(error.messages) if isinstance(error, ValidationError) else f"{type(error).__name__}: {error}"
        )
        with transaction.atomic():
            DocumentJob.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, error=message[:2000], finished_at=timezone.now()
            )
            job.refresh_from_db()
            record(
                actor=None,
                action="update",
                obj=job,
                region=job.region,
                after={"status": job.status, "error": job.error},
            )
        raise
    with transaction.atomic():
        DocumentJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            progress=100,
            step="",
            file=name,
            size=len(generated.content),
            pages=generated.pages,
            missing=generated.missing,
            seconds=round(generated.seconds, 3),
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        record(
            actor=None,
            action="update",
            obj=job,
            region=job.region,
            after={"status": job.status, "file": job.file.name, "size": job.size, "since": started.isoformat()},
        )
        events.document_ready(job=job)
    return job
