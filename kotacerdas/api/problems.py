"""Every error of the API as one JSON shape: RFC 9457 problem details (``application/problem+json``).

``errors`` names each field and its reason for 422; nothing raised inside an endpoint reaches the
client as a 500 page or a database constraint name.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestInvalid

from kotacerdas.lib.concurrency import EditConflict

PROBLEM_TYPE = "application/problem+json"
logger = logging.getLogger(__name__)


class FieldProblem(Schema):
    field: str | None
    reason: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldProblem] = []


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Not signed in"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("Edit conflict"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem(
    request: HttpRequest, status: int, detail: str = "", errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": _titles().get(status, ""),
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kotacerdas"'
    return response


@contextlib.contextmanager
def renaming(rename: Callable[[str], str]) -> Iterator[None]:
    """Service errors named by the API's field names (``budget_apbd`` → ``budgets.apbd``)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError({rename(field): errors for field, errors in error.error_dict.items()}) from None


def _field_errors(error: ValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {"field": None if field == "__all__" else field, "reason": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "reason": message} for message in error.messages]


def _request_errors(error: RequestInvalid) -> list[dict[str, Any]]:
    out = []
    for item in error.errors:
        loc = [str(part) for part in item.get("loc", ())]
        # ("body", "payload", "progress") → "progress"; ("query", "page") → "page";
        # ("body", "payload", "scores", "baseline", "score") → "scores.baseline.score"
        inside = loc[2:] if loc[:1] == ["body"] else loc[1:]
        field = ".".join(inside) if inside else (loc[-1] if loc else None)
        out.append({"field": field, "reason": str(item.get("msg", ""))})
    return out


def install(api: NinjaAPI) -> None:
    """Register the problem handlers on ``api`` (replacing ninja's own)."""

    def on_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        return problem(request, 422, _("The request has invalid fields."), _request_errors(exc))

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem(request, 422, _("The request has invalid fields."), _field_errors(exc))

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        response = problem(request, exc.status_code, str(exc) if not isinstance(exc, AuthenticationError) else "")
        if isinstance(exc, AuthenticationError):
            response = problem(request, 401, str(exc) if str(exc) != "Unauthorized" else _("Send a token or sign in."))
        if isinstance(exc, Throttled):
            response = problem(request, 429, _("Too many requests: wait until the next minute."))
            response["Retry-After"] = str(exc.wait or 60)
        return response

    def on_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(request, 404, _("There is no such thing here, or it is not yours to see."))

    def on_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(request, 403, str(exc) or _("You may not do this in this region."))

    def on_conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(request, 409, str(exc))

    def on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error", exc_info=exc)
        return problem(request, 500, _("Something went wrong on our side. It was logged."))

    handlers: list[tuple[type[Exception], Any]] = [
        (RequestInvalid, on_invalid),
        (ValidationError, on_validation),
        (HttpError, on_http),
        (Http404, on_missing),
        (ObjectDoesNotExist, on_missing),
        (PermissionDenied, on_denied),
        (EditConflict, on_conflict),
        (Exception, on_error),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)


READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: Problem, 409: Problem}
