"""The one access layer for region data.

Views and the API reach a region only through :func:`region_for` (or list regions through
:func:`visible_regions`); region-owned rows are then fetched *inside* that region's querysets.
A region a user holds no grant for answers 404 exactly like one that does not exist; a region
they can see but may not change in the asked way answers 403.

The capability table below is the whole policy. It is tested once, thoroughly, in
``accounts/tests/test_access.py``.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from kotacerdas.accounts.models import Membership, Role

if TYPE_CHECKING:
    from kotacerdas.regions.models import Region


class Can(enum.Enum):
    VIEW = "view"  # see the region's workbench pages
    EDIT = "edit"  # change plan content (and, for OPD-tied editors, their own agency's profile)
    ADMINISTER = "administer"  # change the region profile, agencies, governance; read the audit trail
    REVIEW = "review"  # mentor review (comments, returns, endorsements in later capabilities)

    # Templates call callables; an Enum class called with no value raises, which made every
    # `{% if Can.X in can %}` silently false.
    do_not_call_in_templates = enum.nonmember(True)


MINISTRY = "ministry"

CAPABILITIES: dict[str, frozenset[Can]] = {
    MINISTRY: frozenset(Can),
    Role.ADMIN: frozenset({Can.VIEW, Can.EDIT, Can.ADMINISTER}),
    Role.EDITOR: frozenset({Can.VIEW, Can.EDIT}),
    Role.VIEWER: frozenset({Can.VIEW}),
    Role.MENTOR: frozenset({Can.VIEW, Can.REVIEW}),
}


def is_ministry(user: Any) -> bool:
    """Whether ``user`` holds the programme-wide ministry grant (active, signed in)."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_ministry", False))


_is_ministry = is_ministry


def visible_regions(user: Any) -> QuerySet[Region]:
    """Regions the user may open, each annotated with ``my_role`` (None for ministry staff)."""
    from kotacerdas.regions.models import Region

    regions = Region.objects.all()
    if not user.is_authenticated or not user.is_active:
        return regions.none()
    own_role = Membership.objects.filter(user=user, region=OuterRef("pk")).values("role")[:1]
    regions = regions.annotate(my_role=Subquery(own_role))
    if _is_ministry(user):
        return regions
    return regions.filter(memberships__user=user)


def published_regions() -> QuerySet[Region]:
    """What the anonymous public may see: regions that chose to publish their profile."""
    from kotacerdas.regions.models import Region

    return Region.objects.filter(is_published=True)


def role_label(user: Any, region: Region) -> str | None:
    """The grant that gives ``user`` access to ``region`` (needs a region from :func:`region_for`)."""
    if _is_ministry(user):
        return MINISTRY
    return getattr(region, "my_role", None)


def capabilities(user: Any, region: Region) -> frozenset[Can]:
    role = role_label(user, region)
    return CAPABILITIES.get(role, frozenset()) if role else frozenset()


def region_for(user: Any, code: str, need: Can = Can.VIEW) -> Region:
    """The region with ``code`` if ``user`` may see it, in one query; 404 otherwise.

    Raises PermissionDenied (403) when the user sees the region but lacks ``need``.
    """
    region = visible_regions(user).filter(code=code).first()
    if region is None:
        raise Http404("No such region.")
    if need not in capabilities(user, region):
        raise PermissionDenied
    return region


def require(user: Any, region: Region, need: Can) -> None:
    if need not in capabilities(user, region):
        raise PermissionDenied


def editor_opd_id(user: Any, region: Region) -> int | None:
    """The agency an editor is tied to, if any (one small query, only asked on edit pages)."""
    if role_label(user, region) != Role.EDITOR:
        return None
    return Membership.objects.filter(user=user, region=region).values_list("opd_id", flat=True).first()


def require_ministry(user: Any) -> None:
    """Programme-wide actions (adding a region, editing frameworks) are for ministry staff only."""
    if not _is_ministry(user):
        raise PermissionDenied


def may_set_peer_sharing(user: Any, region: Region) -> bool:
    """Whether ``user`` may opt ``region`` in or out of the anonymised peer comparisons.

    It is the region's consent to let others compute with its scores, so only the region's own
    admin gives or withdraws it; the ministry, which administers every region, does not.
    (Needs a region from :func:`region_for`, which carries the user's role.)
    """
    return bool(user.is_authenticated and user.is_active) and role_label(user, region) == Role.ADMIN
