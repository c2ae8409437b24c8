"""Who may call the API: tokens (revoked, expired, unknown: 401), the browser's session with its
CSRF check, the per-token rate limit (429 with Retry-After) and the last-used time."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from kotacerdas.api import services, usage
from kotacerdas.api.models import ApiToken, RateWindow
from kotacerdas.api.tests.conftest import token_for


def _get(secret: str, url: str = "/api/v1/regions") -> Any:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(url)


def test_no_credentials_is_a_401_problem(cast: Any) -> None:
    response = Client().get("/api/v1/regions")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_an_unknown_or_malformed_token_is_a_401(cast: Any) -> None:
    assert _get("kc_00000000_nothing").status_code == 401
    assert _get("not-a-token").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").get("/api/v1/regions").status_code == 401


def test_a_revoked_token_is_a_401_even_with_a_session(cast: Any) -> None:
    secret = token_for(cast.viewer)
    services.revoke_token(actor=cast.viewer, token=ApiToken.objects.get())
    client = cast.client(cast.viewer)
    response = client.get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_expired_token_is_a_401(cast: Any) -> None:
    secret = token_for(cast.viewer)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = _get(secret)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_token_with_an_expiry_to_come_works(cast: Any) -> None:
    secret = token_for(cast.viewer, expires_on=timezone.localdate() + datetime.timedelta(days=30))
    assert _get(secret).status_code == 200


def test_a_token_of_a_deactivated_account_is_a_401(cast: Any) -> None:
    secret = token_for(cast.viewer)
    cast.viewer.is_active = False
    cast.viewer.save()
    assert _get(secret).status_code == 401


def test_the_browser_session_reads_without_a_token(cast: Any) -> None:
    response = cast.client(cast.viewer).get(f"/api/v1/regions/{cast.region_a.code}")
    assert response.status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    response = client.post(
        f"/api/v1/regions/{cast.region_a.code}/updates/1/submit", {"version": 1}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_write_needs_no_csrf_token(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token_for(cast.owner)}")
    response = client.post(
        f"/api/v1/regions/{cast.region_a.code}/updates/999/submit", {"version": 1}, content_type="application/json"
    )
    assert response.status_code == 404


def test_the_rate_limit_answers_429_with_retry_after(cast: Any, settings: Any, monkeypatch: Any) -> None:
    settings.API_RATE = 3
    # All requests in one minute window: a run that crossed a minute would start a new count.
    fixed = timezone.now().replace(second=10, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    secret = token_for(cast.viewer)
    assert [_get(secret).status_code for _ in range(3)] == [200, 200, 200]
    refused = _get(secret)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another token of the same person has its own count.
    assert _get(token_for(cast.viewer)).status_code == 200


def test_the_rate_count_is_shared_in_the_database(cast: Any, settings: Any) -> None:
    settings.API_RATE = 5
    token_for(cast.viewer)
    token = ApiToken.objects.get()
    now = timezone.now()
    for _ in range(5):
        assert usage.count_request(f"token:{token.pk}", now)[0]
    # Another app server sees the same row: the sixth request of the minute is refused anywhere.
    assert RateWindow.objects.get().count == 5
    assert not usage.count_request(f"token:{token.pk}", now)[0]
    assert usage.count_request(f"token:{token.pk}", now + datetime.timedelta(minutes=1))[0]
    assert RateWindow.objects.count() == 1


def test_last_used_is_written_at_most_once_a_minute(cast: Any) -> None:
    secret = token_for(cast.viewer)
    _get(secret)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    _get(secret)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    _get(secret)
    assert ApiToken.objects.get().last_used_at > first - datetime.timedelta(minutes=1)
