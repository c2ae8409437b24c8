"""Removing a programme a later edition refers to is refused in words (issue 14 §1), never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """The new sentences are asserted in English until the catalogue is merged."""


def _delete_url(cast, programme):
    return reverse("plans:programme_delete", args=[cast.region_a.code, programme.edition.year, programme.code])


def test_a_programme_the_next_edition_carries_is_not_removed(cast, plan):
    services.start_review_edition(
        actor=None, previous=plan.edition, data={"year": 2029, "title": "R", "start_year": 2025, "end_year": 2029}
    )
    client = cast.client(cast.editor)
    response = client.post(_delete_url(cast, plan.second), {"version": stored_version(plan.second)})
    page = response.content.decode()
    assert response.status_code == 400, page[:300]
    assert "Programme ENV-01 cannot be removed: the edition of 2029 says what became of it." in page
    assert Programme.objects.filter(pk=plan.second.pk).exists()


def test_a_programme_no_later_edition_refers_to_is_removed(cast, plan):
    client = cast.client(cast.editor)
    response = client.post(_delete_url(cast, plan.second), {"version": stored_version(plan.second)})
    assert response.status_code == 302
    assert not Programme.objects.filter(pk=plan.second.pk).exists()


def test_the_outsider_gets_404(cast, plan):
    response = cast.client(cast.outsider).post(_delete_url(cast, plan.second), {"version": 1})
    assert response.status_code == 404


def test_a_replacing_import_that_drops_a_carried_programme_is_refused(cast, plan):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kotacerdas.plans.interchange.export import edition_document

    doc = json.loads(json.dumps(edition_document(plan.edition)))
    services.start_review_edition(
        actor=None, previous=plan.edition, data={"year": 2029, "title": "R", "start_year": 2025, "end_year": 2029}
    )
    doc["programmes"] = [p for p in doc["programmes"] if p["code"] != "ENV-01"]
    for p in doc["programmes"]:
        p["dependencies"] = []
    url = reverse("plans:import", args=[cast.region_a.code])
    upload = SimpleUploadedFile("plan.json", json.dumps(doc).encode())
    response = cast.client(cast.editor).post(url, {"file": upload, "replace": "on"})
    page = response.content.decode()
    assert response.status_code == 400, page[page.find("error-summary") :][:800]
    assert "Programme ENV-01 is referred to by a later edition or by progress reports" in page
    assert Programme.objects.filter(pk=plan.second.pk).exists()
