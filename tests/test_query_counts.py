"""The region pages cost a fixed number of queries whatever the number and size of regions.

The data builder is the benchmark's (bench/region_home_queries.py), on a smaller scale here.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.region_home_queries import build_region
from kotacerdas.accounts.models import Membership, User
from kotacerdas.frameworks.loader import load_all

pytestmark = pytest.mark.django_db

OPDS = 40
MORE_REGIONS = 9  # 1 region, then 10


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_region_pages_cost_the_same_queries_for_1_and_for_10_regions_of_40_agencies():
    load_all()
    first = build_region(0, OPDS)
    ministry = User.objects.create_user(username="ministry", is_ministry=True)
    admin = User.objects.create_user(username="admin")
    Membership.objects.create(user=admin, region=first, role="admin")
    urls = [f"/wilayah/{first.code}/", f"/wilayah/{first.code}/opd/", f"/wilayah/{first.code}/profil/"]
    clients = {"ministry": _signed_in(ministry), "admin": _signed_in(admin)}
    small = {(who, url): _count(client, url) for who, client in clients.items() for url in urls}
    # Pinned: a change here is a decision, not drift. The home is the cockpit (web.cockpit; here
    # a region with no plan, sessions or evaluation yet: tests/web test it at 300 programmes); the
    # agency list and the profile read the region's profile; each page asks the header's unread
    # notifications once.
    pinned = {urls[0]: 13, urls[1]: 13, urls[2]: 13}
    assert small == {(who, url): pinned[url] for who, url in small}, small

    last = first
    for index in range(1, 1 + MORE_REGIONS):
        last = build_region(index, OPDS)
        Membership.objects.create(user=User.objects.create_user(username=f"admin{index}"), region=last, role="admin")
    large = {(who, url): _count(client, url) for who, client in clients.items() for url in urls}
    assert large == small

    # The last region costs what the first one did, and so does a tiny one: a query per agency or
    # per member would show here, where regions of equal size alone would hide it.
    tiny = build_region(1 + MORE_REGIONS, opds=2, members=1)
    for code in (last.code, tiny.code):
        assert _count(clients["ministry"], f"/wilayah/{code}/") == small[("ministry", urls[0])]
        assert _count(clients["ministry"], f"/wilayah/{code}/opd/") == small[("ministry", urls[1])]
        assert _count(clients["ministry"], f"/wilayah/{code}/profil/") == small[("ministry", urls[2])]


def test_the_admin_of_another_region_gets_404_for_the_region_pages():
    load_all()
    first, other = build_region(0, OPDS), build_region(1, OPDS)
    outsider = User.objects.create_user(username="outsider")
    Membership.objects.create(user=outsider, region=other, role="admin")
    client = _signed_in(outsider)
    for url in (f"/wilayah/{first.code}/", f"/wilayah/{first.code}/opd/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Dinas Bench" not in response.content
    assert client.get(f"/wilayah/{other.code}/").status_code == 200
