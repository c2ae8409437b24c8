"""Demo of the public portal (issue 15 §4): Kota Solok publishes every part of its public page.

The page itself is on in the demo's region profile (``is_published``); the switches are set as
the operator, through the service, so the audit trail shows them like any other change.
"""

from __future__ import annotations

from kotacerdas.portal import services
from kotacerdas.portal.models import PARTS
from kotacerdas.regions.models import Region


def load(solok: Region) -> None:
    """Publish every part of Kota Solok's public page (called once, on a fresh region)."""
    services.set_publication(actor=None, region=solok, parts=dict.fromkeys(PARTS, True), expected_version=0)
