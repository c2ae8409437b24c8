"""The error pages are designed, translated pages with a way back, never Django's bare English."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from kotacerdas.plans.tests.conftest import Plan, plan  # noqa: F401  (the fixture, re-used)

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "kotacerdas.web.tests.error_urls"
    return settings


def test_a_missing_page_is_the_designed_404_with_navigation_and_a_way_back(production, cast):
    client = cast.client(cast.owner)
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/wilayah/13.72/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-error="404"' in html and '<html lang="id">' in html
    assert "Menu utama" in html  # the site's navigation, in Indonesian
    assert 'href="http://testserver/wilayah/13.72/"' in html and 'href="/"' in html


def test_another_regions_page_is_the_same_designed_404(production, cast):
    response = cast.client(cast.outsider).get("/wilayah/13.72/")
    assert response.status_code == 404
    assert 'data-error="404"' in response.content.decode()


def test_the_back_link_never_points_to_another_site(production, cast):
    html = cast.client(cast.owner).get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in html


def test_a_refused_action_is_the_designed_403(production, cast):
    response = cast.client(cast.mentor).get("/test-errors/403/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-error="403"' in html and '<html lang="id">' in html and "Menu utama" in html
    assert "403 Forbidden" not in html


def test_a_mentor_opening_a_disposition_edit_gets_the_designed_403(production, cast, plan):  # noqa: F811
    response = cast.client(cast.mentor).get(f"/wilayah/13.72/masterplan/{plan.edition.year}/disposisi/1/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-error="403"' in html and "Menu utama" in html and "Forbidden" not in html


def test_a_stale_form_is_the_designed_csrf_page(production, cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    response = client.post("/test-errors/form/", {"x": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-error="403-csrf"' in html and '<html lang="id">' in html and "Menu utama" in html


def test_a_malformed_request_is_the_designed_400(production, cast):
    response = cast.client(cast.owner).get("/test-errors/400/")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-error="400"' in html and '<html lang="id">' in html and 'href="/"' in html


def test_a_crash_is_the_designed_500(production, cast):
    client = cast.client(cast.owner)
    client.raise_request_exception = False
    response = client.get("/test-errors/500/")
    html = response.content.decode()
    assert response.status_code == 500
    assert 'data-error="500"' in html and '<html lang="id">' in html and 'href="/"' in html


def test_the_500_page_renders_with_no_context_at_all():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert 'data-error="500"' in html and "KotaCerdas" in html


def test_error_pages_in_english(production, cast, english):
    client = cast.client(cast.owner)
    client.raise_request_exception = False
    assert "Page not found" in client.get("/no-such-page/").content.decode()
    assert "You may not do this" in client.get("/test-errors/403/").content.decode()
    assert "Something went wrong" in client.get("/test-errors/500/").content.decode()
    assert "The request could not be read" in client.get("/test-errors/400/").content.decode()


HEADINGS = {
    "/no-such-page/": "Page not found",
    "/test-errors/403/": "You may not do this",
    "/test-errors/500/": "Something went wrong",
    "/test-errors/400/": "The request could not be read",
}


@pytest.mark.parametrize(("url", "english_heading"), HEADINGS.items())
def test_error_pages_speak_indonesian(production, cast, url, english_heading):
    client = cast.client(cast.owner)
    client.raise_request_exception = False
    html = client.get(url).content.decode()
    with translation.override("id"):
        assert f"<h1>{translation.gettext(english_heading)}</h1>" in html
    assert f"<h1>{english_heading}</h1>" not in html
