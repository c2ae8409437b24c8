"""The authenticator-app step: RFC 6238 codes, set-up, sign-in with a code, ministry accounts."""

from __future__ import annotations

import base64
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.accounts import totp
from kotacerdas.accounts.models import SecondFactor
from kotacerdas.audit.models import AuditEntry

PASSWORD = "cast-password-123"  # every cast member's password (conftest.py)
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.fixture(autouse=True)
def _english(english):
    """Read the English messages."""


@pytest.mark.parametrize(
    ("seconds", "code"),
    [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")],
)
def test_codes_match_the_rfc_6238_test_vectors(seconds, code):
    assert totp.code_at(RFC_SECRET, totp.step_at(seconds), digits=8) == code


@given(st.integers(min_value=10, max_value=2**40))
def test_a_code_is_accepted_once_within_one_step_of_drift(step):
    secret = "JBSWY3DPEHPK3PXP"
    now = step * totp.STEP_SECONDS + 1
    for drift in (-1, 0, 1):
        code = totp.code_at(secret, step + drift)
        assert totp.verify(secret, code, now) == step + drift
        assert totp.verify(secret, code, now, last_step=step + drift) is None  # never twice
    assert totp.verify(secret, totp.code_at(secret, step + 2), now) is None
    assert totp.verify(secret, "12a456", now) is None


def _sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")


def _code(user):
    device = SecondFactor.objects.get(user=user)
    return totp.code_at(device.secret, totp.step_at(timezone.now().timestamp()))


@pytest.mark.django_db
def test_a_user_sets_up_the_app_and_is_then_asked_for_a_code(cast, client):
    client.force_login(cast.owner)
    page = client.get(reverse("second_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    wrong = client.post(reverse("second_factor_setup"), {"code": "000000"})
    assert "not correct" in wrong.content.decode()
    assert client.post(reverse("second_factor_setup"), {"code": _code(cast.owner)}).status_code == 302
    assert SecondFactor.objects.get(user=cast.owner).confirmed_at is not None
    client.logout()

    asked = _sign_in(client, cast.owner)
    assert asked.status_code == 302 and asked["Location"] == reverse("login_code")
    assert "_auth_user_id" not in client.session  # half-way is not signed in
    assert client.get(reverse("password_change")).status_code == 302
    SecondFactor.objects.filter(user=cast.owner).update(last_step=-1)
    done = client.post(reverse("login_code"), {"code": _code(cast.owner)})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(cast.owner.pk)
    assert AuditEntry.objects.filter(action="sign_in", after__second_factor=True).exists()


@pytest.mark.django_db
def test_a_used_code_is_refused_the_second_time(cast, client):
    client.force_login(cast.owner)
    client.get(reverse("second_factor_setup"))
    code = _code(cast.owner)
    client.post(reverse("second_factor_setup"), {"code": code})
    client.logout()
    _sign_in(client, cast.owner)
    again = client.post(reverse("login_code"), {"code": code})
    assert again.status_code == 200 and "used already" in again.content.decode()
    assert AuditEntry.objects.filter(action="refused", after__second_factor=True).exists()


@pytest.mark.django_db
def test_a_ministry_account_must_set_up_the_app_before_it_is_signed_in(cast, client, settings):
    settings.MINISTRY_SECOND_FACTOR = True
    first = _sign_in(client, cast.ministry)
    assert first["Location"] == reverse("second_factor_setup")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("second_factor_setup"))
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page.content.decode()).group(1)
    code = totp.code_at(secret, totp.step_at(timezone.now().timestamp()))
    assert client.post(reverse("second_factor_setup"), {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(cast.ministry.pk)
    removed = client.post(reverse("second_factor_remove"))
    assert removed.status_code == 302 and SecondFactor.objects.filter(user=cast.ministry).exists()


@pytest.mark.django_db
def test_without_a_second_factor_other_accounts_sign_in_with_the_password(cast, client, settings):
    settings.MINISTRY_SECOND_FACTOR = True
    assert _sign_in(client, cast.editor)["Location"] == reverse("regions:home", args=["13.72"])  # their only region
    assert client.get(reverse("login_code")).status_code == 302  # nothing half-way
