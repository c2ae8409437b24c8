"""Every uploaded file, kind by kind: checked on upload, stored under a random name, downloaded
only through its access-checked view (never from /media/)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from kotacerdas.assessments.loader import load_templates
from kotacerdas.assessments.models import Answer, Template
from kotacerdas.assessments.services import runs as run_services
from kotacerdas.audit.models import AuditEntry
from kotacerdas.engagements import services as engagement_services
from kotacerdas.engagements.models import Engagement
from kotacerdas.lib import files
from kotacerdas.lib.tests.test_files import REFUSED, SAMPLES
from kotacerdas.regions.models import GovernanceBody

A = "13.72"


@dataclass
class FileKind:
    """How to upload one kind of file through its page, and where to download it."""

    name: str
    uploader: str  # the cast member whose role may upload it
    upload_url: Callable[[Any], str]
    upload_data: Callable[[Any, SimpleUploadedFile], dict[str, Any]]
    row: Callable[[Any], Any]  # the row holding the file, fresh from the database
    field: str
    name_field: str
    download_url: Callable[[Any], str]
    form_field: str = ""  # the name of the field in the form, when it is prefixed

    @property
    def input_name(self) -> str:
        return self.form_field or self.field


def _evidence_row(world: Any) -> Answer | None:
    return Answer.objects.filter(run=world.run, item__code="GOV-1.1").first()


KINDS = [
    FileKind(
        name="evidence",
        uploader="editor",
        upload_url=lambda w: reverse("assessments:answer", args=[A, w.run.pk, "GOV-1.1"]),
        upload_data=lambda w, f: {"GOV-1.1-value": "3", "GOV-1.1-comment": "Portal", "GOV-1.1-evidence_file": f},
        row=_evidence_row,
        field="evidence_file",
        name_field="evidence_name",
        form_field="GOV-1.1-evidence_file",
        download_url=lambda w: reverse("assessments:evidence", args=[A, w.run.pk, _evidence_row(w).pk]),
    ),
    FileKind(
        name="decree",
        uploader="owner",
        upload_url=lambda w: reverse("regions:body_edit", args=[A, w.body.pk]),
        upload_data=lambda w, f: {
            "kind": "dewan",
            "name": "Dewan Smart City Kota Solok",
            "decree_number": "188.45/2024",
            "version": GovernanceBody.objects.get(pk=w.body.pk).version,
            "decree_file": f,
        },
        row=lambda w: GovernanceBody.objects.get(pk=w.body.pk),
        field="decree_file",
        name_field="decree_name",
        download_url=lambda w: reverse("regions:body_decree", args=[A, w.body.pk]),
    ),
    FileKind(
        name="agreement",
        uploader="mentor",
        upload_url=lambda w: reverse("engagements:edit", args=[A, w.engagement.pk]),
        upload_data=lambda w, f: {
            "purpose": "Penyusunan masterplan",
            "agreement_number": "NK-01/2024",
            "version": Engagement.objects.get(pk=w.engagement.pk).version,
            "agreement_file": f,
        },
        row=lambda w: Engagement.objects.get(pk=w.engagement.pk),
        field="agreement_file",
        name_field="agreement_name",
        download_url=lambda w: reverse("engagements:agreement_file", args=[A, w.engagement.pk]),
    ),
    FileKind(
        name="commitment scan",
        uploader="editor",
        upload_url=lambda w: reverse("engagements:commitment_scan", args=[A, w.engagement.pk]),
        upload_data=lambda w, f: {
            "commitment_scan": f,
            "version": Engagement.objects.get(pk=w.engagement.pk).version,
        },
        row=lambda w: Engagement.objects.get(pk=w.engagement.pk),
        field="commitment_scan",
        name_field="commitment_scan_name",
        download_url=lambda w: reverse("engagements:commitment_scan_file", args=[A, w.engagement.pk]),
    ),
]


@dataclass
class World:
    cast: Any
    run: Any
    body: GovernanceBody
    engagement: Engagement


@pytest.fixture
def world(cast: Any, english: None) -> World:
    load_templates()
    template = Template.objects.get(kind="maturity")
    run = run_services.start_run(actor=cast.owner, region=cast.region_a, template=template, year=2024)
    cohort = engagement_services.ensure_cohort(
        actor=None, year=2024, name="Pendampingan 2024", ministry_name="Kementerian"
    )
    engagement = engagement_services.create_engagement(actor=None, region=cast.region_a, cohort=cohort)
    return World(cast, run, cast.body_a, engagement)


def _upload(world: World, kind: FileKind, name: str, data: bytes) -> Any:
    client = world.cast.client(getattr(world.cast, kind.uploader))
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(kind.upload_url(world), kind.upload_data(world, upload))


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_an_allowed_file_is_stored_under_a_random_name_and_downloaded_by_members_only(world, kind):
    response = _upload(world, kind, "Surat Keputusan Wali Kota.pdf", SAMPLES["pdf"])
    assert response.status_code == 302, response.content.decode()[:2000]
    row = kind.row(world)
    stored = getattr(row, kind.field).name
    assert re.fullmatch(rf"[a-z]+/{world.cast.region_a.pk}/[0-9a-f]{{32}}\.pdf", stored), stored
    assert getattr(row, kind.name_field) == "Surat Keputusan Wali Kota.pdf"
    audit = AuditEntry.objects.filter(object_id=str(row.pk)).order_by("-pk").first()
    assert audit is not None and stored in str(audit.after)

    url = kind.download_url(world)
    response = world.cast.client(world.cast.viewer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="Surat Keputusan Wali Kota.pdf"'
    assert b"".join(response.streaming_content) == SAMPLES["pdf"]
    assert world.cast.client(world.cast.ministry).get(url).status_code == 200
    assert world.cast.client(world.cast.outsider).get(url).status_code == 404
    anonymous = world.cast.client(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    # The page links to the view, never to the stored path; the upload form names the current file.
    for page in _pages_of(world, kind):
        content = world.cast.client(world.cast.viewer).get(page).content.decode()
        assert url in content and stored not in content
    form = world.cast.client(getattr(world.cast, kind.uploader)).get(kind.upload_url(world)).content.decode()
    assert "Surat Keputusan Wali Kota.pdf" in form and stored not in form and "/media/" not in form
    assert f'accept="{files.ACCEPT}"' in form


def _pages_of(world: World, kind: FileKind) -> list[str]:
    return {
        "evidence": [reverse("assessments:section", args=[A, world.run.pk, "GOV"])],
        "decree": [reverse("regions:body", args=[A, world.body.pk])],
        "agreement": [reverse("engagements:detail", args=[A, world.engagement.pk])],
        "commitment scan": [reverse("engagements:commitments", args=[A, world.engagement.pk])],
    }[kind.name]


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_disguised_or_oversized_file_is_refused_on_its_field_and_the_rest_is_kept(world, kind, settings):
    response = _upload(world, kind, "undangan.pdf", REFUSED["html"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and "The file “undangan.pdf” is not a PDF" in page
    assert f'href="#id_{kind.input_name}"' in page  # the summary links to the file field
    row = kind.row(world)
    assert row is None or not getattr(row, kind.field)
    if kind.name == "decree":
        assert 'value="188.45/2024"' in page  # the rest of the input is kept
    settings.UPLOAD_MAX_BYTES = 1024  # a "100 MB" file, cheaply: the limit shrinks instead
    response = _upload(world, kind, "besar.pdf", SAMPLES["pdf"] + b"0" * 4096)
    assert response.status_code == 200 and "The file “besar.pdf” is larger than 1.0" in (response.content.decode())
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    response = _upload(world, kind, "foto.pdf", SAMPLES["png"])
    assert response.status_code == 200 and "does not match its content, which is PNG" in response.content.decode()
    row = kind.row(world)
    assert row is None or not getattr(row, kind.field)


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_row_without_a_file_has_no_download(world, kind):
    if kind.name == "evidence":
        _upload(world, kind, "a.pdf", SAMPLES["pdf"])
        Answer.objects.update(evidence_file="")
    assert world.cast.client(world.cast.viewer).get(kind.download_url(world)).status_code == 404


def test_a_file_of_another_region_is_not_reached_through_ones_own_region(world):
    cast = world.cast
    body_b = GovernanceBody.objects.get(pk=cast.body_b.pk)
    body_b.decree_file = "decrees/x/y.pdf"
    body_b.save()
    url = reverse("regions:body_decree", args=[A, body_b.pk])
    assert cast.client(cast.owner).get(url).status_code == 404


def test_older_rows_keep_working_under_their_stored_name(world):
    """Files stored before the policy (no original name recorded) download under their own name."""
    kind = KINDS[1]
    _upload(world, kind, "sk.pdf", SAMPLES["pdf"])
    GovernanceBody.objects.filter(pk=world.body.pk).update(decree_name="")
    response = world.cast.client(world.cast.viewer).get(kind.download_url(world))
    stored = Path(GovernanceBody.objects.get(pk=world.body.pk).decree_file.name).name
    assert response["Content-Disposition"] == f'attachment; filename="{stored}"'


def test_media_is_not_served_even_for_a_real_stored_path(world):
    _upload(world, KINDS[1], "sk.pdf", SAMPLES["pdf"])
    stored = GovernanceBody.objects.get(pk=world.body.pk).decree_file.name
    assert (Path(django_settings.MEDIA_ROOT) / stored).exists()
    for user in (world.cast.owner, None):
        assert world.cast.client(user).get(f"/{django_settings.MEDIA_URL}{stored}").status_code == 404


def test_every_file_field_is_under_the_policy_and_no_template_links_its_stored_url():
    from kotacerdas.lib.files import RandomName

    file_fields = [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("kotacerdas.")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    names = {field.name for _, field in file_fields}
    assert {"evidence_file", "decree_file", "agreement_file", "commitment_scan"} <= names
    for model, field in file_fields:
        if model._meta.label != "reports.DocumentJob":  # generated by KotaCerdas, not uploaded
            assert isinstance(field.upload_to, RandomName), model._meta.label
    alternatives = "|".join(sorted(names))
    pattern = re.compile(rf"\.({alternatives})\.url\b")
    root = Path(django_settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_replacing_and_clearing_a_decree_is_audited(world):
    kind = KINDS[1]
    _upload(world, kind, "sk-lama.pdf", SAMPLES["pdf"])
    first = GovernanceBody.objects.get(pk=world.body.pk).decree_file.name
    _upload(world, kind, "sk-baru.docx", SAMPLES["docx"])
    body = GovernanceBody.objects.get(pk=world.body.pk)
    assert body.decree_file.name != first and body.decree_name == "sk-baru.docx"
    entry = AuditEntry.objects.filter(object_id=str(body.pk), action="update").order_by("-pk").first()
    assert first in str(entry.before) and body.decree_file.name in str(entry.after)
    client = world.cast.client(world.cast.owner)
    data = {"kind": "dewan", "name": body.name, "version": body.version, "decree_file-clear": "on"}
    assert client.post(kind.upload_url(world), data).status_code == 302
    body.refresh_from_db()
    assert not body.decree_file and body.decree_name == ""


def test_a_download_costs_the_same_queries_whatever_the_region_holds(world, django_assert_max_num_queries):
    kind = KINDS[1]
    _upload(world, kind, "sk.pdf", SAMPLES["pdf"])
    client = world.cast.client(world.cast.viewer)
    client.get(kind.download_url(world))  # warm the session
    with django_assert_max_num_queries(8):
        assert client.get(kind.download_url(world)).status_code == 200
    for n in range(5):
        GovernanceBody.objects.create(region=world.cast.region_a, kind="dewan", name=f"Dewan {n}")
    with django_assert_max_num_queries(8):
        assert client.get(kind.download_url(world)).status_code == 200


def test_the_upload_limit_is_a_documented_setting():
    text = (Path(django_settings.BASE_DIR).parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    for variable in ("UPLOAD_MAX_MB", "FILE_STORAGE", "FILE_STORAGE_OPTIONS", "FILE_ACCEL", "FILE_ACCEL_PREFIX"):
        assert f"`KOTACERDAS_{variable}`" in text
    assert django_settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024
