"""A framework entry is removed only at the version the person saw (issue 12, section 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.frameworks import services
from kotacerdas.frameworks.models import Framework, FrameworkEntry
from kotacerdas.lib.confirm import YES

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(cast):
    """An entry of a new draft, edited once: its second version."""
    draft = services.start_draft(actor=None, source=Framework.objects.get(code="evaluasi-tahunan", version=1))
    entry = services.update_entry(
        actor=None,
        entry=draft.entries.get(code="OUTPUT"),
        expected_version=draft.entries.get(code="OUTPUT").version,
        changes={"weight": Decimal(5)},
    )
    assert entry.version == 2
    return draft, entry


@pytest.mark.parametrize("posted", [{}, {"version": "x"}, {"version": "1"}, {"version": "3"}])
def test_a_stale_or_missing_version_removes_no_entry(cast, english, edited, posted):
    draft, entry = edited
    url = reverse("frameworks:entry_remove", args=[draft.pk, entry.pk])
    audited = AuditEntry.objects.count()
    for data in (posted, {**YES, **posted}):
        response = cast.client(cast.ministry).post(url, data)
        assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
    assert FrameworkEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.count() == audited


def test_the_version_seen_removes_the_entry_and_others_cannot(cast, edited):
    draft, entry = edited
    url = reverse("frameworks:entry_remove", args=[draft.pk, entry.pk])
    other = services.start_draft(actor=None, source=Framework.objects.get(code="ukuran-rkci", version=1))
    seen = {**YES, "version": "2"}
    assert (
        cast.client(cast.ministry).post(reverse("frameworks:entry_remove", args=[other.pk, entry.pk]), seen).status_code
        == 404
    )
    assert cast.client(cast.owner).post(url, seen).status_code == 403
    assert FrameworkEntry.objects.filter(pk=entry.pk).exists()
    assert cast.client(cast.ministry).post(url, seen).status_code == 302
    assert not FrameworkEntry.objects.filter(pk=entry.pk).exists()


def test_the_remove_button_posts_the_entry_version(cast, edited):
    draft, entry = edited
    html = cast.client(cast.ministry).get(reverse("frameworks:detail", args=[draft.pk])).content.decode()
    form = html[html.index(f'action="{reverse("frameworks:entry_remove", args=[draft.pk, entry.pk])}"') :]
    assert '<input type="hidden" name="version" value="2">' in form[: form.index("</form>")]
