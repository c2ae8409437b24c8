"""End to end: text that looks like a formula leaves KotaCerdas as text and comes back unchanged."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from kotacerdas.assessments import interchange as assessment_files
from kotacerdas.assessments.loader import load_templates
from kotacerdas.assessments.models import Answer, Item, Template
from kotacerdas.assessments.selectors import region_slot
from kotacerdas.assessments.services import runs as run_services
from kotacerdas.lib import spreadsheets
from kotacerdas.plans.interchange.importer import import_document
from kotacerdas.plans.interchange.xlsx import read_workbook
from kotacerdas.plans.models import Programme
from kotacerdas.plans.tests.factories import make_edition, make_programme
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.engine.xlsx import read_xlsx, write_xlsx

EXAMPLES = Path(__file__).resolve().parents[2] / "quickwins" / "examples"

pytestmark = pytest.mark.django_db

FORMULA_NAME = "=1+1 Program"


def sheets_with_formulas(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<(\w+:)?f[ >/]", archive.read(name))
        ]


def test_a_programme_named_like_a_formula_survives_plan_export_and_reimport(cast):
    edition = make_edition(cast.region_a)
    make_programme(edition, "GOV-01", name=FORMULA_NAME, description="+62 812 @kominfo", problem="-")
    url = reverse("plans:export", args=[cast.region_a.code, edition.year, "xlsx"])
    assert cast.client(cast.outsider).get(url).status_code == 404
    response = cast.client(cast.owner).get(url)
    assert response.status_code == 200
    data = response.content
    assert sheets_with_formulas(data) == []
    read = read_workbook(data)
    assert read.problems == []
    (programme,) = read.doc["programmes"]
    assert programme["name"] == FORMULA_NAME
    assert programme["description"] == "+62 812 @kominfo"
    read.doc["edition"]["year"] = 2031
    again = import_document(actor=cast.owner, region=cast.region_a, doc=read.doc)
    assert Programme.objects.get(edition=again, code="GOV-01").name == FORMULA_NAME


def test_the_change_log_export_keeps_formula_looking_text_as_text(cast):
    old = make_edition(cast.region_a, year=2024)
    make_programme(old, "GOV-01", name="Layanan")
    new = make_edition(cast.region_a, year=2025, start=2026, end=2030)
    make_programme(new, "GOV-01", name=FORMULA_NAME)
    owner = cast.client(cast.owner)
    for fmt in ("csv", "xlsx"):
        url = reverse("plans:changes_export", args=[cast.region_a.code, new.year, fmt])
        assert cast.client(cast.outsider).get(url, {"dari": old.year}).status_code == 404
        response = owner.get(url, {"dari": old.year})
        assert response.status_code == 200
        if fmt == "csv":
            text = response.content.decode()
            assert "'=1+1 Program" in text and ",=1+1" not in text  # a spreadsheet program shows text
            rows = spreadsheets.read_csv(text)
        else:
            assert sheets_with_formulas(response.content) == []
            book = spreadsheets.open_workbook(response.content, "changes.xlsx")
            rows = [list(r) for r in spreadsheets.sheet_rows(book["changes"])]
        assert any(FORMULA_NAME in row for row in rows), rows


def test_offline_run_answers_that_look_like_formulas_come_back_unchanged(cast):
    load_templates()
    template = Template.objects.get(kind="maturity")
    run = run_services.start_run(actor=cast.owner, region=cast.region_a, template=template, year=2024)
    slot = region_slot(run)
    item = Item.objects.filter(template=template, answer_type="level").order_by("order").first()
    data = {"value": 3, "comment": '=HYPERLINK("http://evil")', "evidence_link": "https://example.org/b.pdf"}
    run_services.save_answer(actor=cast.editor, run=run, assessor=slot, item=item, data=data, expected_version=None)
    exported = assessment_files.export_run(run)
    assert sheets_with_formulas(exported) == []
    result = assessment_files.import_run(actor=cast.editor, run=run, handle=io.BytesIO(exported))
    assert result.changed == 0
    assert Answer.objects.get(assessor=slot, item=item).comment == data["comment"]


def test_a_quick_win_candidate_named_like_a_formula_round_trips(tmp_path):
    import json

    data = json.loads((EXAMPLES / "solok-2025.json").read_text(encoding="utf-8"))
    data["candidates"][0]["name"] = FORMULA_NAME
    data["title"] = "-Putaran @2025"
    problem = parse_problem(data)
    written = write_xlsx(problem)
    assert sheets_with_formulas(written) == []
    assert read_xlsx(io.BytesIO(written)) == problem
