"""The chapter editor in the system chromium, on the demo: solok.editor writes a heading and a
bulleted list with the editor's keyboard shortcut and toolbar, pastes from Word, and saves; with
JavaScript off the plain textarea saves the same field.

The database is read only outside the Playwright block (Django refuses ORM calls while
Playwright's event loop runs in the thread); the toolbar is found by the editor's button names,
not by translated labels, except where the Indonesian interface is what is checked.
"""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.plans.models import Section
from kotacerdas.plans.tests.test_browser import PLAN
from tests.support.browser import browser_page, require_browser, sign_in
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser

EDIT = f"{PLAN}/2024/bab/b1-gap/ubah/"
VIEW = f"{PLAN}/2024/bab/b1-gap/"

# Word's clipboard HTML for a heading, a bold word and a two-level bulleted list.
WORD_LISTS = """<h1 style='mso-outline-level:1'>Analisis celah<o:p></o:p></h1>
<p class=MsoNormal><b>Celah</b> utama:<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]-->
<span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><!--[endif]-->Data<o:p></o:p></p>
<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;text-indent:-18.0pt;mso-list:l0 level2 lfo1'>
<!--[if !supportLists]--><span style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span
style='font:7.0pt "Times New Roman"'>&nbsp; </span></span></span><!--[endif]-->Data kependudukan<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]-->
<span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><!--[endif]-->SDM<o:p></o:p></p>
<p class=MsoNormal>Penutup<o:p></o:p></p>"""


@pytest.fixture
def demo(transactional_db: Any) -> None:
    require_browser()
    load_committed_demo()


def open_editor(page: Any, base: str) -> Any:
    """Open the chapter's edit page, wait for the editor and empty it; return its document."""
    sign_in(page, base, "solok.editor")
    page.goto(f"{base}{EDIT}")
    page.wait_for_selector("textarea[data-richtext-ready]", state="attached")
    assert page.locator("#id_body").is_hidden()  # the editor stands in for the textarea
    body = page.frame_locator(".tox-edit-area iframe").locator("body")
    body.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    return body


def save(page: Any, base: str) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == f"{base}{VIEW}"


def stored_body() -> str:
    return Section.objects.get(edition__region__code="13.72", edition__year=2024, key="b1-gap").body


def test_editor_writes_a_heading_and_a_bulleted_list_and_saves_them(demo, live_server):
    base = live_server.url
    with browser_page() as page:
        body = open_editor(page, base)
        bullets = page.locator('.tox-tinymce button[data-mce-name="bullist"]')
        assert bullets.get_attribute("aria-label") == "Daftar bersimbol"  # the Indonesian pack is used
        page.keyboard.press("Alt+Shift+3")  # the editor's shortcut for Heading 3
        page.keyboard.type("Celah layanan")
        page.keyboard.press("Enter")
        bullets.click()
        page.keyboard.type("Data terpadu")
        page.keyboard.press("Enter")
        page.keyboard.type("SDM digital")
        assert body.locator("h3").inner_text() == "Celah layanan"
        assert body.locator("ul > li").count() == 2
        save(page, base)
        assert page.locator(".section-body h3").inner_text() == "Celah layanan"
        assert page.locator(".section-body ul > li").all_inner_texts() == ["Data terpadu", "SDM digital"]
    text = stored_body()
    assert "<h3>Celah layanan</h3>" in text
    assert "<ul><li>Data terpadu</li><li>SDM digital</li></ul>" in "".join(text.split("\n"))


def test_editor_offers_only_the_headings_the_plan_keeps(demo, live_server):
    base = live_server.url
    with browser_page() as page:
        open_editor(page, base)
        page.locator('.tox-tinymce button[data-mce-name="blocks"]').click()
        items = page.locator(".tox-menu .tox-collection__item").all_inner_texts()
        assert [i.strip() for i in items] == ["Paragraf", "Judul 3", "Judul 4"]


def test_a_paste_from_word_keeps_headings_and_lists(demo, live_server):
    base = live_server.url
    with browser_page() as page:
        body = open_editor(page, base)
        page.evaluate(
            "html => tinymce.activeEditor.execCommand('mceInsertClipboardContent', false, {html})", WORD_LISTS
        )
        assert body.locator("ul > li").count() == 3
        save(page, base)
    text = "".join(stored_body().split("\n"))
    assert "<h3>Analisis celah</h3>" in text
    assert "<p><b>Celah</b> utama:</p>" in text or "<p><strong>Celah</strong> utama:</p>" in text
    assert "<ul><li>Data<ul><li>Data kependudukan</li></ul></li><li>SDM</li></ul>" in text
    assert "<p>Penutup</p>" in text
    for removed in ("mso", "o:p", "style", "class", "·"):
        assert removed not in text, removed


def test_without_javascript_the_plain_textarea_saves(demo, live_server):
    base = live_server.url
    with browser_page(javascript=False) as page:
        sign_in(page, base, "solok.editor")
        page.goto(f"{base}{EDIT}")
        page.fill("#id_body", "<h3>Tanpa JavaScript</h3><ul><li>butir</li></ul><script>alert(1)</script>")
        save(page, base)
        assert page.locator(".section-body h3").inner_text() == "Tanpa JavaScript"
    assert stored_body() == "<h3>Tanpa JavaScript</h3><ul><li>butir</li></ul>"
