"""The project's URLs plus views that fail in each way, for the error-page tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kotacerdas.urls import handler403, handler404, handler500
from kotacerdas.urls import urlpatterns as project_urls

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("malformed")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server failed: Connection refused")


def connection_closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("saved")


urlpatterns = [
    path("test-errors/403/", forbidden),
    path("test-errors/400/", suspicious),
    path("test-errors/500/", broken),
    path("test-errors/form/", form),
    path("test-errors/503/", database_down),
    path("test-errors/503-closed/", connection_closed),
    *project_urls,
]
