"""Managing who has access to a region, over HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Membership, User
from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.confirm import YES

pytestmark = pytest.mark.django_db

URL = reverse("accounts:members", args=["13.72"])


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("ministry", 200), ("editor", 403), ("viewer", 403), ("mentor", 403), ("outsider", 404)],
)
def test_the_access_page_is_for_region_admins_and_the_ministry(cast, who, status):
    assert cast.client(getattr(cast, who)).get(URL).status_code == status


def test_a_region_admin_grants_an_editor_role_tied_to_an_agency(cast):
    newcomer = User.objects.create_user(username="newcomer", password="x-long-password-1")
    client = cast.client(cast.owner)
    response = client.post(URL, {"username": "newcomer", "role": "editor", "opd": str(cast.opd_a.pk)})
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.region, membership.role, membership.opd) == (cast.region_a, "editor", cast.opd_a)
    entry = AuditEntry.objects.get(object_type="accounts.Membership", action="create")
    assert entry.actor == cast.owner and entry.region == cast.region_a


def test_unknown_users_roles_and_foreign_agencies_are_refused(cast):
    client = cast.client(cast.owner)
    before = Membership.objects.count()
    html = client.post(URL, {"username": "nobody", "role": "viewer"}).content.decode()
    assert 'href="#id_username"' in html
    html = client.post(URL, {"username": "outsider", "role": "emperor"}).content.decode()
    assert 'href="#id_role"' in html
    html = client.post(URL, {"username": "outsider", "role": "editor", "opd": str(cast.opd_b.pk)}).content.decode()
    assert 'href="#id_opd"' in html
    assert Membership.objects.count() == before


def test_only_the_ministry_assigns_mentors(cast):
    User.objects.create_user(username="dosen", password="x-long-password-1")
    response = cast.client(cast.owner).post(URL, {"username": "dosen", "role": "mentor"})
    assert 'href="#id_role"' in response.content.decode()
    assert not Membership.objects.filter(user__username="dosen").exists()
    response = cast.client(cast.ministry).post(URL, {"username": "dosen", "role": "mentor"})
    assert response.status_code == 302
    assert Membership.objects.get(user__username="dosen").role == "mentor"


def test_revoking_access_is_audited_and_hidden_from_outsiders(cast):
    membership = Membership.objects.get(user=cast.viewer)
    url = reverse("accounts:revoke", args=["13.72", membership.pk])
    assert cast.client(cast.outsider).post(url).status_code == 404
    assert cast.client(cast.owner).post(url, {**YES, "version": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(object_type="accounts.Membership", action="delete").exists()
    assert cast.client(cast.viewer).get(reverse("regions:home", args=["13.72"])).status_code == 404


def test_a_region_admin_cannot_remove_a_mentor(cast):
    membership = Membership.objects.get(user=cast.mentor)
    url = reverse("accounts:revoke", args=["13.72", membership.pk])
    assert cast.client(cast.owner).post(url, {**YES, "version": "1"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
