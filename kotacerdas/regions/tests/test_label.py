"""A region is always named with its type: "Solok" alone is both Kota Solok and Kabupaten Solok."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from kotacerdas.regions import services
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_the_label_tells_the_kota_from_the_kabupaten(cast):
    kabupaten = services.create_region(
        actor=None,
        data={"code": "13.02", "name": "Solok", "kind": "kabupaten", "province": "Sumatera Barat", "time_zone": "WIB"},
    )
    assert cast.region_a.label == "Kota Solok" == str(cast.region_a)
    assert kabupaten.label == "Kabupaten Solok" == str(kabupaten)
    assert Region.objects.get(code="13.02").label != Region.objects.get(code="13.72").label


def test_the_region_home_names_the_region_with_its_type(cast):
    html = cast.client(cast.owner).get(reverse("regions:profile", args=["13.72"])).content.decode()
    assert "Kota Solok" in html


def test_the_outsider_gets_404_on_the_region_home(cast):
    assert cast.client(cast.outsider).get(reverse("regions:profile", args=["13.72"])).status_code == 404


def test_no_template_prints_a_regions_bare_name():
    bare = re.compile(r"{{\s*[\w.]*region\.name\s*[|}]")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in ROOT.glob("*/templates/**/*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert offenders == []
