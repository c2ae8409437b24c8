"""Quick wins in the documents: the selection report of a solved round, and the Buku 2 chapter
with each confirmed quick win's selection rationale."""

from __future__ import annotations

import pytest

from kotacerdas.quickwins import services
from kotacerdas.quickwins.tests.builders import make_round
from kotacerdas.reports.generate import generate
from kotacerdas.reports.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(cast):
    selection_round = make_round(cast.region_a)
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    selection_round.refresh_from_db()
    services.confirm_selection(actor=cast.editor, solve=solve, expected_version=selection_round.version)
    selection_round.refresh_from_db()
    return selection_round, solve


def test_the_selection_report_lists_the_chosen_and_the_left_out_with_reasons(cast, confirmed, tmp_path):
    selection_round, solve = confirmed
    generated = generate("quickwins", "pdf", cast.region_a, selection_round.edition, {"round": selection_round.year})
    text = pdf_text(generated.content, tmp_path)
    for code in solve.chosen_codes:
        assert code in text
    assert generated.headings[0] in text and generated.headings[-1] in text
    docx = generate("quickwins", "docx", cast.region_a, selection_round.edition, {"round": selection_round.year})
    assert docx.content[:2] == b"PK"


def test_buku2_gives_each_confirmed_quick_win_its_rationale(cast, confirmed, tmp_path):
    selection_round, solve = confirmed
    generated = generate("buku2", "pdf", cast.region_a, selection_round.edition)
    text = pdf_text(generated.content, tmp_path)
    assert f"#{solve.number}" in text  # "chosen in the selection round 2024 (result #1) ..."
    assert not any(
        str(selection_round.budget_year) in m["what"] and "rationale" in m["what"] for m in generated.missing
    )
