"""Demo data of the assistance capability (issue 7) for Kota Solok. Invented content is stored with is_sample=True."""

from __future__ import annotations

from kotacerdas.regions.models import Region


def load(solok: Region) -> None:
    """Add this capability's demo data to a freshly created Kota Solok (called once, atomically)."""
