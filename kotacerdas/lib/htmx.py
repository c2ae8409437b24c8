"""One URL, two answers: the full page for a browser, the partial for htmx.

Every page works without JavaScript; htmx only swaps a part of it, asking the same URL with an
``HX-Request`` header. Views ask :func:`is_htmx` (or let :func:`render_page` choose), so that a
boosted link or a history restore, which need the whole page, are never answered with a part.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx asks for a part of the page (not for a boosted page or a history restore)."""
    details = getattr(request, "htmx", None)  # set by django_htmx's middleware
    if details is None:
        headers = request.headers
        return (
            headers.get("HX-Request") == "true"
            and not headers.get("HX-Boosted")
            and not headers.get("HX-History-Restore-Request")
        )
    return bool(details) and not details.boosted and not details.history_restore_request


def render_page(
    request: HttpRequest,
    page: str,
    partial: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render ``partial`` for htmx and ``page`` otherwise, marked as varying on ``HX-Request``
    so that a cache never hands the part to a browser asking for the page (or the reverse)."""
    response = render(request, partial if is_htmx(request) else page, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
