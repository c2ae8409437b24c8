"""Security headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

Django's SecurityMiddleware already sends HSTS, ``X-Content-Type-Options``, ``Referrer-Policy``
and ``Cross-Origin-Opener-Policy`` (settings ``SECURE_*``); this middleware adds the other two.
Django 6.0 brings its own CSP middleware; until the project moves to it (it needs Python 3.12),
this is the whole of it. Why the policy is what it is: docs/decisions/0010-content-security-policy.md.

The policy allows only the site's own files: no inline ``<script>``, no ``on…=`` handler, no
``javascript:`` URL, no ``<style>`` block and no ``style=""`` attribute. htmx is told the same
through its ``htmx-config`` meta tag (web/base.html); the chapter editor (TinyMCE) takes its
content style sheet as a file. The one exception, ``style-src-attr 'unsafe-inline'`` on the
chapter editor's page only, is asked for by that view with
:func:`allow_inline_style_attributes`. ``tests/guards/test_browser_csp.py`` walks the pages in
chromium and fails on any refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Each directive and its sources. 'self' means the site's own origin (and its static files).
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    # The QR code and the charts are inline <svg> in the page, not images; data: is for the
    # small images a browser or a style sheet writes as data URIs (TinyMCE's skin does).
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}
# Where browsers send what the policy refused (kotacerdas.web.views.csp_report, which logs it).
REPORT_PATH = "/csp-report"

# Powerful browser features the site never uses, denied to the page and anything it embeds.
# Only names Chromium knows: an unknown one is a console error on every page.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


def content_security_policy(*, style_attributes: bool = False) -> str:
    """The policy as a header value; ``style_attributes`` adds ``style-src-attr 'unsafe-inline'``."""
    parts = [f"{name} {' '.join(sources)}" for name, sources in POLICY.items()]
    if style_attributes:
        parts.append("style-src-attr 'unsafe-inline'")
    parts.append(f"report-uri {REPORT_PATH}")
    return "; ".join(parts)


CONTENT_SECURITY_POLICY = content_security_policy()
WITH_STYLE_ATTRIBUTES = content_security_policy(style_attributes=True)
_STYLE_ATTRIBUTES = "kotacerdas_csp_style_attributes"


def allow_inline_style_attributes(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the one page whose vendored script writes ``style=""`` attributes through HTML strings
    (TinyMCE: a caret marker it measures, and Word's pasted markup while it is cleaned): its
    response allows inline style attributes. Scripts and ``<style>`` elements stay as strict as
    everywhere else (docs/decisions/0010-content-security-policy.md)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        setattr(response, _STYLE_ATTRIBUTES, True)
        return response

    return wrapped


def header_name() -> str:
    """``Content-Security-Policy``, or its report-only twin while a deployment tries the policy out."""
    if getattr(settings, "CSP_REPORT_ONLY", False):
        return "Content-Security-Policy-Report-Only"
    return "Content-Security-Policy"


class SecurityHeadersMiddleware:
    """Adds the CSP (on HTML responses) and the Permissions-Policy (on every response).

    In debug mode an error response gets no CSP: Django's technical 404 and 500 pages are styled
    and scripted inline and would be unreadable under the policy. With debug off (production and
    the test suite) the designed error pages carry it like every other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if settings.DEBUG and response.status_code >= 400:
            return response
        if response.get("Content-Type", "").startswith("text/html"):
            policy = WITH_STYLE_ATTRIBUTES if getattr(response, _STYLE_ATTRIBUTES, False) else CONTENT_SECURITY_POLICY
            response.headers.setdefault(header_name(), policy)
        return response
