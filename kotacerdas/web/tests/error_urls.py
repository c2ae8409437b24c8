"""The project's URLs plus views that fail in each way, for the error-page tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kotacerdas.urls import handler403, handler404
from kotacerdas.urls import urlpatterns as project_urls

__all__ = ["handler403", "handler404", "urlpatterns"]


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("malformed")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("saved")


urlpatterns = [
    path("test-errors/403/", forbidden),
    path("test-errors/400/", suspicious),
    path("test-errors/500/", broken),
    path("test-errors/form/", form),
    *project_urls,
]
