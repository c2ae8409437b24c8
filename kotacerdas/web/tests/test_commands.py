"""The kotacerdas command line: demo, regions, grant, createadmin."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.accounts.models import Membership, User
from kotacerdas.audit.models import AuditEntry
from kotacerdas.engagements.models import Session
from kotacerdas.regions.models import OPD, GovernanceBody, Kelurahan, Region
from tests.support import snapshot

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "opds": OPD.objects.count(),
        "bodies": GovernanceBody.objects.count(),
        "kelurahan": Kelurahan.objects.count(),
        "sessions": Session.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_demo_loads_solok_and_twice_changes_nothing():
    first = json.loads(run("demo", "--json"))
    assert first["regions_created"] == ["13.72", "13.73"]
    before = counts()
    audit_before = AuditEntry.objects.count()
    second = json.loads(run("demo", "--json"))
    assert second["regions_created"] == [] and counts() == before
    assert AuditEntry.objects.count() == audit_before
    solok = Region.objects.get(code="13.72")
    assert Kelurahan.objects.filter(region=solok).count() == 13
    assert Session.objects.filter(region=solok, engagement__cohort__year=2024).count() == 4
    merged = OPD.objects.get(region=solok, abbreviation="PerkimLH")
    assert sorted(merged.predecessors.values_list("abbreviation", flat=True)) == ["DLH", "Perkim"]
    assert {u["username"] for u in first["users"]} >= {"kementerian", "solok.admin", "mentor.ugm"}


def test_regions_show_reports_size_classes_as_json(request):
    snapshot.demo(request)
    summary = json.loads(run("regions", "show", "13.72", "--json"))
    assert {s["scheme"]: s["class"] for s in summary["size_classes"]} == {
        "ukuran-rkci": "KECIL",
        "ukuran-ikci-2018": "KECIL",
    }
    assert summary["population"][-1]["population"] == 76000


def test_regions_show_names_the_bad_code():
    with pytest.raises(CommandError, match="99.99"):
        run("regions", "show", "99.99")


def test_grant_refuses_an_unknown_role_and_changes_nothing(request):
    snapshot.demo(request)
    before = Membership.objects.count()
    with pytest.raises(CommandError, match="role: Unknown role|role: Peran"):
        run("grant", "sawahlunto.admin", "13.72", "superuser")
    assert Membership.objects.count() == before


def test_grant_gives_a_role_and_audits_it(request):
    snapshot.demo(request)
    out = json.loads(run("grant", "sawahlunto.admin", "13.72", "viewer", "--json"))
    assert out == {"username": "sawahlunto.admin", "region": "13.72", "role": "viewer", "opd": None}
    assert AuditEntry.objects.filter(object_type="accounts.Membership", action="create").exists()


def test_createadmin_makes_a_ministry_user(monkeypatch):
    monkeypatch.setenv("KC_TEST_PASSWORD", "a-strong-ministry-password-42")
    run("createadmin", "pusat", "--email", "pusat@example.id", "--password-env", "KC_TEST_PASSWORD")
    assert User.objects.get(username="pusat").is_ministry
    with pytest.raises(CommandError, match="username"):
        run("createadmin", "pusat", "--password-env", "KC_TEST_PASSWORD")
