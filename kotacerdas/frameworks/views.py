"""Reference framework pages. Reading is open to every signed-in user; changing is for the ministry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kotacerdas.frameworks.models import Framework
from kotacerdas.frameworks.selectors import all_versions


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(request, "frameworks/list.html", {"frameworks": all_versions()})


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework.objects.prefetch_related("entries__children"), pk=pk)
    roots = [e for e in framework.entries.all() if e.parent_id is None]
    return render(request, "frameworks/detail.html", {"framework": framework, "roots": roots})
