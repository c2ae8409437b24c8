"""The size-class peer comparison: opt-in sharing, and nothing shown below the minimum group."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from kotacerdas.accounts import access
from kotacerdas.assessments.models import Run
from kotacerdas.assessments.selectors import MIN_PEER_GROUP, size_class_peers
from kotacerdas.assessments.services import runs as services
from kotacerdas.assessments.services.sharing import set_peer_sharing
from kotacerdas.assessments.tests.conftest import answer_all
from kotacerdas.audit.models import AuditEntry
from kotacerdas.regions import services as region_services
from kotacerdas.regions.forms import RegionForm
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db

A = "13.72"
PEER_NAMES = ["Padang Panjang", "Bukittinggi", "Payakumbuh", "Pariaman", "Tebing Tinggi", "Sibolga"]


def _opt_in(region: Region, shares: bool = True) -> None:
    """Flip the flag as the data would be after the region's admin chose (the service is tested below)."""
    Region.objects.filter(pk=region.pk).update(shares_peer_scores=shares)
    region.refresh_from_db()


def _peer(templates: dict[str, Any], n: int, level: int, shares: bool = True) -> Region:
    """Another kota of region A's size class with an accepted maturity run answered at ``level``."""
    region = region_services.create_region(
        actor=None,
        data={"code": f"14.{n:02d}", "name": PEER_NAMES[n], "kind": "kota", "province": "Sumatera Barat"},
    )
    region_services.set_population(
        actor=None, region=region, year=2020, population=60_000 + n * 1_000, expected_version=0
    )
    run = services.start_run(actor=None, region=region, template=templates["maturity"], year=2024)
    answer_all(run, None, level=level)
    Run.objects.filter(pk=run.pk).update(status="accepted")
    _opt_in(region, shares)
    return region


@pytest.fixture
def own(cast: Any, templates: dict[str, Any]) -> Run:
    run = services.start_run(actor=None, region=cast.region_a, template=templates["maturity"], year=2024)
    answer_all(run, cast.editor, level=2)  # 25.0 everywhere
    return run


def _page(cast: Any, run: Run, user: Any = None) -> Any:
    return cast.client(user or cast.owner).get(reverse("assessments:results", args=[A, run.pk]))


def test_the_minimum_group_is_five_regions():
    assert MIN_PEER_GROUP == 5


def test_four_sharing_peers_give_no_comparison_and_no_peer_figure(cast, templates, own):
    for n in range(4):
        _peer(templates, n, level=4)  # 75.0 each
    peers = size_class_peers(own)
    assert peers is not None and not peers.shown
    assert peers.regions == 0 and peers.overall is None and peers.sections == {}
    page = _page(cast, own)
    assert page.status_code == 200
    assert b"Fewer than 5 other" in page.content and b"no comparison is shown" in page.content
    assert b"75.0" not in page.content and b"Size-class median" not in page.content
    assert b"median of" not in page.content  # neither the paragraph nor the chart's peer series


def test_five_sharing_peers_show_the_group_median_and_no_single_region(cast, templates, own):
    for n, level in enumerate([3, 3, 4, 5, 5]):  # 50, 50, 75, 100, 100
        _peer(templates, n, level=level)
    peers = size_class_peers(own)
    assert peers is not None and peers.shown and peers.regions == 5
    assert peers.overall == pytest.approx(75) and peers.sections["GOV"] == pytest.approx(75)
    # Only group figures leave the selector: nothing per region to render.
    assert set(vars(peers)) == {"scheme", "size_class", "shown", "regions", "overall", "sections", "minimum"}
    page = _page(cast, own)
    assert page.status_code == 200
    assert b"Compared with the median of 5 other" in page.content and b"75.0" in page.content
    text = re.sub(r"<svg.*?</svg>", "", page.content.decode(), flags=re.DOTALL)
    assert "50.0" not in text and "100.0" not in text  # no peer's own figure in the words and tables
    assert ": 50.0<" not in page.content.decode() and ": 100.0<" not in page.content.decode()  # nor in the charts
    for name in PEER_NAMES[:5]:
        assert name.encode() not in page.content


def test_a_region_that_did_not_opt_in_is_never_counted(cast, templates, own):
    for n in range(4):
        _peer(templates, n, level=4)
    _peer(templates, 4, level=4, shares=False)
    region_services.set_population(actor=None, region=cast.region_b, year=2020, population=65_000, expected_version=0)
    outsiders = services.start_run(actor=None, region=cast.region_b, template=templates["maturity"], year=2024)
    answer_all(outsiders, cast.outsider, level=4)
    Run.objects.filter(pk=outsiders.pk).update(status="accepted")
    assert not size_class_peers(own).shown  # six accepted runs in the class, only four opted in
    region_b = access.region_for(cast.outsider, "13.73")
    set_peer_sharing(actor=cast.outsider, region=region_b, shares=True, expected_version=region_b.version)
    assert size_class_peers(own).regions == 5
    region_b = access.region_for(cast.outsider, "13.73")
    set_peer_sharing(actor=cast.outsider, region=region_b, shares=False, expected_version=region_b.version)
    assert not size_class_peers(own).shown  # the withdrawal takes effect at once, cache or not


def test_the_region_itself_is_not_its_own_peer(cast, templates, own):
    for n in range(4):
        _peer(templates, n, level=4)
    _opt_in(cast.region_a)
    Run.objects.filter(pk=own.pk).update(status="accepted")
    assert not size_class_peers(own).shown


def test_a_section_most_peers_left_unscored_gets_no_median(cast, templates, own):
    from kotacerdas.assessments.models import Answer

    for n in range(5):
        _peer(templates, n, level=4)
    # Only one peer keeps answers in GOV: its section median would be its own score.
    Answer.objects.filter(item__section__code="GOV").exclude(run__region__code="14.00").delete()
    peers = size_class_peers(own)
    assert peers.shown and "GOV" not in peers.sections


def test_the_outsider_cannot_open_the_scores_of_region_a(cast, own):
    assert _page(cast, own, cast.outsider).status_code == 404


# Sharing is opt-in, and only the region's own admin opts in ----------------------------------


def test_sharing_is_off_for_a_new_region_and_not_part_of_the_profile_form(cast):
    assert not cast.region_a.shares_peer_scores and not cast.region_b.shares_peer_scores
    region = region_services.create_region(
        actor=None,
        data={"code": "14.50", "name": "X", "kind": "kota", "province": "P", "shares_peer_scores": True},
    )
    assert not region.shares_peer_scores
    assert "shares_peer_scores" not in RegionForm.base_fields  # the ministry edits profiles too


@pytest.mark.parametrize(
    ("who", "code", "allowed"),
    [
        ("owner", A, True),
        ("editor", A, False),
        ("viewer", A, False),
        ("mentor", A, False),
        ("ministry", A, False),
        ("outsider", "13.73", True),
    ],
)
def test_only_the_region_admin_may_set_sharing(cast, who, code, allowed):
    user = getattr(cast, who)
    assert access.may_set_peer_sharing(user, access.region_for(user, code)) is allowed


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("editor", 403), ("viewer", 403), ("mentor", 403), ("ministry", 403), ("outsider", 404)],
)
def test_the_sharing_page_is_for_the_region_admin(cast, who, status):
    url = reverse("assessments:peer_sharing", args=[A])
    client = cast.client(getattr(cast, who))
    assert client.get(url).status_code == status
    posted = client.post(url, {"shares_peer_scores": "on", "version": cast.region_a.version})
    assert posted.status_code == (302 if status == 200 else status)
    cast.region_a.refresh_from_db()
    assert cast.region_a.shares_peer_scores is (status == 200)


def test_the_sharing_page_names_the_choice_and_the_minimum(cast):
    page = cast.client(cast.owner).get(reverse("assessments:peer_sharing", args=[A]))
    assert b"Share our accepted assessment scores, anonymised, in peer comparisons" in page.content
    assert b"at least 5" in page.content
    assert b'type="checkbox"' in page.content and b"checked" not in page.content


def test_opting_in_and_out_is_audited(cast):
    url = reverse("assessments:peer_sharing", args=[A])
    client = cast.client(cast.owner)
    client.post(url, {"shares_peer_scores": "on", "version": 1})
    client.post(url, {"version": 2})
    cast.region_a.refresh_from_db()
    assert not cast.region_a.shares_peer_scores and cast.region_a.version == 3
    entries = AuditEntry.objects.filter(region=cast.region_a, object_type="regions.Region", actor=cast.owner)
    changes = [(e.before, e.after) for e in entries.order_by("at", "pk")]
    assert changes == [
        ({"shares_peer_scores": False}, {"shares_peer_scores": True}),
        ({"shares_peer_scores": True}, {"shares_peer_scores": False}),
    ]


def test_a_stale_or_versionless_form_does_not_flip_the_choice(cast, english):
    url = reverse("assessments:peer_sharing", args=[A])
    client = cast.client(cast.owner)
    stale = client.post(url, {"shares_peer_scores": "on", "version": 99})
    assert stale.status_code == 409
    missing = client.post(url, {"shares_peer_scores": "on"})
    assert missing.status_code == 409 and b"did not say which version" in missing.content
    assert cast.client(cast.outsider).post(url, {"shares_peer_scores": "on", "version": 1}).status_code == 404
    cast.region_a.refresh_from_db()
    assert not cast.region_a.shares_peer_scores and cast.region_a.version == 1


def test_the_run_list_says_whether_the_region_shares(cast):
    url = reverse("assessments:runs", args=[A])
    owner_page = cast.client(cast.owner).get(url)
    assert b"does not share its scores" in owner_page.content
    assert reverse("assessments:peer_sharing", args=[A]).encode() in owner_page.content
    viewer_page = cast.client(cast.viewer).get(url)
    assert reverse("assessments:peer_sharing", args=[A]).encode() not in viewer_page.content
    assert cast.client(cast.outsider).get(url).status_code == 404
