"""The template catalogue pages: read by everyone signed in, imported and published by the ministry."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kotacerdas.assessments import interchange
from kotacerdas.assessments.models import Template

pytestmark = pytest.mark.django_db


def _next_version(template: Template) -> bytes:
    workbook = load_workbook(io.BytesIO(interchange.export_template(template)))
    for row in workbook["template"].iter_rows(min_row=2):
        if row[0].value == "version":
            row[1].value = template.version + 1
        if row[0].value == "thresholds":
            row[1].value = "25; 45; 65; 85"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "mentor", "ministry", "outsider"])
def test_every_signed_in_user_reads_the_catalogue(cast, templates, who):
    client = cast.client(getattr(cast, who))
    template = templates["maturity"]
    for url in (
        reverse("assessments:templates"),
        reverse("assessments:template", args=[template.pk]),
        reverse("assessments:template_export", args=[template.pk]),
    ):
        assert client.get(url).status_code == 200, url
    expected = 200 if who == "ministry" else 403
    assert client.get(reverse("assessments:template_import")).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(cast, templates):
    client = cast.client(None)
    for url in (reverse("assessments:templates"), reverse("assessments:template_import")):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_ministry_imports_a_new_version_as_a_draft_and_publishes_it(cast, templates):
    client = cast.client(cast.ministry)
    upload = SimpleUploadedFile("t.xlsx", _next_version(templates["maturity"]))
    response = client.post(reverse("assessments:template_import"), {"file": upload})
    new = Template.objects.get(code=templates["maturity"].code, version=2)
    assert response.status_code == 302 and new.status == "draft" and new.thresholds == [25, 45, 65, 85]
    assert cast.client(cast.owner).post(reverse("assessments:template_publish", args=[new.pk])).status_code == 403
    client.post(reverse("assessments:template_publish", args=[new.pk]))
    new.refresh_from_db()
    assert new.status == "published"
    templates["maturity"].refresh_from_db()
    assert templates["maturity"].thresholds == [20, 40, 60, 80]  # the old version is untouched


def test_a_bad_upload_lists_its_problems_and_saves_nothing(cast, templates):
    upload = SimpleUploadedFile("t.xlsx", b"not a workbook")
    response = cast.client(cast.ministry).post(reverse("assessments:template_import"), {"file": upload})
    assert response.status_code == 422 and "“t.xlsx” is not an XLSX workbook".encode() in response.content
    assert Template.objects.count() == 3
