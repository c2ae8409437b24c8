""" "Pekerjaan saya" (issue 15 §2): what waits for one user across their regions, by their grant in
each region, in a fixed number of queries; the page, the command and the outsider."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from kotacerdas.engagements import services as engagements
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.monitoring import services as monitoring
from kotacerdas.monitoring.tests.bulk import add_programmes
from kotacerdas.monitoring.tests.conftest import monitored, update_data  # noqa: F401 (the fixture, shared)
from kotacerdas.plans import services as plans
from kotacerdas.plans.tests.conftest import plan  # noqa: F401 (the fixture, shared)
from kotacerdas.web.mywork import my_work

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 8, 1)  # 2025-Q2 ended on 30 June and is past due


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages."""


def _session(region):
    cohort = engagements.ensure_cohort(actor=None, year=2025, name="Pendampingan 2025", ministry_name="Komdigi")
    engagement = engagements.create_engagement(actor=None, region=region, cohort=cohort, purpose="Reviu")
    engagement = engagements.update_engagement(
        actor=None,
        engagement=engagement,
        data={"starts_on": D(2025, 6, 1), "ends_on": D(2025, 9, 30)},
        expected_version=stored_version(engagement),
    )
    (session, *_rest) = engagements.schedule_default_stages(actor=None, engagement=engagement, first_day=D(2025, 6, 10))
    return session


def _action(region, opd, title, due, email=""):
    session = _session(region)
    data = {"kind": "action", "text": title, "owner_opd": opd, "owner_name": "Budi", "due_on": due}
    return engagements.add_outcome(actor=None, session=session, data=data | {"owner_email": email}).action


def titles(work, key):
    return [i.title for i in work.parts[key].items]


def test_an_agency_editor_sees_their_agencys_actions_and_programmes_to_report(cast, monitored):  # noqa: F811
    _action(cast.region_a, cast.opd_a, "Susun SK Dewan", D(2025, 7, 1))
    cast.outsider.email = "admin@sawahlunto.go.id"
    cast.outsider.save(update_fields=["email"])
    _action(cast.region_b, cast.opd_b, "Tindak lanjut Sawahlunto", D(2025, 7, 1), email="Admin@Sawahlunto.go.id")
    work = my_work(cast.editor, TODAY)
    assert titles(work, "actions") == ["Susun SK Dewan"] and work.parts["actions"].items[0].overdue
    # Both programmes are led by the editor's agency and have no update for 2025-Q2.
    assert sorted(titles(work, "reports")) == ["ENV-01 Programme ENV-01", "GOV-01 Programme GOV-01"]
    assert {i.note for i in work.parts["reports"].items} == {"2025-Q2"}
    assert work.parts["validate"].total == 0  # an editor does not validate
    # The viewer reports nothing; the admin of region B owns region B's action by their e-mail.
    assert my_work(cast.viewer, TODAY).total == 0
    assert titles(my_work(cast.outsider, TODAY), "actions") == ["Tindak lanjut Sawahlunto"]


def test_a_submitted_update_leaves_the_list_waits_for_the_validators_and_comes_back_returned(cast, monitored):  # noqa: F811
    update = monitoring.create_update(
        actor=None, programme=monitored.first, period=monitored.q2, data=update_data(), today=TODAY
    )
    update = monitoring.submit_update(actor=None, update=update, expected_version=update.version)
    assert "GOV-01 Programme GOV-01" not in titles(my_work(cast.editor, TODAY), "reports")
    for validator in (cast.owner, cast.mentor):
        assert my_work(validator, TODAY).parts["validate"].total == 1
    monitoring.return_update(
        actor=cast.mentor, update=update, reason="Lampirkan bukti.", expected_version=update.version
    )
    reports = my_work(cast.editor, TODAY).parts["reports"].items
    assert [(i.title, i.due_on) for i in reports if i.due_on is None] == [("GOV-01 Programme GOV-01", None)]


def test_a_review_thread_waits_when_someone_else_answered_last(cast, plan):  # noqa: F811
    thread = plans.open_thread(
        actor=cast.editor, edition=plan.edition, body="Mohon cek anggaran.", programme=plan.first
    )
    assert my_work(cast.editor, TODAY).parts["threads"].total == 0  # their own comment is last
    plans.reply(actor=cast.mentor, thread=thread, body="Anggaran 2026 belum ada.")
    assert titles(my_work(cast.editor, TODAY), "threads") == ["GOV-01"]
    assert my_work(cast.mentor, TODAY).parts["threads"].total == 0


def test_the_ministry_sees_escalations_to_answer(cast):
    from kotacerdas.engagements.models import Obstacle

    session = _session(cast.region_a)
    Obstacle.objects.create(
        region=cast.region_a,
        engagement=session.engagement,
        raised_in=session,
        description="Regulasi pusat belum terbit",
        category="regulation",
        status="escalated",
        opened_on=D(2025, 6, 10),
    )
    assert titles(my_work(cast.ministry, TODAY), "escalations") == ["Regulasi pusat belum terbit"]
    assert my_work(cast.owner, TODAY).parts["escalations"].total == 0


def test_the_page_lists_only_the_users_work_and_asks_anonymous_to_sign_in(cast, monitored):  # noqa: F811
    _action(cast.region_a, cast.opd_a, "Susun SK Dewan", D(2025, 7, 1))
    url = reverse("web:my_work")
    assert cast.client(None).get(url).status_code == 302
    page = cast.client(cast.editor).get(url).content.decode()
    assert "Susun SK Dewan" in page and "My work" in page
    assert "Susun SK Dewan" not in cast.client(cast.outsider).get(url).content.decode()


def test_the_command_prints_the_same_as_json(cast, monitored):  # noqa: F811
    _action(cast.region_a, cast.opd_a, "Susun SK Dewan", D(2025, 7, 1))
    out = StringIO()
    call_command("work", cast.editor.username, "--date", "2025-08-01", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["actions"]["items"][0]["title"] == "Susun SK Dewan" and data["actions"]["items"][0]["overdue"]
    assert data["reports"]["total"] == 2 and data["total"] == my_work(cast.editor, TODAY).total
    with pytest.raises(Exception, match="not a date"):
        call_command("work", cast.editor.username, "--date", "1 Agustus", stdout=StringIO())


def test_the_reads_do_not_grow_with_the_data(cast, monitored, django_assert_num_queries):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _action(cast.region_a, cast.opd_a, "Susun SK Dewan", D(2025, 7, 1))
    with CaptureQueriesContext(connection) as small:
        my_work(cast.owner, TODAY)
    add_programmes(monitored.edition, programmes=300, quarters=1, indicators=0, actuals=0)
    with django_assert_num_queries(len(small.captured_queries)):
        work = my_work(cast.owner, TODAY)
    assert work.parts["reports"].total == 302  # 2025-Q2 has no update for any of them
    assert len(work.parts["reports"].items) == 50
