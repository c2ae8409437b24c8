"""Signing in: throttling by account and address, the audit trail, session lifetime, passwords."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kotacerdas.accounts import signin
from kotacerdas.accounts.models import SignInAttempt
from kotacerdas.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "cast-password-123"


@pytest.fixture(autouse=True)
def _english(english):
    """Read the English messages."""


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_wrong_password_is_refused_and_recorded_on_the_account(cast, client):
    page = _sign_in(client, cast.owner.username, "wrong-password")
    assert page.status_code == 200 and "not correct" in page.content.decode()
    entry = AuditEntry.objects.get(action="refused")
    assert entry.object_type == "accounts.User" and entry.object_id == str(cast.owner.pk)
    assert "password" not in entry.after


def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(cast, client):
    for _ in range(signin.ACCOUNT_FAILURES):
        _sign_in(client, cast.owner.username, "wrong-password")
    page = _sign_in(client, cast.owner.username, _password(cast))
    assert "Too many failed attempts" in page.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    assert _sign_in(client, cast.editor.username, PASSWORD).status_code == 302


def test_the_wait_ends_after_the_window(cast):
    now = timezone.now()
    for minutes in range(signin.ACCOUNT_FAILURES):
        SignInAttempt.objects.create(
            username="somebody", address="10.0.0.9", at=now - datetime.timedelta(minutes=minutes)
        )
    wait = signin.wait_needed("Somebody", None, now)
    assert wait is not None and datetime.timedelta(minutes=14) < wait <= signin.WINDOW
    assert signin.wait_needed("somebody", None, now + signin.WINDOW + datetime.timedelta(seconds=1)) is None


def test_a_success_clears_the_accounts_count_but_not_the_addresses(cast, client):
    for _ in range(signin.ACCOUNT_FAILURES - 1):
        _sign_in(client, cast.owner.username, "wrong-password")
    assert _sign_in(client, cast.owner.username, _password(cast)).status_code == 302
    assert signin.wait_needed(cast.owner.username, None, timezone.now()) is None
    assert AuditEntry.objects.filter(action="sign_in", object_id=str(cast.owner.pk)).count() == 1


def test_an_address_guessing_many_accounts_is_throttled(cast, client):
    for n in range(signin.ADDRESS_FAILURES):
        _sign_in(client, f"guess-{n}", "wrong-password", address="192.0.2.7")
    page = _sign_in(client, cast.viewer.username, PASSWORD, address="192.0.2.7")
    assert "Too many failed attempts" in page.content.decode()
    assert _sign_in(client, cast.viewer.username, PASSWORD, address="192.0.2.8").status_code == 302


def test_an_idle_session_is_signed_out(cast, client):
    client.force_login(cast.owner)
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session[signin.SESSION_SEEN] = timezone.now().timestamp() - signin.IDLE.total_seconds() - 5
    session.save()
    page = client.get(reverse("web:home"))
    assert page.status_code == 302 and reverse("login") in page["Location"]
    assert "_auth_user_id" not in client.session


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(cast, client):
    client.force_login(cast.owner)
    client.get(reverse("web:home"))
    session = client.session
    session[signin.SESSION_STARTED] = timezone.now().timestamp() - signin.ABSOLUTE.total_seconds() - 5
    session.save()
    assert client.get(reverse("web:home")).status_code == 302


def test_a_session_is_read_only_while_it_lasts_and_its_user_may_sign_in(cast, client):
    """The session and its user are read with plain statements (accounts/sessions.py,
    accounts/backends.py): an expired session, a deactivated or deleted user, a password changed
    elsewhere and a made-up cookie all leave the reader signed out."""
    from django.contrib.sessions.models import Session

    from kotacerdas.accounts.models import User

    home = reverse("password_change")  # a page for signed-in people only

    def signed_in(user):
        client.cookies.clear()
        client.force_login(user)
        assert client.get(home).status_code == 200
        return client.cookies["sessionid"].value

    key = signed_in(cast.owner)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(home).status_code == 302

    signed_in(cast.viewer)
    User.objects.filter(pk=cast.viewer.pk).update(is_active=False)
    assert client.get(home).status_code == 302

    signed_in(cast.mentor)
    cast.mentor.set_password("another-password-456")
    cast.mentor.save()
    assert client.get(home).status_code == 302

    signed_in(cast.outsider)
    User.objects.filter(pk=cast.outsider.pk).delete()
    assert client.get(home).status_code == 302

    client.cookies.clear()
    client.cookies["sessionid"] = "made-up-session-key-0123456789"
    assert client.get(home).status_code == 302
    assert client.get(reverse("login")).status_code == 200


def test_a_password_change_needs_twelve_characters_and_is_audited_without_the_hash(cast, client):
    client.force_login(cast.owner)
    url = reverse("password_change")
    short = client.post(
        url, {"old_password": _password(cast), "new_password1": "Pendek-123", "new_password2": "Pendek-123"}
    )
    assert short.status_code == 200 and "at least 12 characters" in short.content.decode()
    done = client.post(
        url,
        {
            "old_password": _password(cast),
            "new_password1": "Solok-kota-beras-2025",
            "new_password2": "Solok-kota-beras-2025",
        },
    )
    assert done.status_code == 302
    entry = AuditEntry.objects.get(action="update", object_type="accounts.User")
    assert entry.after == {"password": "changed"}


def test_a_forgotten_password_is_reset_through_the_e_mailed_link(cast, client):
    cast.owner.email = "owner@solok.example"
    cast.owner.save(update_fields=["email"])
    page = client.post(reverse("password_reset"), {"email": "owner@solok.example"})
    assert page.status_code == 302
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert unknown.status_code == 302 and unknown["Location"] == page["Location"]  # tells nobody who has an account
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = "Solok-kota-beras-2025"
    saved = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert saved.status_code == 302
    assert _sign_in(client, cast.owner.username, new).status_code == 302
    assert AuditEntry.objects.filter(action="update", after__by="e-mail reset").exists()


def test_the_sign_in_page_links_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def _password(cast):
    return PASSWORD


def test_signing_in_lands_on_the_only_regions_cockpit_else_on_the_region_list(cast, client):
    """Issue 15 §2: a member of one region lands on its cockpit; several (or the ministry): the list;
    a ``next`` is followed whatever the number."""
    landed = _sign_in(client, cast.owner.username, PASSWORD)
    assert landed.status_code == 302 and landed["Location"] == reverse("regions:home", args=["13.72"])
    client.logout()
    from kotacerdas.accounts.models import Membership, Role

    Membership.objects.create(user=cast.owner, region=cast.region_b, role=Role.VIEWER)
    assert _sign_in(client, cast.owner.username, PASSWORD)["Location"] == reverse("web:home")
    client.logout()
    followed = client.post(
        reverse("login") + "?next=/wilayah/13.72/opd/",
        {"username": cast.viewer.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert followed["Location"] == "/wilayah/13.72/opd/"


def _token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.page_cache
def test_the_sign_in_form_is_kept_for_visitors_with_a_token_of_their_own_each_time(cast, settings):
    """lib/pagecache.visitor_page: the second visitor's form is not built again, yet each answer
    carries a newly masked token of that visitor's own CSRF secret, which the sign-in accepts."""
    from django.middleware.csrf import _unmask_cipher_token
    from django.test import Client

    url = reverse("login") + "?next=/wilayah/13.72/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    built = first.get(url)
    again = first.get(url)
    other = second.get(url)
    assert built.status_code == again.status_code == other.status_code == 200
    assert built.templates and not again.templates and not other.templates  # served kept
    assert again["Cache-Control"] == built["Cache-Control"] and "no-store" in again["Cache-Control"]
    for page in (built, again, other):
        assert "kept-csrf-" not in page.content.decode() and 'value="/wilayah/13.72/"' in page.content.decode()
    assert _token(built) != _token(again)  # masked anew on every answer
    secret = first.cookies[settings.CSRF_COOKIE_NAME].value
    assert _unmask_cipher_token(_token(built)) == _unmask_cipher_token(_token(again)) == secret
    assert _unmask_cipher_token(_token(other)) == second.cookies[settings.CSRF_COOKIE_NAME].value != secret

    form = {"username": cast.owner.username, "password": PASSWORD}
    refused = second.post(url, {**form, "csrfmiddlewaretoken": _token(again)})
    assert refused.status_code == 403  # another visitor's token
    signed_in = second.post(url, {**form, "csrfmiddlewaretoken": _token(other)})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/wilayah/13.72/"

    page = second.get(url)  # signed in now: built for the reader, never the visitor's kept form
    assert page.templates and cast.owner.full_name in page.content.decode()

    first.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = first.get(url)
    assert indonesian.templates and "Masuk" in indonesian.content.decode() and "Sign in" in built.content.decode()
    assert not first.get(url).templates
    assert first.get(url, headers={"HX-Request": "true"}).templates  # htmx asks for parts: built
