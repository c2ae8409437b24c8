"""The access policy, tested once and thoroughly: who sees which region and may do what."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can

pytestmark = pytest.mark.django_db

EXPECTED = {
    # user: (codes visible, capabilities in region A)
    "owner": ({"13.72"}, {Can.VIEW, Can.EDIT, Can.ADMINISTER}),
    "editor": ({"13.72"}, {Can.VIEW, Can.EDIT}),
    "viewer": ({"13.72"}, {Can.VIEW}),
    "mentor": ({"13.72"}, {Can.VIEW, Can.REVIEW}),
    "ministry": ({"13.72", "13.73"}, set(Can)),
    "outsider": ({"13.73"}, None),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_each_role_sees_exactly_its_regions_and_capabilities(cast, who):
    user = getattr(cast, who)
    codes, caps = EXPECTED[who]
    assert set(access.visible_regions(user).values_list("code", flat=True)) == codes
    if caps is None:
        with pytest.raises(Http404):
            access.region_for(user, "13.72")
    else:
        region = access.region_for(user, "13.72")
        assert access.capabilities(user, region) == caps


def test_a_region_you_may_not_see_is_indistinguishable_from_a_missing_one(cast):
    with pytest.raises(Http404) as not_yours:
        access.region_for(cast.outsider, "13.72")
    with pytest.raises(Http404) as missing:
        access.region_for(cast.outsider, "99.99")
    assert str(not_yours.value) == str(missing.value)


def test_seeing_a_region_without_the_capability_is_forbidden_not_hidden(cast):
    with pytest.raises(PermissionDenied):
        access.region_for(cast.viewer, "13.72", Can.ADMINISTER)
    with pytest.raises(PermissionDenied):
        access.region_for(cast.mentor, "13.72", Can.EDIT)


def test_anonymous_and_inactive_users_see_no_region(cast):
    assert not access.visible_regions(AnonymousUser()).exists()
    cast.owner.is_active = False
    cast.owner.save()
    assert not access.visible_regions(cast.owner).exists()


def test_region_for_costs_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        region = access.region_for(cast.owner, "13.72", Can.ADMINISTER)
    assert region.code == "13.72"


def test_the_public_sees_only_published_regions(cast):
    assert not access.published_regions().exists()
    cast.region_a.is_published = True
    cast.region_a.save()
    assert list(access.published_regions().values_list("code", flat=True)) == ["13.72"]


def test_only_the_editors_own_agency_is_reported(cast):
    region = access.region_for(cast.editor, "13.72")
    assert access.editor_opd_id(cast.editor, region) == cast.opd_a.pk
    owner_region = access.region_for(cast.owner, "13.72")
    assert access.editor_opd_id(cast.owner, owner_region) is None


# Every predicate × every role -----------------------------------------------------------------
#
# One row per predicate (and object), the set of roles it answers yes for. The roles: ministry
# staff, region A's admin, its editor tied to an agency, an editor tied to none, a viewer (a Dewan
# member), A's mentor, a mentor of region B only, the outsider (B's admin), anonymous, and A's
# admin after deactivation. The region is fetched plainly (as a service reaches it through a
# row), not through ``region_for``.

ROLES = (
    "ministry",
    "admin",
    "editor",
    "editor_untied",
    "viewer",
    "mentor",
    "mentor_elsewhere",
    "outsider",
    "anonymous",
    "inactive",
)
EDITORS = {"ministry", "admin", "editor", "editor_untied"}
TEAM = EDITORS | {"mentor"}  # those who edit or review
NOBODY: set[str] = set()
SIGNED_IN = set(ROLES) - {"anonymous", "inactive"}


def _people(cast):
    from kotacerdas.accounts.models import Membership, User

    untied = User.objects.create_user(username="untied", password="x-untied-123")
    Membership.objects.create(user=untied, region=cast.region_a, role="editor")
    elsewhere = User.objects.create_user(username="mentor-b", password="x-mentor-123")
    Membership.objects.create(user=elsewhere, region=cast.region_b, role="mentor")
    inactive = User.objects.create_user(username="gone", password="x-gone-12345", is_active=False)
    Membership.objects.create(user=inactive, region=cast.region_a, role="admin")
    return {
        "ministry": cast.ministry,
        "admin": cast.owner,
        "editor": cast.editor,
        "editor_untied": untied,
        "viewer": cast.viewer,
        "mentor": cast.mentor,
        "mentor_elsewhere": elsewhere,
        "outsider": cast.outsider,
        "anonymous": AnonymousUser(),
        "inactive": inactive,
    }


def _token_of(user):
    from kotacerdas.api.models import ApiToken

    return ApiToken(user=user, name="t", prefix="p")


def _evaluator(cast, user_id):
    from kotacerdas.quickwins.models import Evaluator

    return Evaluator(region_id=cast.region_a.pk, user_id=user_id, name="x")


def _slot(cast, user_id, is_region=False):
    from kotacerdas.assessments.models import Assessor

    return Assessor(region_id=cast.region_a.pk, user_id=user_id, is_region=is_region, name="x")


def _evaluation(cast, released, region=None):
    from kotacerdas.evaluation.models import Evaluation, Status

    region = region or cast.region_a
    return Evaluation(region_id=region.pk, year=2025, status=Status.RELEASED if released else Status.DRAFT)


def _grant(cast, who):
    from kotacerdas.accounts.models import Membership

    return Membership.objects.get(user=getattr(cast, who), region=cast.region_a)


def _other_opd(cast):
    from kotacerdas.regions.models import OPD

    return OPD(region_id=cast.region_a.pk, name="Bappeda", pk=cast.opd_a.pk + 1000)


Act = access.Act
TABLE = {
    # name: (question(cast, user, region), roles answered yes)
    "capabilities VIEW": (lambda c, u, r: Can.VIEW in access.capabilities(u, r), TEAM | {"viewer"}),
    "may VIEW": (lambda c, u, r: access.may(u, r, Can.VIEW), TEAM | {"viewer"}),
    "may EDIT": (lambda c, u, r: access.may(u, r, Can.EDIT), EDITORS),
    "may ADMINISTER": (lambda c, u, r: access.may(u, r, Can.ADMINISTER), {"ministry", "admin"}),
    "may REVIEW": (lambda c, u, r: access.may(u, r, Can.REVIEW), {"ministry", "mentor"}),
    "may_add_region": (lambda c, u, r: access.may_add_region(u), {"ministry"}),
    "may_grant editor": (lambda c, u, r: access.may_grant(u, r, "editor"), {"ministry", "admin"}),
    "may_grant mentor": (lambda c, u, r: access.may_grant(u, r, "mentor"), {"ministry"}),
    "may_revoke viewer": (lambda c, u, r: access.may_revoke(u, r, _grant(c, "viewer")), {"ministry", "admin"}),
    "may_revoke mentor": (lambda c, u, r: access.may_revoke(u, r, _grant(c, "mentor")), {"ministry"}),
    "may_edit_agencies": (lambda c, u, r: access.may_edit_agencies(u, r), {"ministry", "admin"}),
    "may_edit_agency own head": (
        lambda c, u, r: access.may_edit_agency(u, r, c.opd_a, ["head_name", "head_title", "version"]),
        {"ministry", "admin", "editor"},
    ),
    "may_edit_agency own structure": (
        lambda c, u, r: access.may_edit_agency(u, r, c.opd_a, ["name", "head_name"]),
        {"ministry", "admin"},
    ),
    "may_edit_agency another": (lambda c, u, r: access.may_edit_agency(u, r, _other_opd(c)), {"ministry", "admin"}),
    "may_edit_agency of region B": (lambda c, u, r: access.may_edit_agency(u, r, c.opd_b), NOBODY),
    "may_comment": (lambda c, u, r: access.may_comment(u, r), TEAM),
    "may_waive_findings": (lambda c, u, r: access.may_waive_findings(u, r), TEAM),
    "section_review_role reviewed": (
        lambda c, u, r: access.section_review_role(u, r, "reviewed") is True,
        {"ministry", "mentor"},
    ),
    "section_review_role revised": (
        lambda c, u, r: access.section_review_role(u, r, "revised") is False,
        EDITORS,
    ),
    "may_set_method": (lambda c, u, r: access.may_set_method(u, r), TEAM),
    "may_score": (lambda c, u, r: access.may_score(u, r), TEAM),
    "may_score_for own": (lambda c, u, r: access.may_score_for(u, r, _evaluator(c, u.pk or -1)), TEAM),
    "may_score_for paper": (lambda c, u, r: access.may_score_for(u, r, _evaluator(c, None)), EDITORS),
    "may_score_for someone else": (lambda c, u, r: access.may_score_for(u, r, _evaluator(c, c.viewer.pk)), NOBODY),
    "may_add_evaluator": (lambda c, u, r: access.may_add_evaluator(u, r), EDITORS),
    "may_answer_slot own panel slot": (
        lambda c, u, r: access.may_answer_slot(u, r, _slot(c, u.pk or -1)),
        {"ministry", "mentor"},
    ),
    "may_answer_slot region's slot": (lambda c, u, r: access.may_answer_slot(u, r, _slot(c, None, True)), EDITORS),
    "may_answer_slot someone else's": (lambda c, u, r: access.may_answer_slot(u, r, _slot(c, c.viewer.pk)), NOBODY),
    "may_submit_run": (lambda c, u, r: access.may_submit_run(u, r), EDITORS),
    "may_be_assessor": (lambda c, u, r: access.may_be_assessor(u, r), {"ministry", "mentor"}),
    "may_assign_assessors": (lambda c, u, r: access.may_assign_assessors(u, r), {"ministry", "admin"}),
    "may_act SETUP": (lambda c, u, r: access.may_act(u, r, Act.SETUP), {"ministry", "admin", "mentor"}),
    "may_act RUN": (lambda c, u, r: access.may_act(u, r, Act.RUN), TEAM),
    "may_act CLOSE": (lambda c, u, r: access.may_act(u, r, Act.CLOSE), {"ministry", "mentor"}),
    "may_act FOLLOW_UP": (lambda c, u, r: access.may_act(u, r, Act.FOLLOW_UP), TEAM),
    "may_act ESCALATE": (lambda c, u, r: access.may_act(u, r, Act.ESCALATE), {"ministry", "mentor"}),
    "may_act RESPOND": (lambda c, u, r: access.may_act(u, r, Act.RESPOND), {"ministry"}),
    "may_respond": (lambda c, u, r: access.may_respond(u), {"ministry"}),
    "may_add_engagement": (lambda c, u, r: access.may_add_engagement(u), {"ministry"}),
    "may_see_national_view": (lambda c, u, r: access.may_see_national_view(u), {"ministry"}),
    "may_set_peer_sharing": (lambda c, u, r: access.may_set_peer_sharing(u, r), {"admin"}),
    "may_evaluate": (lambda c, u, r: access.may_evaluate(u), {"ministry"}),
    "may_see_evaluation draft": (lambda c, u, r: access.may_see_evaluation(u, r, _evaluation(c, False)), {"ministry"}),
    "may_see_evaluation released": (
        lambda c, u, r: access.may_see_evaluation(u, r, _evaluation(c, True)),
        TEAM | {"viewer"},
    ),
    "may_see_evaluation of region B": (
        lambda c, u, r: access.may_see_evaluation(u, r, _evaluation(c, True, c.region_b)),
        NOBODY,
    ),
    "may_set_up_reporting": (lambda c, u, r: access.may_set_up_reporting(u, r), {"ministry", "admin"}),
    "may_report_for own agency": (lambda c, u, r: access.may_report_for(u, r, c.opd_a.pk), EDITORS),
    "may_report_for another agency": (
        lambda c, u, r: access.may_report_for(u, r, _other_opd(c).pk),
        {"ministry", "admin", "editor_untied"},
    ),
    "may_report_for no lead agency": (
        lambda c, u, r: access.may_report_for(u, r, None),
        {"ministry", "admin", "editor_untied"},
    ),
    "may_validate_updates": (lambda c, u, r: access.may_validate_updates(u, r), {"ministry", "admin", "mentor"}),
    # The public portal: only the region's own admin publishes; what is published is read by all.
    "may_set_publication": (lambda c, u, r: access.may_set_publication(u, r), {"admin"}),
    "may_read_public_part published": (
        lambda c, u, r: access.may_read_public_part(u, _public(r, True), "plan", {"plan"}),
        set(ROLES),
    ),
    "may_read_public_part not published": (
        lambda c, u, r: access.may_read_public_part(u, _public(r, True), "books", {"plan"}),
        NOBODY,
    ),
    "may_read_public_part page off": (
        lambda c, u, r: access.may_read_public_part(u, _public(r, False), "plan", {"plan"}),
        NOBODY,
    ),
    "may_make_token own": (lambda c, u, r: access.may_make_token(u, u), set(ROLES) - {"anonymous", "inactive"}),
    "may_make_token for the viewer": (lambda c, u, r: access.may_make_token(u, c.viewer), {"viewer"}),
    "may_revoke_token the viewer's": (
        lambda c, u, r: access.may_revoke_token(u, _token_of(c.viewer)),
        {"viewer", "ministry"},
    ),
    "may_read_notification own": (
        lambda c, u, r: access.may_read_notification(u, SimpleNamespace(recipient_id=u.pk)),
        SIGNED_IN,
    ),
    "may_read_notification the editor's": (
        lambda c, u, r: access.may_read_notification(u, SimpleNamespace(recipient_id=c.editor.pk)),
        {"editor"},
    ),
    "may_manage_notifications own": (lambda c, u, r: access.may_manage_notifications(u, u), SIGNED_IN),
    "may_manage_notifications the editor's": (
        lambda c, u, r: access.may_manage_notifications(u, c.editor),
        {"editor"},
    ),
    "may_manage_calendar own address": (
        lambda c, u, r: access.may_manage_calendar(u, u),
        set(ROLES) - {"anonymous", "inactive"},
    ),
    "may_manage_calendar the viewer's address": (lambda c, u, r: access.may_manage_calendar(u, c.viewer), {"viewer"}),
}


def _public(region, page_on):
    region.is_published = page_on
    return region


@pytest.mark.parametrize("question", TABLE)
def test_every_predicate_answers_each_role_as_the_policy_says(cast, question):
    from kotacerdas.regions.models import Region

    ask, allowed = TABLE[question]
    people = _people(cast)
    answers = {}
    for role in ROLES:
        region = Region.objects.get(pk=cast.region_a.pk)  # fresh: no role remembered from another user
        answers[role] = bool(ask(cast, people[role], region))
    assert {role for role, yes in answers.items() if yes} == allowed


def test_every_predicate_of_the_layer_has_a_row_in_the_table():
    import inspect

    named = {n for n, f in inspect.getmembers(access, inspect.isfunction) if n == "may" or n.startswith("may_")}
    covered = {question.split()[0] for question in TABLE}
    assert named <= covered, named - covered


def test_the_answers_do_not_depend_on_how_the_region_was_fetched(cast):
    """A region from ``region_for`` (role annotated) and a plain one answer alike, and a region
    fetched for one user is never read as another user's grant."""
    from kotacerdas.regions.models import Region

    through_layer = access.region_for(cast.owner, "13.72")
    assert access.may_edit_agencies(cast.owner, through_layer)
    assert not access.may_edit_agencies(cast.viewer, through_layer)
    assert access.may_edit_agencies(cast.owner, Region.objects.get(pk=cast.region_a.pk))


def test_a_service_asks_the_layer_once_per_region_object(cast, django_assert_num_queries):
    from kotacerdas.regions.models import Region

    region = Region.objects.get(pk=cast.region_a.pk)
    with django_assert_num_queries(1):
        assert access.may_comment(cast.editor, region)
        assert access.may_score(cast.editor, region)
        assert access.may_set_method(cast.editor, region)


def test_the_console_is_not_asked_but_a_refused_user_is(cast):
    access.check(None, access.may_edit_agencies, cast.region_a)
    with pytest.raises(PermissionDenied):
        access.check(cast.viewer, access.may_edit_agencies, cast.region_a)


def test_only_people_who_may_open_the_region_can_be_notified_of_it(cast):
    from kotacerdas.accounts.models import User

    User.objects.create_user(username="gone", is_active=False, is_ministry=True)
    names = set(access.region_viewers(cast.region_a).values_list("username", flat=True))
    assert names == {"ministry", "owner", "editor", "viewer", "mentor"}
    assert set(access.region_viewers(cast.region_b).values_list("username", flat=True)) == {"ministry", "outsider"}


PEOPLE = ("owner", "editor", "viewer", "mentor", "ministry", "outsider")


@pytest.mark.parametrize("who", PEOPLE)
def test_region_for_agrees_with_the_list_of_visible_regions(cast, who):
    """``region_for`` reads with its own statement (lib/sql.py); it must open exactly the regions
    ``visible_regions`` lists, give the same row (every field, as the ORM converts it) and the same
    role, and refuse the rest, a missing code included."""
    from kotacerdas.regions.models import Region

    user = getattr(cast, who)
    visible = {region.code: region for region in access.visible_regions(user)}
    for code in [*Region.objects.values_list("code", flat=True), "99.99", "", "13.72' OR '1'='1"]:
        if code not in visible:
            with pytest.raises(Http404):
                access.region_for(user, code)
            continue
        found = access.region_for(user, code)
        listed = visible[code]
        for field in Region._meta.concrete_fields:
            assert getattr(found, field.attname) == getattr(listed, field.attname), field.name
            assert type(getattr(found, field.attname)) is type(getattr(listed, field.attname)), field.name
        assert access.role_label(user, found) == access.role_label(user, listed)


@pytest.mark.parametrize("who", PEOPLE)
def test_an_inactive_user_opens_no_region(cast, who):
    user = getattr(cast, who)
    user.is_active = False
    user.save()
    for code in ("13.72", "13.73"):
        with pytest.raises(Http404):
            access.region_for(user, code)
    with pytest.raises(Http404):
        access.region_for(AnonymousUser(), "13.72")


@pytest.mark.parametrize("who", PEOPLE)
def test_the_user_of_a_session_is_read_as_the_orm_reads_it(cast, who):
    """accounts/backends.py reads the signed-in user with its own statement (lib/sql.py): every
    field must come back with the ORM's value and type (dates, flags, the last sign-in)."""
    from django.utils import timezone

    from kotacerdas.accounts.backends import AccountBackend
    from kotacerdas.accounts.models import User

    User.objects.filter(pk=getattr(cast, who).pk).update(last_login=timezone.now())
    stored = User.objects.get(pk=getattr(cast, who).pk)
    found = AccountBackend().get_user(str(stored.pk))
    assert found is not None and found.pk == stored.pk and not found._state.adding
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
        assert type(getattr(found, field.attname)) is type(getattr(stored, field.attname)), field.name
    assert AccountBackend().get_user("not-a-number") is None and AccountBackend().get_user(10**9) is None
