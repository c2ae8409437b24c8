"""Browser journey of the ministry's national view (issue 15 §3): ministry staff filter the table
to one province and export it; with JavaScript (htmx swaps the results) and without (the GET form).

Database work happens before the Playwright block (stack notes, gotcha 3)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.demo.data import PASSWORD
from kotacerdas.demo.national import generate
from kotacerdas.frameworks.loader import load_all
from kotacerdas.lib import spreadsheets
from tests.support.browser import browser_page, require_browser, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def national_sample(transactional_db: Any) -> None:
    require_browser()
    load_all()
    generate(regions=60, sessions=4, obstacles=3, programmes=3)
    User.objects.create_user(username="kementerian", password=PASSWORD, is_ministry=True)


def _codes(page: Any) -> list[str]:
    return [c.strip() for c in page.locator("table.national tbody tr td:first-child").all_inner_texts()]


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_the_ministry_filters_the_national_view_to_one_province_and_exports_it(
    national_sample, live_server, javascript
):
    with browser_page(javascript=javascript) as page:
        sign_in(page, live_server.url, "kementerian", "/nasional/")
        assert page.url.endswith("/nasional/")
        everything = _codes(page)
        assert len(everything) == 60
        page.select_option("#id_province", "11")  # Aceh
        if javascript:
            page.locator("form.filter-form button[type=submit]").click()
            page.wait_for_function(
                "() => [...document.querySelectorAll('table.national tbody tr td:first-child')]"
                ".every(td => td.textContent.trim().startsWith('11.'))"
            )
        else:
            with page.expect_navigation():
                page.locator("form.filter-form button[type=submit]").click()
        codes = _codes(page)
        assert codes and all(code.startswith("11.") for code in codes)
        assert len(codes) < len(everything)
        assert "province=11" in page.url
        with page.expect_download() as caught:
            page.locator("a[href^='/nasional/ekspor.xlsx']").click()
        data = Path(caught.value.path()).read_bytes()
    table = list(spreadsheets.load_book(data).worksheets[0].iter_rows(values_only=True))
    assert [row[0] for row in table[1:]] == codes
    assert all(re.fullmatch(r"11\.\d\d", row[0]) for row in table[1:])
