"""Destructive actions ask first, on a page that works without JavaScript (lib/confirm.py)."""

from __future__ import annotations

from django.urls import reverse

from kotacerdas.lib.confirm import YES
from kotacerdas.regions.models import Population

A = "13.72"


def test_removing_a_figure_asks_first_and_removes_only_once_confirmed(english, cast):
    url = reverse("regions:population_delete", args=[A, 2020])
    client = cast.client(cast.owner)
    response = client.post(url, {"version": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Remove the population figure of 2020?" in html
    assert f'action="{url}"' in html and 'name="confirmed" value="yes"' in html
    assert 'href="/wilayah/13.72/profil/"' in html  # the way back
    assert Population.objects.filter(region=cast.region_a, year=2020).exists()
    assert client.post(url, {**YES, "version": "1"}).status_code == 302
    assert not Population.objects.filter(region=cast.region_a, year=2020).exists()


def test_the_question_is_not_asked_of_those_who_may_not_remove(cast):
    url = reverse("regions:population_delete", args=[A, 2020])
    assert cast.client(cast.outsider).post(url).status_code == 404
    assert cast.client(cast.outsider).post(url, YES).status_code == 404
    assert cast.client(cast.viewer).post(url).status_code == 403
    assert Population.objects.filter(region=cast.region_a, year=2020).exists()


def test_the_confirming_form_carries_what_the_first_post_carried(english, cast, settings):
    url = reverse("regions:population_delete", args=[A, 2020])
    html = cast.client(cast.owner).post(url, {"version": "1", "note": "<b>x</b>"}).content.decode()
    assert '<input type="hidden" name="version" value="1">' in html
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in html
