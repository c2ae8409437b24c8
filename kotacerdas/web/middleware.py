"""Bahasa Indonesia first (the language is Indonesian unless the user chose English), and a
database outage answered with 503 and a designed page.

The language:

Django's LocaleMiddleware would follow the browser's Accept-Language header, so an official with
an English-language browser would land in English. Here only the explicit choice (the language
cookie set by the switch in the header) counts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseUnavailableMiddleware:
    """A database outage (a PostgreSQL restart, a SQLite lock held too long) answers 503 with
    Retry-After and the designed page, not 500: the request may simply be sent again.

    ``process_exception`` covers the views; an outage met by another middleware (the session,
    the signed-in user) reaches ``kotacerdas.web.views.server_error`` (handler500), which
    answers the same way. The page renders with no database and no context processors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    logger.warning("database unavailable, answered 503: %s %s: %s", request.method, request.path, exception)
    html = render_to_string(
        "503.html", {"retry_after": RETRY_AFTER_SECONDS, "refresh": request.method in ("GET", "HEAD")}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
