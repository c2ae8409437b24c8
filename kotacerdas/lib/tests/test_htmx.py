"""One URL, two answers: htmx gets the part, everything else (a boosted link, a history restore
after the back button, a browser without JavaScript) gets the whole page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from kotacerdas.lib.htmx import is_htmx, render_page


def through_middleware(headers: dict[str, str]) -> HttpRequest:
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda r: HttpResponse())(request)
    return request


@pytest.mark.parametrize(
    ("headers", "partial"),
    [
        ({}, False),
        ({"HX-Request": "true"}, True),
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
        ({"HX-Request": "false"}, False),
    ],
)
def test_only_a_request_for_a_part_gets_the_part(headers: dict[str, str], partial: bool) -> None:
    assert is_htmx(through_middleware(headers)) is partial
    assert is_htmx(RequestFactory().get("/", headers=headers)) is partial  # without the middleware


@pytest.mark.django_db
def test_the_page_and_the_part_vary_on_the_htmx_header(cast) -> None:
    client = cast.client(cast.ministry)
    page = client.get("/?q=Solok")
    part = client.get("/?q=Solok", headers={"HX-Request": "true"})
    restored = client.get("/?q=Solok", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in page.content.decode() and "<html" not in part.content.decode()
    assert "<html" in restored.content.decode()
    assert all("HX-Request" in r["Vary"] for r in (page, part, restored))


@pytest.mark.django_db
def test_render_page_keeps_the_status(rf: RequestFactory) -> None:
    request = rf.get("/")
    request.user = AnonymousUser()
    response = render_page(request, "web/_region_list.html", "web/_region_list.html", {"page": []}, status=409)
    assert response.status_code == 409
