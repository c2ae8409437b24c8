"""The evaluation letter (PDF and DOCX through the document pipeline) and the command line:
``show`` with --json, ``export`` of a released evaluation, exit code 2 for what cannot be."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.evaluation.tests.conftest import new_draft, released
from kotacerdas.reports import services as report_services
from kotacerdas.reports.generate import generate
from kotacerdas.reports.models import DocumentKind
from kotacerdas.reports.tests.conftest import pdf_text

BASE = "/wilayah/13.72/evaluasi/"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_letter_states_the_index_and_the_predicate(cast, tmp_path):
    evaluation = released(cast.region_a, 2025, previous_index="3.00")
    generated = generate(DocumentKind.EVALUATION, "pdf", cast.region_a, None, {"year": 2025})
    text = pdf_text(generated.content, tmp_path)
    assert "3,28" in text  # the printed index, in the document's language (Indonesian)
    assert evaluation.predicate_name in text
    assert "+0,28" in text  # the improvement against the entered 3.00
    assert "Kota Solok" in text and "2025" in text
    assert generated.filename == "evaluation-1372-evaluasi2025.pdf"


def test_the_docx_letter_has_the_same_result(cast):
    from docx import Document

    evaluation = released(cast.region_a, 2025)
    generated = generate(DocumentKind.EVALUATION, "docx", cast.region_a, None, {"year": 2025})
    document = Document(io.BytesIO(generated.content))
    paragraphs = " ".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "3,28" in paragraphs and evaluation.predicate_name in paragraphs
    assert "GOV" in cells and "Catatan outcome" in paragraphs


def test_a_draft_has_no_letter(cast):
    new_draft(cast.region_a)
    with pytest.raises(Exception, match="draft"):
        generate(DocumentKind.EVALUATION, "pdf", cast.region_a, None, {"year": 2025})
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        report_services.request_document(
            actor=None, region=cast.region_a, edition=None, kind="evaluation", fmt="pdf", options={"year": 2025}
        )


def test_the_letter_is_downloaded_by_the_region_and_not_by_the_outsider(cast):
    released(cast.region_a, 2025)
    response = cast.client(cast.viewer).get(f"{BASE}2025/surat.docx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    assert cast.client(cast.outsider).get(f"{BASE}2025/surat.docx").status_code == 404
    assert cast.client(cast.viewer).get(f"{BASE}2025/surat.exe").status_code == 404


def test_show_prints_the_evaluation_as_json(cast):
    released(cast.region_a, 2025, previous_index="3.00")
    out = io.StringIO()
    call_command("evaluation", "show", "13.72", "2025", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["index"] == 3.275 and data["index_2dp"] == 3.28
    assert data["status"] == "released" and data["computed"] == "stored"
    assert data["improvement"] == pytest.approx(0.275)
    assert data["predicate"]["name"]
    assert data["dimensions"]["outcome"]["score"] == 2.75
    assert data["smart_city_dimensions"]["GOV"]["programmes"] == 2


def test_show_computes_a_draft_live(cast):
    new_draft(cast.region_a)
    out = io.StringIO()
    call_command("evaluation", "show", "13.72", "2025", stdout=out)
    assert "draft" in out.getvalue() and "five evaluation dimensions" in out.getvalue()


def test_export_writes_the_letter(cast, tmp_path):
    released(cast.region_a, 2025)
    target = tmp_path / "surat.docx"
    call_command(
        "evaluation", "export", "13.72", "2025", "--format", "docx", "--output", str(target), stderr=io.StringIO()
    )
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["99.99", "2025"], "no region with the code 99.99"),
        (["13.72", "2030"], "no evaluation for 2030"),
        (["13.72", "2025"], "draft"),
    ],
)
def test_export_refuses_with_exit_code_2(cast, tmp_path, args, said):
    new_draft(cast.region_a)
    with pytest.raises(CommandError) as refused:
        call_command("evaluation", "export", *args, "--output", str(tmp_path / "x.pdf"))
    assert refused.value.returncode == 2
    assert said in str(refused.value)
    assert not (tmp_path / "x.pdf").exists()
