"""The monitoring pages in the system chromium, 390 px wide and without JavaScript: nothing runs
off the side of the page, the period selector and the actual form work as plain forms.

Database work happens before the Playwright block (stack notes, gotcha 3).
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import build_cast  # at collection, while "conftest" is still the root one
from tests.support.browser import browser_page, require_browser, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    require_browser()
    from kotacerdas.demo.data import PASSWORD
    from kotacerdas.frameworks.loader import load_all
    from kotacerdas.monitoring import services
    from kotacerdas.monitoring.tests.bulk import add_programmes
    from kotacerdas.plans.models import Edition, EditionStatus
    from kotacerdas.plans.tests.factories import make_edition

    load_all()
    cast = build_cast()
    cast.owner.set_password(PASSWORD)
    cast.owner.save()
    edition = make_edition(cast.region_a)
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.ADOPTED)
    edition.refresh_from_db()
    services.start_reporting(actor=None, edition=edition, cadence="quarterly")
    programmes = add_programmes(edition, programmes=14, quarters=3, indicators=20, actuals=2, opd=cast.opd_a)
    return {"owner": cast.owner.username, "indicator": programmes[0].indicators.order_by("pk").first().pk}


def test_the_monitoring_pages_fit_a_phone_and_work_without_javascript(world, live_server, tmp_path):
    base = live_server.url
    monitoring = f"{base}/wilayah/13.72/pemantauan/"
    with browser_page(javascript=False, viewport=PHONE) as page:
        sign_in(page, base, world["owner"], "/wilayah/13.72/pemantauan/")
        assert page.locator("ul.dimensions > li").count() == 6
        assert page.evaluate(OVERFLOW) <= 0
        page.select_option("#id_period", "2025-Q2")
        with page.expect_navigation():
            page.locator("form.period-form button[type=submit]").last.click()
        assert "period=2025-Q2" in page.url
        page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)

        page.goto(f"{monitoring}edisi/2024/indikator/?tahun=2025")
        assert page.evaluate(OVERFLOW) <= 0
        page.goto(f"{monitoring}edisi/2024/indikator/{world['indicator']}/realisasi/?period=2025-Q3")
        page.fill("#id_value", "tujuh puluh")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.locator(".error-summary").is_visible()
        assert page.input_value("#id_value") == "tujuh puluh"
        assert page.evaluate(OVERFLOW) <= 0
        page.fill("#id_value", "72,5")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "/indikator/?tahun=2025" in page.url
        page.screenshot(path=str(tmp_path / "actuals.png"), full_page=True)

        page.goto(f"{monitoring}edisi/2024/pelaporan/")
        assert page.locator("input[name=change-version]").count() == 1
        assert page.evaluate(OVERFLOW) <= 0
