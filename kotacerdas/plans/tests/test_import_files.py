"""A wrong or damaged edition file is refused with a sentence naming the file and what it should be.

The same reader serves the web import and ``kotacerdas plan import``; no parser's English
("BadZipFile", "Expecting value") reaches the person.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kotacerdas.plans.models import Edition

pytestmark = pytest.mark.django_db

A = "13.72"
URL = reverse("plans:import", args=[A])


@pytest.fixture(autouse=True)
def _english(english):
    """The new sentences are asserted in English until the catalogue is merged."""


def post(client, name: str, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "plan.json",
            b'{\n  "format": "kotacerdas-plan",\n  oops\n}',
            "“plan.json” is not valid JSON: it cannot be "
            "read from line 3, character 3 on. Upload a .json or .xlsx file exported from KotaCerdas.",
        ),
        ("plan.json", b" \n", "The file “plan.json” is empty."),
        ("plan.json", b"\xff\xfe\x00binary", "“plan.json” is not a JSON text file."),
        ("plan.json", b"[1, 2]", "“plan.json” holds JSON, but not a master plan edition."),
        ("plan.xlsx", b"{}", "“plan.xlsx” is not an XLSX workbook. Upload a .json or .xlsx file"),
        ("plan.pdf", b"PK\x03\x04 not really a zip", "“plan.pdf” is not an XLSX workbook."),
    ],
)
def test_a_wrong_file_is_refused_on_the_web_with_a_plain_sentence(cast, name, data, expected):
    response = post(cast.client(cast.editor), name, data)
    page = response.content.decode()
    assert response.status_code == 400 and expected in page, page[page.find("error-summary") :][:600]
    for technical in ("BadZipFile", "Expecting", "JSONDecodeError", "not a JSON document", "Traceback"):
        assert technical not in page
    assert not Edition.objects.filter(region=cast.region_a, year__gt=2024).exists()


def test_the_file_input_only_offers_json_and_xlsx_files(cast):
    page = cast.client(cast.editor).get(URL).content.decode()
    assert re.search(r'<input type="file" name="file"[^>]*accept="\.json,\.xlsx"', page)


def test_the_outsider_cannot_import_into_region_a(cast):
    assert post(cast.client(cast.outsider), "plan.json", b"{}").status_code == 404


def test_the_command_line_refuses_the_same_files_with_the_same_sentences(cast, tmp_path):
    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", A, str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    assert str(caught.value) == (
        "The file “plan.xlsx” is not an XLSX workbook. Upload a .json or .xlsx file exported from KotaCerdas."
    )
    bad = tmp_path / "plan.json"
    bad.write_text("{\n\n  ,\n}")
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", A, str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    assert "“plan.json” is not valid JSON: it cannot be read from line 3, character 3 on." in str(caught.value)
