"""The region's rule that budget lines carry SIPD codes: set by its admins, versioned, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db

A = "13.72"
BASE = {"name": "Solok", "kind": "kota", "province": "Sumatera Barat", "time_zone": "WIB"}


def test_the_region_admin_requires_sipd_codes_and_it_is_audited(cast):
    url = reverse("regions:edit", args=[A])
    response = cast.client(cast.owner).post(url, {**BASE, "requires_sipd_codes": "on", "version": "1"})
    assert response.status_code == 302
    region = Region.objects.get(code=A)
    assert region.requires_sipd_codes and region.version == 2
    entry = AuditEntry.objects.filter(region=region, action="update").latest("at")
    assert entry.actor == cast.owner
    assert entry.before["requires_sipd_codes"] is False and entry.after["requires_sipd_codes"] is True
    stale = cast.client(cast.owner).post(url, {**BASE, "version": "1"})
    assert stale.status_code == 409 and Region.objects.get(code=A).requires_sipd_codes


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("mentor", 403), ("outsider", 404)])
def test_only_the_regions_admins_change_it(cast, who, status):
    url = reverse("regions:edit", args=[A])
    response = cast.client(getattr(cast, who)).post(url, {**BASE, "requires_sipd_codes": "on", "version": "1"})
    assert response.status_code == status
    assert not Region.objects.get(code=A).requires_sipd_codes
