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

:func:`visitor_page` keeps a page that a signed-out visitor sees the same whatever the data (the
sign-in form): per address and language, with the CSRF token left out and a freshly masked token
of the visitor's own secret written in on every answer (decision 0018).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation

from kotacerdas.accounts import access
from kotacerdas.audit import revisions
from kotacerdas.notifications.selectors import unread_count

View = Callable[..., HttpResponse]

# Headers a kept page is answered with again; cookies never are (they belong to the first answer).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Expires", "Vary", "X-Robots-Tag")

# Where a visitor's page carries its CSRF token while kept: random per process, so that nothing a
# visitor sends (an address reflected in the page) can be mistaken for it.
_TOKEN_MARK = "kept-csrf-" + secrets.token_hex(16)
_LONGEST_KEPT_ADDRESS = 300  # longer addresses (made-up queries) are built, not kept


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


def visitor_page(view: View) -> View:
    """Decorate the view of a page that shows a signed-out visitor nothing but the address and the
    language (the sign-in form) to keep its answer per address and language.

    Served kept only for a plain GET by a visitor who is not signed in, with no flash message
    waiting and not for htmx; the page's forms get a newly masked token of the visitor's CSRF
    secret on every answer, as when it is built (the middleware sets the cookie when it is new).
    The view must answer with a template response; only complete 200 HTML answers are kept."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = request.get_full_path()
        if not (
            settings.PAGE_CACHE
            and request.method == "GET"
            and not request.user.is_authenticated
            and "HX-Request" not in request.headers
            and len(address) <= _LONGEST_KEPT_ADDRESS
            and len(get_messages(request)) == 0
        ):
            return view(request, *args, **kwargs)
        key = "visitor:" + hashlib.sha256(f"{translation.get_language()}\x1f{address}".encode()).hexdigest()
        store = caches["pages"]
        kept = store.get(key)
        if kept is not None:
            content, headers = kept
            return HttpResponse(content.replace(_TOKEN_MARK.encode(), get_token(request).encode()), headers=headers)
        response = view(request, *args, **kwargs)
        if not isinstance(response, SimpleTemplateResponse) or response.is_rendered:
            return response
        response.context_data = {**(response.context_data or {}), "csrf_token": _TOKEN_MARK}
        response.render()
        if _keepable(response) and len(get_messages(request)) == 0:
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            store.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
        response.content = response.content.replace(_TOKEN_MARK.encode(), get_token(request).encode())
        return response

    return wrapper
