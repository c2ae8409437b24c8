"""Issue 11 in the quick-win pages: one name for a round everywhere ("Round 2024 · for budget
2025": the year the forum decides in and the budget year it selects for, both labelled), and no
raw codes or English values in the Indonesian pages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from kotacerdas.quickwins import services
from kotacerdas.quickwins.tests.builders import make_round
from kotacerdas.reports.builders.others import quickwins_document

pytestmark = pytest.mark.django_db

A = "13.72"
LABEL = "Round 2024 · for budget 2025"


@pytest.fixture
def solved(cast):
    selection_round = make_round(cast.region_a, title="Quick win Kota Solok 2025")
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    selection_round.refresh_from_db()
    return selection_round, solve


def url(name, *args):
    return reverse(f"quickwins:{name}", args=[A, *args])


@pytest.mark.parametrize(
    ("name", "args"),
    [("rounds", ()), ("round", (2024,)), ("result", (2024, 1)), ("summary", (2024, 1)), ("candidates", (2024,))],
)
def test_every_quick_win_page_names_the_round_and_its_budget_year_the_same_way(cast, solved, english, name, args):
    html = cast.client(cast.editor).get(url(name, *args)).content.decode()
    assert LABEL in html
    assert "2025 (2024)" not in html
    assert cast.client(cast.outsider).get(url(name, *args)).status_code == 404


def test_the_round_page_shows_criteria_by_name_without_their_raw_codes(cast, solved, english):
    selection_round, _solve = solved
    html = cast.client(cast.viewer).get(url("round", 2024)).content.decode()
    assert all(escape(c.name) in html for c in selection_round.criteria.all())
    assert "(impact)" not in html and "(feasibility)" not in html
    assert cast.client(cast.outsider).get(url("round", 2024)).status_code == 404


def test_the_round_page_in_indonesian_shows_no_raw_criterion_code(cast, solved):
    client = cast.client(cast.viewer)
    client.cookies["django_language"] = "id"
    html = client.get(url("round", 2024)).content.decode()
    assert "(impact)" not in html and "(visibility)" not in html
    result = client.get(url("result", 2024, 1)).content.decode()
    assert "(Optimal)" not in result  # the solver's own English status; the translated status is shown


def test_the_selection_report_and_the_documents_page_use_the_round_name(cast, solved, english):
    _selection_round, _solve = solved
    document = quickwins_document(cast.region_a, 2024)
    assert document.cover.year == LABEL
    texts = " ".join(getattr(b, "text", "") for c in document.chapters for b in c.blocks)
    assert "This report shows result #1, not yet confirmed by the forum." in texts
    html = cast.client(cast.viewer).get(reverse("reports:documents", args=[A])).content.decode()
    assert LABEL in html
    assert cast.client(cast.outsider).get(reverse("reports:documents", args=[A])).status_code == 404


def test_the_export_command_names_the_round_and_its_budget_year(cast, solved, english, tmp_path):
    err = StringIO()
    call_command("quickwins", "export", A, "2024", "--output", str(tmp_path / "round.json"), stderr=err)
    assert LABEL in err.getvalue()
