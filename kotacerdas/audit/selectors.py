"""Reading the audit trail (the caller has already checked access to the region)."""

from __future__ import annotations

from django.db.models import QuerySet

from kotacerdas.audit.models import AuditEntry
from kotacerdas.regions.models import Region


def entries_for_region(region: Region) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(region=region).select_related("actor")


def all_entries() -> QuerySet[AuditEntry]:
    """Every entry, newest first: region data and programme-wide reference data alike."""
    return AuditEntry.objects.select_related("region")
