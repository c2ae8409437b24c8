"""Calendar subscriptions (issue 16 §4): secret addresses, feeds through the access layer, the CLI."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from kotacerdas.accounts import services as account_services
from kotacerdas.accounts.models import CalendarToken, Membership
from kotacerdas.engagements import calendar, services
from kotacerdas.engagements.models import Session
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.regions import services as region_services

D = datetime.date
A, B = "13.72", "13.73"


def _token(user):
    return account_services.create_calendar_token(actor=user, user=user)


def _get(url):
    """A calendar app: no session, no cookie."""
    return Client().get(url)


def _region_url(token, code=A):
    return reverse("engagements:region_feed", args=[token, code])


def _parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _events(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


JULY_1 = D(2024, 7, 1)


def _action(cast, session, *, opd, email="", due=JULY_1, text="Lengkapi SWOT"):
    outcome = services.add_outcome(
        actor=None,
        session=session,
        data={
            "kind": "action",
            "text": text,
            "owner_opd": opd,
            "owner_name": "Budi",
            "owner_email": email,
            "due_on": due,
        },
    )
    return outcome.action


# The builder -------------------------------------------------------------------------------


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=200)


@given(TEXT, TEXT)
def test_built_calendar_reads_back_the_same_text_in_folded_lines(summary, location):
    event = calendar.CalendarEvent("u1@x", summary, D(2024, 6, 10), D(2024, 6, 11), location=location)
    body = calendar.build("Kalender", [event], datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC), "Asia/Jayapura")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
    parsed = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(parsed.get("SUMMARY", "")) == summary
    assert str(parsed.get("LOCATION", "")) == location
    assert parsed.decoded("DTSTART") == D(2024, 6, 10) and parsed.decoded("DTEND") == D(2024, 6, 12)


# The region's sessions ---------------------------------------------------------------------


def test_region_feed_lists_the_region_sessions_without_a_session_cookie(cast, forum):
    token = _token(cast.viewer)
    response = _get(_region_url(token))
    cal = _parse(response)
    assert not response.cookies
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Jakarta" and cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Jakarta"
    events = _events(cal)
    assert len(events) == 4
    first = events[next(uid for uid in events if uid.startswith(f"session-{forum.sessions[0].pk}@"))]
    assert first.decoded("DTSTART") == forum.sessions[0].starts_on
    assert first.decoded("DTEND") == forum.sessions[0].ends_on + datetime.timedelta(days=1)
    assert first.decoded("DTSTAMP").tzinfo is not None and str(first["STATUS"]) == "CONFIRMED"
    assert all("Bimtek I B" not in str(e["SUMMARY"]) for e in events.values())
    assert _events(_parse(_get(_region_url(token)))).keys() == events.keys()  # stable UIDs


def test_region_feed_uses_the_time_zone_of_the_region(cast, forum):
    region = region_services.create_region(
        actor=None,
        data={"code": "51.71", "name": "Denpasar", "kind": "kota", "province": "Bali", "time_zone": "WITA"},
    )
    cal = _parse(_get(_region_url(_token(cast.ministry), region.code)))
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Makassar"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Makassar"


def test_a_moved_session_keeps_its_uid_and_raises_its_sequence(cast, forum):
    token = _token(cast.viewer)
    session = forum.sessions[3]
    uid = f"session-{session.pk}@"
    before = next(e for u, e in _events(_parse(_get(_region_url(token)))).items() if u.startswith(uid))
    services.update_session(
        actor=None,
        session=session,
        data={"starts_on": D(2024, 9, 24), "ends_on": D(2024, 9, 25)},
        expected_version=stored_version(session),
    )
    after = next(e for u, e in _events(_parse(_get(_region_url(token)))).items() if u.startswith(uid))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == D(2024, 9, 24)


def test_a_cancelled_session_is_marked_cancelled_in_the_feed(cast, forum):
    session = forum.sessions[1]
    services.cancel_session(actor=cast.mentor, session=session, expected_version=stored_version(session))
    events = _events(_parse(_get(_region_url(_token(cast.viewer)))))
    marked = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in events.values()}
    assert marked[f"session-{session.pk}"] == "CANCELLED"
    assert sorted(marked.values()) == ["CANCELLED", "CONFIRMED", "CONFIRMED", "CONFIRMED"]


def test_an_outsider_token_never_opens_the_region(cast, forum):
    token = _token(cast.outsider)
    assert _get(_region_url(token, A)).status_code == 404
    own = _events(_parse(_get(_region_url(token, B))))
    assert [str(e["SUMMARY"]) for e in own.values()] == [f"Bimtek I B · {cast.region_b}"]


def test_a_revoked_membership_takes_the_region_out_of_the_feed(cast, forum):
    token = _token(cast.viewer)
    assert _get(_region_url(token)).status_code == 200
    Membership.objects.filter(user=cast.viewer, region=cast.region_a).delete()
    assert _get(_region_url(token)).status_code == 404


def test_a_wrong_revoked_or_replaced_token_is_404(cast, forum):
    assert _get(_region_url("not-a-token")).status_code == 404
    old = _token(cast.viewer)
    new = _token(cast.viewer)  # making new addresses retires the old ones
    assert _get(_region_url(old)).status_code == 404
    assert _get(_region_url(new)).status_code == 200
    assert account_services.revoke_calendar_token(actor=cast.viewer, user=cast.viewer)
    assert _get(_region_url(new)).status_code == 404
    assert _get(reverse("engagements:actions_feed", args=[new])).status_code == 404


def test_the_token_of_a_deactivated_user_is_404(cast, forum):
    token = _token(cast.viewer)
    cast.viewer.is_active = False
    cast.viewer.save(update_fields=["is_active"])
    assert _get(_region_url(token)).status_code == 404


def test_only_the_digest_of_the_secret_is_stored(cast, forum):
    token = _token(cast.viewer)
    row = CalendarToken.objects.get(user=cast.viewer)
    assert row.digest == account_services.calendar_digest(token) and token not in row.digest


def test_nobody_else_makes_or_revokes_a_persons_address(cast, forum):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        account_services.create_calendar_token(actor=cast.ministry, user=cast.viewer)
    with pytest.raises(PermissionDenied):
        account_services.revoke_calendar_token(actor=cast.owner, user=cast.viewer)


def test_region_feed_queries_do_not_grow_with_sessions(cast, forum):
    token = _token(cast.viewer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert _get(_region_url(token)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(12):
        day = D(2024, 6, 13) + datetime.timedelta(days=i)
        services.plan_session(
            actor=None, engagement=forum.engagement, data={"title": f"Forum {i}", "starts_on": day, "ends_on": day}
        )
    assert count() == few


# A person's action due dates ---------------------------------------------------------------


def test_actions_feed_lists_the_open_actions_the_person_owns(cast, forum):
    s1 = forum.sessions[0]
    mine = _action(cast, s1, opd=cast.opd_a, due=D(2024, 7, 1))
    _action(cast, s1, opd=forum.bappeda, text="Bukan milik saya")
    done = _action(cast, s1, opd=cast.opd_a, text="Selesai")
    services.update_action(
        actor=None, action=done, data={"status": "done", "closed_on": D(2024, 6, 20)}, expected_version=done.version
    )
    cal = _parse(_get(reverse("engagements:actions_feed", args=[_token(cast.editor)])))
    events = list(cal.walk("VEVENT"))
    assert [str(e["UID"]).split("@")[0] for e in events] == [f"action-{mine.pk}"]
    assert events[0].decoded("DTSTART") == D(2024, 7, 1) and str(events[0]["TRANSP"]) == "TRANSPARENT"
    assert "Lengkapi SWOT" in str(events[0]["SUMMARY"])


def test_an_outsider_owning_by_email_still_sees_no_action_of_another_region(cast, forum):
    cast.outsider.email = "luar@example.org"
    cast.outsider.save(update_fields=["email"])
    _action(cast, forum.sessions[0], opd=cast.opd_a, email="luar@example.org")
    cal = _parse(_get(reverse("engagements:actions_feed", args=[_token(cast.outsider)])))
    assert cal.walk("VEVENT") == []


def test_actions_feed_queries_do_not_grow_with_actions(cast, forum):
    token = _token(cast.editor)
    url = reverse("engagements:actions_feed", args=[token])
    _action(cast, forum.sessions[0], opd=cast.opd_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert _get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(10):
        _action(cast, forum.sessions[0], opd=cast.opd_a, text=f"A{i}")
    assert count() == few


# The page of one's own addresses -----------------------------------------------------------


def test_the_page_makes_addresses_shown_once_and_revokes_them(cast, forum):
    client = cast.client(cast.viewer)
    page = reverse("engagements:calendar_addresses")
    assert "no calendar addresses" in client.get(page).content.decode()
    made = client.post(page, {"do": "create"})
    assert made.status_code == 200
    token = CalendarToken.objects.get(user=cast.viewer)
    links = made.content.decode().split("<code>")[1:]
    region_link = next(link.split("</code>")[0] for link in links if f"/wilayah/{A}.ics" in link)
    assert _get(region_link.replace("http://testserver", "")).status_code == 200
    again = client.get(page).content.decode()
    assert ".ics" not in again and "You made your calendar addresses" in again
    assert client.post(page, {"do": "revoke"}).status_code == 302
    assert not CalendarToken.objects.filter(pk=token.pk).exists()
    assert _get(region_link.replace("http://testserver", "")).status_code == 404


def test_the_answer_with_the_secret_is_never_cached_and_the_ministry_gets_a_pattern(cast, forum):
    page = reverse("engagements:calendar_addresses")
    made = cast.client(cast.ministry).post(page, {"do": "create"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    # The placeholders are translated words (msgids SECRET and CODE), not fixed English.
    assert "/kalender/SECRET/wilayah/CODE.ics" in made.content.decode()
    assert "/kalender/SECRET/" not in cast.client(cast.viewer).post(page, {"do": "create"}).content.decode()


def test_the_page_asks_to_sign_in(cast):
    response = Client().get(reverse("engagements:calendar_addresses"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# Cancelling a session ----------------------------------------------------------------------


def _cancel(user, session, version=None):
    url = reverse("engagements:session_cancel", args=[session.region.code, session.pk])
    return (
        Client().post(url, {"version": version or session.version})
        if user is None
        else _client(user, url, session, version)
    )


def _client(user, url, session, version):
    client = Client()
    client.force_login(user)
    return client.post(url, {"version": version or session.version})


@pytest.mark.parametrize(
    "who, status", [("mentor", 302), ("owner", 302), ("viewer", 403), ("editor", 403), ("outsider", 404)]
)
def test_cancelling_a_session_by_role(cast, forum, who, status):
    session = forum.sessions[2]
    assert _cancel(getattr(cast, who), session).status_code == status
    session.refresh_from_db()
    assert (session.status == Session.Status.CANCELLED) == (status == 302)


def test_cancelling_with_a_stale_version_is_409_and_changes_nothing(cast, forum):
    session = forum.sessions[2]
    response = _cancel(cast.mentor, session, version=session.version + 5)
    assert response.status_code == 409
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


def test_only_a_planned_session_is_cancelled(cast, forum):
    session = services.start_session(actor=None, session=forum.sessions[0])
    _cancel(cast.mentor, session)
    session.refresh_from_db()
    assert session.status == Session.Status.IN_PROGRESS


# The command line --------------------------------------------------------------------------


def test_cli_prints_the_region_feed_as_the_person_sees_it(cast, forum):
    out = io.StringIO()
    call_command("calendar", "feed", "viewer", "--region", A, stdout=out)
    assert len(Calendar.from_ical(out.getvalue()).walk("VEVENT")) == 4
    with pytest.raises(CommandError, match="does not see"):
        call_command("calendar", "feed", "outsider", "--region", A, stdout=io.StringIO())


def test_cli_prints_the_action_feed(cast, forum):
    _action(cast, forum.sessions[0], opd=cast.opd_a)
    out = io.StringIO()
    call_command("calendar", "feed", "editor", stdout=out)
    assert len(Calendar.from_ical(out.getvalue()).walk("VEVENT")) == 1


def test_cli_creates_and_revokes_the_secret(cast, forum):
    out = io.StringIO()
    call_command("calendar", "token", "viewer", "--create", "--json", stdout=out)
    made = json.loads(out.getvalue())
    assert _get(made["region"].replace("CODE", A)).status_code == 200
    call_command("calendar", "token", "viewer", "--revoke", stdout=io.StringIO())
    assert _get(made["region"].replace("CODE", A)).status_code == 404
    with pytest.raises(CommandError):
        call_command("calendar", "token", "nobody", "--create", stdout=io.StringIO())
