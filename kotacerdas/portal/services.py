"""Writes of the portal: the region admin switches the parts of the public page on or off."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.lib.concurrency import EditConflict, lock_current
from kotacerdas.portal.models import PARTS, Publication
from kotacerdas.regions.models import Region

SWITCHES = list(PARTS)


@transaction.atomic
def set_publication(*, actor: Any, region: Region, parts: Mapping[str, Any], expected_version: int) -> Publication:
    """Switch the named ``parts`` of ``region``'s public page on (True) or off (False).

    ``parts`` maps part names (:data:`~kotacerdas.portal.models.PARTS`) to booleans; parts not
    named keep their state. ``expected_version`` is the version of the settings the caller saw,
    0 when the region had none yet (as ``regions.services.set_population``): settings someone
    else changed meanwhile are never overwritten (EditConflict). Audited with before and after.
    """
    access.check(actor, access.may_set_publication, region)
    unknown = sorted(str(name) for name in parts if name not in PARTS)
    if unknown:
        raise ValidationError(
            {
                "part": _("Unknown part: %(names)s. Choose from: %(parts)s.")
                % {"names": ", ".join(unknown), "parts": ", ".join(PARTS)}
            }
        )
    bad = sorted(name for name, value in parts.items() if not isinstance(value, bool))
    if bad:
        raise ValidationError({name: _("Choose on or off.") for name in bad})
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise EditConflict
    existing = Publication.objects.select_for_update().filter(region=region).first()
    if existing is None:
        if expected_version != 0:
            raise EditConflict
        publication = Publication(region=region)
        before = None
    else:
        publication = lock_current(Publication.objects.filter(region=region), existing.pk, expected_version)
        before = snapshot(publication, SWITCHES)
        publication.version += 1
    for name, value in parts.items():
        setattr(publication, name, value)
    publication.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    publication.save()
    record(
        actor=actor,
        action="publish",
        obj=publication,
        region=region,
        before=before,
        after=snapshot(publication, SWITCHES),
    )
    return publication
