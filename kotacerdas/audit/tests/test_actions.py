"""Every action a service records is a named action of the trail, shown in words, never as a code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.audit.services import record

ROOT = Path(__file__).resolve().parents[2]


def _recorded_actions() -> list[tuple[str, int, str]]:
    """(file, line, action) for every literal ``action=`` passed to ``record(...)`` in the code."""
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "record":
                continue
            for kw in node.keywords:
                if kw.arg == "action":
                    for leaf in ast.walk(kw.value):
                        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                            found.append((str(path.relative_to(ROOT)), node.lineno, leaf.value))
    return found


def test_the_scan_sees_the_services_that_record():
    actions = {a for _, _, a in _recorded_actions()}
    assert {"create", "update", "delete", "submit"} <= actions


def test_every_recorded_action_is_a_named_action():
    unknown = [f"{f}:{line} {a!r}" for f, line, a in _recorded_actions() if a not in AuditEntry.Action.values]
    assert unknown == []


def test_every_action_fits_the_column():
    width = AuditEntry._meta.get_field("action").max_length
    assert all(len(value) <= width for value in AuditEntry.Action.values)


@pytest.mark.django_db
def test_an_unknown_action_is_refused_and_nothing_is_stored(cast):
    with pytest.raises(ValueError, match="approve"):
        record(actor=cast.owner, action="approve", obj=cast.region_a, region=cast.region_a)
    assert not AuditEntry.objects.filter(action="approve").exists()


@pytest.mark.django_db
def test_the_trail_shows_a_submission_in_words_in_indonesian(client, cast):
    record(actor=cast.owner, action="submit", obj=cast.region_a, region=cast.region_a, after={})
    client.force_login(cast.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("regions:audit", args=[cast.region_a.code])).content.decode()
    assert "diajukan" in page
    assert ">submit" not in page and ": submit" not in page


@pytest.mark.django_db
def test_the_outsider_does_not_see_the_trail(client, cast):
    client.force_login(cast.outsider)
    assert client.get(reverse("regions:audit", args=[cast.region_a.code])).status_code == 404
