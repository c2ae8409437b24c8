"""Starting a document job asks the access layer with the actor, as the documents page does."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.audit.models import AuditEntry
from kotacerdas.reports import services
from kotacerdas.reports.models import DocumentJob

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["buku1", "buku2"])
def test_only_those_who_edit_the_region_start_a_document_job(cast, book, kind):
    def start(actor):
        return services.request_document(
            actor=actor, region=cast.region_a, edition=book.edition, kind=kind, fmt="pdf", background=False
        )

    audit = AuditEntry.objects.count()
    for who in ("viewer", "mentor", "outsider"):
        with pytest.raises(PermissionDenied):
            start(getattr(cast, who))
    assert not DocumentJob.objects.exists() and AuditEntry.objects.count() == audit
    assert start(cast.editor).kind == kind
    assert DocumentJob.objects.count() == 1
