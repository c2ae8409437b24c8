"""Bahasa Indonesia first: the language is Indonesian unless the user chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so an official with
an English-language browser would land in English. Here only the explicit choice (the language
cookie set by the switch in the header) counts.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
