"""An entry of a draft is saved only at the version it was opened at (issue 12 §5).

A stale or missing version answers 409 with the typed input kept, and nothing is written.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.frameworks import services
from kotacerdas.frameworks.models import Framework, Status
from kotacerdas.lib.concurrency import EditConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(frameworks):
    source = Framework.objects.get(code="evaluasi-tahunan", status=Status.PUBLISHED)
    return services.start_draft(actor=None, source=source)


def test_the_service_saves_at_the_version_seen_and_counts_it_up(draft):
    entry = draft.entries.get(code="OUTPUT")
    saved = services.update_entry(actor=None, entry=entry, changes={"weight": Decimal(5)}, expected_version=1)
    assert (saved.version, saved.weight) == (2, Decimal(5))


@pytest.mark.parametrize("expected", [0, 2, None, "1"])
def test_the_service_refuses_a_stale_or_missing_version_and_changes_nothing(draft, expected):
    entry = draft.entries.get(code="OUTPUT")
    audited = AuditEntry.objects.count()
    with pytest.raises(EditConflict):
        services.update_entry(actor=None, entry=entry, changes={"weight": Decimal(5)}, expected_version=expected)
    entry.refresh_from_db()
    assert (entry.version, entry.weight) == (1, Decimal(20))
    assert AuditEntry.objects.count() == audited


def test_the_edit_form_carries_the_entry_version(cast, draft):
    entry = draft.entries.get(code="OUTPUT")
    services.update_entry(actor=None, entry=entry, changes={"name": "Keluaran"}, expected_version=1)
    html = cast.client(cast.ministry).get(reverse("frameworks:entry_edit", args=[draft.pk, entry.pk])).content
    assert b'name="version" value="2"' in html


@pytest.mark.parametrize(
    ("posted", "said"),
    [
        ({"version": "1"}, "Someone else saved this record"),  # stale: another save made it 2
        ({}, "did not say which version"),
        ({"version": ""}, "did not say which version"),
        ({"version": "dua"}, "did not say which version"),
    ],
)
def test_a_stale_or_missing_version_answers_409_with_the_input_kept(cast, english, draft, posted, said):
    entry = draft.entries.get(code="OUTPUT")
    services.update_entry(actor=None, entry=entry, changes={"name": "Keluaran"}, expected_version=1)
    url = reverse("frameworks:entry_edit", args=[draft.pk, entry.pk])
    response = cast.client(cast.ministry).post(url, {"name": "Nama saya", "weight": "7", **posted})
    html = response.content.decode()
    assert response.status_code == 409 and said in html
    assert 'value="Nama saya"' in html
    entry.refresh_from_db()
    assert (entry.name, entry.weight, entry.version) == ("Keluaran", Decimal(20), 2)


def test_a_new_entry_needs_no_version(cast, draft):
    url = reverse("frameworks:entry_add", args=[draft.pk])
    response = cast.client(cast.ministry).post(url, {"code": "NEW", "name": "Baru", "weight": "1"})
    assert response.status_code == 302 and draft.entries.filter(code="NEW").exists()


@pytest.mark.parametrize("who", ["owner", "outsider", "viewer"])
def test_only_the_ministry_edits_an_entry_whatever_the_version(cast, draft, who):
    entry = draft.entries.get(code="OUTPUT")
    url = reverse("frameworks:entry_edit", args=[draft.pk, entry.pk])
    response = cast.client(getattr(cast, who)).post(url, {"name": "X", "weight": "1", "version": "1"})
    assert response.status_code == 403  # frameworks are programme-wide: no region to hide
    entry.refresh_from_db()
    assert entry.name == "Output"
