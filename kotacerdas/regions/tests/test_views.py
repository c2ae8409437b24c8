"""Region pages over HTTP: every view for the allowed users, the outsider and the anonymous."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.confirm import YES
from kotacerdas.regions.models import OPD, BodyMember, GovernanceBody, Population, Region

pytestmark = pytest.mark.django_db

A = "13.72"


def pages(cast):
    """(name, url, minimum capability) of every GET page inside region A."""
    return [
        ("home", reverse("regions:home", args=[A]), "view"),
        ("profile", reverse("regions:profile", args=[A]), "view"),
        ("opds", reverse("regions:opds", args=[A]), "view"),
        ("body", reverse("regions:body", args=[A, cast.body_a.pk]), "view"),
        ("edit", reverse("regions:edit", args=[A]), "administer"),
        ("population_add", reverse("regions:population_add", args=[A]), "administer"),
        ("population_edit", reverse("regions:population_edit", args=[A, 2020]), "administer"),
        ("opd_create", reverse("regions:opd_create", args=[A]), "administer"),
        ("opd_edit", reverse("regions:opd_edit", args=[A, cast.opd_a.pk]), "edit-own"),
        ("body_create", reverse("regions:body_create", args=[A]), "administer"),
        ("body_edit", reverse("regions:body_edit", args=[A, cast.body_a.pk]), "administer"),
        ("member_add", reverse("regions:member_add", args=[A, cast.body_a.pk]), "administer"),
        ("audit", reverse("regions:audit", args=[A]), "administer"),
    ]


ALLOWED = {
    "view": {"owner", "editor", "viewer", "mentor", "ministry"},
    "administer": {"owner", "ministry"},
    "edit-own": {"owner", "ministry", "editor"},
}


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "mentor", "ministry", "outsider"])
def test_every_region_page_answers_by_role_and_hides_region_a_from_the_outsider(cast, who):
    client = cast.client(getattr(cast, who))
    for name, url, need in pages(cast):
        status = client.get(url).status_code
        if who == "outsider":
            assert status == 404, f"{name}: outsider must get 404, got {status}"
        elif who in ALLOWED[need]:
            assert status == 200, f"{name}: {who} should be allowed, got {status}"
        else:
            assert status == 403, f"{name}: {who} should be forbidden, got {status}"


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    client = cast.client(None)
    for name, url, _need in pages(cast):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name


def test_objects_of_region_b_cannot_be_reached_through_region_a_urls(cast):
    client = cast.client(cast.owner)
    assert client.get(reverse("regions:opd_edit", args=[A, cast.opd_b.pk])).status_code == 404
    assert client.get(reverse("regions:body", args=[A, cast.body_b.pk])).status_code == 404
    assert client.post(reverse("regions:member_add", args=[A, cast.body_b.pk]), {}).status_code == 404


def test_region_home_shows_profile_size_classes_agencies_and_bodies(cast):
    response = cast.client(cast.viewer).get(reverse("regions:profile", args=[A]))
    html = response.content.decode()
    assert "Solok" in html and "Dinas Komunikasi dan Informatika" in html
    assert "Dewan Smart City Kota Solok" in html
    assert "Kecil" in html  # 73,438 people: small under both RKCI and IKCI 2018
    assert 'lang="id"' in html


def test_region_home_query_count_does_not_grow_with_the_data(cast, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client(cast.owner)
    url = reverse("regions:profile", args=[A])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    from kotacerdas.regions import services

    for i in range(30):
        services.create_opd(
            actor=None,
            region=cast.region_a,
            data={
                "name": f"Dinas {i}",
                "abbreviation": f"D{i}",
                "kind": "dinas",
                "valid_from": datetime.date(2020, 1, 1),
            },
        )
        services.add_member(actor=None, body=cast.body_a, data={"person_name": f"P{i}", "role": "anggota"})
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    # pinned: a change here is a decision, not drift (+1 in the header: unread notifications)
    assert len(large) == len(small) == 12


def test_the_admin_edits_the_region_profile_and_it_is_audited(cast):
    client = cast.client(cast.owner)
    url = reverse("regions:edit", args=[A])
    data = {
        "name": "Solok",
        "kind": "kota",
        "province": "Sumatera Barat",
        "time_zone": "WIB",
        "area_km2": "57.64",
        "motto": "Kota Beras",
        "vision": "",
        "version": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    region = Region.objects.get(code=A)
    assert region.motto == "Kota Beras" and region.version == 2
    entry = AuditEntry.objects.filter(region=region, action="update").latest("at")
    assert entry.actor == cast.owner
    assert entry.before["motto"] == "" and entry.after["motto"] == "Kota Beras"


def test_a_stale_form_does_not_overwrite_a_newer_save(cast):
    client = cast.client(cast.owner)
    url = reverse("regions:edit", args=[A])
    base = {"name": "Solok", "kind": "kota", "province": "Sumatera Barat", "time_zone": "WIB", "version": "1"}
    assert client.post(url, {**base, "motto": "first"}).status_code == 302
    response = client.post(url, {**base, "motto": "second"})
    assert response.status_code == 409
    assert Region.objects.get(code=A).motto == "first"
    assert 'value="second"' in response.content.decode()  # the user's input is kept


def test_a_new_region_is_for_ministry_staff_only_and_bad_codes_are_refused(cast):
    url = reverse("regions:create")
    assert cast.client(cast.owner).get(url).status_code == 403
    client = cast.client(cast.ministry)
    data = {"code": "1372", "name": "X", "kind": "kota", "province": "Sumatera Barat", "time_zone": "WIB"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "error-summary" in html and 'href="#id_code"' in html
    assert not Region.objects.filter(name="X").exists()
    response = client.post(url, {**data, "code": "13.74", "name": "Padang Panjang"})
    assert response.status_code == 302
    assert Region.objects.filter(code="13.74").exists()


@pytest.mark.parametrize("value", ["-5", "abc", "12.5", "1,5", "7.34.38", ""])
def test_population_must_be_a_whole_non_negative_number(cast, value):
    client = cast.client(cast.owner)
    response = client.post(
        reverse("regions:population_add", args=[A]), {"year": "2024", "population": value, "version": "0"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Population.objects.filter(region=cast.region_a, year=2024).exists()


def test_population_accepts_indonesian_thousand_separators(cast):
    client = cast.client(cast.owner)
    response = client.post(
        reverse("regions:population_add", args=[A]), {"year": "2024", "population": "1.000", "version": "0"}
    )
    assert response.status_code == 302
    assert Population.objects.get(region=cast.region_a, year=2024).population == 1000


def test_recording_population_updates_the_size_class(cast):
    client = cast.client(cast.owner)
    response = client.post(
        reverse("regions:population_add", args=[A]), {"year": "2030", "population": "250000", "version": "0"}
    )
    assert response.status_code == 302
    html = client.get(reverse("regions:profile", args=[A])).content.decode()
    assert "Sedang" in html  # medium under both schemes at 250,000


def test_overlapping_agency_ranges_are_refused_with_the_reason(cast):
    client = cast.client(cast.owner)
    data = {"name": "Dinas Kominfo Baru", "abbreviation": "Diskominfo", "kind": "dinas", "valid_from": "2020-01-01"}
    response = client.post(reverse("regions:opd_create", args=[A]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html and 'href="#id_valid_from"' in html
    assert OPD.objects.filter(region=cast.region_a).count() == 1


def test_a_merged_agency_records_its_predecessors(cast):
    client = cast.client(cast.owner)
    opd_edit = reverse("regions:opd_edit", args=[A, cast.opd_a.pk])
    ended = {
        "name": cast.opd_a.name,
        "abbreviation": "Diskominfo",
        "kind": "dinas",
        "valid_from": "2017-01-01",
        "valid_to": "2024-12-31",
        "version": "1",
    }
    assert client.post(opd_edit, ended).status_code == 302
    merged = {
        "name": "Dinas Komunikasi, Informatika dan Statistik",
        "abbreviation": "Diskominfotik",
        "kind": "dinas",
        "valid_from": "2025-01-01",
        "predecessors": [str(cast.opd_a.pk)],
    }
    assert client.post(reverse("regions:opd_create", args=[A]), merged).status_code == 302
    new = OPD.objects.get(abbreviation="Diskominfotik")
    assert list(new.predecessors.all()) == [cast.opd_a]


def test_a_predecessor_still_in_office_is_refused(cast):
    client = cast.client(cast.owner)
    merged = {
        "name": "Dinas Baru",
        "abbreviation": "DB",
        "kind": "dinas",
        "valid_from": "2025-01-01",
        "predecessors": [str(cast.opd_a.pk)],
    }
    response = client.post(reverse("regions:opd_create", args=[A]), merged)
    assert response.status_code == 200 and 'href="#id_predecessors"' in response.content.decode()
    assert not OPD.objects.filter(abbreviation="DB").exists()


def test_an_editor_tied_to_an_agency_may_update_only_its_head(cast):
    from kotacerdas.regions import services

    other = services.create_opd(
        actor=None,
        region=cast.region_a,
        data={
            "name": "Dinas Kesehatan",
            "abbreviation": "Dinkes",
            "kind": "dinas",
            "valid_from": datetime.date(2017, 1, 1),
        },
    )
    client = cast.client(cast.editor)
    own = reverse("regions:opd_edit", args=[A, cast.opd_a.pk])
    response = client.post(
        own, {"head_name": "Ibu Kepala", "head_title": "Kepala Dinas", "name": "Hacked", "version": "1"}
    )
    assert response.status_code == 302
    opd = OPD.objects.get(pk=cast.opd_a.pk)
    assert opd.head_name == "Ibu Kepala" and opd.name == "Dinas Komunikasi dan Informatika"
    assert client.get(reverse("regions:opd_edit", args=[A, other.pk])).status_code == 403


def test_governance_body_with_decree_file_and_members(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = cast.client(cast.owner)
    upload = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    data = {"kind": "tim_pelaksana", "name": "Tim Pelaksana", "decree_number": "188/2024", "decree_date": "2024-05-20"}
    response = client.post(reverse("regions:body_create", args=[A]), {**data, "decree_file": upload})
    assert response.status_code == 302
    body = GovernanceBody.objects.get(name="Tim Pelaksana")
    assert body.decree_file.name.endswith(".pdf")
    member = {"person_name": "Kepala Diskominfo", "opd": str(cast.opd_a.pk), "role": "ketua", "order": "1"}
    assert client.post(reverse("regions:member_add", args=[A, body.pk]), member).status_code == 302
    bad = {"person_name": "X", "opd": str(cast.opd_b.pk), "role": "ketua", "order": "1"}
    response = client.post(reverse("regions:member_add", args=[A, body.pk]), bad)
    assert response.status_code == 200 and 'href="#id_opd"' in response.content.decode()
    unknown_role = {"person_name": "X", "role": "raja", "order": "1"}
    response = client.post(reverse("regions:member_add", args=[A, body.pk]), unknown_role)
    assert response.status_code == 200 and 'href="#id_role"' in response.content.decode()
    assert list(BodyMember.objects.filter(body=body).values_list("person_name", flat=True)) == ["Kepala Diskominfo"]
    member_obj = BodyMember.objects.get(body=body)
    remove = reverse("regions:member_remove", args=[A, body.pk, member_obj.pk])
    seen = {"version": member_obj.version}
    assert cast.client(cast.outsider).post(remove, {**YES, **seen}).status_code == 404
    asked = client.post(remove, seen)
    assert asked.status_code == 200 and 'name="version" value="1"' in asked.content.decode()
    assert client.post(remove, {**YES, **seen}).status_code == 302
    assert not BodyMember.objects.filter(body=body).exists()


@pytest.mark.parametrize("posted", [{}, {"version": ""}, {"version": "x"}, {"version": "0"}, {"version": "2"}])
def test_a_member_removal_without_the_version_seen_removes_nothing(cast, english, posted):
    body = GovernanceBody.objects.create(region=cast.region_a, kind="dewan", name="Dewan")
    member = BodyMember.objects.create(region=cast.region_a, body=body, person_name="Ibu Rina", role="ketua")
    remove = reverse("regions:member_remove", args=[A, body.pk, member.pk])
    for data in (posted, {**YES, **posted}):
        response = cast.client(cast.owner).post(remove, data)
        assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
        assert "Yes, remove it" not in response.content.decode()
    assert BodyMember.objects.filter(pk=member.pk).exists()


def test_a_member_changed_meanwhile_is_not_removed_at_its_old_version(cast, english):
    from kotacerdas.regions import services

    body = GovernanceBody.objects.create(region=cast.region_a, kind="dewan", name="Dewan")
    member = BodyMember.objects.create(region=cast.region_a, body=body, person_name="Ibu Rina", role="ketua")
    remove = reverse("regions:member_remove", args=[A, body.pk, member.pk])
    services.update_member(actor=cast.owner, member=member, data={"position": "Sekda"}, expected_version=1)
    assert cast.client(cast.outsider).post(remove, {**YES, "version": "1"}).status_code == 404
    response = cast.client(cast.owner).post(remove, {**YES, "version": "1"})
    assert response.status_code == 409
    assert BodyMember.objects.get(pk=member.pk).version == 2


def test_population_delete_is_admin_only_and_audited(cast):
    url = reverse("regions:population_delete", args=[A, 2020])
    assert cast.client(cast.outsider).post(url).status_code == 404
    assert cast.client(cast.viewer).post(url).status_code == 403
    assert cast.client(cast.owner).post(url, {**YES, "version": "1"}).status_code == 302
    assert AuditEntry.objects.filter(region=cast.region_a, action="delete", object_type="regions.Population").exists()


def test_the_public_page_shows_only_published_regions(cast):
    client = cast.client(None)
    url = reverse("portal:region", args=[A])
    assert client.get(url).status_code == 404
    Region.objects.filter(pk=cast.region_a.pk).update(is_published=True)
    response = client.get(url)
    assert response.status_code == 200 and "Solok" in response.content.decode()
    assert client.get(reverse("portal:region", args=["13.73"])).status_code == 404


def test_the_audit_trail_lists_changes_for_the_region_only(cast):
    client = cast.client(cast.owner)
    html = client.get(reverse("regions:audit", args=[A])).content.decode()
    assert "Dewan Smart City Kota Solok" in html
    assert "Sawahlunto" not in html


@pytest.mark.parametrize(("who", "shown"), [("owner", True), ("ministry", True), ("editor", False), ("viewer", False)])
def test_region_home_offers_administration_only_to_those_who_may_administer(cast, who, shown):
    body = cast.client(getattr(cast, who)).get(reverse("regions:profile", args=[A])).content.decode()
    assert (reverse("regions:body_create", args=[A]) in body) is shown
    assert (reverse("regions:edit", args=[A]) in body) is shown


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "mentor", "ministry"])
def test_region_home_leads_to_every_capability_and_each_link_opens(cast, who):
    client = cast.client(getattr(cast, who))
    body = client.get(reverse("regions:home", args=[A])).content.decode()
    for name in ("assessments:runs", "plans:index", "quickwins:rounds", "engagements:index", "reports:documents"):
        url = reverse(name, args=[A])
        assert url in body, name
        assert client.get(url).status_code == 200, name


def test_an_agency_valid_until_before_it_began_is_refused_on_that_field(english, cast):
    data = {
        "name": "Dinas Baru",
        "abbreviation": "DB",
        "kind": "dinas",
        "valid_from": "2024-01-01",
        "valid_to": "2020-01-01",
    }
    response = cast.client(cast.owner).post(reverse("regions:opd_create", args=[A]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_valid_to"' in html and "cannot be before" in html
    assert "opd_valid_range" not in html and 'value="2020-01-01"' in html
    assert not OPD.objects.filter(abbreviation="DB").exists()
