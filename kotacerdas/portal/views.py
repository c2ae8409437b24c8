"""The public portal: pages for citizens, without sign-in, and the region admin's switches.

Every public view answers the same to every reader (signed in or not), so it can be cached:
the region's :class:`~kotacerdas.portal.selectors.Stamp` gives the ETag and Last-Modified, a
conditional GET that matches answers 304 without building the page, a page already built for
that stamp comes from the cache, and the response says ``Cache-Control: public``. The pages use
their own layout (``portal/base.html``): no form, no CSRF token, no message, so no cookie is set
for an anonymous reader. The language is in the address (``?lang=en``), never in a cookie.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.lib import files
from kotacerdas.lib.forms import submit
from kotacerdas.portal import charts, opendata, selectors, services
from kotacerdas.portal.forms import PublicationForm
from kotacerdas.portal.models import Part, Publication
from kotacerdas.portal.templatetags.portal_tags import number

LANGUAGES = ("id", "en")
MAX_AGE = 300  # seconds a browser or proxy may reuse a page before asking again (then a 304)
CACHE_SECONDS = 24 * 3600  # a built page is keyed by its stamp, so it is never stale, only unused


def public_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A portal view: GET and HEAD only; its 404 in the portal's own layout, whose page sets no
    cookie (the site's 404 page carries the language form and with it a CSRF cookie)."""

    @require_safe
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            context = {"lang": _lang(request), "path": request.path}
            with translation.override(context["lang"]):
                return render(request, "portal/404.html", context, status=404)

    return wrapped


def _lang(request: HttpRequest) -> str:
    chosen = request.GET.get("lang", "")
    return chosen if chosen in LANGUAGES else "id"


def _finish(response: HttpResponseBase, etag: str, stamp: selectors.Stamp, lang: str) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp.changed.timestamp())
    response["Content-Language"] = lang
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _public(
    request: HttpRequest,
    stamp: selectors.Stamp,
    build: Callable[[], HttpResponse],
    *,
    lang: str,
    store: bool = True,
) -> HttpResponseBase:
    """Answer 304 to a matching conditional GET, else the page built once per stamp (kept in the
    cache unless ``store`` is false: a search, whose addresses are endless, is built each time).

    The host is part of the tag: the metadata files name their own absolute addresses."""
    etag = stamp.etag(lang, request.get_host(), request.get_full_path())
    early = get_conditional_response(request, etag=etag, last_modified=int(stamp.changed.timestamp()))
    if early is not None:
        return _finish(early, etag, stamp, lang)
    key = "portal:" + hashlib.sha256(etag.encode()).hexdigest()
    stored = cache.get(key) if store else None
    if stored is None:
        with translation.override(lang):
            response = build()
        if store and response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
    else:
        response = HttpResponse(stored[0], content_type=stored[1])
    return _finish(response, etag, stamp, lang)


def _links(code: str, lang: str) -> dict[str, str]:
    query = "?lang=en" if lang == "en" else ""
    names = ("region", "plan", "quick_wins", "indicators", "books", "evaluation", "catalogue")
    return {name: reverse(f"portal:{name}", args=[code]) + query for name in names}


def _context(request: HttpRequest, public: selectors.PublicRegion, lang: str, **extra: Any) -> dict[str, Any]:
    has_plan = public.edition_id is not None
    tables = [
        {
            "table": t,
            "csv": reverse("portal:table", args=[public.region.code, t.slug, "csv"]),
            "json": reverse("portal:table", args=[public.region.code, t.slug, "json"]),
            "metadata": reverse("portal:metadata", args=[public.region.code, t.slug]),
        }
        for t in opendata.tables_for(public.published, has_plan)
    ]
    return {
        "region": public.region,
        "public": public,
        "shows": {part: public.shows(part) and (has_plan or part == Part.EVALUATION) for part in Part.values},
        "links": _links(public.region.code, lang),
        "lang": lang,
        "path": request.path,
        "tables": tables,
        **extra,
    }


@public_view
def index(request: HttpRequest) -> HttpResponseBase:
    lang = _lang(request)
    query = request.GET.get("q", "")[: selectors.SEARCH_MAX]

    def build() -> HttpResponse:
        rows = selectors.index(query)
        return render(request, "portal/index.html", {"rows": rows, "query": query, "lang": lang, "path": request.path})

    return _public(request, selectors.index_stamp(), build, lang=lang, store=not query)


@public_view
def region(request: HttpRequest, code: str) -> HttpResponseBase:
    public = selectors.public_region(code)
    lang = _lang(request)

    def build() -> HttpResponse:
        edition = selectors.adopted_edition(public) if public.shows(Part.PLAN) and public.edition_id else None
        context = _context(
            request,
            public,
            lang,
            edition=edition,
            counts=selectors.part_counts(public),
            population=selectors.latest_population(public.region),
        )
        return render(request, "portal/region.html", context)

    return _public(request, public.stamp, build, lang=lang)


def _part_page(
    request: HttpRequest, code: str, part: str, template: str, data: Callable[..., dict[str, Any]]
) -> HttpResponseBase:
    public = selectors.public_region(code)
    selectors.require_part(public, part)
    lang = _lang(request)

    def build() -> HttpResponse:
        edition = selectors.adopted_edition(public) if part != Part.EVALUATION else None
        return render(request, template, _context(request, public, lang, edition=edition, **data(public, edition)))

    return _public(request, public.stamp, build, lang=lang)


@public_view
def plan(request: HttpRequest, code: str) -> HttpResponseBase:
    return _part_page(request, code, Part.PLAN, "portal/plan.html", lambda p, e: {"plan": selectors.plan(e)})


@public_view
def quick_wins(request: HttpRequest, code: str) -> HttpResponseBase:
    return _part_page(
        request, code, Part.QUICK_WINS, "portal/quick_wins.html", lambda p, e: {"years": selectors.quick_wins(e)}
    )


def _charts(views: list[selectors.IndicatorView]) -> list[dict[str, Any]]:
    out = []
    for n, view in enumerate(views, start=1):
        ind = view.indicator
        title = _("%(indicator)s (%(unit)s): target and actual by year") % {"indicator": ind.name, "unit": ind.unit}
        with_target = [v for v in view.years if v.target is not None]
        with_actual = [v for v in view.years if v.actual is not None]
        description = _(
            "%(targets)s years with a target and %(actuals)s years with a measured value; "
            "the table below gives every value."
        ) % {"targets": len(with_target), "actuals": len(with_actual)}
        svg = charts.indicator_svg(
            [charts.Bar(str(v.year), v.target, v.upper, v.actual) for v in view.years],
            ident=f"indicator-{n}",
            title=title,
            description=description,
            legend=(_("actual"), _("target")),
            fmt=number,
        )
        out.append({"view": view, "svg": svg, "ident": f"indicator-{n}"})
    return out


@public_view
def indicators(request: HttpRequest, code: str) -> HttpResponseBase:
    return _part_page(
        request,
        code,
        Part.INDICATORS,
        "portal/indicators.html",
        lambda p, e: {"charts": _charts(selectors.indicators(e))},
    )


@public_view
def books(request: HttpRequest, code: str) -> HttpResponseBase:
    return _part_page(request, code, Part.BOOKS, "portal/books.html", lambda p, e: {"books": selectors.books(e)})


@public_view
def book_download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """An adopted book's PDF: to anyone when the region publishes its books, else 404."""
    public = selectors.public_region(code)
    selectors.require_part(public, Part.BOOKS)
    job = selectors.book(selectors.adopted_edition(public), pk)
    response = files.file_response(job.file, files.download_name(job.file))
    del response["Cache-Control"]  # a published book is public: not the workbench's "private, no-store"
    response["Last-Modified"] = http_date(
        job.finished_at.timestamp() if job.finished_at else public.stamp.changed.timestamp()
    )
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@public_view
def evaluation(request: HttpRequest, code: str) -> HttpResponseBase:
    return _part_page(
        request,
        code,
        Part.EVALUATION,
        "portal/evaluation.html",
        lambda p, e: {"evaluations": selectors.evaluations(p.region)},
    )


# Open data ---------------------------------------------------------------------------------


def _table(public: selectors.PublicRegion, slug: str) -> opendata.Table:
    table = opendata.TABLES.get(slug)
    if table is None:
        raise Http404("No such table.")
    selectors.require_part(public, table.part)
    if table.needs_plan and public.edition_id is None:
        raise Http404("No adopted master plan.")
    return table


def _absolute(request: HttpRequest, code: str, slug: str) -> dict[str, str]:
    return {fmt: request.build_absolute_uri(reverse("portal:table", args=[code, slug, fmt])) for fmt in ("csv", "json")}


@public_view
def table_file(request: HttpRequest, code: str, table: str, fmt: str) -> HttpResponseBase:
    public = selectors.public_region(code)
    found = _table(public, table)
    if fmt not in ("csv", "json"):
        raise Http404("No such format.")
    lang = _lang(request)

    def build() -> HttpResponse:
        edition = selectors.adopted_edition(public) if found.needs_plan else None
        rows = found.rows(public.region, edition)
        if fmt == "csv":
            response = HttpResponse(opendata.as_csv(found, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(opendata.as_json(found, rows), content_type="application/json")
        name = f"{public.region.code}-{found.slug}.{fmt}"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return _public(request, public.stamp, build, lang=lang)


@public_view
def table_metadata(request: HttpRequest, code: str, table: str) -> HttpResponseBase:
    public = selectors.public_region(code)
    found = _table(public, table)
    lang = _lang(request)

    def build() -> HttpResponse:
        edition = selectors.adopted_edition(public) if public.edition_id else None
        meta = opendata.metadata(
            found, public.region, edition, public.stamp.changed, _absolute(request, code, found.slug), lang
        )
        return HttpResponse(json.dumps(meta, ensure_ascii=False, indent=1), content_type="application/json")

    return _public(request, public.stamp, build, lang=lang)


@public_view
def catalogue(request: HttpRequest, code: str) -> HttpResponseBase:
    """The region's published tables as one DCAT-style catalogue (``dataset`` = each table's metadata)."""
    public = selectors.public_region(code)
    lang = _lang(request)

    def build() -> HttpResponse:
        edition = selectors.adopted_edition(public) if public.edition_id else None
        datasets = [
            opendata.metadata(t, public.region, edition, public.stamp.changed, _absolute(request, code, t.slug), lang)
            for t in opendata.tables_for(public.published, public.edition_id is not None)
        ]
        body = {
            "@type": "dcat:Catalog",
            "title": _("Open data of %(region)s's smart city master plan") % {"region": public.region.label},
            "homepage": request.build_absolute_uri(reverse("portal:region", args=[code])),
            "dataset": datasets,
        }
        return HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json")

    return _public(request, public.stamp, build, lang=lang)


# The region admin's switches ---------------------------------------------------------------


@login_required
def settings_page(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.VIEW)
    if not access.may_set_publication(request.user, region):
        raise PermissionDenied
    publication = Publication.objects.filter(region=region).first()
    form = PublicationForm(request.POST or None, publication=publication)
    saved = submit(
        request,
        form,
        lambda data: services.set_publication(
            actor=request.user,
            region=region,
            parts={part: bool(data.get(part)) for part in Part.values},
            expected_version=data["version"],
        ),
    )
    if saved:
        messages.success(request, _("Publication settings saved."))
        return redirect("portal:settings", region.code)
    status = 409 if getattr(form, "conflict", False) else 200
    context = {"region": region, "form": form, "publication": publication, "title": _("Public portal page")}
    return render(request, "portal/settings.html", context, status=status)
