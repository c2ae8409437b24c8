"""Issue 11, item 5: Buku 2's quick-win chapter agrees with the selection round.

The demo's shape: the review edition marks some 2025 quick wins by hand, and the 2024 round over
it is solved but not confirmed. The book reports the round's result (saying whether the forum
confirmed it), lists the programmes that result chose, puts the roadmap's stars on the same
programmes, and names the hand marks that disagree instead of printing them as "not chosen".
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services as plan_services
from kotacerdas.plans.models import Programme
from kotacerdas.quickwins import services
from kotacerdas.quickwins.tests.builders import make_round
from kotacerdas.reports.builders import buku2
from kotacerdas.reports.document import Figure, Paragraph, Placeholder, Table
from kotacerdas.reports.selectors import book_data

pytestmark = pytest.mark.django_db


def _chapter(document, key):
    return next(c for c in document.chapters if c.key == key)


def _listed(document) -> list[str]:
    chapter = _chapter(document, "b2-quick-wins")
    return [row[0].text for block in chapter.blocks if isinstance(block, Table) for row in block.rows]


def _starred(document, year: int) -> set[str]:
    """Codes with a ★ in the year's column of the roadmap grids."""
    starred = set()
    for block in _chapter(document, "b2-roadmap").blocks:
        if isinstance(block, Figure) and block.fallback is not None:
            column = [c.label for c in block.fallback.columns].index(str(year))
            starred |= {row[0].text for row in block.fallback.rows if row[column].text == "★"}
    return starred


def _texts(document, kind) -> str:
    chapter = _chapter(document, "b2-quick-wins")
    return " ".join(b.text for b in chapter.blocks if isinstance(b, kind))


@pytest.fixture
def demo_like(cast):
    """A solved, unconfirmed 2024 round for 2025, and three programmes it left out marked by hand."""
    selection_round = make_round(cast.region_a)
    solve = services.solve_round(actor=None, selection_round=selection_round)
    codes = set(selection_round.candidates.values_list("programme__code", flat=True))
    left_out = sorted(codes - set(solve.chosen_codes))
    by_hand = left_out[:3]
    for code in by_hand:
        programme = Programme.objects.get(edition=selection_round.edition, code=code)
        plan_services.set_quick_win_years(
            actor=None, programme=programme, years=[2025], expected_version=stored_version(programme)
        )
    selection_round.refresh_from_db()
    return selection_round, solve, by_hand


def test_an_unconfirmed_round_is_reported_as_a_proposal_listing_what_it_chose(cast, demo_like, english):
    selection_round, solve, by_hand = demo_like
    document = buku2.build(book_data(cast.region_a, selection_round.edition))
    assert sorted(_listed(document)) == sorted(solve.chosen_codes)
    assert _starred(document, 2025) == set(solve.chosen_codes)
    meta = _texts(document, Paragraph)
    assert "Round 2024 · for budget 2025" in meta and f"result #{solve.number}" in meta
    assert "Proposed in" in meta and "not yet confirmed" in meta and "Chosen in" not in meta
    assert "not chosen in this result (" not in " ".join(
        c.text for b in _chapter(document, "b2-quick-wins").blocks if isinstance(b, Table) for r in b.rows for c in r
    )
    notes = _texts(document, Placeholder)
    assert all(code in notes for code in by_hand)  # the disagreeing hand marks are named, not listed
    assert any(all(code in m.what for code in by_hand) for m in document.missing)


def test_a_confirmed_round_is_what_the_plan_marks_and_the_book_prints(cast, demo_like, english):
    selection_round, solve, _by_hand = demo_like
    services.confirm_selection(actor=cast.editor, solve=solve, expected_version=selection_round.version)
    document = buku2.build(book_data(cast.region_a, selection_round.edition))
    assert sorted(_listed(document)) == sorted(solve.chosen_codes) and _starred(document, 2025) == set(
        solve.chosen_codes
    )
    meta = _texts(document, Paragraph)
    assert "Chosen in" in meta and "confirmed by the forum" in meta and "not yet confirmed" not in meta
    assert not any("2025" in m.what and "quick win" in m.what.lower() for m in document.missing)
    flagged = set(
        Programme.objects.filter(edition=selection_round.edition, quick_wins__year=2025).values_list("code", flat=True)
    )
    assert flagged == set(solve.chosen_codes)


def test_the_plan_check_flags_a_quick_win_mark_that_disagrees_with_the_confirmed_result(cast, demo_like, english):
    selection_round, solve, by_hand = demo_like
    services.confirm_selection(actor=cast.editor, solve=solve, expected_version=selection_round.version)
    url = reverse("plans:check", args=[cast.region_a.code, 2024])
    clean = cast.client(cast.viewer).get(url, {"format": "json"}).json()
    assert not any(f["rule"] == "PC022" for f in clean["findings"])

    extra = Programme.objects.get(edition=selection_round.edition, code=by_hand[0])
    plan_services.set_quick_win_years(actor=None, programme=extra, years=[2025], expected_version=stored_version(extra))
    found = cast.client(cast.viewer).get(url, {"format": "json"}).json()["findings"]
    assert any(f["rule"] == "PC022" and f["programme"] == extra.code and f["severity"] == "error" for f in found)
    page = cast.client(cast.viewer).get(url).content.decode()
    assert "PC022" in page and "result #" in page
    assert cast.client(cast.outsider).get(url).status_code == 404

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("plan", "check", cast.region_a.code, "--edition", "2024", "--json", stdout=out)
    assert any(f["rule"] == "PC022" and f["programme"] == extra.code for f in json.loads(out.getvalue())["findings"])

    # A selection marked nowhere in the plan is an error too.
    plan_services.set_year_quick_wins(actor=None, edition=selection_round.edition, year=2025, programmes=[])
    found = cast.client(cast.viewer).get(url, {"format": "json"}).json()["findings"]
    missing = {f["programme"] for f in found if f["rule"] == "PC022"}
    assert missing == set(solve.chosen_codes)


def test_the_plan_overview_says_where_each_years_quick_wins_come_from(cast, demo_like, english):
    selection_round, solve, _by_hand = demo_like
    url = reverse("plans:edition", args=[cast.region_a.code, 2024])
    assert "Marked in the plan; no confirmed selection round." in cast.client(cast.viewer).get(url).content.decode()
    services.confirm_selection(actor=cast.editor, solve=solve, expected_version=selection_round.version)
    html = cast.client(cast.viewer).get(url).content.decode()
    assert f"Confirmed in Round 2024 · for budget 2025, result #{solve.number}." in html
    assert cast.client(cast.outsider).get(url).status_code == 404
