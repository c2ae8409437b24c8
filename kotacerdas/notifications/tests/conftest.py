"""Notification fixtures: region A's plan (adopted, monitored) and its assistance, with e-mail
addresses on the cast so that mail preferences matter."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.engagements.tests.conftest import forum  # noqa: F401 (the fixture, shared)
from kotacerdas.monitoring.tests.conftest import monitored  # noqa: F401
from kotacerdas.plans.tests.conftest import plan  # noqa: F401


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages."""


@pytest.fixture
def mailed(cast: Any) -> Any:
    """The cast with e-mail addresses."""
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.go.id")
    for name in ("owner", "editor", "viewer", "outsider", "mentor", "ministry"):
        getattr(cast, name).refresh_from_db()
    return cast
