"""After a committing test the database is emptied by deleting rows (tests/support/emptying.py):
the next test starts from no rows but the content types and permissions, which keep their ids."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TransactionTestCase

from conftest import build_cast
from kotacerdas.frameworks.loader import load_all
from kotacerdas.lib import tables
from tests.support.emptying import KEPT, empty


def _rows_outside_the_kept_tables() -> dict[str, int]:
    counts = {}
    for model in tables.copied_models():
        if model._meta.db_table not in KEPT:
            counts[model._meta.db_table] = model._base_manager.count()
    return {table: count for table, count in counts.items() if count}


@pytest.mark.django_db(transaction=True)
def test_after_a_committing_test_no_rows_are_left_and_the_content_types_keep_their_ids() -> None:
    load_all()
    build_cast()
    content_types = sorted(ContentType.objects.values_list("pk", "app_label", "model"))
    permissions = Permission.objects.count()
    assert len(_rows_outside_the_kept_tables()) > 5

    TransactionTestCase()._fixture_teardown()  # what pytest-django runs after a committing test

    assert _rows_outside_the_kept_tables() == {}
    assert sorted(ContentType.objects.values_list("pk", "app_label", "model")) == content_types
    assert Permission.objects.count() == permissions > 0


@pytest.mark.django_db(transaction=True)
def test_emptying_deletes_rows_that_point_at_each_other() -> None:
    load_all()
    build_cast()
    empty(connection)
    assert _rows_outside_the_kept_tables() == {}
