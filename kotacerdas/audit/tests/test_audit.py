"""The audit trail records who, when, what, before and after; it is shown to the right people."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.logging import JsonFormatter
from kotacerdas.regions import services

pytestmark = pytest.mark.django_db


def test_an_update_records_actor_region_and_the_changed_values(cast):
    services.update_opd(
        actor=cast.owner, opd=cast.opd_a, data={"head_name": "Ibu Rina"}, expected_version=cast.opd_a.version
    )
    entry = AuditEntry.objects.filter(object_type="regions.OPD", action="update").get()
    assert entry.actor == cast.owner and entry.actor_name == str(cast.owner) and entry.region == cast.region_a
    assert entry.changes() == [("head_name", "", "Ibu Rina")]


def test_a_failed_write_leaves_no_audit_entry(cast):
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 (any validation error will do)
        services.create_opd(actor=cast.owner, region=cast.region_a, data={"name": "", "abbreviation": "X"})
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(("who", "status"), [("ministry", 200), ("owner", 403), ("outsider", 403), ("mentor", 403)])
def test_the_programme_wide_audit_page_is_for_the_ministry(cast, who, status):
    assert cast.client(getattr(cast, who)).get(reverse("audit:all")).status_code == status


def test_the_programme_wide_audit_page_shows_every_region(cast):
    html = cast.client(cast.ministry).get(reverse("audit:all")).content.decode()
    assert "Kota Solok" in html and "Kota Sawahlunto" in html


def test_logs_are_one_json_object_per_line_with_extra_fields():
    record = logging.LogRecord("kotacerdas", logging.WARNING, __file__, 1, "region %s", ("13.72",), None)
    record.region = "13.72"
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert data["message"] == "region 13.72" and data["level"] == "WARNING" and data["region"] == "13.72"
