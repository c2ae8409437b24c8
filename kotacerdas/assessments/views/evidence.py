"""Downloading an answer's evidence file: through the region and the run, never from /media/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from kotacerdas.assessments.models import Answer
from kotacerdas.assessments.views.common import run_of
from kotacerdas.lib import files


@login_required
def evidence(request: HttpRequest, code: str, pk: int, answer_pk: int) -> HttpResponseBase:
    """The evidence file of an answer of the run, for whoever may see the run (404 otherwise)."""
    region, run = run_of(request, code, pk)
    answer = get_object_or_404(Answer.objects.filter(region=region, run=run), pk=answer_pk)
    if not answer.evidence_file:
        raise Http404("No file.")
    return files.file_response(answer.evidence_file, answer.evidence_filename)
