"""A region's heavy pages, kept whole per reader while nothing they show has changed.

Decision 0015. A page such as the plan outline costs 30–80 ms to build, almost all of it template
rendering spread over thousands of small nodes; the reader asks for it again far more often than
the data under it changes. :func:`region_page` keeps the finished response under a key made of

- the region's and the shared data's revisions (audit/revisions.py: raised in the transaction of
  every audit entry, so a committed change always moves them, and they are read before the page
  reads any data);
- the reader: their account, their CSRF secret (the page's forms carry tokens made from it) and
  their unread notification count (the header shows it);
- the address with its query, the language, the time zone and today's date (pages count the days
  to a deadline).

A page is served from the cache only for a plain GET by a signed-in reader who may see the region
(the access check runs first: an outsider still gets a 404), with no flash message waiting and
not for htmx (which asks for parts). Only complete 200 HTML answers are kept, without their
cookies. The cache is per process (``CACHES["pages"]``, a bounded in-memory store): several app
servers each keep their own, and since the key moves with the data none can serve an old page.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from kotacerdas.accounts import access
from kotacerdas.audit import revisions
from kotacerdas.notifications.selectors import unread_count

View = Callable[..., HttpResponse]

# Headers a kept page is answered with again; cookies never are (they belong to the first answer).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Vary", "X-Robots-Tag")


def _may_use_cache(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method == "GET"
        and request.user.is_authenticated
        and "HX-Request" not in request.headers
        and bool(request.COOKIES.get(settings.CSRF_COOKIE_NAME))
        and len(get_messages(request)) == 0  # reads the waiting messages without using them up
    )


def _key(request: HttpRequest, region_id: int) -> str:
    region_revision, shared_revision = revisions.current(region_id)
    unread = unread_count(request.user)
    request.unread_notifications = unread  # type: ignore[attr-defined]  # the header reuses it
    parts = [
        request.get_full_path(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        str(request.user.pk),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        str(unread),
        str(region_id),
        str(region_revision),
        str(shared_revision),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def region_page(view: View) -> View:
    """Decorate a view ``view(request, code, ...)`` of one region's page to keep its answer."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_use_cache(request):
            return view(request, code, *args, **kwargs)
        region = access.region_for(request.user, code)  # outsiders stop here with a 404
        key = _key(request, region.pk)
        store = caches["pages"]
        kept = store.get(key)
        if kept is not None:
            content, headers = kept
            return HttpResponse(content, headers=headers)
        response = view(request, code, *args, **kwargs)
        if _keepable(response) and len(get_messages(request)) == 0:
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            store.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
