"""XLSX round trips: templates and runs, lossless, all-or-nothing with sheet/row/column errors."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kotacerdas.assessments import interchange, selectors
from kotacerdas.assessments.definition import TemplateInvalid
from kotacerdas.assessments.models import Answer, Item, Section, Template
from kotacerdas.assessments.services import runs as services
from kotacerdas.assessments.tests.conftest import answer_all

pytestmark = pytest.mark.django_db


def _as_rows(template: Template):
    sections = list(
        Section.objects.filter(template=template).values("code", "title", "weight", "has_swot", "entry__code")
    )
    items = list(
        Item.objects.filter(template=template)
        .order_by("order")
        .values("section__code", "code", "text", "answer_type", "weight", "evidence_required", "allow_na",
                "entry__code", "guidance", "options", "rubric")
    )  # fmt: skip
    return sections, items


@pytest.mark.parametrize("kind", ["selection", "readiness", "maturity"])
def test_a_template_round_trips_through_xlsx_without_loss(cast, templates, kind):
    original = templates[kind]
    data = interchange.export_template(original)
    workbook = load_workbook(io.BytesIO(data))
    header = workbook["template"]
    for row in header.iter_rows(min_row=2):
        if row[0].value == "version":
            row[1].value = 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    copy = interchange.import_template(actor=cast.ministry, handle=buffer, publish=True)
    assert (copy.code, copy.version, copy.status) == (original.code, 2, "published")
    assert (copy.taxonomy, copy.levels, copy.thresholds, copy.combine) == (
        original.taxonomy, original.levels, original.thresholds, original.combine,
    )  # fmt: skip
    assert _as_rows(copy) == _as_rows(original)


def test_a_bad_template_workbook_is_refused_with_sheet_row_and_column(cast, templates):
    workbook = load_workbook(io.BytesIO(interchange.export_template(templates["readiness"])))
    items = workbook["items"]
    items["D3"] = "colour"  # type
    items["E4"] = "heavy"  # weight
    items["A5"] = "NOPE"  # section
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(TemplateInvalid) as refused:
        interchange.import_template(actor=cast.ministry, handle=buffer)
    found = {(p.where, p.field) for p in refused.value.problems}
    assert ("sheet items row 3", "column D (type)") in found
    assert ("sheet items row 4", "column E (weight)") in found
    assert ("sheet items row 5", "column A (section)") in found
    assert Template.objects.count() == 3  # nothing partial was saved


def test_importing_an_existing_version_is_refused(cast, templates):
    data = interchange.export_template(templates["maturity"])
    with pytest.raises(TemplateInvalid, match="already exists"):
        interchange.import_template(actor=cast.ministry, handle=io.BytesIO(data))


FIELDS = ("item__code", "value", "choice", "text", "not_applicable", "comment", "evidence_link")


def test_a_run_round_trips_through_xlsx_without_loss(cast, maturity, readiness):
    for run in (maturity, readiness):
        answer_all(run, cast.editor)
        before = list(Answer.objects.filter(run=run).order_by("item__order").values(*FIELDS))
        data = interchange.export_run(run)
        result = interchange.import_run(actor=cast.editor, run=run, handle=io.BytesIO(data))
        assert result.changed == 0 and result.unchanged == len(before)
        after = list(Answer.objects.filter(run=run).order_by("item__order").values(*FIELDS))
        assert after == before


def _filled(run, edits):
    workbook = load_workbook(io.BytesIO(interchange.export_run(run)))
    sheet = workbook["answers"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        code = row[header.index("item")].value
        for field, value in edits.get(code, {}).items():
            row[header.index(field)].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_an_offline_filled_run_is_imported(cast, maturity):
    edits = {"GOV-1.1": {"value": 3, "evidence_link": "https://example.org/a.pdf", "comment": "ok"},
             "BRD-3.1": {"not_applicable": "yes"}, "BRD-2.1": {"value": 2}}  # fmt: skip
    result = interchange.import_run(actor=cast.editor, run=maturity, handle=_filled(maturity, edits))
    assert result.changed == 3
    assert Answer.objects.get(item__code="BRD-3.1").not_applicable
    assert selectors.run_result(maturity).tree.score is not None


def test_a_bad_run_workbook_reports_every_bad_row_and_saves_nothing(cast, maturity):
    edits = {
        "GOV-1.1": {"value": 3},
        "GOV-2.1": {"value": 7, "evidence_link": "https://example.org/a"},
        "BRD-2.1": {"value": "tiga"},
        "ECO-2.1": {"value": 2, "item": "ECO-9.9"},
        "LIV-1.1": {"not_applicable": "yes"},
        "SOC-1.1": {"value": 3},
    }
    with pytest.raises(interchange.ImportRefused) as refused:
        interchange.import_run(actor=cast.editor, run=maturity, handle=_filled(maturity, edits))
    found = {(p.where, p.field) for p in refused.value.problems}
    assert ("sheet answers row 2", "column K (evidence_link)") in found  # missing required evidence
    assert ("sheet answers row 3", "column F (value)") in found  # outside the scale
    assert ("sheet answers row 6", "column F (value)") in found  # not a number
    assert ("sheet answers row 9", "column B (item)") in found  # unknown item
    assert ("sheet answers row 11", "column I (not_applicable)") in found
    assert not Answer.objects.exists()


def test_a_workbook_of_another_region_or_template_version_is_refused(cast, maturity, templates):
    other = services.start_run(actor=None, region=cast.region_b, template=templates["maturity"], year=2024)
    with pytest.raises(interchange.ImportRefused, match="region 13.73"):
        interchange.import_run(actor=cast.editor, run=maturity, handle=io.BytesIO(interchange.export_run(other)))
    readiness = services.start_run(actor=None, region=cast.region_a, template=templates["readiness"], year=2024)
    with pytest.raises(interchange.ImportRefused, match="template"):
        interchange.import_run(actor=cast.editor, run=maturity, handle=io.BytesIO(interchange.export_run(readiness)))
    with pytest.raises(interchange.ImportRefused, match="is not an XLSX workbook"):
        interchange.import_run(actor=cast.editor, run=maturity, handle=io.BytesIO(b"not a workbook"))


def test_the_import_page_lists_every_problem(cast, maturity):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("r.xlsx", _filled(maturity, {"GOV-2.1": {"value": 9}}).getvalue())
    response = cast.client(cast.editor).post(
        reverse("assessments:run_import", args=["13.72", maturity.pk]), {"file": upload}
    )
    assert response.status_code == 422 and b"sheet answers row 3" in response.content
