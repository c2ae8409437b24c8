"""The region services refuse an actor the access layer refuses: the page is not the only guard."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.regions import services
from kotacerdas.regions.models import BodyMember, Kecamatan, Kelurahan

pytestmark = pytest.mark.django_db

REFUSED = ("editor", "viewer", "mentor", "outsider")


def test_only_the_region_admin_adds_kecamatan_and_kelurahan(cast):
    kecamatan = services.create_kecamatan(actor=None, region=cast.region_a, name="Lubuk Sikarah")
    audit = AuditEntry.objects.count()
    for who in REFUSED:
        with pytest.raises(PermissionDenied):
            services.create_kecamatan(actor=getattr(cast, who), region=cast.region_a, name="Tanjung Harapan")
        with pytest.raises(PermissionDenied):
            services.create_kelurahan(actor=getattr(cast, who), kecamatan=kecamatan, name="Aro IV Korong")
    assert AuditEntry.objects.count() == audit
    assert list(Kecamatan.objects.values_list("name", flat=True)) == ["Lubuk Sikarah"]
    assert not Kelurahan.objects.exists()
    services.create_kecamatan(actor=cast.owner, region=cast.region_a, name="Tanjung Harapan")
    services.create_kelurahan(actor=cast.owner, kecamatan=kecamatan, name="Aro IV Korong")
    assert Kecamatan.objects.count() == 2 and Kelurahan.objects.count() == 1


def test_only_the_region_admin_changes_a_governance_body_member(cast):
    member = services.add_member(actor=None, body=cast.body_a, data={"person_name": "Ibu Rina", "role": "ketua"})
    audit = AuditEntry.objects.count()
    for who in REFUSED:
        with pytest.raises(PermissionDenied):
            services.update_member(
                actor=getattr(cast, who),
                member=member,
                data={"position": "Sekda"},
                expected_version=stored_version(member),
            )
    assert AuditEntry.objects.count() == audit
    assert BodyMember.objects.get(pk=member.pk).position == ""
    services.update_member(actor=cast.owner, member=member, data={"position": "Sekda"}, expected_version=1)
    assert BodyMember.objects.get(pk=member.pk).position == "Sekda"
