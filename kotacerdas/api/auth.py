"""Who calls the API: a personal access token (``Authorization: Bearer kc_…``) or, for the
browser, the signed-in session with Django's CSRF check on every write.

Each accepted call is counted against the rate limit of its token (or user); a read-only token
asking to write is refused here, once for every endpoint.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.security import APIKeyCookie, HttpBearer

from kotacerdas.accounts import access
from kotacerdas.api import usage
from kotacerdas.api.models import ApiToken, Scope
from kotacerdas.api.problems import renaming
from kotacerdas.audit.services import acting_through

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Unauthorized(AuthenticationError):
    def __init__(self, message: str) -> None:
        super().__init__(401, message)


def _limit(request: HttpRequest, key: str) -> None:
    allowed, wait = usage.count_request(key, timezone.now())
    if not allowed:
        raise Throttled(wait)


def _region_first(request: HttpRequest, user: Any) -> None:
    """A region the token's owner does not see is a 404 before any scope question: "not yours"
    answers the same whatever the token may do."""
    match = request.resolver_match
    code = match.kwargs.get("code") if match else None
    if code is not None:
        access.region_for(user, str(code))


class TokenAuth(HttpBearer):
    """A personal access token. Revoked, expired or unknown: 401, never a fall-back to the session."""

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" in request.headers and not request.headers["Authorization"].lower().startswith("bearer "):
            raise Unauthorized(_("Send the token as: Authorization: Bearer kc_…"))
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = usage.find(token.strip())
        now = timezone.now()
        if found is None or not found.user.is_active:
            raise Unauthorized(_("The token is not valid."))
        if found.revoked_at is not None:
            raise Unauthorized(_("The token was revoked."))
        if found.expires_at is not None and found.expires_at <= now:
            raise Unauthorized(_("The token has expired."))
        _limit(request, f"token:{found.pk}")
        if request.method not in SAFE_METHODS and found.scope != Scope.WRITE:
            _region_first(request, found.user)
            raise HttpError(403, _("This token may only read: make a read and write token to change data."))
        usage.note_use(found, now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session; writes must carry the CSRF token like any form."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        _limit(request, f"user:{user.pk}")
        return user


def token_of(request: HttpRequest) -> ApiToken | None:
    return getattr(request, "api_token", None)


def acting(request: HttpRequest) -> contextlib.AbstractContextManager[None]:
    """Audit entries written by this call name the token (or "API" for the browser session)."""
    token = token_of(request)
    return acting_through(f"API token {token.prefix} ({token.name})" if token else "API")


def writing(request: HttpRequest, rename: Callable[[str], str]) -> contextlib.ExitStack:
    """Around a service call: its audit entries name the token, its errors the API's fields."""
    stack = contextlib.ExitStack()
    stack.enter_context(acting(request))
    stack.enter_context(renaming(rename))
    return stack
