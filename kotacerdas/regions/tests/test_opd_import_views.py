"""The agencies file on the web: the template download and the upload, for region admins only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib import spreadsheets
from kotacerdas.regions import services
from kotacerdas.regions.agencies_file import COLUMNS
from kotacerdas.regions.models import OPD

pytestmark = pytest.mark.django_db

A = "13.72"


def upload(rows: list[list[str]], name: str = "opd.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, spreadsheets.csv_text([COLUMNS, *rows]).encode(), content_type="text/csv")


def agencies(cast) -> list[str]:
    return list(OPD.objects.filter(region=cast.region_a).order_by("pk").values_list("abbreviation", flat=True))


GOOD = [
    ["Bappeda", "Badan Perencanaan Pembangunan Daerah", "badan", "2017-01-01", "", "", "", ""],
    ["RSUD", "RSUD Kota Solok", "rsud", "", "", "", "", ""],
    ["PDAM", "Perumda Air Minum Kota Solok", "bumd", "", "", "", "", ""],
]


@pytest.mark.parametrize("who", ["owner", "ministry"])
def test_an_admin_uploads_the_agencies_and_sees_them_listed_with_partners_apart(cast, english, who):
    client = cast.client(getattr(cast, who))
    url = reverse("regions:opd_import", args=[A])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload(GOOD)})
    assert response.status_code == 302 and response["Location"] == reverse("regions:opds", args=[A])
    assert agencies(cast) == ["Diskominfo", "Bappeda", "RSUD", "PDAM"]
    assert AuditEntry.objects.filter(actor=getattr(cast, who), object_type="regions.OPD", action="create").count() == 3
    html = client.get(response["Location"]).content.decode()
    assert "3 agencies added." in html
    before, partners = html.split("Partners (BUMD)", 1)
    assert "Perumda Air Minum Kota Solok" in partners and "Perumda Air Minum" not in before
    assert "RSUD Kota Solok" in before


def test_a_file_with_problems_adds_nothing_and_lists_them_at_the_top(cast, english):
    rows = [*GOOD, ["Bappeda", "Bappeda lagi", "badan", "", "", "", "", ""], ["X", "", "dinass", "", "", "", "", ""]]
    audited = AuditEntry.objects.count()
    response = cast.client(cast.owner).post(reverse("regions:opd_import", args=[A]), {"file": upload(rows)})
    html = response.content.decode()
    assert response.status_code == 400 and "error-summary" in html
    assert "Nothing was added: the file has problems" in html
    assert "opd.csv, row 5, column A (abbreviation): Row 2 already has" in html
    assert "opd.csv, row 6, column C (kind)" in html
    assert agencies(cast) == ["Diskominfo"] and AuditEntry.objects.count() == audited


@pytest.mark.parametrize(
    ("data", "said"),
    [({}, "This field is required"), ({"file": SimpleUploadedFile("opd.xlsx", b"PK nope")}, "not an XLSX workbook")],
)
def test_no_file_or_a_broken_one_is_said_next_to_the_field(cast, english, data, said):
    response = cast.client(cast.owner).post(reverse("regions:opd_import", args=[A]), data)
    html = response.content.decode()
    assert response.status_code == 400 and 'href="#id_file"' in html and said in html
    assert agencies(cast) == ["Diskominfo"]


def test_the_template_downloads_as_an_attachment(cast):
    response = cast.client(cast.owner).get(reverse("regions:opd_template", args=[A]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    book = spreadsheets.load_book(response.content)
    assert list(next(spreadsheets.sheet_rows(book["OPD"]))) == COLUMNS


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("mentor", 403), ("outsider", 404)])
def test_others_may_not_upload_and_outsiders_find_nothing(cast, who, status):
    client = cast.client(getattr(cast, who))
    for url in (reverse("regions:opd_import", args=[A]), reverse("regions:opd_template", args=[A])):
        assert client.get(url).status_code == status
    response = client.post(reverse("regions:opd_import", args=[A]), {"file": upload(GOOD)})
    assert response.status_code == status
    assert agencies(cast) == ["Diskominfo"]


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    response = cast.client(None).get(reverse("regions:opd_import", args=[A]))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_agency_list_links_the_upload_for_admins_only(cast):
    link = reverse("regions:opd_import", args=[A])
    assert link in cast.client(cast.owner).get(reverse("regions:opds", args=[A])).content.decode()
    assert link not in cast.client(cast.viewer).get(reverse("regions:opds", args=[A])).content.decode()


def test_a_partner_is_listed_apart_on_the_region_profile_and_not_counted_as_an_agency(cast, english):
    services.create_opd(
        actor=None,
        region=cast.region_a,
        data={"name": "Perumda Air Minum", "abbreviation": "PDAM", "kind": "bumd", "valid_from": "2010-01-01"},
    )
    html = cast.client(cast.viewer).get(reverse("regions:profile", args=[A])).content.decode()
    assert "1 agency in office today." in html and "1 partner (BUMD)." in html
    assert list(OPD.objects.filter(region=cast.region_a).government().values_list("abbreviation", flat=True)) == [
        "Diskominfo"
    ]
    assert list(OPD.objects.filter(region=cast.region_a).partners().values_list("abbreviation", flat=True)) == ["PDAM"]


def test_the_page_form_for_a_new_region_checks_the_province_and_the_code(cast, english):
    client = cast.client(cast.ministry)
    data = {"code": "14.74", "name": "Padang Panjang", "kind": "kota", "province": "Sumatera Barat", "time_zone": "WIB"}
    response = client.post(reverse("regions:create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and 'href="#id_code"' in html and "belongs to Riau" in html
    response = client.post(reverse("regions:create"), {**data, "province": "Sumbar"})
    assert response.status_code == 200 and "belongs to Riau" in response.content.decode()
    response = client.post(reverse("regions:create"), {**data, "code": "13.74", "province": "sumbar"})
    assert response.status_code == 302
    assert cast.region_a.__class__.objects.get(code="13.74").province == "Sumatera Barat"
