"""The region cockpit (issue 15 §1): the cycle at a glance, what needs attention, the next
session and the plan in figures, composed here from each app's tables in a fixed number of
queries; the long profile on its own page. ``regions`` knows nothing of the other apps."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from kotacerdas.engagements import services
from kotacerdas.engagements.models import Session
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.monitoring import services as monitoring_services
from kotacerdas.monitoring.tests.bulk import add_programmes
from kotacerdas.plans.models import Edition
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.plans.summaries import summary_of
from kotacerdas.plans.tests.conftest import plan  # noqa: F401 (the fixture, shared)
from kotacerdas.web.cockpit import cockpit, status_svg

pytestmark = pytest.mark.django_db
A = "13.72"
D = datetime.date
TODAY = D(2025, 8, 1)


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages."""


def _schedule(region: Any, first_day: datetime.date | None = None) -> list[Session]:
    first_day = first_day or D(2025, 6, 10)
    cohort = services.ensure_cohort(
        actor=None, year=first_day.year, name=f"Pendampingan {first_day.year}", ministry_name="Komdigi"
    )
    engagement = services.create_engagement(actor=None, region=region, cohort=cohort, purpose="Reviu")
    engagement = services.update_engagement(
        actor=None,
        engagement=engagement,
        data={"starts_on": first_day - datetime.timedelta(days=9), "ends_on": first_day + datetime.timedelta(days=150)},
        expected_version=stored_version(engagement),
    )
    return services.schedule_default_stages(actor=None, engagement=engagement, first_day=first_day)


def steps(data: Any) -> dict[str, Any]:
    return {s.key: s for s in data.steps}


def test_a_region_with_nothing_yet_says_so_for_every_step(cast):
    data = cockpit(cast.owner, cast.region_a, TODAY)
    assert {k: s.state for k, s in steps(data).items()} == {
        "selection": "no_data",
        "assessment": "no_data",
        "plan": "no_data",
        "quickwins": "no_data",
        "bimtek": "no_data",
        "monitoring": "no_data",
        "evaluation": "no_data",
    }
    assert data.attention_total == 0 and data.next_session is None and data.status_svg == ""


def test_the_cycle_shows_the_cohort_the_bimtek_and_the_next_session(cast):
    soon = timezone.localdate() + datetime.timedelta(days=30)
    sessions = _schedule(cast.region_a, soon)
    _schedule(cast.region_b, soon)  # another region's sessions never show
    data = cockpit(cast.owner, cast.region_a, timezone.localdate())
    cycle = steps(data)
    assert cycle["selection"].state == "done" and f"Cohort {soon.year}" in cycle["selection"].summary
    assert cycle["bimtek"].state == "current" and cycle["bimtek"].summary == "No Bimtek held yet."
    assert data.next_session is not None and data.next_session.session.pk == sessions[0].pk
    page = cast.client(cast.viewer).get(reverse("regions:home", args=[A])).content.decode()
    assert reverse("engagements:session", args=[A, sessions[0].pk]) in page


def test_the_plan_step_counts_the_check_findings_and_monitoring_counts_late_reports(cast, plan):  # noqa: F811
    Edition.objects.filter(pk=plan.edition.pk).update(status=EditionStatus.ADOPTED)
    edition = Edition.objects.get(pk=plan.edition.pk)
    monitoring_services.start_reporting(actor=None, edition=edition, cadence="quarterly")
    data = cockpit(cast.owner, cast.region_a, TODAY)
    cycle = steps(data)
    counts = summary_of(edition, document=False).counts
    assert cycle["plan"].state == "done"
    assert cycle["plan"].details == [
        f"Plan check: {counts.get('error', 0)} errors, {counts.get('warning', 0)} warnings".replace(
            "1 errors", "1 error"
        ).replace("1 warnings", "1 warning")
    ]
    # 2025-Q2 ended on 30 June and was due before 1 August: both programmes are late.
    assert cycle["monitoring"].summary == "2025-Q2: 0 of 2 programmes reported"
    assert cycle["monitoring"].details == ["2 reports late"]
    assert data.status_rows and data.budget_rows


def test_attention_counts_overdue_actions_and_open_obstacles_of_this_region_only(cast):
    for region, opd in ((cast.region_a, cast.opd_a), (cast.region_b, cast.opd_b)):
        sessions = _schedule(region)
        services.add_outcome(
            actor=None,
            session=sessions[0],
            data={
                "kind": "action",
                "text": "Susun SK Dewan",
                "owner_opd": opd,
                "owner_name": "Budi",
                "due_on": D(2025, 7, 1),
            },
        )
    data = cockpit(cast.owner, cast.region_a, TODAY)
    counts = {a.key: a.count for a in data.attention}
    assert counts["overdue_actions"] == 1
    page = cast.client(cast.owner).get(reverse("regions:home", args=[A])).content.decode()
    assert "Overdue actions" in page


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "mentor", "ministry"])
def test_every_member_sees_the_cockpit_and_the_profile_and_the_outsider_gets_404(cast, who):
    client = cast.client(getattr(cast, who))
    home = client.get(reverse("regions:home", args=[A]))
    assert home.status_code == 200 and "Where the region stands" in home.content.decode()
    profile = client.get(reverse("regions:profile", args=[A]))
    assert profile.status_code == 200 and "Agencies (OPD)" in profile.content.decode()
    outsider = cast.client(cast.outsider)
    assert outsider.get(reverse("regions:home", args=[A])).status_code == 404
    assert outsider.get(reverse("regions:profile", args=[A])).status_code == 404


def _queries(cast: Any, django_assert_max_num_queries: Any, count: int) -> None:
    with django_assert_max_num_queries(count):
        cockpit(cast.owner, cast.region_a, TODAY)


def test_the_cockpit_reads_in_a_fixed_number_of_queries_at_300_programmes_and_50_sessions(
    cast,
    plan,  # noqa: F811
    django_assert_num_queries,
):
    Edition.objects.filter(pk=plan.edition.pk).update(status=EditionStatus.ADOPTED)
    edition = Edition.objects.get(pk=plan.edition.pk)
    monitoring_services.start_reporting(actor=None, edition=edition, cadence="quarterly")
    _schedule(cast.region_a)
    summary_of(edition, document=False)  # the stored summary, as any plan page leaves it
    cockpit(cast.owner, cast.region_a, TODAY)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        cockpit(cast.owner, cast.region_a, TODAY)
    add_programmes(edition, programmes=300, quarters=2, indicators=0, actuals=0)
    engagement = Session.objects.filter(region=cast.region_a).first().engagement
    Session.objects.bulk_create(
        Session(
            region=cast.region_a,
            engagement=engagement,
            title=f"Forum {n}",
            starts_on=D(2025, 9, 1) + datetime.timedelta(days=n),
            ends_on=D(2025, 9, 1) + datetime.timedelta(days=n),
        )
        for n in range(46)
    )
    summary_of(Edition.objects.get(pk=edition.pk), document=False)
    with django_assert_num_queries(len(small.captured_queries)):
        data = cockpit(cast.owner, cast.region_a, TODAY)
    assert sum(total for _d, _c, total in data.status_rows) == 302


def test_the_status_figure_is_well_formed_svg_with_a_title_for_each_segment():
    svg = status_svg(
        [("GOV", [3, 1], 4), ("ENV", [0, 2], 2)], [("on_track", "on track"), ("at_risk", "at risk")], title="T"
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert titles[0] == "T" and "GOV, on track: 3" in titles and "ENV, at risk: 2" in titles
    assert "ENV, on track: 0" not in titles


def test_regions_does_not_import_the_other_apps():
    root = Path(__file__).resolve().parents[2] / "regions"
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("kotacerdas.engagements"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("kotacerdas.engagements") for a in node.names), path
