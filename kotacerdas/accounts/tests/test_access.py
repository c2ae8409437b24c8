"""The access policy, tested once and thoroughly: who sees which region and may do what."""

from __future__ import annotations

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
