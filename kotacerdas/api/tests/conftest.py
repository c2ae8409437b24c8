"""API fixtures: region A's adopted plan with quarterly reporting (the monitoring fixture), and
tokens for the cast."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.api import services
from kotacerdas.assessments.tests.conftest import maturity, readiness, templates  # noqa: F401 (fixtures, shared)
from kotacerdas.monitoring.tests.conftest import Monitored, monitored  # noqa: F401 (the fixture, shared)
from kotacerdas.plans.tests.conftest import plan  # noqa: F401
from kotacerdas.reports.tests.conftest import book  # noqa: F401 (the fixture, shared)


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages."""


@pytest.fixture
def one_minute(monkeypatch: Any) -> None:
    """Every request of the test in one minute: the rate count starts a new window (four more
    queries: it makes the new one and drops the old) when a minute turns, which would make a
    query count depend on the clock (seen once in CI: 17 queries against 13)."""
    fixed = timezone.now().replace(second=10, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: fixed)


_made = itertools.count(1)


def token_for(user: Any, scope: str = "write", **extra: Any) -> str:
    """A new token of ``user``; each with its own name (a person's active tokens have distinct names)."""
    name = f"{user.username} script {next(_made)}"
    return services.create_token(actor=None, user=user, data={"name": name, "scope": scope, **extra}).secret


def bearer(user: Any, scope: str = "write") -> Client:
    """A client that sends a fresh token of ``user`` on every request."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope)}")
