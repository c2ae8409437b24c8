"""The header count, the notifications page, marking read and the settings page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.notifications.models import Kind, Notification
from kotacerdas.notifications.services import notify

pytestmark = pytest.mark.django_db


def _notes(cast, user, n, start=0):
    for i in range(start, start + n):
        notify(
            Kind.ACTION_ASSIGNED,
            [user],
            actor=cast.mentor,
            region=cast.region_a,
            label=f"Aksi {i}",
            url="/pekerjaan-saya/",
            event_key=f"test:{i}",
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_header_shows_the_unread_count_in_one_query_whatever_the_number(cast):
    client = cast.client(cast.editor)
    before = _queries(client, "/pekerjaan-saya/")
    _notes(cast, cast.editor, 3)
    page = client.get("/pekerjaan-saya/").content.decode()
    assert 'class="tag">3<span class="visually-hidden"> unread' in page
    # Also outside the folded menu, for phones (site.css shows it on narrow screens only).
    badge = '<a class="unread-badge" href="/notifikasi/"><span class="visually-hidden">Notifications: </span>3 new</a>'
    assert page.split('id="menu-toggle"')[0].count(badge) == 1
    _notes(cast, cast.editor, 60, start=3)
    assert _queries(client, "/pekerjaan-saya/") == before
    assert cast.client(cast.viewer).get("/pekerjaan-saya/").content.decode().count('class="notifications-link"') == 1


def test_anonymous_visitors_ask_nothing_for_the_header(cast, client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/masuk/")
    assert not any("notifications_notification" in q["sql"] for q in queries.captured_queries)


def test_the_list_is_newest_first_paged_and_its_queries_do_not_grow(cast):
    client = cast.client(cast.editor)
    _notes(cast, cast.editor, 3)
    small = _queries(client, "/notifikasi/")
    _notes(cast, cast.editor, 60, start=3)
    assert _queries(client, "/notifikasi/") == small
    page = client.get("/notifikasi/").content.decode()
    assert page.index("Aksi 62") < page.index("Aksi 61") and "Aksi 10" not in page
    assert "Page 1 of 3" in page and 'href="/pekerjaan-saya/"' in page
    assert "Aksi 10" in client.get("/notifikasi/?page=3").content.decode()
    assert client.get("/notifikasi/?page=abc").status_code == 200


def test_marking_one_and_all_read(cast):
    _notes(cast, cast.editor, 3)
    client = cast.client(cast.editor)
    first = Notification.objects.filter(recipient=cast.editor).first()
    response = client.post(f"/notifikasi/{first.pk}/dibaca/", {"page": "1"})
    assert response.status_code == 302 and response["Location"] == "/notifikasi/?page=1"
    assert Notification.objects.filter(recipient=cast.editor, read_at=None).count() == 2
    assert client.get(f"/notifikasi/{first.pk}/dibaca/").status_code == 405
    client.post("/notifikasi/semua-dibaca/")
    assert not Notification.objects.filter(recipient=cast.editor, read_at=None).exists()
    header = client.get("/notifikasi/").content.decode().split("<main")[0]
    assert 'class="tag">' not in header and "unread-badge" not in header


def test_another_persons_notification_is_not_there(cast):
    _notes(cast, cast.editor, 1)
    note = Notification.objects.get(recipient=cast.editor)
    for who in (cast.outsider, cast.owner, cast.ministry):
        client = cast.client(who)
        assert client.post(f"/notifikasi/{note.pk}/dibaca/").status_code == 404
        assert "Aksi 0" not in client.get("/notifikasi/").content.decode()
        client.post("/notifikasi/semua-dibaca/")
    note.refresh_from_db()
    assert note.read_at is None
    assert cast.client(None).get("/notifikasi/").status_code == 302


def test_the_settings_page_saves_choices_and_refuses_a_stale_form(cast):
    client = cast.client(cast.editor)
    page = client.get("/notifikasi/pengaturan/").content.decode()
    assert "An action assigned to you or your agency" in page and 'name="version" value="0"' in page
    data = {"version": "0", "daily_digest": "on", f"in_app_{Kind.ACTION_ASSIGNED}": "on"}
    response = client.post("/notifikasi/pengaturan/", data)
    assert response.status_code == 302
    _notes(cast, cast.editor, 1)
    assert Notification.objects.get(recipient=cast.editor).mail == "none"  # e-mail off for actions
    stale = client.post("/notifikasi/pengaturan/", data)
    assert stale.status_code == 409 and "Someone else saved" in stale.content.decode()
    assert client.post("/notifikasi/pengaturan/", {"version": "x"}).status_code == 409


def test_the_header_count_is_the_unread_notifications_shown_in_kotacerdas(cast):
    """``unread_count`` is written as a plain statement: it counts what ``shown_to`` shows unread,
    for each person, nobody else's, and none for someone signed out or deactivated."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from kotacerdas.notifications.selectors import shown_to, unread_count

    _notes(cast, cast.editor, 4)
    _notes(cast, cast.viewer, 2, start=10)
    Notification.objects.filter(recipient=cast.editor, event_key="test:0").update(read_at=timezone.now())
    Notification.objects.filter(recipient=cast.editor, event_key="test:1").update(in_app=False)
    for user in (cast.owner, cast.editor, cast.viewer, cast.outsider, cast.mentor, cast.ministry):
        assert unread_count(user) == shown_to(user).filter(read_at=None).count()
    assert unread_count(cast.editor) == 2 and unread_count(cast.viewer) == 2 and unread_count(cast.owner) == 0
    assert unread_count(AnonymousUser()) == 0
    cast.viewer.is_active = False
    assert unread_count(cast.viewer) == 0
