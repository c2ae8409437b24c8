"""Pages that belong to no single domain area: the home page, the region home (composed from
every app's selectors), the health check and the error pages."""

from __future__ import annotations

import json
import logging
import sys

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can, published_regions, visible_regions
from kotacerdas.jobs.selectors import worker_state
from kotacerdas.lib.htmx import render_page
from kotacerdas.regions.selectors import region_home as region_home_data
from kotacerdas.web import mywork
from kotacerdas.web.cockpit import cockpit
from kotacerdas.web.middleware import DATABASE_UNAVAILABLE, database_unavailable

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """The region picker for signed-in users; the list of public regions for everyone else."""
    query = request.GET.get("q", "").strip()
    regions = visible_regions(request.user) if request.user.is_authenticated else published_regions()
    if query:
        regions = regions.filter(name__icontains=query) | regions.filter(code__startswith=query)
    page = Paginator(regions.order_by("name"), 50).get_page(request.GET.get("page"))
    return render_page(request, "web/home.html", "web/_region_list.html", {"page": page, "query": query})


@login_required
def region_home(request: HttpRequest, code: str) -> HttpResponse:
    """The region's home page (``regions:home``): the cockpit of its cycle and what needs attention."""
    region = access.region_for(request.user, code)
    context = {
        "cockpit": cockpit(request.user, region, timezone.localdate()),
        "region": region,
        "can": access.capabilities(request.user, region),
        "Can": Can,
    }
    return render(request, "web/cockpit.html", context)


@login_required
def region_profile(request: HttpRequest, code: str) -> HttpResponse:
    """The region's profile (``regions:profile``): population, territory, agencies and bodies."""
    region = access.region_for(request.user, code)
    context = {
        "home": region_home_data(region),
        "region": region,
        "can": access.capabilities(request.user, region),
        "Can": Can,
        "may_publish": access.may_set_publication(request.user, region),
    }
    return render(request, "regions/profile.html", context)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """ "Pekerjaan saya": what is due, overdue, returned or waiting for the signed-in user."""
    return render(request, "web/my_work.html", {"work": mywork.my_work(request.user, timezone.localdate())})


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers requests. No database: restarting app servers does not
    bring a database back (readiness is ``/readyz``)."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database answers, 503 when it does not; the body also says whether
    a job worker beat within the lease. ``?worker=1`` makes a missing worker a 503 too (for
    monitoring the workers rather than routing requests)."""
    body: dict[str, object] = {"status": "ok", "database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body.update(worker_state())
    except Exception as error:
        logger.warning("readiness: database unreachable: %s", error)
        return JsonResponse({"status": "error", "database": "unreachable", "worker": "unknown"}, status=503)
    if request.GET.get("worker") == "1" and body["worker"] != "ok":
        body["status"] = "error"
        return JsonResponse(body, status=503)
    return JsonResponse(body)


# Error pages -------------------------------------------------------------------------------
# 403 and 404 render inside the site's layout (navigation, language switch) with a way back;
# 400 and 500 use Django's handlers and the static-safe templates (no database, no context
# processors), because what failed may be exactly those.


def _back(request: HttpRequest) -> str:
    """The previous page when it is one of ours, for the "back" link of an error page."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    return referer if referer and safe and referer != request.build_absolute_uri() else ""


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"back": _back(request)}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"back": _back(request)}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage met outside a view (in the session or sign-in middleware)
    is the designed 503 too; anything else is the static-safe 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request, error)
    return HttpResponseServerError(render_to_string("500.html"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale CSRF token (settings.CSRF_FAILURE_VIEW)."""
    logger.warning("CSRF failure: %s", reason)
    return render(request, "403_csrf.html", {"back": _back(request)}, status=403)


# What a browser reports when the Content-Security-Policy refused something (lib/security.py).
# Anyone can post here, so only a bounded body is read and only a few short fields are logged.
CSP_REPORT_MAX_BYTES = 8 * 1024
CSP_REPORT_FIELDS = ("document-uri", "violated-directive", "effective-directive", "blocked-uri", "source-file")


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Logs one CSP violation report (``application/csp-report``) as a warning; answers 204."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not 0 < length <= CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=400)
    try:
        report = json.loads(request.body).get("csp-report")
    except (ValueError, AttributeError, RecursionError):
        report = None
    if not isinstance(report, dict):
        return HttpResponse(status=400)
    fields = {f"csp_{key.replace('-', '_')}": str(report.get(key, ""))[:300] for key in CSP_REPORT_FIELDS}
    logger.warning("Content-Security-Policy violation: %s", fields["csp_violated_directive"], extra=fields)
    return HttpResponse(status=204)
