"""Edition files imported in the background (issue 14 §1): the web import of a large file.

``request_import`` keeps the upload and queues it; ``run_import`` is the worker's part: read,
check and import with the same functions as the immediate import (files.read_document,
importer.import_document), writing progress as it goes and, when the file is refused, its
problems located in the file and capped at ``IMPORT_MAX_PROBLEMS`` with their count.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit import revisions
from kotacerdas.audit.services import record
from kotacerdas.lib.uploads import capped, more_problems
from kotacerdas.plans.models import EditionImport, ImportStatus
from kotacerdas.regions.models import Region


@transaction.atomic
def request_import(*, actor: Any, region: Region, data: bytes, name: str, replace: bool = False) -> EditionImport:
    """Keep the file and queue its import (audited); the same capability as importing at once."""
    from kotacerdas.plans.tasks import import_edition_job

    access.check(actor, access.may, region, access.Can.EDIT)
    job = EditionImport.objects.create(
        region=region,
        name=name[:255],
        data=data,
        replace=replace,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        actor=actor,
        action="create",
        obj=job,
        region=region,
        after={"name": job.name, "size": len(data), "replace": replace},
    )
    result = import_edition_job.enqueue(job.pk)
    EditionImport.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job


def _progress(job: EditionImport, percent: int, step: str) -> None:
    EditionImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, progress=percent, step=step[:120])
    revisions.bump([job.region_id])  # progress is shown but not audited: pages kept must move on


def _finish(job: EditionImport, **fields: Any) -> EditionImport:
    EditionImport.objects.filter(pk=job.pk).update(progress=100, step="", finished_at=timezone.now(), **fields)
    job.refresh_from_db()
    record(
        actor=None,
        action="update",
        obj=job,
        region=job.region,
        after={"status": job.status, "year": job.year, "problems": job.problem_count},
    )
    return job


def run_import(job_id: int) -> EditionImport:
    """The worker's part: read, check and import the kept file; the outcome is on the job."""
    from kotacerdas.plans.interchange.files import read_document
    from kotacerdas.plans.interchange.importer import ImportFailed, import_document

    job = EditionImport.objects.select_related("region", "actor").get(pk=job_id)
    if not job.is_active:
        return job
    _progress(job, 10, _("Reading the file"))
    try:
        read = read_document(bytes(job.data), job.name)
        problems = [(where, message) for where, message in read.problems]
        edition = None
        if not problems:
            _progress(job, 40, _("Checking and importing"))
            try:
                edition = import_document(actor=job.actor, region=job.region, doc=read.doc, replace=job.replace)
            except ImportFailed as failed:
                problems = [(read.locate(p.path), p.message) for p in failed.problems]
    except Exception:  # the page must not say "running" for ever; the worker's log has the traceback
        _finish(job, status=ImportStatus.FAILED, problems=[["", _("The import stopped unexpectedly.")]], data=b"")
        raise
    if problems:
        shown = capped([[where, message] for where, message in problems], lambda n: ["", more_problems(n)])
        return _finish(job, status=ImportStatus.FAILED, problems=shown, problem_count=len(problems), data=b"")
    assert edition is not None
    return _finish(job, status=ImportStatus.DONE, year=edition.year, data=b"")
