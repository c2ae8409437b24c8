"""The grant and agency services refuse an actor the access layer refuses, and a command says so
in one line: the page is not the only guard."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from kotacerdas.accounts import services
from kotacerdas.accounts.models import Membership, User
from kotacerdas.lib.commands import JsonCommand
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.regions import services as region_services

pytestmark = pytest.mark.django_db


def test_an_editor_may_not_grant_and_a_region_admin_may_not_revoke_a_mentor(cast):
    newcomer = User.objects.create_user(username="baru", password="x-baru-12345")
    with pytest.raises(PermissionDenied):
        services.grant(actor=cast.editor, user=newcomer, region=cast.region_a, role="viewer")
    with pytest.raises(ValidationError):
        services.grant(actor=cast.owner, user=newcomer, region=cast.region_a, role="mentor")
    mentor = Membership.objects.get(user=cast.mentor, region=cast.region_a)
    with pytest.raises(PermissionDenied):
        services.revoke(actor=cast.owner, membership=mentor, expected_version=1)
    with pytest.raises(PermissionDenied):
        services.revoke(actor=cast.outsider, membership=Membership.objects.get(user=cast.viewer), expected_version=1)
    services.revoke(actor=cast.ministry, membership=mentor, expected_version=1)
    assert not Membership.objects.filter(pk=mentor.pk).exists()


def test_an_agency_tied_editor_changes_only_the_head_of_their_own_agency(cast):
    saved = region_services.update_opd(
        actor=cast.editor, opd=cast.opd_a, data={"head_name": "Ibu Sari"}, expected_version=stored_version(cast.opd_a)
    )
    assert saved.head_name == "Ibu Sari"
    with pytest.raises(PermissionDenied):
        region_services.update_opd(
            actor=cast.editor, opd=cast.opd_a, data={"name": "Dinas Baru"}, expected_version=stored_version(cast.opd_a)
        )
    with pytest.raises(PermissionDenied):
        region_services.update_opd(
            actor=cast.outsider, opd=cast.opd_a, data={"head_name": "X"}, expected_version=stored_version(cast.opd_a)
        )
    with pytest.raises(PermissionDenied):
        region_services.create_opd(
            actor=cast.editor,
            region=cast.region_a,
            data={"name": "Dinas X", "kind": "dinas", "valid_from": "2020-01-01"},
        )


class _Refused(JsonCommand):
    def handle(self, *args, **options):
        raise PermissionDenied("You may not do this in this region.")


def test_a_command_refused_by_the_layer_fails_with_a_message_not_a_traceback():
    with pytest.raises(CommandError, match="may not"):
        _Refused().execute(json=False, verbosity=1, no_color=True, force_color=False, skip_checks=True)
