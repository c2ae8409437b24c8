"""The forum session page shows implementation since the previous session, and raises from it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from kotacerdas.engagements import services as forum
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.monitoring import selectors, services
from kotacerdas.monitoring.tests.conftest import TODAY, update_data

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def sessions(cast, monitored):
    cohort = forum.ensure_cohort(year=2025, name="Pendampingan 2025", ministry_name="Komdigi")
    engagement = forum.create_engagement(actor=None, region=cast.region_a, cohort=cohort, purpose="Pemantauan")
    engagement = forum.update_engagement(
        actor=None,
        engagement=engagement,
        data={"starts_on": D(2025, 5, 1), "ends_on": D(2025, 9, 30)},
        expected_version=stored_version(engagement),
    )
    return forum.schedule_default_stages(actor=None, engagement=engagement, first_day=D(2025, 5, 12))


def _accept(cast, monitored, **extra):
    update = services.create_update(
        actor=cast.editor, programme=monitored.first, period=monitored.q1, data=update_data(**extra), today=TODAY
    )
    update = services.submit_update(actor=cast.editor, update=update, expected_version=update.version)
    return services.accept_update(actor=cast.owner, update=update, expected_version=update.version)


def test_a_programme_that_slipped_is_shown_with_one_step_links_to_raise_it(cast, monitored, sessions, client):
    _accept(cast, monitored, status="at_risk")
    client.force_login(cast.mentor)
    page = client.get(reverse("engagements:session", args=[cast.region_a.code, sessions[0].pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Programmes that slipped" in text and monitored.first.code in text
    raise_url = reverse("engagements:obstacle_add", args=[cast.region_a.code, sessions[0].pk])
    assert f"{raise_url}?programme={monitored.first.pk}" in text
    form = client.get(f"{raise_url}?programme={monitored.first.pk}")
    assert f'<option value="{monitored.first.pk}" selected>' in form.content.decode()


def test_late_reports_and_new_updates_between_two_sessions(cast, monitored, sessions):
    _accept(cast, monitored, status="on_track")
    changes = selectors.implementation_since(cast.region_a, D(2025, 2, 1), D(2025, 5, 12))
    assert [u.programme_id for u in changes.updates] == [monitored.first.pk]
    assert changes.slipped == []
    assert [(late.programme.pk, late.period.key) for late in changes.late] == [(monitored.second.pk, "2025-Q1")]
    nothing = selectors.implementation_since(cast.region_a, D(2025, 6, 1), D(2025, 6, 30))
    assert nothing.is_empty and nothing.monitored


def test_the_panel_costs_the_same_queries_with_more_updates(cast, monitored, django_assert_max_num_queries):
    _accept(cast, monitored)
    with django_assert_max_num_queries(5):
        selectors.implementation_since(cast.region_a, D(2025, 1, 1), D(2025, 8, 1))


def test_a_region_without_monitoring_shows_no_panel(cast, sessions, client):
    client.force_login(cast.outsider)
    assert client.get(reverse("engagements:session", args=[cast.region_a.code, sessions[0].pk])).status_code == 404
    assert not selectors.implementation_since(cast.region_b, D(2025, 1, 1), D(2025, 8, 1)).monitored
