"""Security headers (issue 14 §3): the Content-Security-Policy, Permissions-Policy and the rest,
on public and signed-in pages, htmx partials and error pages; the report-only mode; the report
endpoint; HSTS preloading only when configured."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from kotacerdas.lib.security import REPORT_PATH
from kotacerdas.plans.tests.conftest import Plan, plan  # noqa: F401  (the fixture, re-used)
from kotacerdas.web.tests.test_configuration import _run
from kotacerdas.web.tests.test_error_pages import production  # noqa: F401  (the fixture, re-used)

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        found[name] = sources
    return found


def assert_strict_policy(response) -> None:
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no nonce
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response


def assert_other_headers(response) -> None:
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_public_pages_carry_the_policy(cast):
    for path in ("/", reverse("login"), reverse("password_reset")):
        response = Client().get(path)
        assert response.status_code == 200, path
        assert_strict_policy(response)
        assert_other_headers(response)


def test_signed_in_pages_and_htmx_partials_carry_the_policy(cast):
    client = cast.client(cast.owner)
    for response in (
        client.get("/wilayah/13.72/"),
        client.get("/", {"q": "Sol"}, headers={"hx-request": "true"}),
    ):
        assert response.status_code == 200
        assert_strict_policy(response)
        assert_other_headers(response)


def test_only_the_chapter_editor_allows_style_attributes_and_nothing_else(cast, plan):  # noqa: F811
    url = reverse("plans:section_edit", args=["13.72", plan.edition.year, "b1-gap"])
    response = cast.client(cast.editor).get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy.pop("style-src-attr") == ["'unsafe-inline'"]  # TinyMCE (decision 0010)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert "unsafe" not in " ".join(" ".join(sources) for sources in policy.values())
    # The chapter's own page, and the editor's refusal to an outsider, stay strict.
    assert_strict_policy(
        cast.client(cast.editor).get(reverse("plans:section", args=["13.72", plan.edition.year, "b1-gap"]))
    )
    outsider = cast.client(cast.outsider).get(url)
    assert outsider.status_code == 404
    assert "style-src-attr" not in outsider["Content-Security-Policy"]


def test_the_outsiders_404_and_the_error_pages_carry_the_policy(production, cast):  # noqa: F811
    response = cast.client(cast.outsider).get("/wilayah/13.72/")
    assert response.status_code == 404
    assert_strict_policy(response)
    client = Client(raise_request_exception=False)
    for path, status in (("/test-errors/500/", 500), ("/test-errors/400/", 400)):
        response = client.get(path)
        assert response.status_code == status
        assert_strict_policy(response)
        html = response.content.decode()
        assert "<style" not in html and 'href="/static/kotacerdas/error.css"' in html


def test_debug_error_pages_are_left_without_the_policy_for_djangos_inline_styles(settings, cast):
    settings.DEBUG = True
    client = Client()
    assert "Content-Security-Policy" not in client.get("/no-such-page/")
    assert "camera=()" in client.get("/no-such-page/")["Permissions-Policy"]
    assert_strict_policy(client.get("/"))


def test_files_and_json_get_no_page_policy_but_the_permissions_policy(cast):
    response = Client().get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "Content-Security-Policy" not in response
    assert "camera=()" in response["Permissions-Policy"]


def test_report_only_mode_sends_the_same_policy_without_enforcing_it(settings, cast):
    settings.CSP_REPORT_ONLY = True
    response = Client().get("/")
    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"])["script-src"] == ["'self'"]


def test_the_policy_reports_to_the_report_view():
    assert reverse("web:csp_report") == REPORT_PATH


def test_a_violation_report_is_logged_and_answered_with_204(caplog):
    report = {
        "csp-report": {
            "document-uri": "https://kotacerdas.example/wilayah/13.72/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level(logging.WARNING, logger="kotacerdas.web.views"):
        response = Client().post(REPORT_PATH, json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if "Content-Security-Policy" in r.getMessage()]
    assert record.csp_violated_directive == "script-src-elem"
    assert record.csp_document_uri == "https://kotacerdas.example/wilayah/13.72/"


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps({"other": 1}), json.dumps([1]), json.dumps({"csp-report": "x"}), "x" * 9000],
)
def test_a_malformed_or_oversized_report_is_refused_without_logging(body, caplog):
    with caplog.at_level(logging.WARNING, logger="kotacerdas.web.views"):
        response = Client().post(REPORT_PATH, body, content_type="application/csp-report")
    assert response.status_code == 400
    assert not [r for r in caplog.records if "Content-Security-Policy" in r.getMessage()]


def test_the_report_view_takes_only_posts():
    assert Client().get(REPORT_PATH).status_code == 405


PRODUCTION = {
    "KOTACERDAS_SECRET_KEY": "k" * 20 + "a-long-and-random-production-secret-0123456789",
    "KOTACERDAS_ALLOWED_HOSTS": "kotacerdas.example",
}
SHOW_HSTS = [
    "shell",
    "--no-imports",
    "-c",
    "from django.conf import settings as s; "
    "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.CSP_REPORT_ONLY)",
]


def test_hsts_preload_is_off_unless_configured(tmp_path):
    result = _run(SHOW_HSTS, **PRODUCTION, KOTACERDAS_DATA_DIR=str(tmp_path))
    assert result.stdout.split() == ["31536000", "True", "False", "False"], result.stderr
    result = _run(
        SHOW_HSTS,
        **PRODUCTION,
        KOTACERDAS_DATA_DIR=str(tmp_path),
        KOTACERDAS_SECURE_HSTS_PRELOAD="true",
        KOTACERDAS_CSP_REPORT_ONLY="true",
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr


def test_hsts_preload_without_its_conditions_stops_start_up(tmp_path):
    result = _run(
        ["check"],
        **PRODUCTION,
        KOTACERDAS_DATA_DIR=str(tmp_path),
        KOTACERDAS_SECURE_HSTS_PRELOAD="true",
        KOTACERDAS_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
    )
    assert result.returncode == 2
    assert "KOTACERDAS_SECURE_HSTS_PRELOAD" in result.stderr
