"""An agenda item is removed only at the version the person saw (issue 12, section 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.engagements import services
from kotacerdas.engagements.models import AgendaItem
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.confirm import YES

pytestmark = pytest.mark.django_db

A = "13.72"


@pytest.fixture
def item(forum):
    return services.add_agenda_item(actor=None, session=forum.sessions[0], data={"section": "A", "title": "Paparan"})


@pytest.mark.parametrize("posted", [{}, {"version": "x"}, {"version": "0"}, {"version": "2"}])
def test_a_stale_or_missing_version_removes_no_agenda_item(cast, english, forum, item, posted):
    url = reverse("engagements:agenda_remove", args=[A, forum.sessions[0].pk, item.pk])
    audited = AuditEntry.objects.count()
    for data in (posted, {**YES, **posted}):
        response = cast.client(cast.mentor).post(url, data)
        assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.count() == audited


def test_the_version_seen_removes_the_item_and_an_outsider_finds_nothing(cast, forum, item):
    url = reverse("engagements:agenda_remove", args=[A, forum.sessions[0].pk, item.pk])
    assert cast.client(cast.outsider).post(url, {**YES, "version": "1"}).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert cast.client(cast.mentor).post(url, {**YES, "version": "1"}).status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_remove_button_posts_the_item_version(cast, forum, item):
    session = forum.sessions[0]
    html = cast.client(cast.mentor).get(reverse("engagements:session", args=[A, session.pk])).content.decode()
    form = html[html.index(f'action="{reverse("engagements:agenda_remove", args=[A, session.pk, item.pk])}"') :]
    assert '<input type="hidden" name="version" value="1">' in form[: form.index("</form>")]


def test_the_service_refuses_a_stale_version(cast, item):
    with pytest.raises(EditConflict):
        services.remove_agenda_item(actor=cast.mentor, item=item, expected_version=2)
    assert AgendaItem.objects.filter(pk=item.pk).exists()
