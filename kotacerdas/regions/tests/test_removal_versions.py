"""A population figure is removed only at the version the person saw (issue 12, section 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.confirm import YES
from kotacerdas.regions import services
from kotacerdas.regions.models import Population, Region

pytestmark = pytest.mark.django_db

A = "13.72"


@pytest.fixture
def corrected(cast):
    """The 2031 figure of region A, recorded and then corrected once: its second version."""
    services.set_population(actor=cast.owner, region=cast.region_a, year=2031, population=61_000, expected_version=0)
    figure = services.set_population(
        actor=cast.owner, region=cast.region_a, year=2031, population=62_000, expected_version=1
    )
    assert figure.version == 2
    return figure


@pytest.mark.parametrize("posted", [{}, {"version": ""}, {"version": "x"}, {"version": "1"}, {"version": "3"}])
def test_a_stale_or_missing_version_removes_no_figure(cast, english, corrected, posted):
    url = reverse("regions:population_delete", args=[A, 2031])
    audited = AuditEntry.objects.count()
    for data in (posted, {**YES, **posted}):
        response = cast.client(cast.owner).post(url, data)
        assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
    assert Population.objects.filter(pk=corrected.pk).exists()
    assert AuditEntry.objects.count() == audited


def test_the_version_seen_removes_the_figure_and_an_outsider_finds_nothing(cast, corrected):
    url = reverse("regions:population_delete", args=[A, 2031])
    assert cast.client(cast.outsider).post(url, {**YES, "version": "2"}).status_code == 404
    assert cast.client(cast.viewer).post(url, {**YES, "version": "2"}).status_code == 403
    assert Population.objects.filter(pk=corrected.pk).exists()
    assert cast.client(cast.owner).post(url, {**YES, "version": "2"}).status_code == 302
    assert not Population.objects.filter(pk=corrected.pk).exists()
    assert AuditEntry.objects.get(action="delete", object_type="regions.Population").before["population"] == 62_000


def test_the_remove_button_posts_the_figure_version_only_for_admins(cast, corrected):
    url = reverse("regions:population_delete", args=[A, 2031])
    html = cast.client(cast.owner).get(reverse("regions:profile", args=[A])).content.decode()
    form = html[html.index(f'action="{url}"') :]
    assert '<input type="hidden" name="version" value="2">' in form[: form.index("</form>")]
    assert url not in cast.client(cast.viewer).get(reverse("regions:profile", args=[A])).content.decode()
    Region.objects.filter(pk=cast.region_a.pk).update(is_published=True)
    assert url not in cast.client(None).get(reverse("portal:region", args=[A])).content.decode()


def test_the_service_refuses_a_stale_version(cast, corrected):
    with pytest.raises(EditConflict):
        services.delete_population(actor=cast.owner, figure=corrected, expected_version=1)
    services.delete_population(actor=cast.owner, figure=corrected, expected_version=2)
    assert not Population.objects.filter(pk=corrected.pk).exists()
