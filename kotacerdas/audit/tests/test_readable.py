"""The audit trail page reads in words: verbose names of models and fields, labels of choices,
related objects by name; the stored JSON stays as recorded."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.audit.services import record, snapshot
from kotacerdas.regions import services

pytestmark = pytest.mark.django_db


def indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    return client


def test_the_trail_names_models_fields_choices_and_related_objects_not_codes(cast):
    services.update_opd(
        actor=cast.owner, opd=cast.opd_a, data={"head_name": "Ibu Rina"}, expected_version=cast.opd_a.version
    )
    membership = cast.editor.memberships.get(region=cast.region_a)
    before = snapshot(membership)
    record(actor=cast.owner, action="update", obj=membership, region=cast.region_a, before={**before, "opd": None},
           after=before)  # fmt: skip
    entry = AuditEntry.objects.filter(object_type="accounts.Membership").get()
    assert entry.after["opd"] == cast.opd_a.pk  # stored as recorded: the id
    page = indonesian(cast.client(cast.ministry)).get(reverse("audit:all")).content.decode()
    assert "(regions.OPD)" not in page and "(accounts.Membership)" not in page
    assert not re.search(r"<strong>(opd|head_name|role)</strong>", page)
    assert f"<ins>{cast.opd_a}</ins>" in page  # the agency by its name, not its id
    assert f"<ins>{cast.opd_a.pk}</ins>" not in page
    region_page = indonesian(cast.client(cast.owner)).get(reverse("regions:audit", args=["13.72"]))
    assert region_page.status_code == 200 and "(regions.OPD)" not in region_page.content.decode()
    assert cast.client(cast.outsider).get(reverse("regions:audit", args=["13.72"])).status_code == 404


def test_a_choice_reads_as_its_label_and_a_removed_object_says_so(cast, english):
    membership = cast.editor.memberships.get(region=cast.region_a)
    before = snapshot(membership)
    record(actor=cast.owner, action="update", obj=membership, region=cast.region_a,
           before={**before, "role": "viewer", "opd": 999999}, after=before)  # fmt: skip
    page = cast.client(cast.ministry).get(reverse("audit:all")).content.decode()
    role = membership._meta.get_field("role")
    labels = dict(role.flatchoices)
    assert f"<del>{labels['viewer']}</del>" in page and f"<ins>{labels[membership.role]}</ins>" in page
    assert "999999 (no longer there)" in page


def test_an_answer_choice_reads_as_its_option_label_in_the_trail(cast):
    from kotacerdas.assessments.loader import load_templates
    from kotacerdas.assessments.models import Template
    from kotacerdas.assessments.selectors import region_slot
    from kotacerdas.assessments.services import runs

    load_templates()
    run = runs.start_run(actor=cast.owner, region=cast.region_a, template=Template.objects.get(kind="readiness"),
                         year=2024)  # fmt: skip
    item = run.template.items.get(code="NAT-1")
    runs.save_answer(
        actor=cast.editor,
        run=run,
        assessor=region_slot(run),
        item=item,
        data={"choice": "B"},
        expected_version=None,
    )
    runs.save_answer(
        actor=cast.editor, run=run, assessor=region_slot(run), item=item, data={"choice": "K"}, expected_version=1
    )
    page = indonesian(cast.client(cast.owner)).get(reverse("regions:audit", args=["13.72"])).content.decode()
    assert "<del>Baik</del>" in page and "<ins>Kurang</ins>" in page
    assert "<ins>K</ins>" not in page and "(assessments.Answer)" not in page
