"""Assessment imports refuse a wrong file with a sentence naming it and saying what it should be.

Covers the run's offline XLSX (web and command line), template files (XLSX or TOML, web and
command line) and the offline scoring; the file inputs only offer the formats they take.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kotacerdas.assessments.loader import DATA_DIR
from kotacerdas.assessments.models import Answer, Template

pytestmark = pytest.mark.django_db

A = "13.72"
TECHNICAL = ("BadZipFile", "Expecting", "TOMLDecodeError", "Invalid value", "not a readable XLSX", "(at line")


def plain(page: str) -> None:
    for word in TECHNICAL:
        assert word not in page, word


def test_a_json_file_given_as_a_run_workbook_is_refused_in_plain_words(cast, maturity):
    url = reverse("assessments:run_import", args=[A, maturity.pk])
    client = cast.client(cast.editor)
    assert re.search(r'<input type="file" name="file"[^>]*accept="\.xlsx"', client.get(url).content.decode())
    response = client.post(url, {"file": SimpleUploadedFile("jawaban.json", b'{"answers": []}')})
    page = response.content.decode()
    assert response.status_code == 422
    assert (
        "The file “jawaban.json” is not an XLSX workbook. Upload the run's .xlsx file downloaded from KotaCerdas."
        in page.replace("&#x27;", "'")
    )
    assert ", file:" not in page
    plain(page)
    assert not Answer.objects.exists()
    assert cast.client(cast.outsider).post(url, {"file": SimpleUploadedFile("j.xlsx", b"x")}).status_code == 404


def test_a_workbook_that_is_not_a_run_is_named_as_such(cast, maturity, templates):
    workbook = cast.client(cast.ministry).get(reverse("assessments:template_export", args=[templates["maturity"].pk]))
    url = reverse("assessments:run_import", args=[A, maturity.pk])
    response = cast.client(cast.editor).post(url, {"file": SimpleUploadedFile("templat.xlsx", workbook.content)})
    assert response.status_code == 422
    assert "“templat.xlsx” is not a run&#x27;s answers" in response.content.decode()


def test_template_import_takes_toml_or_xlsx_and_says_where_a_toml_file_goes_wrong(cast, templates):
    url = reverse("assessments:template_import")
    client = cast.client(cast.ministry)
    assert re.search(r'<input type="file" name="file"[^>]*accept="\.toml,\.xlsx"', client.get(url).content.decode())
    bad = b'kind = "maturity"\ncode = "x"\nversion = = 2\n'
    response = client.post(url, {"file": SimpleUploadedFile("templat.toml", bad)})
    page = response.content.decode()
    assert response.status_code == 422
    assert "“templat.toml” is not valid TOML: it cannot be read from line 3, character 11 on." in page
    plain(page)
    shipped = (DATA_DIR / "selection.v1.toml").read_text(encoding="utf-8").replace("version = 1", "version = 7", 1)
    response = client.post(url, {"file": SimpleUploadedFile("seleksi.toml", shipped.encode())})
    assert response.status_code == 302
    assert Template.objects.filter(version=7, status="draft").exists()
    assert cast.client(cast.owner).get(url).status_code == 403
    assert cast.client(cast.outsider).get(url).status_code == 403


def test_the_command_line_refuses_the_same_files_in_the_same_words(cast, maturity, tmp_path):
    bad = tmp_path / "jawaban.xlsx"
    bad.write_text("{}")
    with pytest.raises(CommandError) as caught:
        call_command("assessment", "import", str(maturity.pk), str(bad), stdout=io.StringIO())
    assert str(caught.value) == (
        "The file “jawaban.xlsx” is not an XLSX workbook. Upload the run's .xlsx file downloaded from KotaCerdas."
    )
    template = tmp_path / "templat.toml"
    template.write_text('kind = "maturity"\n[[sections]\n')
    with pytest.raises(CommandError) as caught:
        call_command("assessment", "score-file", str(bad), "--template-file", str(template), stdout=io.StringIO())
    assert str(caught.value).startswith("The file “templat.toml” is not valid TOML: it cannot be read from line 2")
    with pytest.raises(CommandError) as caught:
        call_command(
            "assessment", "score-file", str(bad), "--template-file", str(DATA_DIR / "selection.v1.toml"),
            stdout=io.StringIO(),
        )  # fmt: skip
    assert str(caught.value).startswith("The file “jawaban.xlsx” is not an XLSX workbook.")
