"""The publication switches: only the region admin, audited, version-checked; page, service and CLI."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.monitoring.tests.bulk import add_programmes
from kotacerdas.plans.models import QuickWinFlag
from kotacerdas.portal import services
from kotacerdas.portal.models import Publication
from kotacerdas.portal.tests.conftest import Published
from kotacerdas.regions.models import Region

A = "13.72"
ALL_OFF = {"version": "0"}


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages."""


def test_the_region_admin_switches_parts_on_and_the_change_is_audited(cast: Any) -> None:
    client = cast.client(cast.owner)
    url = reverse("portal:settings", args=[A])
    page = client.get(url)
    assert page.status_code == 200 and 'name="plan"' in page.content.decode()
    response = client.post(url, {"plan": "on", "books": "on", "version": "0"})
    assert response.status_code == 302
    publication = Publication.objects.get(region=cast.region_a)
    assert publication.published() == {"plan", "books"} and publication.version == 1
    assert publication.updated_by == cast.owner
    entry = AuditEntry.objects.get(region=cast.region_a, action="publish", object_type="portal.Publication")
    assert entry.before is None and entry.after["plan"] is True and entry.after["evaluation"] is False
    assert entry.actor == cast.owner
    client.post(url, {"plan": "on", "version": "1"})
    latest = AuditEntry.objects.filter(action="publish").order_by("-id").first()
    assert latest is not None and latest.before["books"] is True and latest.after["books"] is False


@pytest.mark.parametrize("who", ["editor", "viewer", "mentor", "ministry"])
def test_nobody_but_the_region_admin_may_switch(cast: Any, who: str) -> None:
    client = cast.client(getattr(cast, who))
    url = reverse("portal:settings", args=[A])
    assert client.get(url).status_code == 403
    assert client.post(url, {"plan": "on", "version": "0"}).status_code == 403
    assert not Publication.objects.exists()
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.set_publication(actor=actor, region=cast.region_a, parts={"plan": True}, expected_version=0)


def test_an_outsider_does_not_find_the_settings_and_the_public_is_sent_to_sign_in(cast: Any) -> None:
    url = reverse("portal:settings", args=[A])
    assert cast.client(cast.outsider).get(url).status_code == 404
    assert cast.client(cast.outsider).post(url, {"plan": "on", "version": "0"}).status_code == 404
    assert cast.client(None).get(url).status_code == 302
    with pytest.raises(PermissionDenied):
        services.set_publication(actor=cast.outsider, region=cast.region_a, parts={"plan": True}, expected_version=0)
    assert not Publication.objects.exists()


def test_a_stale_or_missing_version_is_a_conflict_that_keeps_the_input(cast: Any) -> None:
    services.set_publication(actor=cast.owner, region=cast.region_a, parts={"plan": True}, expected_version=0)
    client = cast.client(cast.owner)
    url = reverse("portal:settings", args=[A])
    stale = client.post(url, {"indicators": "on", "version": "0"})
    assert stale.status_code == 409
    assert "Someone else saved" in stale.content.decode()
    assert re.search(r'<input type="checkbox" name="indicators"[^>]*checked>', stale.content.decode())
    assert client.post(url, {"indicators": "on"}).status_code == 409
    assert client.post(url, {"indicators": "on", "version": "x"}).status_code == 409
    assert Publication.objects.get(region=cast.region_a).published() == {"plan"}
    with pytest.raises(EditConflict):
        services.set_publication(actor=cast.owner, region=cast.region_a, parts={"plan": False}, expected_version=7)


def test_the_service_names_a_bad_part_or_value(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.set_publication(actor=cast.owner, region=cast.region_a, parts={"secrets": True}, expected_version=0)
    assert "part" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.set_publication(actor=cast.owner, region=cast.region_a, parts={"plan": "yes"}, expected_version=0)
    assert "plan" in error.value.error_dict


def test_the_command_publishes_a_part_and_prints_the_state(cast: Any) -> None:
    out = StringIO()
    call_command("portal", "publish", A, "evaluation", "on", "--json", stdout=out)
    state = json.loads(out.getvalue())
    assert state["parts"]["evaluation"] is True and state["parts"]["plan"] is False
    call_command("portal", "publish", A, "evaluation", "off", stdout=StringIO())
    out = StringIO()
    call_command("portal", "status", A, stdout=out)
    assert "evaluation: off" in out.getvalue()
    assert AuditEntry.objects.filter(action="publish", actor_name="system").count() == 2
    for bad in [("99.99", "plan", "on"), (A, "secrets", "on"), (A, "plan", "maybe")]:
        with pytest.raises(CommandError) as error:
            call_command("portal", "publish", *bad, stdout=StringIO())
        assert error.value.returncode == 2


def _queries(url: str, client: Any) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_plan(published: Published) -> None:
    from django.test import Client

    client = Client()
    names = ["portal:region", "portal:plan", "portal:quick_wins", "portal:indicators", "portal:books"]
    names += ["portal:evaluation"]
    urls = [reverse(name, args=[A]) for name in names]
    urls += [reverse("portal:table", args=[A, slug, "json"]) for slug in ("programmes", "indicators", "quick-wins")]
    urls += [reverse("portal:index"), reverse("portal:catalogue", args=[A])]
    small = {url: _queries(url, client) for url in urls}
    made = add_programmes(published.edition, programmes=60, quarters=2, indicators=30, actuals=2, prefix="Q")
    QuickWinFlag.objects.bulk_create(
        QuickWinFlag(region_id=published.region.pk, programme=p, year=2025) for p in made[:20]
    )
    Region.objects.filter(pk=published.region.pk).update(name="Solok")  # another region would not matter
    large = {url: _queries(url, client) for url in urls}
    assert large == small
    # The stamp (2), the page's own reads (at most 6) and the database cache's get and set (about 5).
    assert max(small.values()) <= 14


def test_a_cached_page_costs_the_stamp_only(published: Published) -> None:
    from django.test import Client

    client, url = Client(), reverse("portal:indicators", args=[A])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # The stamp (two queries), the cached page (one); sessions are not touched without a cookie.
    assert len(queries) <= 3


def test_the_profile_links_the_settings_for_the_admin_only(cast: Any) -> None:
    url = reverse("portal:settings", args=[A])
    profile = reverse("regions:profile", args=[A])
    assert url in cast.client(cast.owner).get(profile).content.decode()
    for who in (cast.editor, cast.viewer, cast.ministry):
        assert url not in cast.client(who).get(profile).content.decode()


def test_the_switches_keep_the_capitals_of_their_labels(cast: Any) -> None:
    page = cast.client(cast.owner).get(reverse("portal:settings", args=[A])).content.decode()
    assert '<label for="id_books">Adopted books (PDF)</label>' in page
    assert "(pdf)" not in page
