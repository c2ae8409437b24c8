"""The one access layer for region data.

Views and the API reach a region only through :func:`region_for` (or list regions through
:func:`visible_regions`); region-owned rows are then fetched *inside* that region's querysets.
A region a user holds no grant for answers 404 exactly like one that does not exist; a region
they can see but may not change in the asked way answers 403.

This module is the whole policy: the region capabilities (:data:`CAPABILITIES`), the acts of
the assistance (:data:`ASSISTANCE`) and every object-level rule as a named ``may_*`` predicate
(whose scores one may enter, which agency an editor may change, who revokes a mentor...).
Nothing else decides who may do what: views ask these predicates to answer 403 early, templates
receive their answers, and the write services ask them again with their ``actor`` argument
(:func:`check`), so a page, a command and the API cannot disagree. ``actor=None`` is the operator
at the console (management commands, the demo loader), who holds the database anyway.

Every predicate is tested per role and for the outsider in ``accounts/tests/test_access.py``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Membership, Role, User
from kotacerdas.lib import sql

if TYPE_CHECKING:
    from kotacerdas.assessments.models import Assessor
    from kotacerdas.quickwins.models import Evaluator
    from kotacerdas.regions.models import OPD, Region


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


def landing_url(user: Any) -> str:
    """Where signing in lands without a ``next``: the cockpit of the user's only region, else the
    list of their regions (the ministry sees every region, so it lands on the list)."""
    from django.urls import reverse

    codes = list(visible_regions(user).values_list("code", flat=True)[:2])
    return reverse("regions:home", args=[codes[0]]) if len(codes) == 1 else reverse("web:home")


def visible_regions(user: Any) -> QuerySet[Region]:
    """Regions the user may open, each annotated with ``my_role`` (None for ministry staff)."""
    from kotacerdas.regions.models import Region

    regions = Region.objects.all()
    if not user.is_authenticated or not user.is_active:
        return regions.none()
    own_role = Membership.objects.filter(user=user, region=OuterRef("pk")).values("role")[:1]
    # ``my_role_of`` says whose role ``my_role`` is, so a region fetched for one user is never
    # read as another's grant (see :func:`role_label`).
    regions = regions.annotate(my_role=Subquery(own_role), my_role_of=Value(user.pk))
    if _is_ministry(user):
        return regions
    return regions.filter(memberships__user=user)


def published_regions() -> QuerySet[Region]:
    """What the anonymous public may see: regions that chose to publish their profile."""
    from kotacerdas.regions.models import Region

    return Region.objects.filter(is_published=True)


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_label(user: Any, region: Region) -> str | None:
    """The grant that gives ``user`` access to ``region``: ``MINISTRY``, a ``Role`` or None.

    Free for a region from :func:`region_for` (which carries the user's role); one small query
    for any other region object (a service reaching the region through a row).
    """
    if not _active(user):
        return None
    if _is_ministry(user):
        return MINISTRY
    if getattr(region, "my_role_of", None) == user.pk:
        return getattr(region, "my_role", None)
    role = Membership.objects.filter(user=user, region_id=region.pk).values_list("role", flat=True).first()
    # Remembered on the object, so a service asking several predicates pays for one query.
    setattr(region, "my_role", role)  # noqa: B010 (not a model field)
    setattr(region, "my_role_of", user.pk)  # noqa: B010
    return role


def capabilities(user: Any, region: Region) -> frozenset[Can]:
    role = role_label(user, region)
    return CAPABILITIES.get(role, frozenset()) if role else frozenset()


def region_for(user: Any, code: str, need: Can = Can.VIEW) -> Region:
    """The region with ``code`` if ``user`` may see it, in one query; 404 otherwise.

    Raises PermissionDenied (403) when the user sees the region but lacks ``need``.
    """
    region = _region_with_role(user, code)
    if region is None:
        raise Http404("No such region.")
    if need not in capabilities(user, region):
        raise PermissionDenied
    return region


def _region_with_role(user: Any, code: str) -> Region | None:
    """The region with ``code`` if ``user`` may see it (the rule of :func:`visible_regions`:
    ministry staff see every region, anyone else the regions they hold a grant in), carrying the
    user's role as :func:`role_label` reads it. One plain statement: this runs on every page of a
    region, where building the ORM query cost more than the rest of a kept page (lib/sql.py)."""
    from kotacerdas.regions.models import Region

    if not _active(user):
        return None
    found = sql.objects(Region, _region_statement(), [user.pk, code])
    if not found:
        return None
    region, (role,) = found[0]
    if role is None and not _is_ministry(user):
        return None
    setattr(region, "my_role", role)  # noqa: B010 (what visible_regions annotates)
    setattr(region, "my_role_of", user.pk)  # noqa: B010
    return region


@sql.statement
def _region_statement() -> str:
    """The region with its code and the user's grant in it."""
    from kotacerdas.regions.models import Region

    return (
        f"SELECT {sql.columns(Region, 'r')}, m.{sql.column(Membership, 'role')} FROM {sql.table(Region)} r "  # noqa: S608
        f"LEFT JOIN {sql.table(Membership)} m ON m.{sql.column(Membership, 'region')} = r.{sql.column(Region, 'id')} "
        f"AND m.{sql.column(Membership, 'user')} = %s WHERE r.{sql.column(Region, 'code')} = %s"
    )


def require(user: Any, region: Region, need: Can) -> None:
    if need not in capabilities(user, region):
        raise PermissionDenied


def may(user: Any, region: Region, need: Can) -> bool:
    """Whether ``user`` holds capability ``need`` in ``region`` (for the writes no finer rule
    governs: ``access.check(actor, access.may, region, Can.EDIT)``)."""
    return need in capabilities(user, region)


def may_add_region(user: Any) -> bool:
    """Whether ``user`` may add a region to KotaCerdas: ministry staff only."""
    return is_ministry(user)


def check(actor: Any, allowed: Any, *args: Any) -> None:
    """For services: refuse ``actor`` (PermissionDenied) unless ``allowed(actor, *args)``.

    ``actor=None`` is the operator at the console (management commands, the demo loader) and is
    not asked. A page answers 403; a command prints the message as an error (``lib/commands``).
    """
    if actor is not None and not allowed(actor, *args):
        raise PermissionDenied(_("You may not do this in this region."))


def editor_opd_id(user: Any, region: Region) -> int | None:
    """The agency an editor is tied to, if any (one small query, only asked on edit pages)."""
    if role_label(user, region) != Role.EDITOR:
        return None
    asked = getattr(region, "editor_opd_of", None)  # asked once per region object and user
    if asked is not None and asked[0] == user.pk:
        return asked[1]
    opd_id = Membership.objects.filter(user=user, region=region).values_list("opd_id", flat=True).first()
    setattr(region, "editor_opd_of", (user.pk, opd_id))  # noqa: B010 (not a model field)
    return opd_id


def may_manage_calendar(actor: Any, user: Any) -> bool:
    """Create or revoke ``user``'s calendar subscription address: only the person themself (the
    address opens what they see; the operator at the console is not asked, see :func:`check`)."""
    return _active(actor) and actor.pk == user.pk


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


# Access to the region: who grants and revokes ----------------------------------------------


def may_grant(user: Any, region: Region, role: str) -> bool:
    """Whether ``user`` may give someone ``role`` in ``region``.

    The region admin (and the ministry) grant admin, editor and viewer; mentors are assigned by
    the ministry only, since a mentor reviews the region on the programme's behalf.
    """
    if role == Role.MENTOR:
        return is_ministry(user)
    return Can.ADMINISTER in capabilities(user, region)


def may_revoke(user: Any, region: Region, membership: Membership) -> bool:
    """Whether ``user`` may remove ``membership`` (of ``region``): the same rule as granting it."""
    return membership.region_id == region.pk and may_grant(user, region, membership.role)


def reviewer_users(region: Region) -> QuerySet[User]:
    """The people who hold Can.REVIEW in ``region`` (ministry staff and its mentors)."""
    roles = [role for role, caps in CAPABILITIES.items() if Can.REVIEW in caps and role != MINISTRY]
    own = Q(memberships__region=region, memberships__role__in=roles)
    return User.objects.filter(Q(is_ministry=True) | own, is_active=True).distinct()


# Agencies ----------------------------------------------------------------------------------


def may_edit_agencies(user: Any, region: Region) -> bool:
    """Whether ``user`` may add agencies and change every field of any of them (region admins)."""
    return Can.ADMINISTER in capabilities(user, region)


AGENCY_HEAD_FIELDS = frozenset({"head_name", "head_title"})


def may_edit_agency(user: Any, region: Region, opd: OPD, fields: Iterable[str] | None = None) -> bool:
    """Whether ``user`` may change agency ``opd`` of ``region`` (those ``fields``, if given).

    Region admins change every field of every agency; an editor tied to an agency keeps that
    agency's head up to date (:data:`AGENCY_HEAD_FIELDS`), structure being the admin's; other
    editors, viewers and mentors change none.
    """
    if opd.region_id != region.pk:
        return False
    if may_edit_agencies(user, region):
        return True
    if fields is not None and not set(fields) <= AGENCY_HEAD_FIELDS | {"version"}:
        return False
    return Can.EDIT in capabilities(user, region) and editor_opd_id(user, region) == opd.pk


# Plan review -------------------------------------------------------------------------------


def may_comment(user: Any, region: Region) -> bool:
    """Whether ``user`` may open, answer, resolve and reopen review threads on ``region``'s plan.

    Mentors review and the region's editors answer; viewers read. Every thread of a region
    follows the same rule.
    """
    return bool(capabilities(user, region) & {Can.REVIEW, Can.EDIT})


def may_waive_findings(user: Any, region: Region) -> bool:
    """Whether ``user`` may record (or withdraw) a waiver of plan-check findings in ``region``.

    A waiver is agreed between the region's team and its mentor: editors and mentors record
    it, with the reason; viewers read it.
    """
    return bool(capabilities(user, region) & {Can.REVIEW, Can.EDIT})


def section_review_role(user: Any, region: Region, state: str) -> bool | None:
    """In which role ``user`` moves a plan chapter of ``region`` to review ``state``.

    True: as a reviewer (Can.REVIEW: draft → reviewed → endorsed, or back to draft); False: as
    an editor (Can.EDIT: a reviewed chapter marked revised); None: they may not. Ministry staff
    hold both capabilities; the state they ask for says which role they act in.
    """
    can = capabilities(user, region)
    if Can.REVIEW in can and (Can.EDIT not in can or state != "revised"):
        return True
    if Can.EDIT in can:
        return False
    return None


# Quick-win rounds --------------------------------------------------------------------------

METHOD_SETTERS = frozenset({Can.EDIT, Can.REVIEW})


def may_set_method(user: Any, region: Region) -> bool:
    """Whether ``user`` may set a round's criteria, weights and pairwise comparisons.

    The method is agreed in the forum: the region's editors and its mentors set it together.
    """
    return bool(capabilities(user, region) & METHOD_SETTERS)


def may_score(user: Any, region: Region) -> bool:
    """Whether ``user`` may score candidates in ``region``'s rounds as themself."""
    return bool(capabilities(user, region) & {Can.EDIT, Can.REVIEW})


def may_score_for(user: Any, region: Region, evaluator: Evaluator) -> bool:
    """Whether ``user`` may enter the scores of ``evaluator`` (a row of a round of ``region``).

    One scores as oneself; editors also enter the scores of named (paper) evaluators, who have
    no account. Nobody enters another account holder's scores.
    """
    if evaluator.region_id != region.pk or not may_score(user, region):
        return False
    if evaluator.user_id is not None:
        return bool(evaluator.user_id == user.pk)
    return Can.EDIT in capabilities(user, region)


def may_add_evaluator(user: Any, region: Region) -> bool:
    """Whether ``user`` may add a named (paper) evaluator to a round: those who run rounds."""
    return Can.EDIT in capabilities(user, region)


# Assessments -------------------------------------------------------------------------------


def may_answer_slot(user: Any, region: Region, slot: Assessor) -> bool:
    """Whether ``user`` may answer in assessor ``slot`` (of a run of ``region``).

    A panel assessor answers in their own slot while they may review the region; the region's
    editors and admins answer in the region's own slot. Nobody answers in another person's slot.
    """
    if slot.region_id != region.pk:
        return False
    if slot.user_id is not None:
        return bool(slot.user_id == user.pk) and may_be_assessor(user, region)
    return bool(slot.is_region) and Can.EDIT in capabilities(user, region)


def may_submit_run(user: Any, region: Region) -> bool:
    """Whether ``user`` may submit the region's own answers of a run for review (its editors)."""
    return Can.EDIT in capabilities(user, region)


def may_be_assessor(user: Any, region: Region) -> bool:
    """Whether ``user`` may sit on an assessment panel of ``region``: someone who may review it."""
    return Can.REVIEW in capabilities(user, region)


def may_assign_assessors(user: Any, region: Region) -> bool:
    """Whether ``user`` may add panel assessors to ``region``'s runs (region admins, ministry)."""
    return Can.ADMINISTER in capabilities(user, region)


# The assistance ----------------------------------------------------------------------------


class Act(enum.Enum):
    """What one does in the assistance of a region (engagements, sessions, the register)."""

    SETUP = "setup"
    RUN = "run"
    CLOSE = "close"
    FOLLOW_UP = "follow_up"
    ESCALATE = "escalate"
    RESPOND = "respond"

    do_not_call_in_templates = enum.nonmember(True)


ASSISTANCE: dict[Act, frozenset[Can]] = {
    # The mentor team (Can.REVIEW) runs the forum end to end; the region's own people (Can.EDIT)
    # take minutes and follow up their actions and obstacles, but only a mentor or the ministry
    # closes a session (which freezes its minutes) or escalates an obstacle to the ministry.
    Act.SETUP: frozenset({Can.REVIEW, Can.ADMINISTER}),  # period, agreement, mentor team, schedule
    Act.RUN: frozenset({Can.REVIEW, Can.EDIT}),  # start a session, agenda, attendance, minutes, register
    Act.CLOSE: frozenset({Can.REVIEW}),  # close a session (freezes its minutes)
    Act.FOLLOW_UP: frozenset({Can.REVIEW, Can.EDIT}),  # action and obstacle status, signatures
    Act.ESCALATE: frozenset({Can.REVIEW}),  # escalate an obstacle to the ministry
}
# RESPOND (the ministry's answer to an escalation) is no region capability: the region admin
# and the mentor hold some of the ministry's capabilities in a region. It follows the
# programme-wide ministry grant.
MINISTRY_ACTS = frozenset({Act.RESPOND})


def acts(user: Any, region: Region) -> frozenset[Act]:
    """What ``user`` may do in the assistance of ``region``."""
    caps = capabilities(user, region)
    granted = frozenset(act for act, needs in ASSISTANCE.items() if needs & caps)
    return granted | MINISTRY_ACTS if is_ministry(user) else granted


def may_act(user: Any, region: Region, act: Act) -> bool:
    return act in acts(user, region)


def require_act(user: Any, region: Region, act: Act) -> None:
    if not may_act(user, region, act):
        raise PermissionDenied


def may_respond(user: Any) -> bool:
    """Whether ``user`` may answer escalated obstacles (of any region): the ministry only."""
    return is_ministry(user)


def may_see_national_view(user: Any) -> bool:
    """Whether ``user`` may see the national view (every region compared, its export and its
    drill-downs): the ministry only."""
    return is_ministry(user)


def may_add_engagement(user: Any) -> bool:
    """Whether ``user`` may add a region to a cohort of the assistance: the ministry only."""
    return is_ministry(user)


# The annual evaluation -----------------------------------------------------------------------


def may_evaluate(user: Any) -> bool:
    """Whether ``user`` may create, score and release annual evaluations: the ministry only."""
    return is_ministry(user)


def may_see_evaluation(user: Any, region: Region, evaluation: Any) -> bool:
    """Whether ``user`` may see ``evaluation`` (of ``region``).

    A draft is the ministry's working paper; once released, everyone who may view the region
    (its members and mentors) sees it. Another region's evaluation is seen by nobody but the
    ministry.
    """
    if evaluation.region_id != region.pk:
        return False
    if is_ministry(user):
        return True
    return bool(evaluation.is_released) and Can.VIEW in capabilities(user, region)


# Implementation monitoring -----------------------------------------------------------------


def may_set_up_reporting(user: Any, region: Region) -> bool:
    """Whether ``user`` may start or change the reporting of an adopted edition (cadence, rules).

    The region admin runs monitoring (the ministry, which administers every region, too).
    """
    return Can.ADMINISTER in capabilities(user, region)


def may_report_for(user: Any, region: Region, lead_opd_id: int | None) -> bool:
    """Whether ``user`` may write and submit updates and actuals for a programme led by ``lead_opd_id``.

    The programme's lead agency reports: an editor tied to an agency reports for that agency's
    programmes only; editors not tied to an agency and region admins report for every programme.
    """
    can = capabilities(user, region)
    if Can.ADMINISTER in can:
        return True
    if Can.EDIT not in can:
        return False
    tied = editor_opd_id(user, region)
    return tied is None or tied == lead_opd_id


def may_validate_updates(user: Any, region: Region) -> bool:
    """Whether ``user`` may accept or return submitted updates: the region admin or a mentor."""
    return bool(capabilities(user, region) & {Can.ADMINISTER, Can.REVIEW})


# The public portal (issue 15 §4: kotacerdas/portal) ---------------------------------------


def may_set_publication(user: Any, region: Region) -> bool:
    """Whether ``user`` may switch the parts of ``region``'s public portal page on or off.

    Publishing is the region's own statement to its citizens, so only its admin (Diskominfo)
    decides, as for :func:`may_set_peer_sharing`; the ministry, editors, viewers and mentors do not.
    """
    return _active(user) and role_label(user, region) == Role.ADMIN


def may_read_public_part(user: Any, region: Region, part: str, published: Iterable[str]) -> bool:
    """Whether anyone (signed in or not: ``user`` is not asked) may read ``part`` of ``region``'s
    portal page: the region publishes its page and ``part`` is among its ``published`` parts.

    The portal answers every reader alike, which is what lets its pages be cached publicly; a
    part the region did not publish is a 404 to all (its members read it in the workbench)."""
    return bool(region.is_published) and part in set(published)


# API tokens --------------------------------------------------------------------------------


def may_make_token(user: Any, owner: Any) -> bool:
    """Whether ``user`` may make an API token acting as ``owner``: people make their own only
    (the console, ``actor=None``, makes anyone's)."""
    return _active(user) and user.pk == owner.pk


def may_revoke_token(user: Any, token: Any) -> bool:
    """Whether ``user`` may revoke API ``token``: its owner, and the ministry anyone's (someone who left)."""
    return _active(user) and (user.pk == token.user_id or is_ministry(user))


# Notifications -----------------------------------------------------------------------------


def region_viewers(region: Region) -> QuerySet[User]:
    """The people who may open ``region`` (active ministry staff and its members): the only
    possible recipients of a notification about it."""
    return User.objects.filter(Q(is_ministry=True) | Q(memberships__region=region), is_active=True).distinct()


def may_read_notification(user: Any, notification: Any) -> bool:
    """Whether ``user`` may see, or mark read, ``notification``: its recipient only (nobody else,
    the ministry included: a notification is a personal message, not region data)."""
    return _active(user) and bool(notification.recipient_id == user.pk)


def may_manage_notifications(user: Any, owner: Any) -> bool:
    """Whether ``user`` may list, mark read and choose how ``owner`` receives notifications:
    themself only."""
    return _active(user) and bool(owner.pk == user.pk)
