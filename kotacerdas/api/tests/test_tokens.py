"""Personal access tokens: made on a page or at the console, shown once, stored hashed, revoked."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from kotacerdas.api import services, usage
from kotacerdas.api.models import ApiToken
from kotacerdas.api.tests.conftest import token_for
from kotacerdas.audit.models import AuditEntry


def test_a_token_is_stored_only_as_its_digest(cast: Any) -> None:
    made = services.create_token(actor=cast.viewer, user=cast.viewer, data={"name": "Dasbor"})
    row = ApiToken.objects.get()
    assert made.secret.startswith(f"kc_{row.prefix}_")
    assert made.secret not in {row.digest, row.prefix, row.name}
    assert row.digest == services.digest(made.secret)
    assert row.scope == "read"
    assert usage.find(made.secret) == row
    assert usage.find(made.secret + "x") is None


def test_people_make_only_their_own_tokens(cast: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_token(actor=cast.ministry, user=cast.viewer, data={"name": "x"})


def test_the_page_makes_a_token_shows_it_once_and_audits_it(cast: Any, english: Any) -> None:
    client = cast.client(cast.editor)
    response = client.post("/akun/token-api/", {"name": "Dasbor Diskominfo", "scope": "write"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["made"].secret
    assert secret.encode() in response.content
    assert usage.find(secret) == token
    assert secret.encode() not in client.get("/akun/token-api/").content
    assert AuditEntry.objects.filter(object_type="api.ApiToken", action="create").count() == 1


def test_the_page_keeps_the_input_and_names_the_problem(cast: Any, english: Any) -> None:
    client = cast.client(cast.editor)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post("/akun/token-api/", {"name": "Dasbor", "scope": "write", "expires_on": yesterday})
    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert b'value="Dasbor"' in response.content
    assert not ApiToken.objects.exists()


def test_the_token_page_needs_a_sign_in(cast: Any) -> None:
    response = Client().get("/akun/token-api/")
    assert response.status_code == 302


def test_the_owner_revokes_a_token_and_it_stops_working(cast: Any) -> None:
    secret = token_for(cast.viewer, "read")
    token = ApiToken.objects.get()
    response = cast.client(cast.viewer).post(f"/akun/token-api/{token.pk}/cabut/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == cast.viewer
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/regions").status_code == 401
    assert AuditEntry.objects.filter(object_type="api.ApiToken", action="update").count() == 1


def test_another_persons_token_is_not_found_unless_ministry(cast: Any) -> None:
    token_for(cast.viewer)
    token = ApiToken.objects.get()
    for person in (cast.owner, cast.outsider, cast.mentor, cast.editor):
        assert cast.client(person).post(f"/akun/token-api/{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    page = cast.client(cast.ministry).get("/akun/token-api/")
    assert token.prefix.encode() in page.content
    assert cast.client(cast.ministry).post(f"/akun/token-api/{token.pk}/cabut/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == cast.ministry


def test_revoke_is_a_post(cast: Any) -> None:
    token_for(cast.viewer)
    token = ApiToken.objects.get()
    assert cast.client(cast.viewer).get(f"/akun/token-api/{token.pk}/cabut/").status_code == 405


def test_the_console_creates_lists_and_revokes_tokens(cast: Any) -> None:
    out = io.StringIO()
    call_command("api", "token", "create", "editor", "--name", "SIPD", "--scope", "write", "--json", stdout=out)
    made = json.loads(out.getvalue())
    assert made["user"] == "editor" and made["scope"] == "write"
    assert Client(HTTP_AUTHORIZATION=f"Bearer {made['token']}").get("/api/v1/regions").status_code == 200
    out = io.StringIO()
    call_command("api", "token", "list", "--json", stdout=out)
    assert [row["prefix"] for row in json.loads(out.getvalue())] == [made["prefix"]]
    call_command("api", "token", "revoke", f"kc_{made['prefix']}", stdout=io.StringIO())
    out = io.StringIO()
    call_command("api", "token", "list", stdout=out)
    assert out.getvalue().strip() == "No tokens."


def test_the_console_names_a_bad_argument(cast: Any) -> None:
    with pytest.raises(CommandError, match="name"):
        call_command("api", "token", "create", "editor", "--name", " ", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("api", "token", "create", "nobody", "--name", "x", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No token"):
        call_command("api", "token", "revoke", "kc_ffffffff", stdout=io.StringIO())


def test_sending_the_form_twice_makes_one_token_and_names_the_problem(cast: Any, english: Any) -> None:
    client = cast.client(cast.editor)
    first = client.post("/akun/token-api/", {"name": "Dasbor", "scope": "read"})
    assert first.status_code == 200 and b'name="name" maxlength="100" required' in first.content
    assert b'value="Dasbor"' not in first.content  # made: the form is empty again
    again = client.post("/akun/token-api/", {"name": " Dasbor ", "scope": "read"})
    assert again.status_code == 400
    assert "You already have an active token named “Dasbor”" in again.content.decode()
    assert b'value=" Dasbor "' in again.content and b"error-summary" in again.content
    assert ApiToken.objects.filter(user=cast.editor).count() == 1
    # Revoked or expired, the name is free again; another person's token of that name never counts.
    services.create_token(actor=cast.viewer, user=cast.viewer, data={"name": "Dasbor"})
    services.revoke_token(actor=cast.editor, token=ApiToken.objects.get(user=cast.editor))
    assert client.post("/akun/token-api/", {"name": "Dasbor", "scope": "read"}).status_code == 200
    ApiToken.objects.filter(user=cast.editor).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert client.post("/akun/token-api/", {"name": "Dasbor", "scope": "read"}).status_code == 200
    assert ApiToken.objects.filter(user=cast.editor).count() == 3


def test_the_token_list_says_status_not_stage(cast: Any, english: Any) -> None:
    services.create_token(actor=cast.editor, user=cast.editor, data={"name": "Dasbor"})
    page = cast.client(cast.editor).get("/akun/token-api/").content.decode()
    assert "<th>Status</th>" in page and "<th>State</th>" not in page
