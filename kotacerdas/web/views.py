"""Pages that belong to no domain area: the home page and the health check."""

from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kotacerdas.accounts.access import published_regions, visible_regions

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """The region picker for signed-in users; the list of public regions for everyone else."""
    query = request.GET.get("q", "").strip()
    regions = visible_regions(request.user) if request.user.is_authenticated else published_regions()
    if query:
        regions = regions.filter(name__icontains=query) | regions.filter(code__startswith=query)
    page = Paginator(regions.order_by("name"), 50).get_page(request.GET.get("page"))
    template = "web/_region_list.html" if getattr(request, "htmx", False) else "web/home.html"
    return render(request, template, {"page": page, "query": query})


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
