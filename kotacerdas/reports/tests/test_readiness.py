"""Buku 1's readiness chapter draws on the region's readiness assessment, never another region's."""

from __future__ import annotations

import io

import docx
import pytest
from django.utils.translation import gettext

from kotacerdas.assessments.loader import load_templates
from kotacerdas.assessments.models import Section, Template
from kotacerdas.assessments.selectors import run_result
from kotacerdas.assessments.services import runs as assessment_services
from kotacerdas.assessments.tests.conftest import answer_all
from kotacerdas.reports.builders.common import score_text
from kotacerdas.reports.generate import generate
from kotacerdas.reports.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


def placeholder_shown(generated) -> bool:
    text = gettext("The readiness assessment (scores per readiness component and their chart) is not available yet.")
    return any(m["what"] == text for m in generated.missing)


def readiness_run(cast, region, year):
    load_templates()
    template = Template.objects.get(kind="readiness")
    run = assessment_services.start_run(actor=cast.ministry, region=region, template=template, year=year)
    answer_all(run, cast.ministry, level=4)
    return run


def test_buku1_shows_the_readiness_scores_per_component_with_the_runs_year_and_status(book, cast, tmp_path):
    run = readiness_run(cast, cast.region_a, book.edition.year)
    expected = run_result(run)
    generated = generate("buku1", "pdf", cast.region_a, book.edition)
    text = pdf_text(generated.content, tmp_path)
    for section in Section.objects.filter(template=run.template):
        assert section.title in text
    assert score_text(expected.tree.score) in text
    assert str(run.year) in text and run.get_status_display() in text
    assert not placeholder_shown(generated)

    word = docx.Document(io.BytesIO(generate("buku1", "docx", cast.region_a, book.edition).content))
    scores = [t for t in word.tables if any(score_text(expected.tree.score) in c.text for c in t._cells)]
    assert len(scores) == 1  # the chart stays out of the DOCX: its numbers are in the one table


def test_another_regions_or_a_later_assessment_is_not_used(book, cast):
    readiness_run(cast, cast.region_b, book.edition.year)
    readiness_run(cast, cast.region_a, book.edition.year + 1)
    generated = generate("buku1", "pdf", cast.region_a, book.edition)
    assert placeholder_shown(generated)
