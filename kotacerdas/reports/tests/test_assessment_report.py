"""The assessment report of one run: every section and the overall score in the PDF, the ranked
gaps in the DOCX, disagreements between assessors, SWOT, the evidence appendix, a placeholder for
a run without scores; generation over HTTP as a background job, from the results page and the
command line; another region's run is refused and the documents page keeps its query count."""

from __future__ import annotations

import io
import json
from io import StringIO
from typing import Any

import docx
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kotacerdas.assessments.loader import load_templates
from kotacerdas.assessments.models import Answer, Item, Run, Section, Template
from kotacerdas.assessments.selectors import run_result
from kotacerdas.assessments.services import runs as assessment_services
from kotacerdas.assessments.tests.conftest import answer_all
from kotacerdas.reports import selectors, services
from kotacerdas.reports.builders.common import level_text, score_text
from kotacerdas.reports.generate import generate
from kotacerdas.reports.models import DocumentJob
from kotacerdas.reports.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db

EVIDENCE = "https://example.org/bukti/solok.pdf"


def url(name: str, *args: object) -> str:
    return reverse(f"reports:{name}", args=["13.72", *args])


def start(cast: Any, region: Any, kind: str = "maturity", year: int = 2024) -> Run:
    load_templates()
    template = Template.objects.get(kind=kind)
    return assessment_services.start_run(actor=None, region=region, template=template, year=year)


def disagree(cast: Any, run: Run) -> Item:
    """The mentor joins the panel and answers the first section like the region, except its first
    item: the lowest answer there (level 1, or the last choice)."""
    slot = assessment_services.assign_assessor(actor=cast.owner, run=run, user=cast.mentor)
    first = Item.objects.filter(template=run.template).order_by("order").first()
    assert first is not None
    for item in Item.objects.filter(section=first.section).exclude(answer_type="text").order_by("order"):
        if item == first:
            low = {"value": 1} if item.answer_type == "level" else {"choice": item.options["choices"][-1]["code"]}
            data: dict[str, Any] = low
        else:
            given = Answer.objects.get(item=item, assessor__is_region=True)
            data = {"value": given.value, "choice": given.choice}
        assessment_services.save_answer(
            actor=cast.mentor, run=run, assessor=slot, item=item, data=data, expected_version=None
        )
    return first


@pytest.fixture
def maturity(cast: Any) -> Run:
    """A maturity run of region A answered at level 3 with evidence, and one disagreement."""
    run = start(cast, cast.region_a)
    answer_all(run, cast.owner, level=3, link=EVIDENCE)
    disagree(cast, run)
    return run


def test_the_pdf_shows_every_section_and_the_overall_score(cast, maturity, tmp_path):
    result = run_result(maturity)
    generated = generate("assessment", "pdf", cast.region_a, None, {"run": maturity.pk})
    text = pdf_text(generated.content, tmp_path)
    for section in Section.objects.filter(template=maturity.template):
        assert section.title in text
    with translation.override("id"):
        overall, level = score_text(result.tree.score), level_text(result, result.overall_level)
    assert overall in text and level in text and result.level_names[result.overall_level] in text
    assert maturity.title in text and str(maturity.template.version) in text
    assert generated.headings[0] in text and generated.headings[-1] in text
    assert EVIDENCE in text  # the evidence appendix
    assert generated.filename == f"assessment-1372-penilaian{maturity.pk}.pdf" and generated.pages
    assert not generated.missing


def test_the_docx_holds_the_ranked_gaps_and_the_disagreement(cast, maturity):
    result = run_result(maturity)
    assert result.gaps and result.disagreements
    generated = generate("assessment", "docx", cast.region_a, None, {"run": maturity.pk})
    word = docx.Document(io.BytesIO(generated.content))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in word.tables]
    with translation.override("id"):
        expected = [
            [
                str(rank),
                f"{gap.code} {gap.label}",
                gap.section,
                score_text(gap.score),
                level_text(result, gap.current),
                level_text(result, gap.target),
                str(gap.size),
            ]
            for rank, gap in enumerate(result.gaps, start=1)
        ]
    assert any(rows[1:] == expected for rows in tables)  # under its header row
    disagreement = result.disagreements[0]
    assert any(row[0].startswith(disagreement.code) and row[1] == "2" for rows in tables for row in rows)


def test_a_readiness_run_shows_its_swot_and_the_section_spread(cast):
    run = start(cast, cast.region_a, kind="readiness")
    answer_all(run, cast.owner, link=EVIDENCE)
    section = Section.objects.filter(template=run.template, has_swot=True).order_by("order").first()
    assessment_services.add_swot(
        actor=cast.owner, run=run, section=section, data={"quadrant": "W", "text": "Aparatur TIK terbatas"}
    )
    disagree(cast, run)
    data = selectors.assessment_data(cast.region_a, run.pk)
    assert data.section_spread == {section.code: pytest.approx(100 / 3)}  # one of three items 100 points apart
    word = docx.Document(io.BytesIO(generate("assessment", "docx", cast.region_a, None, {"run": run.pk}).content))
    cells = [cell.text for table in word.tables for cell in table._cells]
    assert any("Aparatur TIK terbatas" in c for c in cells)


def test_a_run_without_answers_gets_a_placeholder_instead_of_scores(cast):
    run = start(cast, cast.region_a)
    generated = generate("assessment", "docx", cast.region_a, None, {"run": run.pk})
    with translation.override("id"):
        placeholder = gettext("The run has no scores yet: no scored item is answered.")
    assert [m["what"] for m in generated.missing] == [placeholder]


def test_another_regions_run_is_refused_naming_the_run(cast, maturity):
    other = start(cast, cast.region_b)
    with pytest.raises(ValidationError) as refused:
        generate("assessment", "pdf", cast.region_a, None, {"run": other.pk})
    assert f"#{other.pk}" in refused.value.message_dict["run"][0]
    with pytest.raises(ValidationError) as refused:
        services.request_document(
            actor=cast.editor, region=cast.region_a, edition=None, kind="assessment", fmt="pdf", options={}
        )
    assert "run" in refused.value.message_dict
    response = cast.client(cast.editor).post(url("generate"), {"kind": "assessment", "fmt": "pdf", "run": other.pk})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302 and response["Location"] == url("documents")
    assert any(f"#{other.pk}" in m for m in shown) and not DocumentJob.objects.exists()


def test_an_outsider_gets_404_and_a_viewer_403_on_generate(cast, maturity):
    data = {"kind": "assessment", "fmt": "pdf", "run": maturity.pk}
    assert cast.client(cast.outsider).post(url("generate"), data).status_code == 404
    assert cast.client(cast.viewer).post(url("generate"), data).status_code == 403
    assert not DocumentJob.objects.exists()


# The worker closes its database connection after each job (see test_views.py).
@pytest.mark.django_db(transaction=True)
def test_an_editor_generates_the_report_in_the_background_from_the_results_page(cast, maturity):
    client = cast.client(cast.editor)
    results = client.get(reverse("assessments:results", args=["13.72", maturity.pk])).content.decode()
    assert f'action="{url("generate")}"' in results and f'name="run" value="{maturity.pk}"' in results
    response = client.post(url("generate"), {"kind": "assessment", "fmt": "pdf", "run": maturity.pk})
    job = DocumentJob.objects.get(region=cast.region_a)
    assert response.status_code == 302 and response["Location"] == url("job", job.pk)
    assert job.status == "queued" and job.edition is None and job.options == {"run": maturity.pk}
    call_command("db_worker", "--batch", stdout=StringIO(), stderr=StringIO())
    job.refresh_from_db()
    assert job.status == "done" and job.file.name.endswith(f"penilaian{maturity.pk}.pdf") and job.pages
    assert maturity.title in client.get(url("job", job.pk)).content.decode()
    page = cast.client(cast.viewer).get(url("documents")).content.decode()
    assert f'id="penilaian-{maturity.pk}"' in page and url("download", job.pk) in page
    download = cast.client(cast.viewer).get(url("download", job.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:4] == b"%PDF"
    # The same response helper as every uploaded file (lib/files.py).
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert cast.client(cast.outsider).get(url("download", job.pk)).status_code == 404


def test_a_viewer_is_sent_to_the_documents_page_from_the_results(cast, maturity):
    results = cast.client(cast.viewer).get(reverse("assessments:results", args=["13.72", maturity.pk]))
    text = results.content.decode()
    assert f"{url('documents')}#penilaian-{maturity.pk}" in text and url("generate") not in text


def test_the_documents_page_query_count_does_not_grow_with_runs_or_reports(cast, maturity):
    client = cast.client(cast.editor)
    client.get(url("documents"))
    with CaptureQueriesContext(connection) as few:
        page = client.get(url("documents")).content.decode()
    assert f'<option value="{maturity.pk}">' in page
    for year in (2019, 2021):
        run = start(cast, cast.region_a, year=year)
        for fmt in ("pdf", "docx"):
            services.request_document(
                actor=cast.editor,
                region=cast.region_a,
                edition=None,
                kind="assessment",
                fmt=fmt,
                options={"run": run.pk},
                background=False,
            )
    with CaptureQueriesContext(connection) as many:
        client.get(url("documents"))
    assert len(few) == len(many)


def test_the_report_reads_a_fixed_number_of_queries(cast, maturity):
    with CaptureQueriesContext(connection) as two_assessors:
        selectors.assessment_data(cast.region_a, maturity.pk)
    run = start(cast, cast.region_a, year=2023)
    answer_all(run, cast.owner)
    with CaptureQueriesContext(connection) as one_assessor:
        selectors.assessment_data(cast.region_a, run.pk)
    assert len(one_assessor) == len(two_assessors) <= 12


def test_the_command_writes_the_report_and_prints_json(cast, maturity, tmp_path):
    out = StringIO()
    target = tmp_path / "penilaian.docx"
    call_command(
        "report",
        "assessment",
        "--region",
        "13.72",
        "--run",
        str(maturity.pk),
        "--format",
        "docx",
        "--output",
        str(target),
        "--json",
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    assert target.read_bytes()[:2] == b"PK" and summary["bytes"] == target.stat().st_size
    assert summary["run"] == maturity.pk and summary["document"] == "assessment" and summary["chapters"]
    other = start(cast, cast.region_b)
    for run in ([], ["--run", str(other.pk)]):
        with pytest.raises(CommandError, match="--run"):
            call_command("report", "assessment", "--region", "13.72", *run, "--output", str(tmp_path / "x.pdf"))
