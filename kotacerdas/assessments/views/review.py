"""The review page: a mentor or ministry assessor accepts or returns each submitted item."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.access import Can
from kotacerdas.assessments import selectors
from kotacerdas.assessments.forms import ReviewForm
from kotacerdas.assessments.models import Answer
from kotacerdas.assessments.services import runs as services
from kotacerdas.assessments.views.common import base_context, run_of
from kotacerdas.lib.forms import submit
from kotacerdas.lib.htmx import is_htmx, render_page


@login_required
def review(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk, Can.REVIEW)
    rows = [
        (row, ReviewForm(prefix=f"r{row.answer.pk}", initial={"version": row.answer.version}))
        for row in selectors.review_rows(run)
        if row.answer
    ]
    return render(request, "assessments/review.html", base_context(request, region, run, rows=rows))


@login_required
@require_POST
def review_item(request: HttpRequest, code: str, pk: int, answer_pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk, Can.REVIEW)
    answer = get_object_or_404(
        Answer.objects.filter(run=run, assessor__is_region=True).select_related("item", "answered_by"), pk=answer_pk
    )
    form = ReviewForm(request.POST, prefix=f"r{answer.pk}")
    accept = request.POST.get("decision") == "accept"

    def save(data: dict[str, Any]) -> Answer:
        return services.review_answer(
            actor=request.user,
            answer=answer,
            accept=accept,
            comment=data.get("review_comment") or "",
            expected_version=data["version"],
        )

    saved = submit(request, form, save)
    if saved is not None and not is_htmx(request):
        messages.success(
            request,
            _("%(item)s accepted.") % {"item": answer.item.code}
            if accept
            else _("%(item)s returned to the region.") % {"item": answer.item.code},
        )
        return redirect("assessments:review", code, pk)
    if saved is not None:
        answer = saved
        form = ReviewForm(prefix=f"r{answer.pk}", initial={"version": answer.version})
    row = selectors.ItemRow(answer.item, answer)
    status = 409 if getattr(form, "conflict", False) else 200
    context = base_context(request, region, run, row=row, form=form)
    return render_page(request, "assessments/review_item.html", "assessments/_review_row.html", context, status=status)
