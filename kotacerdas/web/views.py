"""Pages that belong to no single domain area: the home page, the region home (composed from
every app's selectors), the health check and the error pages."""

from __future__ import annotations

import json
import logging
import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can, published_regions, visible_regions
from kotacerdas.jobs.selectors import worker_state
from kotacerdas.lib import spreadsheets
from kotacerdas.lib.htmx import render_page
from kotacerdas.lib.pagecache import region_page
from kotacerdas.regions.selectors import region_home as region_home_data
from kotacerdas.web import mywork, national
from kotacerdas.web import national_figures as figures
from kotacerdas.web.cockpit import cockpit
from kotacerdas.web.forms import NationalFilters, ObstacleCell
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
@region_page
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


# The ministry's national view ------------------------------------------------------------------


def _national_form(request: HttpRequest) -> tuple[NationalFilters, national.Reference]:
    if not access.may_see_national_view(request.user):
        raise PermissionDenied
    ref = national.reference()
    return NationalFilters(request.GET or None, ref=ref), ref


def _national_data(form: NationalFilters, ref: national.Reference) -> national.National:
    if form.is_bound:
        form.is_valid()  # the fields that are valid still apply when another is not
    data = getattr(form, "cleaned_data", {})
    sort = data.get("sort") or "code"
    return national.national(
        timezone.localdate(),
        form.filters(),
        ref,
        sort=sort,
        descending=data.get("order") == "desc",
        measure=data.get("measure") or "regions",
    )


@login_required
def national_view(request: HttpRequest) -> HttpResponse:
    """Every region of every cohort in one filterable, sortable table, with the figures that
    compare them (ministry staff only). The GET form works without JavaScript; htmx swaps the
    table and figures from the same URL."""
    form, ref = _national_form(request)
    data = _national_data(form, ref)
    kept = _valid_query(request, form)
    query = kept.copy()
    query.pop("sort", None)
    query.pop("order", None)
    names = figures.province_names()
    drill = reverse("web:national_obstacles")
    tiles = [
        figures.Tile(
            code,
            name,
            value,
            national.shown(value, "index") if value is not None else "—",
            "?" + _with(kept, province=code),
        )
        for code, name, value in data.tiles
    ]
    context = {
        "form": form,
        "data": data,
        "columns": national.COLUMNS,
        "table_rows": _table_rows(data.rows),
        "heat_rows": [
            (
                code,
                name,
                [
                    (
                        label,
                        n,
                        step,
                        f"{drill}?{_with(kept, category=c, province=code)}",
                    )
                    for (c, label), (_c, n, step) in zip(data.heat.categories, data.heat.cells(code), strict=True)
                ],
            )
            for code, name in data.heat.provinces
        ],
        "benchmark_rows": [(b.size_label, _benchmark_cells(b)) for b in data.benchmarks],
        "improvement_median": national.shown(data.improvement["median"], "improvement"),
        "base_query": query.urlencode(),
        "export_query": kept.urlencode(),
        "measure_title": national.MEASURES[data.measure],
        "tile_svg": figures.tile_map_svg(
            tiles,
            title=str(national.MEASURES[data.measure]),
            description=_tiles_description(tiles),
        ),
        "tiles": tiles,
        "funnel_stages": [label for _c, label in figures.STAGES[1:]],
        "predicate_svg": figures.bars_svg(
            [(name, n) for _c, name, n in data.predicates],
            ident="national-predicates",
            title=str(_("Regions per evaluation predicate")),
            description="; ".join(f"{name}: {n}" for _c, name, n in data.predicates),
        )
        if data.has_evaluations and data.predicates
        else "",
        "province_names": names,
    }
    return render_page(request, "web/national.html", "web/_national_results.html", context)


def _table_rows(rows: list[national.Row]) -> str:
    """The national table's body, written here rather than by the template engine: 514 rows of
    15 cells cost about 200 ms as template nodes and a few milliseconds as escaped strings."""
    sample = format_html(' <span class="tag sample">{}</span>', _("sample"))
    lines = []
    for row in rows:
        cells = []
        for column in national.COLUMNS:
            text = national.shown(column.value(row), column.key)
            if column.key == "region":
                link = reverse("regions:home", args=[row.code])
                cells.append(format_html('<td><a href="{}">{}</a>{}</td>', link, text, sample if row.is_sample else ""))
            else:
                cells.append(format_html('<td class="num">{}</td>' if column.numeric else "<td>{}</td>", text))
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 - every cell went through format_html


def _benchmark_cells(benchmark: national.Benchmark) -> list[str]:
    cells = [str(benchmark.regions)]
    for key, spread in (("index", benchmark.index), ("realised", benchmark.realised)):
        cells.append(str(spread.n))
        cells += [national.shown(v, key) for v in (spread.q1, spread.median, spread.q3)]
    return cells


def _valid_query(request: HttpRequest, form: NationalFilters) -> QueryDict:
    """The address's filters without the ones in error, for the links the page builds (sorting,
    export, tiles): a wrong value is named once, not carried into every link."""
    query = request.GET.copy()
    for name in form.errors:
        query.pop(name, None)
    return query


def _with(kept: QueryDict, **values: str) -> str:
    query = kept.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


def _tiles_description(tiles: list[figures.Tile]) -> str:
    return "; ".join(f"{t.name}: {t.shown}" for t in tiles if t.value is not None) or str(_("No data."))


@login_required
def national_export(request: HttpRequest) -> HttpResponse:
    """The national table as XLSX: the page's columns and filters, text kept as text."""
    form, ref = _national_form(request)
    data = _national_data(form, ref)
    book = spreadsheets.new_workbook("nasional")
    sheet = spreadsheets.first_sheet(book)
    for row in national.export_rows(data.rows):
        spreadsheets.append_row(sheet, row)
    response = HttpResponse(spreadsheets.workbook_bytes(book), content_type=spreadsheets.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="nasional-{data.today.isoformat()}.xlsx"'
    return response


@login_required
def national_obstacles(request: HttpRequest) -> HttpResponse:
    """The drill-down of one heat-map cell: the unresolved obstacles of one category in one
    province, among the regions the national filters keep."""
    form, ref = _national_form(request)
    cell = ObstacleCell(request.GET)
    if not cell.is_valid():
        raise Http404("No such cell.")
    category, province = cell.cleaned_data["category"], cell.cleaned_data["province"]
    found = national.obstacles(timezone.localdate(), form.filters(), ref, category, province)
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "category": dict(cell.fields["category"].choices)[category],  # type: ignore[attr-defined]
        "province": figures.province_names()[province],
        "back_query": _without(request, "category", "page"),
        "page_query": query.urlencode(),
    }
    return render(request, "web/national_obstacles.html", context)


def _without(request: HttpRequest, *keys: str) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


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
