"""A database outage answers 503 with Retry-After and the designed page (not 500), rendered with
no database; /healthz is liveness, /readyz says whether the database answers and a worker beats."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from kotacerdas.jobs.models import WorkerBeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "kotacerdas.web.tests.error_urls"
    return settings


def test_a_view_meeting_a_database_outage_answers_the_designed_503(production, client, django_assert_num_queries):
    with django_assert_num_queries(0):  # the page itself needs no database
        response = client.get("/test-errors/503/")
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    assert 'data-error="503"' in html and '<html lang="id">' in html
    assert '<meta http-equiv="refresh" content="10">' in html  # a page that was only read retries itself
    assert "Traceback" not in html and "OperationalError" not in html and "Connection refused" not in html


def test_a_form_sent_during_an_outage_says_it_was_not_saved_and_does_not_resend(production, client, english):
    response = client.post("/test-errors/503-closed/", {"x": "1"})
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "What you sent was not saved" in html and 'http-equiv="refresh"' not in html


def test_the_503_page_is_in_english_for_who_chose_english(production, client, english):
    html = client.get("/test-errors/503/").content.decode()
    assert "The service is briefly unavailable" in html and '<html lang="en">' in html


def test_an_outage_met_by_the_session_middleware_is_the_503_too(production, cast, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(cast.owner)

    def down(self):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(import_module(settings.SESSION_ENGINE).SessionStore, "load", down)
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert 'data-error="503"' in response.content.decode()


def test_any_other_error_is_still_the_designed_500(production, client):
    response = Client(raise_request_exception=False).get("/test-errors/500/")
    assert response.status_code == 500 and 'data-error="500"' in response.content.decode()


def test_readiness_says_the_database_answers_and_whether_a_worker_beats(client, settings):
    settings.JOB_LEASE_SECONDS = 60
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "none", "seconds_since_beat": None}
    assert "no-cache" in response["Cache-Control"]
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w1", started_at=now, beat_at=now - datetime.timedelta(seconds=3))
    body = client.get("/readyz").json()
    assert body["worker"] == "ok" and 2 <= body["seconds_since_beat"] < 60


def test_readiness_asked_about_the_worker_is_503_without_one(client, settings):
    settings.JOB_LEASE_SECONDS = 60
    response = client.get("/readyz?worker=1")
    assert response.status_code == 503 and response.json()["worker"] == "none"
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="old", started_at=now, beat_at=now - datetime.timedelta(seconds=61))
    assert client.get("/readyz?worker=1").json()["worker"] == "stale"
    assert client.get("/readyz").status_code == 200  # requests are still served


def test_readiness_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "worker": "unknown"}


def test_the_500_handler_answers_503_for_a_database_error_raised_outside_a_view(rf):
    from kotacerdas.web.views import server_error

    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503 and response["Retry-After"] == "10"
