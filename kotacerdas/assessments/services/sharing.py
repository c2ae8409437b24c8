"""The region's consent to join the anonymised peer comparisons of its size class."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.lib.concurrency import lock_current
from kotacerdas.regions.models import Region


@transaction.atomic
def set_peer_sharing(*, actor: Any, region: Region, shares: bool, expected_version: int) -> Region:
    """Opt ``region`` in to (or out of) the peer comparisons; only its own admin may.

    ``region`` comes from :func:`kotacerdas.accounts.access.region_for` (it carries the actor's
    role). The version is required: consent must not flip because of a stale form.
    """
    if not access.may_set_peer_sharing(actor, region):
        raise PermissionDenied
    current = lock_current(Region.objects.all(), region.pk, expected_version)
    if current.shares_peer_scores == shares:
        return current
    before = snapshot(current, ["shares_peer_scores"])
    current.shares_peer_scores = shares
    current.version += 1
    # save() (not update()) so updated_at moves: the cached peer medians are keyed on it.
    current.save(update_fields=["shares_peer_scores", "version", "updated_at"])
    record(
        actor=actor,
        action="update",
        obj=current,
        region=current,
        before=before,
        after=snapshot(current, ["shares_peer_scores"]),
    )
    return current
