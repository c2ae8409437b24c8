"""The programme-wide audit trail, for ministry staff (regions show their own on the region page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kotacerdas.accounts import access
from kotacerdas.audit.selectors import all_entries


@login_required
def audit_all(request: HttpRequest) -> HttpResponse:
    access.require_ministry(request.user)
    page = Paginator(all_entries(), 50).get_page(request.GET.get("page"))
    return render(request, "audit/all.html", {"page": page})
