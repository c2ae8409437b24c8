"""Data built once for a whole test module, each test still rolling back its own changes.

Django's ``TestCase.setUpTestData`` for pytest: a module-scoped fixture builds the expensive data
(the demo, a solved quick-win round) inside an outer transaction that stays open for the module;
every test's own transaction (pytest-django's ``db``) nests in it as a savepoint and is rolled back
as usual, and the outer transaction is rolled back when the module is done. Tests get a deep copy
of the built objects, as ``setUpTestData`` gives, so one test changing an instance in memory does
not leak into the next.

Only for tests on ``db``: a test with ``transaction=True``, ``transactional_db`` or
``live_server`` needs committed data (a job worker, a browser); in a module with shared data it is
refused with a clear error (conftest.py), so it lives in a module of its own. pytest-django runs the
committing tests after the others, by which time the module's transaction is gone.

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
_open = 0  # shared transactions open in this process


def shared_data(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture to ``yield from``: ``build()`` runs in the module's outer
    transaction and its result is shared by the module's tests; everything is rolled back after
    the last one. The database stays blocked between tests, as for any test without ``db``."""
    global _open
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        _open += 1
        try:
            value = build()
        except BaseException:
            _open -= 1
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield value
    finally:
        _open -= 1
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def commits(request: pytest.FixtureRequest) -> bool:
    """Whether the test needs committed data (``transaction=True``, ``transactional_db``, ``live_server``)."""
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


def refuse_commits_under_shared_data(request: pytest.FixtureRequest) -> None:
    """Fail a committing test that would run inside a module's shared transaction (its data would
    never be committed): it belongs in a module without shared data (see quickwins/tests/test_jobs.py)."""
    if _open and commits(request):
        pytest.fail(
            "this test commits, but its module shares data in an open transaction: move it to a module "
            "without shared data",
            pytrace=False,
        )


def per_test(shared: T, request: pytest.FixtureRequest) -> T:
    """The shared objects for one test: a deep copy, as ``setUpTestData`` gives."""
    refuse_commits_under_shared_data(request)
    return copy.deepcopy(shared)
