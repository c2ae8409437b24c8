"""The shared cast: two regions and the people around them, used by every test module.

Region A (Kota Solok-like, 13.72): ``owner`` (region admin), ``editor`` (tied to Diskominfo),
``viewer`` (a Dewan member). Region B (13.73): ``outsider`` (its region admin).
``mentor`` is assigned to A only; ``ministry`` sees everything.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from kotacerdas.accounts.models import Membership, User
from kotacerdas.frameworks.loader import load_all
from kotacerdas.regions import services as region_services
from kotacerdas.regions.models import OPD, GovernanceBody, Region
from tests.support import emptying, snapshot
from tests.support.shared import commits, refuse_commits_under_shared_data

# Property tests check behaviour, not speed: on a busy CI machine (two workers, a browser, a
# database) an example may take longer than Hypothesis's default 200 ms or its generation may be
# "too slow", and neither says anything about the code.
hypothesis_settings.register_profile("kotacerdas", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("kotacerdas")

PASSWORD = "cast-password-123"


@dataclass
class Cast:
    region_a: Region
    region_b: Region
    opd_a: OPD
    opd_b: OPD
    body_a: GovernanceBody
    body_b: GovernanceBody
    owner: User
    editor: User
    viewer: User
    outsider: User
    mentor: User
    ministry: User

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def _user(username: str, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username.title(), **extra)
    return user


@pytest.fixture
def frameworks(db: Any, request: pytest.FixtureRequest) -> None:
    snapshot.built("frameworks", request, load_all)


@pytest.fixture
def cast(db: Any, frameworks: None, request: pytest.FixtureRequest) -> Cast:
    return snapshot.built("cast", request, build_cast)


def build_cast() -> Cast:
    """The cast itself, for fixtures that build it once per module (tests/support/shared.py);
    the frameworks must be loaded first."""
    region_a = region_services.create_region(
        actor=None,
        data={"code": "13.72", "name": "Solok", "kind": "kota", "province": "Sumatera Barat", "time_zone": "WIB"},
    )
    region_b = region_services.create_region(
        actor=None,
        data={"code": "13.73", "name": "Sawahlunto", "kind": "kota", "province": "Sumatera Barat", "time_zone": "WIB"},
    )
    region_services.set_population(actor=None, region=region_a, year=2020, population=73438, expected_version=0)
    start = datetime.date(2017, 1, 1)
    opd_a = region_services.create_opd(
        actor=None,
        region=region_a,
        data={
            "name": "Dinas Komunikasi dan Informatika",
            "abbreviation": "Diskominfo",
            "kind": "dinas",
            "valid_from": start,
        },
    )
    opd_b = region_services.create_opd(
        actor=None,
        region=region_b,
        data={
            "name": "Dinas Komunikasi dan Informatika",
            "abbreviation": "Diskominfo",
            "kind": "dinas",
            "valid_from": start,
        },
    )
    body_a = region_services.create_body(
        actor=None, region=region_a, data={"kind": "dewan", "name": "Dewan Smart City Kota Solok"}
    )
    body_b = region_services.create_body(
        actor=None, region=region_b, data={"kind": "dewan", "name": "Dewan Smart City Kota Sawahlunto"}
    )
    owner, editor, viewer = _user("owner"), _user("editor"), _user("viewer")
    outsider, mentor, ministry = _user("outsider"), _user("mentor"), _user("ministry", is_ministry=True)
    Membership.objects.create(user=owner, region=region_a, role="admin")
    Membership.objects.create(user=editor, region=region_a, role="editor", opd=opd_a)
    Membership.objects.create(user=viewer, region=region_a, role="viewer")
    Membership.objects.create(user=outsider, region=region_b, role="admin")
    Membership.objects.create(user=mentor, region=region_a, role="mentor")
    return Cast(region_a, region_b, opd_a, opd_b, body_a, body_b, owner, editor, viewer, outsider, mentor, ministry)


def pytest_configure(config: pytest.Config) -> None:
    emptying.install()  # committing tests: the rows deleted afterwards, not the tables truncated


def pytest_collection_finish(session: pytest.Session) -> None:
    """The objects alive once the tests are collected (Django, the modules, 2,400 test items) are
    kept out of the garbage collector's way, and it runs less often: each of its full passes walked
    them all again, about 9 % of a worker's time (bench/test-suite.md, "Sixth round")."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


# A test that asks for none of these cannot reach the database (pytest-django refuses it any query).
# ``django_db_blocker`` counts only when the test asks for it itself: pytest-django's own autouse
# fixtures put it in every test's closure.
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_setup",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


# Tests that keep a worker busy for a minute or more run first: dealt out last, under pytest-xdist,
# one keeps a worker busy while the other has nothing left (bench/test-suite.md, "Per worker"): the
# laptop-to-PostgreSQL move, and the guards that share one walk of the demo per worker that gets one
# of them (together, one worker walks). The guards that commit (in a browser) stay where they are:
# they must not run while the walk's shared transaction is open.
LONG_FIRST_MODULES = ("kotacerdas/web/tests/test_migrate_to_postgres.py",)
LONG_FIRST_FIXTURES = {"demo_site"}


def _long(item: pytest.Item) -> bool:
    uses = set(getattr(item, "fixturenames", ()))
    return item.nodeid.startswith(LONG_FIRST_MODULES) or bool(uses & LONG_FIRST_FIXTURES)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """Mark the tests whose outcome no database can change (``no_database``) before ``-m`` selects
    (the SQLite step of CI leaves them out, as they ran in the PostgreSQL step:
    docs/decisions/0016-ci-time.md); once selected, and ordered by pytest-django (database tests
    first), put the long tests first."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if (
            not set(info.names_closure) & _DATABASE_FIXTURES
            and "django_db_blocker" not in info.argnames
            and item.get_closest_marker("django_db") is None
            and item.get_closest_marker("database_in_subprocess") is None
        ):
            item.add_marker(pytest.mark.no_database)
    yield
    items.sort(key=lambda item: not _long(item))  # stable: the rest keep their order


@pytest.fixture(autouse=True)
def _no_commits_under_shared_data(request: pytest.FixtureRequest) -> Iterator[None]:
    refuse_commits_under_shared_data(request)
    yield
    if commits(request):
        snapshot.forget()  # the database was emptied, perhaps by a flush that renumbers the content types


@pytest.fixture(autouse=True)
def _pages_built_unless_the_test_is_about_kept_pages(request: pytest.FixtureRequest, settings: Any) -> None:
    """Tests build and change their data with the ORM, without the audit entries that move a
    kept page on (lib/pagecache.py), and they pin what building a page costs: so pages are built
    on every request, except in the tests of the cache itself (``@pytest.mark.page_cache``),
    which start from an empty cache and change data only through the services."""
    caches["pages"].clear()
    settings.PAGE_CACHE = bool(request.node.get_closest_marker("page_cache"))


@pytest.fixture
def english(settings: Any) -> Any:
    """English messages for tests that read them: requests without a language choice and services
    get English (the product defaults to Indonesian; a test that wants it sets the cookie)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
