"""Bounded monitoring files (issue 14 §1): any workbook or CSV upload is refused in words, never a 500.

Values out of range (10^400, 1E+999999999, inf, NUL, over-long text) are named at their cell;
hostile workbooks (entities, zip bombs, damage) and CSV text are refused as a file. The fuzz
tests post hostile files to the upload page.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.spreadsheets import csv_text
from kotacerdas.monitoring.files import COLUMNS, UPDATES
from kotacerdas.monitoring.models import ProgrammeUpdate
from kotacerdas.monitoring.tests.test_files import _actual, _book, _update
from tests.support.fuzz import FUZZ, hostile_values, hostile_workbook

pytestmark = pytest.mark.django_db


def _url(cast, monitored):
    return reverse("monitoring:files", args=[cast.region_a.code, monitored.edition.year])


def _upload(client, url, data, name="pembaruan.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("budget_apbd", "1" + "0" * 400),
        ("budget_apbd", "1E+999999999"),
        ("budget_apbd", "inf"),
        ("progress", 1e308),
        ("comment", "x" * 20_000),
    ],
)
def test_a_value_out_of_range_is_refused_at_its_cell(cast, monitored, client, column, value):
    client.force_login(cast.editor)
    response = _upload(client, _url(cast, monitored), _book([_update(**{column: value})]))
    page = response.content.decode()
    assert response.status_code == 400 and "Pembaruan!" in page, page[:300]
    assert not ProgrammeUpdate.objects.exists()


def test_a_nul_character_in_a_csv_file_is_refused_at_its_cell(cast, monitored, client):
    client.force_login(cast.editor)
    text = csv_text([COLUMNS[UPDATES], _update(comment="uji\x00coba")])
    response = _upload(client, _url(cast, monitored), text.encode(), name="pembaruan.csv")
    assert response.status_code == 400
    assert not ProgrammeUpdate.objects.exists()


def test_the_outsider_gets_404_for_a_hostile_file(cast, monitored, client):
    client.force_login(cast.outsider)
    assert _upload(client, _url(cast, monitored), b"PK\x03\x04").status_code == 404


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_monitoring_workbooks_are_refused_never_crash(cast, monitored, client, data):
    client.force_login(cast.editor)
    valid = _book([_update(), _update(programme="ENV-01")], [_actual()])
    response = _upload(client, _url(cast, monitored), data.draw(hostile_workbook(valid, columns=14, rows=3)))
    assert response.status_code in (200, 400)
    ProgrammeUpdate.objects.all().delete()


@FUZZ
@given(values=st.lists(hostile_values(), min_size=len(COLUMNS[UPDATES]), max_size=len(COLUMNS[UPDATES])))
def test_fuzz_hostile_csv_rows_are_refused_never_crash(cast, monitored, client, values):
    client.force_login(cast.editor)
    text = csv_text([COLUMNS[UPDATES], _update(), values])
    response = _upload(client, _url(cast, monitored), text.encode("utf-8", "surrogatepass"), name="pembaruan.csv")
    assert response.status_code in (200, 400)
    ProgrammeUpdate.objects.all().delete()
