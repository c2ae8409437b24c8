"""SIPD pages of an edition (issue 16): the code search and the SIPD export (the Satu Data
indicator CSV is monitoring's, beside the metadata it prints).

All are reached through the region the user may view (an outsider gets 404); the files leave
only through these views (convention 19).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from kotacerdas.frameworks import sipd
from kotacerdas.frameworks.models import SipdLevel
from kotacerdas.lib.htmx import render_page
from kotacerdas.lib.spreadsheets import XLSX_CONTENT_TYPE
from kotacerdas.plans import exports, selectors
from kotacerdas.plans.views.common import base_context, edition_of

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


@login_required
def code_search(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Search the SIPD code list of the edition's year. A plain GET form without JavaScript; the
    programme form's code field asks for the ``<option>`` list of its suggestions (htmx)."""
    region, edition = edition_of(request, code, year)
    # The programme form's field sends its own name; the page's form sends q.
    query = request.GET.get("q") or request.GET.get("permendagri_code") or ""
    query = " ".join(query.split())[:100]
    level = request.GET.get("level") or ""
    levels = [level] if level in SipdLevel.values else []
    table = sipd.table_for_year(edition.year)
    found = sipd.search(table, query, levels)
    context = {
        **base_context(request, region, edition),
        "table": table,
        "query": query,
        "level": level if levels else "",
        "levels": SipdLevel.choices,
        "found": found,
    }
    return render_page(request, "plans/sipd_search.html", "plans/_sipd_options.html", context)


def _download(data: str | bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def sipd_export(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown format.")
    table = selectors.sipd_export(edition)
    return _download(exports.written(table, fmt, "SIPD"), fmt, f"sipd-{region.code}-{edition.year}")
