"""A SWOT entry is removed only at the version the person saw (issue 12, section 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.assessments.models import Section, SwotEntry
from kotacerdas.assessments.services import runs as services
from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.confirm import YES

pytestmark = pytest.mark.django_db

A = "13.72"


@pytest.fixture
def entry(cast, readiness):
    nat = Section.objects.get(template=readiness.template, code="NAT")
    return services.add_swot(actor=cast.editor, run=readiness, section=nat, data={"quadrant": "S", "text": "Sawah"})


@pytest.mark.parametrize("posted", [{}, {"version": "x"}, {"version": "0"}, {"version": "2"}])
def test_a_stale_or_missing_version_removes_no_swot_entry(cast, english, readiness, entry, posted):
    url = reverse("assessments:swot_remove", args=[A, readiness.pk, entry.pk])
    audited = AuditEntry.objects.count()
    for data in (posted, {**YES, **posted}):
        response = cast.client(cast.editor).post(url, data)
        assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
    assert SwotEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.count() == audited


def test_the_version_seen_removes_the_entry_and_an_outsider_finds_nothing(cast, readiness, entry):
    url = reverse("assessments:swot_remove", args=[A, readiness.pk, entry.pk])
    assert cast.client(cast.outsider).post(url, {**YES, "version": "1"}).status_code == 404
    assert SwotEntry.objects.filter(pk=entry.pk).exists()
    assert cast.client(cast.editor).post(url, {**YES, "version": "1"}).status_code == 302
    assert not SwotEntry.objects.filter(pk=entry.pk).exists()


def test_the_remove_button_posts_the_entry_version(cast, readiness, entry):
    html = cast.client(cast.editor).get(reverse("assessments:section", args=[A, readiness.pk, "NAT"])).content.decode()
    form = html[html.index(f'action="{reverse("assessments:swot_remove", args=[A, readiness.pk, entry.pk])}"') :]
    assert '<input type="hidden" name="version" value="1">' in form[: form.index("</form>")]


def test_the_service_refuses_a_stale_version(cast, entry):
    with pytest.raises(EditConflict):
        services.remove_swot(actor=cast.editor, entry=entry, expected_version=2)
    assert SwotEntry.objects.filter(pk=entry.pk).exists()
