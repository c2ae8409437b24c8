"""A grant is revoked only at the version the person saw (issue 12, section 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.accounts import services
from kotacerdas.accounts.models import Membership
from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.confirm import YES

pytestmark = pytest.mark.django_db

A = "13.72"


@pytest.fixture
def promoted(cast):
    """The viewer's grant, changed once (to editor): its second version."""
    membership = services.grant(actor=cast.owner, user=cast.viewer, region=cast.region_a, role="editor")
    assert membership.version == 2
    return membership


@pytest.mark.parametrize("posted", [{}, {"version": "x"}, {"version": "1"}, {"version": "3"}])
def test_a_stale_or_missing_version_revokes_nothing(cast, english, promoted, posted):
    url = reverse("accounts:revoke", args=[A, promoted.pk])
    audited = AuditEntry.objects.count()
    for data in (posted, {**YES, **posted}):
        response = cast.client(cast.owner).post(url, data)
        assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
    assert Membership.objects.get(pk=promoted.pk).role == "editor"
    assert AuditEntry.objects.count() == audited


def test_the_version_seen_revokes_and_an_outsider_finds_nothing(cast, promoted):
    url = reverse("accounts:revoke", args=[A, promoted.pk])
    assert cast.client(cast.outsider).post(url, {**YES, "version": "2"}).status_code == 404
    assert Membership.objects.filter(pk=promoted.pk).exists()
    assert cast.client(cast.owner).post(url, {**YES, "version": "2"}).status_code == 302
    assert not Membership.objects.filter(pk=promoted.pk).exists()


def test_the_remove_button_posts_the_grant_version(cast, promoted):
    html = cast.client(cast.owner).get(reverse("accounts:members", args=[A])).content.decode()
    form = html[html.index(f'action="{reverse("accounts:revoke", args=[A, promoted.pk])}"') :]
    assert '<input type="hidden" name="version" value="2">' in form[: form.index("</form>")]


def test_the_service_refuses_a_stale_version(cast, promoted):
    with pytest.raises(EditConflict):
        services.revoke(actor=cast.owner, membership=promoted, expected_version=1)
    assert Membership.objects.filter(pk=promoted.pk).exists()
