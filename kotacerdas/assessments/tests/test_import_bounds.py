"""Bounded assessment imports (issue 14 §1): any file is refused in words, never a 500 or a hang.

Covers the run workbook (web and ``assessment import``), the offline scoring of a workbook
(``assessment score-file``) and template files (XLSX and TOML, web and ``assessment
import-template``). Values are held to the limits of their columns with the sheet, row and
column; the fuzz tests throw hostile workbooks and TOML files at every path.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kotacerdas.assessments import interchange
from kotacerdas.assessments.loader import DATA_DIR
from kotacerdas.assessments.models import Answer, Template
from kotacerdas.lib.spreadsheets import workbook_bytes
from tests.support.fuzz import FUZZ, deep_toml, hostile_values, hostile_workbook

pytestmark = pytest.mark.django_db

A = "13.72"
SHIPPED = (DATA_DIR / "selection.v1.toml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _english(english):
    """The new sentences are asserted in English until the catalogue is merged."""


def filled(run: Any, **values: Any) -> bytes:
    """The run's workbook with ``values`` (column → value) in the first answer row."""
    book = load_workbook(io.BytesIO(interchange.export_run(run)))
    sheet = book["answers"]
    header = [c.value for c in sheet[1]]
    for column, value in values.items():
        sheet.cell(row=2, column=header.index(column) + 1, value=value)
    return workbook_bytes(book)


def post_run(client: Any, run: Any, data: bytes) -> Any:
    url = reverse("assessments:run_import", args=[A, run.pk])
    return client.post(url, {"file": SimpleUploadedFile("jawaban.xlsx", data)})


@pytest.mark.parametrize("value", ["1" + "0" * 400, "1e308", "inf", "NaN", "1E+999999999"])
def test_an_answer_value_out_of_range_is_refused_at_its_cell(cast, maturity, value):
    response = post_run(cast.client(cast.editor), maturity, filled(maturity, value=value))
    page = response.content.decode()
    assert response.status_code == 422, page[:300]
    assert "sheet answers row 2" in page
    assert not Answer.objects.exists()


def test_an_over_long_link_is_refused_at_its_cell(cast, maturity):
    data = filled(maturity, value=3, evidence_link="https://x.id/" + "a" * 600)
    response = post_run(cast.client(cast.editor), maturity, data)
    page = response.content.decode()
    assert response.status_code == 422 and "sheet answers row 2" in page and "at most" in page
    assert not Answer.objects.exists()


def test_the_outsider_gets_404_for_a_hostile_run_file(cast, maturity):
    assert post_run(cast.client(cast.outsider), maturity, b"PK\x03\x04").status_code == 404


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SHIPPED.replace("version = 1", "version = 9", 1) + "\n[x]\ny = inf\n", "not a finite number"),
        (deep_toml(5000).decode(), "more than 32 levels deep"),
        (SHIPPED.replace("version = 1", "version = 1" + "0" * 5000, 1), "too long to read"),
        (SHIPPED.replace('title = "', 'title = "\\u0000', 1).replace("version = 1", "version = 9", 1), "NUL character"),
    ],
)
def test_a_hostile_template_toml_is_refused_in_words(cast, templates, text, expected):
    response = cast.client(cast.ministry).post(
        reverse("assessments:template_import"), {"file": SimpleUploadedFile("t.toml", text.encode())}
    )
    page = response.content.decode()
    assert response.status_code == 422 and expected in page, page[page.find("error") :][:800]
    assert Template.objects.count() == 3


# Fuzz ----------------------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_run_workbooks_are_refused_never_crash(cast, maturity, data, tmp_path):
    hostile = data.draw(hostile_workbook(interchange.export_run(maturity), columns=12, rows=4))
    response = post_run(cast.client(cast.editor), maturity, hostile)
    assert response.status_code in (200, 302, 422)
    path = tmp_path / "jawaban.xlsx"
    path.write_bytes(hostile)
    with contextlib.suppress(CommandError):
        call_command("assessment", "import", str(maturity.pk), str(path), stdout=io.StringIO())
    with contextlib.suppress(CommandError):
        template = str(DATA_DIR / "maturity-rkci.v1.toml")
        call_command("assessment", "score-file", str(path), "--template-file", template, stdout=io.StringIO())


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_template_workbooks_are_refused_never_crash(cast, templates, data, tmp_path):
    hostile = data.draw(hostile_workbook(interchange.export_template(templates["readiness"]), columns=19, rows=5))
    url = reverse("assessments:template_import")
    response = cast.client(cast.ministry).post(url, {"file": SimpleUploadedFile("templat.xlsx", hostile)})
    assert response.status_code in (200, 302, 422)
    path = tmp_path / "templat.xlsx"
    path.write_bytes(hostile)
    with contextlib.suppress(CommandError):
        call_command("assessment", "import-template", str(path), stdout=io.StringIO())
    Template.objects.exclude(pk__in=[t.pk for t in templates.values()]).delete()


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_template_toml_is_refused_never_crash(cast, templates, data, tmp_path):
    lines = SHIPPED.replace("version = 1", "version = 9", 1).splitlines()
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        n = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if " = " in lines[n]:
            key = lines[n].split(" = ", 1)[0]
            value = data.draw(hostile_values())
            literal = f'"{value}"' if isinstance(value, str) else str(value).lower()
            lines[n] = f"{key} = {literal}"
        else:
            lines[n] = data.draw(st.text(max_size=20))
    text = "\n".join(lines).encode("utf-8", "surrogatepass")
    url = reverse("assessments:template_import")
    response = cast.client(cast.ministry).post(url, {"file": SimpleUploadedFile("templat.toml", text)})
    assert response.status_code in (200, 302, 422)
    path = tmp_path / "templat.toml"
    path.write_bytes(text)
    with contextlib.suppress(CommandError):
        call_command("assessment", "import-template", str(path), stdout=io.StringIO())
    Template.objects.exclude(pk__in=[t.pk for t in templates.values()]).delete()
