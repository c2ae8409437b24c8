"""In the system chromium: htmx saves an answer in place (no page load), and the plain form works too.

Database work happens before the Playwright block (stack notes, gotcha 3); assertions are on
data and element names, not on translated labels.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kotacerdas.demo.data import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
        "--disable-dev-shm-usage"]  # fmt: skip


@pytest.fixture
def run_pk(transactional_db: Any) -> int:
    if not CHROMIUM.exists():
        if os.environ.get("KOTACERDAS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    from kotacerdas.assessments.models import Template
    from kotacerdas.assessments.services import runs as services
    from kotacerdas.demo.loader import load_demo
    from kotacerdas.regions.models import Region

    load_demo()
    template = Template.objects.get(code="kematangan-kominfo-6")
    run = services.start_run(actor=None, region=Region.objects.get(code="13.72"), template=template, year=2025)
    return run.pk


def test_an_editor_answers_in_place_with_htmx_and_sees_the_radar(run_pk, live_server):
    from playwright.sync_api import sync_playwright

    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(locale="id-ID").new_page()
            page.set_default_timeout(10_000)
            page.goto(f"{base}/masuk/")
            page.fill("#id_username", "solok.editor")
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.locator("form.narrow button[type=submit]").click()
            section = f"{base}/wilayah/13.72/asesmen/{run_pk}/bagian/GOV/"
            page.goto(section)
            item = page.locator("#item-GOV-2\\.1")
            item.locator("input[name='GOV-2.1-value'][value='3']").check()
            item.locator("input[name='GOV-2.1-evidence_link']").fill("https://example.org/bukti.pdf")
            page.evaluate("window.__marker = 1")
            item.locator("button[type=submit]").click()
            page.locator("#item-GOV-2\\.1 [role=status]").wait_for()
            assert page.evaluate("window.__marker") == 1  # swapped in place, no page load
            assert page.url == section
            # An answer out of scale is not possible from the radios; an invalid link is refused in place.
            item = page.locator("#item-GOV-3\\.1")
            item.locator("input[name='GOV-3.1-value'][value='2']").check()
            item.locator("input[name='GOV-3.1-evidence_link']").fill("not a link")
            item.locator("button[type=submit]").click()
            page.locator("#item-GOV-3\\.1 .error-summary").wait_for()
            page.reload()
            assert page.locator("input[name='GOV-2.1-value'][value='3']").is_checked()
            page.goto(f"{base}/wilayah/13.72/asesmen/{run_pk}/hasil/")
            assert page.locator("svg.chart-radar").count() == 1
        finally:
            browser.close()
