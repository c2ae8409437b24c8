"""Home page, health check, language switch."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_health_is_liveness_and_never_asks_the_database(client, monkeypatch, django_assert_num_queries):
    def broken(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_home_lists_only_the_users_regions(cast):
    html = cast.client(cast.outsider).get("/").content.decode()
    assert "Sawahlunto" in html and "Solok" not in html
    html = cast.client(cast.ministry).get("/").content.decode()
    assert "Sawahlunto" in html and "Solok" in html


def test_home_for_the_public_lists_published_regions_only(cast):
    html = cast.client(None).get("/").content.decode()
    assert "Solok" not in html
    cast.region_a.is_published = True
    cast.region_a.save()
    html = cast.client(None).get("/").content.decode()
    assert "Solok" in html and "/publik/13.72/" in html


def test_home_search_answers_htmx_with_the_list_only(cast):
    response = cast.client(cast.ministry).get("/?q=Solok", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Solok" in html and "Sawahlunto" not in html and "<html" not in html


def test_home_query_count_is_flat_in_the_number_of_regions(cast):
    from kotacerdas.regions import services

    client = cast.client(cast.ministry)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(20):
        services.create_region(
            actor=None, data={"code": f"90.{i:02d}", "name": f"R{i}", "kind": "kabupaten", "province": "P"}
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


def test_bahasa_indonesia_is_the_default_and_english_can_be_chosen(cast):
    client = cast.client(cast.owner)
    assert 'lang="id"' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/").content.decode()


def test_sign_in_with_a_wrong_password_shows_the_error_summary(cast):
    response = cast.client(None).post("/masuk/", {"username": "owner", "password": "wrong"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()


def test_an_english_browser_still_gets_bahasa_indonesia_until_english_is_chosen(cast):
    client = cast.client(cast.owner)
    assert 'lang="id"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
