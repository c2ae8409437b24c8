"""The fixtures' snapshots (tests/support/snapshot.py): a test given the rows back sees exactly what
a real build leaves, and a build that cannot be snapshot safely is run for real every time."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from conftest import build_cast
from kotacerdas.accounts.models import Membership, User
from kotacerdas.frameworks.loader import load_all
from kotacerdas.plans.models import MasterPlan
from kotacerdas.regions.models import Region
from tests.support import snapshot

_keys = itertools.count()


def _key() -> str:
    return f"probe-{next(_keys)}"


def _frameworks_and_cast() -> Any:
    load_all()
    return build_cast()


def _in_a_rolled_back_block(function: Any) -> Any:
    with transaction.atomic():
        result = function()
        transaction.set_rollback(True)
    return result


def test_rows_put_back_are_the_rows_the_build_left(db: Any, request: pytest.FixtureRequest) -> None:
    key = _key()
    taken, restored = snapshot.taken, snapshot.restored

    def build_and_read() -> Any:
        return snapshot.built(key, request, _frameworks_and_cast), snapshot._read()

    first, rows_built = _in_a_rolled_back_block(build_and_read)
    assert snapshot.taken == taken + 1
    assert not Region.objects.exists()  # rolled back with the block

    second, rows_put_back = _in_a_rolled_back_block(build_and_read)
    assert snapshot.restored == restored + 1
    assert rows_put_back == rows_built
    assert sum(len(rows) for rows in rows_built.values()) > 100  # frameworks, regions, people, audit
    # The same objects, as copies: a test changing one in memory does not change the next test's.
    assert second is not first and second.owner is not first.owner
    assert (second.owner.pk, second.region_a.pk, second.opd_a.pk) == (first.owner.pk, first.region_a.pk, first.opd_a.pk)
    assert second.editor.check_password("cast-password-123")


def test_new_rows_after_a_put_back_get_free_keys(db: Any, request: pytest.FixtureRequest) -> None:
    key = _key()
    _in_a_rolled_back_block(lambda: snapshot.built(key, request, _frameworks_and_cast))
    cast = snapshot.built(key, request, _frameworks_and_cast)
    someone = User.objects.create_user(username="someone", password="x-password-123")
    membership = Membership.objects.create(user=someone, region=cast.region_b, role="viewer")
    assert someone.pk not in {cast.owner.pk, cast.ministry.pk}
    assert Membership.objects.filter(region=cast.region_b).count() == 2
    assert membership.pk


def test_a_build_that_changes_existing_rows_runs_every_time(db: Any, request: pytest.FixtureRequest) -> None:
    key = _key()
    User.objects.create_user(username="existing", password="x-password-123")
    runs = []

    def build() -> None:
        runs.append(1)
        User.objects.filter(username="existing").update(full_name=f"Run {len(runs)}")
        User.objects.create_user(username=f"new-{len(runs)}", password="x-password-123")

    _in_a_rolled_back_block(lambda: snapshot.built(key, request, build))
    _in_a_rolled_back_block(lambda: snapshot.built(key, request, build))
    assert len(runs) == 2


def test_a_build_pointing_at_the_tests_own_rows_runs_every_time(db: Any, request: pytest.FixtureRequest) -> None:
    key = _key()
    region = Region.objects.create(code="99.01", name="Probe", kind="kota", province="Probe", time_zone="WIB")
    runs = []

    def build() -> None:
        runs.append(1)
        user = User.objects.create_user(username=f"probe-{len(runs)}", password="x-password-123")
        Membership.objects.create(user=user, region=region, role="viewer")

    _in_a_rolled_back_block(lambda: snapshot.built(key, request, build))
    _in_a_rolled_back_block(lambda: snapshot.built(key, request, build))
    assert len(runs) == 2


@pytest.mark.django_db(transaction=True)
def test_committing_tests_build_for_real_and_drop_the_snapshots(request: pytest.FixtureRequest) -> None:
    key = _key()
    runs = []

    def build() -> None:
        runs.append(1)
        User.objects.create_user(username=f"committed-{len(runs)}", password="x-password-123")

    snapshot.built(key, request, build)
    snapshot.built(key, request, build)
    assert len(runs) == 2
    assert not any(name.startswith(f"{key}:") for name in snapshot._snapshots)


def test_each_language_has_its_own_snapshot(db: Any, request: pytest.FixtureRequest) -> None:
    key = _key()

    def named_in_the_language() -> str:
        User.objects.create_user(username=str(_("Monday")), password="x-password-123")
        return str(_("Monday"))

    with translation.override("id"):
        _in_a_rolled_back_block(lambda: snapshot.built(key, request, named_in_the_language))
    with translation.override("en"):
        _in_a_rolled_back_block(lambda: snapshot.built(key, request, named_in_the_language))
        assert _in_a_rolled_back_block(lambda: snapshot.built(key, request, named_in_the_language)) == "Monday"
    with translation.override("id"):
        assert _in_a_rolled_back_block(lambda: snapshot.built(key, request, named_in_the_language)) == "Senin"


def test_the_demo_put_back_is_the_demo_loaded_in_any_language(db: Any, request: pytest.FixtureRequest) -> None:
    # The demo's tables hold more rows than SQLite takes parameters in one statement: batches.
    # It is written in the site's language whichever is active, so one snapshot serves both.
    def demo_and_rows() -> Any:
        return snapshot.demo(request), snapshot._read(), MasterPlan.objects.get(region__code="13.72").title

    snapshot.forget()
    with translation.override("en"):
        loaded, rows_loaded, title = _in_a_rolled_back_block(demo_and_rows)
    assert title == "Masterplan Smart City Kota Solok"
    restored = snapshot.restored
    with translation.override("id"):
        put_back, rows_put_back, _title = _in_a_rolled_back_block(demo_and_rows)
    assert snapshot.restored == restored + 1
    assert rows_put_back == rows_loaded and put_back == loaded
    assert sum(len(rows) for rows in rows_loaded.values()) > 4000
