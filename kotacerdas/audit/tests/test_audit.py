"""The audit trail records who, when, what, before and after; it is shown to the right people."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kotacerdas.audit import services as audit_services
from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.logging import JsonFormatter
from kotacerdas.regions import services
from kotacerdas.regions.models import OPD

pytestmark = pytest.mark.django_db


def test_an_update_records_actor_region_and_the_changed_values(cast):
    services.update_opd(
        actor=cast.owner, opd=cast.opd_a, data={"head_name": "Ibu Rina"}, expected_version=cast.opd_a.version
    )
    entry = AuditEntry.objects.filter(object_type="regions.OPD", action="update").get()
    assert entry.actor == cast.owner and entry.actor_name == str(cast.owner) and entry.region == cast.region_a
    assert entry.changes() == [("head_name", "", "Ibu Rina")]


def test_a_refused_write_leaves_no_audit_entry(cast):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.create_opd(actor=cast.owner, region=cast.region_a, data={"name": "", "abbreviation": "X"})
    assert "name" in error.value.message_dict
    assert AuditEntry.objects.count() == before
    assert not OPD.objects.filter(abbreviation="X").exists()


def test_a_write_failing_after_its_audit_entry_takes_the_entry_back_with_it(cast, monkeypatch):
    """The write and its audit entry are one transaction: a failure after the entry is written
    (here, a broken step right after ``record``) leaves neither the row nor the entry."""

    def record_then_fail(**kwargs):
        audit_services.record(**kwargs)
        assert AuditEntry.objects.filter(object_type="regions.OPD", action="create").exists()
        raise RuntimeError("the step after the audit entry broke")

    before = AuditEntry.objects.count()
    monkeypatch.setattr(services, "record", record_then_fail)
    with pytest.raises(RuntimeError, match="after the audit entry"):
        services.create_opd(
            actor=cast.owner,
            region=cast.region_a,
            data={
                "name": "Dinas Baru",
                "abbreviation": "Baru",
                "kind": "dinas",
                "valid_from": datetime.date(2024, 1, 1),
            },
        )
    assert AuditEntry.objects.count() == before
    assert not OPD.objects.filter(abbreviation="Baru").exists()


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
