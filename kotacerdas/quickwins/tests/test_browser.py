"""Browser journey of the quick-win round on the Kota Solok demo: a mentor scores (htmx saves each
change), an editor solves, sees the explained result and confirms it into the plan.

Database work happens before and after the Playwright blocks (stack notes, gotcha 3); the page
texts may be Indonesian or English, so the journey asserts on data, URLs and structure.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import browser_page, require_browser, sign_in
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser

ROUND = "/wilayah/13.72/quick-win/2024/"


@pytest.fixture
def solok(transactional_db: Any) -> None:
    require_browser()
    load_committed_demo()


def test_a_mentor_scores_and_an_editor_solves_and_confirms_the_quick_wins(solok, live_server):
    from kotacerdas.plans.models import QuickWinFlag
    from kotacerdas.quickwins.models import Evaluator, Score, SelectionRound

    selection_round = SelectionRound.objects.get(region__code="13.72", year=2024)
    first_candidate = selection_round.candidates.order_by(
        "programme__dimension__order", "programme__order", "programme__code"
    ).first()
    first_criterion = selection_round.criteria.first()
    cell = f"#id_score_{first_candidate.pk}_{first_criterion.pk}"

    with browser_page() as page:
        sign_in(page, live_server.url, "mentor.ugm", ROUND)
        page.goto(f"{live_server.url}{ROUND}nilai/")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()  # start scoring as oneself
        assert "/nilai/" in page.url
        with page.expect_response(lambda r: "/nilai/" in r.url and r.request.method == "POST") as saved:
            page.select_option(cell, "5")  # htmx posts the grid on change
        assert saved.value.status == 200
        page.wait_for_function("document.querySelector('#score-status').innerText.includes('1')")

    mentor = Evaluator.objects.get(round=selection_round, user__username="mentor.ugm")
    assert Score.objects.get(evaluator=mentor, candidate=first_candidate, criterion=first_criterion).value == 5

    with browser_page() as page:
        sign_in(page, live_server.url, "solok.editor", ROUND)
        page.goto(f"{live_server.url}{ROUND}")
        with page.expect_navigation():
            page.locator(f"form[action='{ROUND}hitung/'] button").click()
        assert page.url.endswith(f"{ROUND}hasil/2/")
        assert page.locator("svg.value-for-cost circle").count() >= 30
        chosen_rows = page.locator("#chosen ~ table").first.locator("tbody tr")
        assert chosen_rows.count() == 6
        assert page.locator("#left-out ~ table tbody tr").first.locator("li").count() >= 1
        with page.expect_navigation():
            page.locator(f"a[href='{ROUND}hasil/2/konfirmasi/']").click()
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.url.endswith(f"{ROUND}hasil/2/")
        assert page.locator(".messages .message").count() == 1

    solve = selection_round.solves.get(number=2)
    flagged = set(
        QuickWinFlag.objects.filter(region__code="13.72", year=2025).values_list("programme__code", flat=True)
    )
    assert flagged == set(solve.chosen_codes)
