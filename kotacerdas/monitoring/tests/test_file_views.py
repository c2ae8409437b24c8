"""The updates-and-actuals file on the web: the template download and the all-or-nothing upload."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kotacerdas.monitoring.models import ProgrammeUpdate, UpdateState
from kotacerdas.monitoring.tests.test_files import _book, _update

pytestmark = pytest.mark.django_db


def _urls(cast, monitored):
    args = [cast.region_a.code, monitored.edition.year]
    return reverse("monitoring:files", args=args), reverse("monitoring:files_template", args=args)


def _upload(client, url, data, name="pembaruan.xlsx", **extra):
    return client.post(url, {"file": SimpleUploadedFile(name, data), **extra})


def test_a_viewer_downloads_the_template_of_a_period_and_an_outsider_gets_404(cast, monitored, client):
    page_url, template_url = _urls(cast, monitored)
    client.force_login(cast.viewer)
    page = client.get(page_url)
    assert page.status_code == 200 and "2025-Q1" in page.content.decode()
    assert 'enctype="multipart/form-data"' not in page.content.decode()  # a viewer does not upload
    download = client.get(template_url, {"period": "2025-Q1"})
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(download.content))
    codes = {row[0] for row in book["Pembaruan"].iter_rows(min_row=2, values_only=True)}
    assert {"GOV-01", "ENV-01"} <= codes
    client.force_login(cast.outsider)
    assert client.get(page_url).status_code == 404
    assert client.get(template_url).status_code == 404


def test_an_editor_uploads_the_file_and_gets_drafts(cast, monitored, client):
    page_url, _ = _urls(cast, monitored)
    client.force_login(cast.editor)
    page = _upload(client, page_url, _book([_update(), _update(programme="ENV-01")]))
    assert page.status_code == 200, page.content.decode()
    assert set(ProgrammeUpdate.objects.values_list("state", flat=True)) == {UpdateState.DRAFT}
    assert ProgrammeUpdate.objects.count() == 2


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_cell(cast, monitored, client, english):
    page_url, _ = _urls(cast, monitored)
    client.force_login(cast.owner)
    page = _upload(client, page_url, _book([_update(), _update(programme="ENV-01", progress="150")]), submit="on")
    assert page.status_code == 400
    assert "Pembaruan!" in page.content.decode()
    assert not ProgrammeUpdate.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_the_form_kept(cast, monitored, client):
    page_url, _ = _urls(cast, monitored)
    client.force_login(cast.owner)
    page = _upload(client, page_url, b"%PDF-1.4 not a workbook", name="laporan.pdf")
    assert page.status_code == 400 and "error-summary" in page.content.decode()
    assert not ProgrammeUpdate.objects.exists()


def test_viewers_and_mentors_may_not_upload(cast, monitored, client):
    page_url, _ = _urls(cast, monitored)
    for who in (cast.viewer, cast.mentor):
        client.force_login(who)
        assert _upload(client, page_url, _book([_update()])).status_code == 403
    assert not ProgrammeUpdate.objects.exists()


def test_the_page_reads_in_a_fixed_number_of_queries(cast, monitored, client, django_assert_max_num_queries):
    page_url, _ = _urls(cast, monitored)
    client.force_login(cast.owner)
    with django_assert_max_num_queries(12):
        assert client.get(page_url).status_code == 200
