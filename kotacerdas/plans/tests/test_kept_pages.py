"""Kept pages (lib/pagecache.py, decision 0015): served again only while nothing they show changed,
only to the reader they were built for, and never past the access check."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.audit import revisions
from kotacerdas.audit.models import AuditEntry, Revision
from kotacerdas.audit.services import record
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

A = "13.72"

# A page served again: the session and its user, the region with the reader's access (2), the
# revisions, and the unread count of the header. Nothing of the page itself.
KEPT_PAGE_QUERIES = 6


def _get(client: Client, url: str, **headers: Any) -> tuple[int, str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response.status_code, response.content.decode(), len(queries)


def _reader(cast: Any, user: Any) -> Client:
    """A signed-in browser that holds its CSRF cookie (a first page gives it one)."""
    client = cast.client(user)
    client.get(reverse("regions:home", args=[A]))
    return client


def _pages(plan: Any) -> list[str]:
    year = plan.edition.year
    return [
        reverse("plans:edition", args=[A, year]),
        reverse("plans:programmes", args=[A, year]),
        reverse("regions:home", args=[A]),
    ]


def test_a_page_read_again_is_served_kept_in_fixed_queries_with_the_same_content(cast, plan):
    client = _reader(cast, cast.editor)
    for url in _pages(plan):
        status, built, _ = _get(client, url)
        again_status, again, queries = _get(client, url)
        assert status == again_status == 200
        assert again == built
        assert queries <= KEPT_PAGE_QUERIES, url


def test_a_change_through_a_service_shows_at_once(cast, plan):
    client = _reader(cast, cast.editor)
    url = reverse("plans:programmes", args=[A, plan.edition.year])
    _get(client, url)
    assert "Layanan publik terpadu" not in _get(client, url)[1]
    services.update_programme(
        actor=cast.editor,
        programme=plan.first,
        data={"name": "Layanan publik terpadu"},
        expected_version=stored_version(plan.first),
    )
    status, content, queries = _get(client, url)
    assert status == 200 and "Layanan publik terpadu" in content
    assert queries > KEPT_PAGE_QUERIES  # built again


def test_the_outsider_gets_404_for_a_page_others_have_kept(cast, plan):
    owner = _reader(cast, cast.owner)
    outsider = cast.client(cast.outsider)
    outsider.cookies["csrftoken"] = owner.cookies["csrftoken"].value  # even with the owner's CSRF cookie
    for url in _pages(plan):
        _get(owner, url)
        _get(owner, url)
        assert _get(outsider, url)[0] == 404


def test_each_reader_gets_their_own_page(cast, plan):
    url = reverse("plans:edition", args=[A, plan.edition.year])
    editor, viewer = _reader(cast, cast.editor), _reader(cast, cast.viewer)
    editor_page = _get(editor, url)[1]
    _get(editor, url)
    status, viewer_page, queries = _get(viewer, url)
    assert status == 200 and queries > KEPT_PAGE_QUERIES  # built for the viewer, not taken
    assert cast.viewer.full_name in viewer_page and cast.editor.full_name not in viewer_page
    assert cast.editor.full_name in editor_page


def test_a_waiting_message_is_shown_not_a_kept_page(cast, plan):
    client = _reader(cast, cast.editor)
    url = reverse("plans:edition", args=[A, plan.edition.year])
    _get(client, url)
    _get(client, url)
    storage = CookieStorage(RequestFactory().get(url))
    storage.add(constants.SUCCESS, "Disimpan: pesan untuk halaman ini")
    carrier = HttpResponse()
    storage.update(carrier)  # the cookie a redirect after a save would have set
    client.cookies["messages"] = carrier.cookies["messages"].value
    status, content, _ = _get(client, url)
    assert status == 200 and "Disimpan: pesan untuk halaman ini" in content
    assert "Disimpan: pesan untuk halaman ini" not in _get(client, url)[1]  # shown once


def test_htmx_asks_are_always_built(cast, plan):
    client = _reader(cast, cast.editor)
    url = reverse("plans:programmes", args=[A, plan.edition.year])
    _get(client, url)
    page = _get(client, url)[1]
    status, part, _ = _get(client, url, HX_Request="true")
    assert status == 200 and part != page and "<html" not in part


def test_a_job_reporting_progress_moves_the_page_on(cast, plan):
    client = _reader(cast, cast.editor)
    url = reverse("regions:home", args=[A])
    _get(client, url)
    assert _get(client, url)[2] <= KEPT_PAGE_QUERIES
    revisions.bump([cast.region_a.pk])
    assert _get(client, url)[2] > KEPT_PAGE_QUERIES


def test_the_page_cache_can_be_switched_off(cast, plan, settings):
    settings.PAGE_CACHE = False
    client = _reader(cast, cast.editor)
    url = reverse("plans:edition", args=[A, plan.edition.year])
    _get(client, url)
    assert _get(client, url)[2] > KEPT_PAGE_QUERIES


def _value(scope: int) -> int:
    return Revision.objects.filter(scope=scope).values_list("value", flat=True).first() or 0


def test_every_audit_entry_raises_its_regions_revision_and_a_sign_in_none(cast):
    a, b = cast.region_a.pk, cast.region_b.pk
    start = (_value(a), _value(b), _value(revisions.SHARED))
    record(actor=cast.owner, action="update", obj=cast.opd_a, region=cast.region_a, before={}, after={})
    assert (_value(a), _value(b), _value(revisions.SHARED)) == (start[0] + 1, start[1], start[2])
    record(actor=cast.owner, action="update", obj=cast.owner, region=None, before={}, after={})
    assert _value(revisions.SHARED) == start[2] + 1
    record(actor=cast.owner, action=AuditEntry.Action.SIGN_IN, obj=cast.owner)
    assert (_value(a), _value(b), _value(revisions.SHARED)) == (start[0] + 1, start[1], start[2] + 1)
    assert revisions.current(a) == (start[0] + 1, start[2] + 1)
