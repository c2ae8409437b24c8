"""In the browser, in Indonesian, on a 390 px phone: a decree upload refuses a disguised file
with the input kept, accepts a real one, and the page's link downloads it under its own name.

The data is written before the browser starts (Django refuses ORM calls inside Playwright's event
loop); the browser gets the signed-in session of the test client as a cookie.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kotacerdas.lib.tests.test_files import REFUSED, SAMPLES
from kotacerdas.regions.models import GovernanceBody
from tests.support.browser import browser_page, require_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chromium() -> None:
    require_browser()


def test_a_decree_is_refused_when_disguised_and_downloaded_under_its_own_name(
    chromium: None, transactional_db: Any, cast: Any, live_server: Any, tmp_path: Any
) -> None:
    body = cast.body_a
    edit = f"{live_server.url}{reverse('regions:body_edit', args=['13.72', body.pk])}"
    session_cookie = cast.client(cast.owner).cookies["sessionid"].value

    with browser_page(viewport=PHONE) as page:
        page.context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": live_server.url}])
        page.goto(edit)
        assert page.locator("#id_decree_file").get_attribute("accept").startswith(".pdf,")
        page.fill("#id_decree_number", "188.45/123/WAKO-2024")
        page.set_input_files(
            "#id_decree_file", {"name": "sk.pdf", "mimeType": "application/pdf", "buffer": REFUSED["html"]}
        )
        with page.expect_navigation():
            page.locator("form[enctype] button.button[type=submit]").click()
        assert page.locator(".error-summary").is_visible()
        assert "sk.pdf" in page.locator(".error-summary").inner_text()
        assert page.input_value("#id_decree_number") == "188.45/123/WAKO-2024"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the refused form is {width} px wide"

        page.set_input_files(
            "#id_decree_file",
            {"name": "SK Wali Kota 2024.pdf", "mimeType": "application/pdf", "buffer": SAMPLES["pdf"]},
        )
        with page.expect_navigation():
            page.locator("form[enctype] button.button[type=submit]").click()
        link = page.locator("a[download]", has_text="SK Wali Kota 2024.pdf")
        with page.expect_download() as caught:
            link.click()
        download = caught.value
        assert download.suggested_filename == "SK Wali Kota 2024.pdf"
        saved = tmp_path / "saved.pdf"
        download.save_as(saved)
        assert saved.read_bytes() == SAMPLES["pdf"]

    stored = GovernanceBody.objects.get(pk=body.pk)
    assert stored.decree_name == "SK Wali Kota 2024.pdf" and "Wali" not in stored.decree_file.name
