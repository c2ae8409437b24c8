"""Data built once for a whole test module, each test still rolling back its own changes.

Django's ``TestCase.setUpTestData`` for pytest: a module-scoped fixture builds the expensive data
(the demo, a solved quick-win round) inside an outer transaction that stays open for the module;
every test's own transaction (pytest-django's ``db``) nests in it as a savepoint and is rolled back
as usual, and the outer transaction is rolled back when the module is done. Tests get a deep copy
of the built objects, as ``setUpTestData`` gives, so one test changing an instance in memory does
not leak into the next.

Only for tests on ``db``: a test with ``transaction=True``, ``transactional_db`` or
``live_server`` needs committed data (a job worker, a browser) and is refused with a clear error.

    def build_demo():
        load_demo()
        return Engagement.objects.get(region__code="13.72", cohort__year=2024)

    @pytest.fixture(scope="module")
    def _demo(django_db_setup, django_db_blocker):
        yield from shared_data(django_db_blocker, build_demo)

    @pytest.fixture
    def demo(_demo, request, db):
        return per_test(_demo, request)
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.db import transaction

T = TypeVar("T")


def shared_data(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture to ``yield from``: ``build()`` runs in the module's outer
    transaction and its result is shared by the module's tests; everything is rolled back after
    the last one. The database stays blocked between tests, as for any test without ``db``."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            value = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def per_test(shared: T, request: pytest.FixtureRequest) -> T:
    """The shared objects for one test: a deep copy, refused to a test that commits."""
    marker = request.node.get_closest_marker("django_db")
    commits = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if commits or {"transactional_db", "live_server"} & set(request.fixturenames):
        pytest.fail(
            "module-shared data lives in an open transaction; a test that commits (transaction=True, "
            "transactional_db, live_server) must build its own",
            pytrace=False,
        )
    return copy.deepcopy(shared)
