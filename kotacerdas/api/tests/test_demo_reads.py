"""Every read endpoint on the Kota Solok demo, as each of its roles and as Sawahlunto's admin (the
outsider): the quick-win rounds and results and the assistance reach real rows here."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kotacerdas.api import services
from tests.support import snapshot
from tests.support.shared import per_test, shared_data

SOLOK = "13.72"
INSIDERS = ["solok.admin", "solok.editor", "solok.dewan", "mentor.ugm", "kementerian"]


def _build() -> dict[str, Any]:
    from kotacerdas.accounts.models import User
    from kotacerdas.engagements.models import Session
    from kotacerdas.monitoring.models import ProgrammeUpdate
    from kotacerdas.plans.models import Programme
    from kotacerdas.quickwins.models import SelectionRound

    snapshot.demo()
    tokens = {
        user.username: services.create_token(actor=None, user=user, data={"name": "t"}).secret
        for user in User.objects.filter(username__in=[*INSIDERS, "sawahlunto.admin"])
    }
    confirmed = SelectionRound.objects.filter(region__code=SOLOK, solves__isnull=False).first()
    programme = Programme.objects.filter(region__code=SOLOK).order_by("id").first()
    edition_year = programme.edition.year if programme else None
    update = ProgrammeUpdate.objects.filter(region__code=SOLOK).first()
    session = Session.objects.filter(region__code=SOLOK).first()
    base = f"/api/v1/regions/{SOLOK}"
    urls = [
        base,
        f"{base}/agencies",
        f"{base}/governance-bodies",
        f"{base}/editions",
        f"{base}/editions/{edition_year}",
        f"{base}/editions/{edition_year}/findings",
        f"{base}/programmes",
        f"{base}/updates",
        f"{base}/actuals",
        f"{base}/quick-win-rounds",
        f"{base}/engagements",
        f"{base}/sessions",
        f"{base}/actions",
        f"{base}/obstacles",
        f"{base}/evaluations",
        f"{base}/evaluations/2025",
    ]
    if programme:
        urls.append(f"{base}/programmes/{programme.pk}")
    if update:
        urls.append(f"{base}/updates/{update.pk}")
    if session:
        urls.append(f"{base}/sessions/{session.pk}")
    if confirmed:
        urls += [f"{base}/quick-win-rounds/{confirmed.year}", f"{base}/quick-win-rounds/{confirmed.year}/result"]
    return {"tokens": tokens, "urls": urls, "confirmed": bool(confirmed), "update": bool(update)}


@pytest.fixture(scope="module")
def _demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    yield from shared_data(django_db_blocker, _build)


@pytest.fixture
def demo(_demo: dict[str, Any], request: pytest.FixtureRequest, db: Any, settings: Any) -> dict[str, Any]:
    settings.API_RATE = 100_000
    return per_test(_demo, request)


def _client(demo: dict[str, Any], username: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {demo['tokens'][username]}")


def test_the_demo_has_what_the_endpoints_show(demo: dict[str, Any]) -> None:
    assert demo["confirmed"] and demo["update"]


@pytest.mark.parametrize("username", INSIDERS)
def test_each_role_of_the_region_reads_every_endpoint(demo: dict[str, Any], username: str) -> None:
    client = _client(demo, username)
    for url in demo["urls"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        if "results" in response.json() and not url.endswith(("findings", "actions", "obstacles")):
            assert response.json()["count"] > 0, url


def test_the_outsider_gets_404_for_every_endpoint(demo: dict[str, Any]) -> None:
    client = _client(demo, "sawahlunto.admin")
    for url in demo["urls"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_the_result_names_the_chosen_quick_wins(demo: dict[str, Any]) -> None:
    url = next(u for u in demo["urls"] if u.endswith("/result"))
    body = _client(demo, "solok.dewan").get(url).json()
    assert body["selection"]
    chosen = {row["programme"] for row in body["candidates"] if row["selected"]}
    assert chosen == set(body["selection"])
    assert [row["rank"] for row in body["candidates"]] == sorted(row["rank"] for row in body["candidates"])


def test_a_draft_evaluation_is_the_ministrys_alone(demo: dict[str, Any]) -> None:
    from kotacerdas.evaluation.models import Evaluation

    url = f"/api/v1/regions/{SOLOK}/evaluations"
    released = _client(demo, "solok.dewan").get(url).json()
    assert [(e["year"], e["status"]) for e in released["results"]] == [(2025, "released")]
    assert released["results"][0]["scores"]
    Evaluation.objects.filter(region__code=SOLOK).update(status="draft")
    assert _client(demo, "solok.dewan").get(url).json()["count"] == 0
    assert _client(demo, "solok.admin").get(url + "/2025").status_code == 404
    assert _client(demo, "kementerian").get(url).json()["count"] == 1
