"""The chapter editor over HTTP: the edit page enhances the textarea with the vendored editor, the
editor is told exactly what the sanitiser keeps, the form still saves and cleans what it is sent
(a paste from Word included), and the vendored files survive the production static storage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from kotacerdas.plans.models import Section
from kotacerdas.plans.services.common import clean_html
from kotacerdas.reports.richtext import editor_elements

pytestmark = pytest.mark.django_db

A = "13.72"
Y = 2024

# What Word puts on the clipboard: Office namespaces, mso styles, classes, conditional comments, a
# list paragraph with its bullet as text, a table, and (as anyone could add) a script.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal {mso-style-parent:""; margin:0cm;} --></style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]--></head>
<body lang=IN style='tab-interval:36.0pt'><!--StartFragment-->
<p class=MsoNormal style='mso-bidi-font-family:Calibri'><b>Celah</b> <i>data</i> kota<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]>
<span style='font-family:Symbol'><span style='mso-list:Ignore'>&middot;</span></span><![endif]>Satu<o:p></o:p></p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
<tr style='mso-yfti-irow:0'><td width=300 valign=top style='width:225pt'><p class=MsoNormal>Sel<o:p></o:p></p></td></tr>
</table><script>alert(1)</script><!--EndFragment--></body></html>"""


def edit_url(key: str = "b1-gap") -> str:
    return reverse("plans:section_edit", args=[A, Y, key])


def test_chapter_edit_page_enhances_the_textarea_with_the_vendored_editor(cast, plan):
    page = cast.client(cast.editor).get(edit_url()).content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", page)
    assert textarea is not None
    assert f'data-richtext="{editor_elements()}"' in textarea.group(0)
    # The editor, its Indonesian pack and the enhancement script, in that order, from our own static files.
    scripts = re.findall(r'<script src="([^"]+)"', page)
    ours = [s for s in scripts if "/plans/" in s]
    assert ours == [
        "/static/plans/vendor/tinymce/tinymce.min.js",
        "/static/plans/vendor/tinymce/langs/id.js",
        "/static/plans/richtext.js",
    ]
    assert all(not s.startswith(("http:", "https:", "//")) for s in scripts)


def test_outsider_cannot_open_the_chapter_editor(cast, plan):
    assert cast.client(cast.outsider).get(edit_url()).status_code == 404
    assert cast.client(cast.outsider).post(edit_url(), {"title": "x", "body": "<p>x</p>"}).status_code == 404
    assert Section.objects.get(edition=plan.edition, key="b1-gap").body == ""


def test_viewer_cannot_open_the_chapter_editor(cast, plan):
    assert cast.client(cast.viewer).get(edit_url()).status_code == 403


def test_other_forms_do_not_load_the_editor(cast, plan):
    page = cast.client(cast.editor).get(reverse("plans:edition_edit", args=[A, Y])).content.decode()
    assert "tinymce" not in page and "data-richtext" not in page


def test_editor_is_told_exactly_what_the_sanitiser_keeps():
    elements = editor_elements().split(",")
    tags = [e.split("[")[0] for e in elements]
    assert "h3" in tags and "h4" in tags and "ul" in tags and "table" in tags and "a[href|title]" in elements
    assert not {"h1", "h2", "script", "style", "img", "iframe"} & set(tags)
    for element in elements:
        tag, _, attrs = element.partition("[")
        names = [a for a in attrs.rstrip("]").split("|") if a]
        if tag in ("br", "hr"):
            html = f"<{tag}>"
        else:
            attributes = "".join(f' {name}="{"https://example.org/" if name == "href" else "1"}"' for name in names)
            html = f"<{tag}{attributes}>x</{tag}>"
        if tag in ("td", "th"):
            html = f"<table><tbody><tr>{html}</tr></tbody></table>"
        elif tag == "tr":
            html = f"<table><tbody>{html}</tbody></table>"
        elif tag in ("thead", "tbody"):
            html = f"<table>{html}</table>"
        cleaned = clean_html(html)
        assert f"<{tag}" in cleaned, element
        for name in names:
            assert f"{name}=" in cleaned, (element, cleaned)


def test_word_paste_saved_through_the_form_is_cleaned_and_keeps_its_structure(cast, plan):
    section = Section.objects.get(edition=plan.edition, key="b1-gap")
    response = cast.client(cast.editor).post(
        edit_url(), {"title": section.title, "body": WORD_HTML, "version": section.version}
    )
    assert response.status_code == 302
    section.refresh_from_db()
    body = section.body
    for removed in ("o:p", "mso", "style", "class=", "script", "alert", "<!--", "Generator", "xmlns"):
        assert removed not in body, removed
    assert "<b>Celah</b> <i>data</i> kota" in body
    assert "<table><tbody><tr><td><p>Sel</p></td></tr></tbody></table>" in "".join(body.split())
    assert "Satu" in body


def test_editor_markup_is_saved_as_written(cast, plan):
    """What the editor produces (h3/h4, nested lists, a header row, a link) passes the sanitiser whole."""
    section = Section.objects.get(edition=plan.edition, key="b1-gap")
    body = (
        "<h3>Celah</h3><h4>Data</h4><p><strong>Tebal</strong> <em>miring</em> <u>garis</u></p>"
        "<ul><li>Satu<ul><li>Satu.a</li></ul></li><li>Dua</li></ul><ol><li>Pertama</li></ol>"
        '<table><thead><tr><th scope="col">Kolom</th></tr></thead>'
        '<tbody><tr><td colspan="1">Sel</td></tr></tbody></table>'
        '<p><a href="https://solokkota.go.id/" title="Situs">situs</a></p>'
    )
    response = cast.client(cast.editor).post(
        edit_url(), {"title": section.title, "body": body, "version": section.version}
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == body.replace('title="Situs"', 'title="Situs" rel="noopener noreferrer"')


def test_a_rejected_chapter_keeps_the_text_and_the_editor(cast, plan, english):
    section = Section.objects.get(edition=plan.edition, key="b1-gap")
    response = cast.client(cast.editor).post(
        edit_url(), {"title": "", "body": "<h3>Judul</h3><ul><li>butir</li></ul>", "version": section.version}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert "&lt;h3&gt;Judul&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;butir&lt;/li&gt;&lt;/ul&gt;" in page
    assert "/static/plans/richtext.js" in page and "data-richtext=" in page
    assert Section.objects.get(pk=section.pk).body == ""


def test_static_files_collect_with_the_production_manifest_storage(settings, tmp_path: Path):
    """Manifest storage rewrites references inside CSS and JS; a vendored file pointing at a file
    that is not shipped (a source map, a font) would stop the deployment's collectstatic."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    vendor = tmp_path / "plans" / "vendor" / "tinymce"
    # The editor loads its theme, plugins and skin by their plain names: those must be there too.
    for name in ("themes/silver/theme.min.js", "plugins/table/plugin.min.js", "skins/ui/oxide/skin.min.css"):
        assert (vendor / name).is_file(), name
    assert list(vendor.glob("tinymce.min.*.js"))
