"""What the faster book layout (issue 17 §3) must keep: light table markup that still breaks lines,
an indicator appendix that lists every indicator, roadmap labels beside their bars, and pages,
chapters and the table of contents in order."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services as plan_services
from kotacerdas.plans.models import Programme
from kotacerdas.plans.tests.factories import make_programme
from kotacerdas.reports.document import Cell, Column, Cover, Document, Figure, RowLabels, Table
from kotacerdas.reports.generate import build, generate
from kotacerdas.reports.renderers import html


def test_a_table_cell_is_one_element_and_keeps_its_line_breaks_as_text():
    table = Table([Column("A"), Column("B", 3)], [[Cell("x"), Cell("first\nsecond <b>")]])
    markup = html.table(table)
    assert "<br" not in markup and "<div" not in markup and "<span" not in markup
    assert "<td>first\nsecond &lt;b&gt;</td>" in markup
    assert markup.count("<col ") == 2 and "width:25.00%" in markup and "width:75.00%" in markup
    css = html.stylesheet(Document("buku2", "T", "R", Cover("K", "T", "R", "E", "2025")))
    assert "table-layout: fixed" in css and "white-space: pre-line" in css


@given(
    rows=st.integers(min_value=1, max_value=40),
    years=st.integers(min_value=1, max_value=20),
    wide=st.booleans(),
)
def test_roadmap_labels_sit_on_the_rows_of_the_drawing_at_its_scale(rows, years, wide):
    from kotacerdas.plans.figures import FONT_SIZE, LABEL_WIDTH, ROW, TOP, YEAR_WIDTH

    width, height = LABEL_WIDTH + YEAR_WIDTH * years + 10, TOP + ROW * rows + 40
    labels = RowLabels([f"P-{n} name" for n in range(rows)], width, height, LABEL_WIDTH, TOP, ROW, FONT_SIZE)
    markup = html.block(Figure("<svg></svg>", "Chart", None, wide=wide, rows=labels), "")
    box, text = (
        {k: float(v) for k, v in re.findall(r"([a-z-]+):([0-9.]+)mm", style)}
        for style in re.findall(r'<(?:div|p) class="(?:labelled|row-labels)" style="([^"]*)"', markup)
    )
    scale = box["width"] / width
    assert box["width"] <= (html.WIDE_WIDTH if wide else html.WIDTH) + 0.01
    assert box["height"] <= html.FIGURE_HEIGHT + 0.01
    assert box["height"] == pytest.approx(height * scale, rel=1e-3)
    assert text["top"] == pytest.approx(TOP * scale, rel=1e-3, abs=0.01)
    assert text["line-height"] == pytest.approx(ROW * scale, rel=1e-3)
    assert text["top"] + rows * text["line-height"] <= box["height"] + 0.01
    assert text["left"] + text["width"] <= LABEL_WIDTH * scale  # within the column the drawing leaves empty
    assert markup.count("\n") == rows - 1  # one line per row, in the order of the rows


def _pages(content: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "book.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)  # noqa: S607
    return [" ".join(page.split()) for page in done.stdout.decode("utf-8").split("\f")][: -1 or None]


@pytest.mark.django_db
def test_the_indicator_appendix_lists_every_indicator_with_its_targets_and_producer(book, cast, tmp_path):
    second = Programme.objects.get(edition=book.edition, code="ENV-01")
    plan_services.set_indicators(
        actor=None,
        programme=second,
        expected_version=stored_version(second),
        indicators=[
            {
                "name": f"Sampah terolah {n}",
                "unit": "ton",
                "direction": "higher",
                "baseline": n,
                "baseline_year": 2024,
                "data_producer": cast.opd_a,
                "targets": {2025: 10 + n},
            }
            for n in range(3)
        ],
    )
    document = build("buku2", cast.region_a, book.edition, {})
    appendix = next(c for c in document.chapters if c.key == "b2-indicators")
    entries = [b for b in appendix.blocks if b.kind == "paragraph" and b.style == "entry"]
    assert [e.runs[0].text for e in entries] == ["GOV-01 " + book.first.name, "ENV-01 " + second.name]
    assert all(e.runs[0].bold for e in entries)
    text = " ".join(_pages(generate("buku2", "pdf", cast.region_a, book.edition).content, tmp_path))
    for name in ["Layanan daring", "Sampah terolah 0", "Sampah terolah 1", "Sampah terolah 2"]:
        assert name in text
    assert "2025: 12" in text and cast.opd_a.abbreviation in text
    docx = generate("buku2", "docx", cast.region_a, book.edition).content
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert all(name in xml for name in ["Layanan daring", "Sampah terolah 0", "Sampah terolah 2"])
    assert xml.index("Sampah terolah 0") < xml.index("Sampah terolah 1") < xml.index("Sampah terolah 2")
    assert "<w:keepLines/>" in xml


@pytest.mark.django_db
@pytest.mark.parametrize("processes", [1, 2], ids=["whole", "in-parts"])
def test_chapters_follow_in_order_on_the_pages_the_contents_give(
    book, cast, tmp_path, processes, settings, monkeypatch
):
    from kotacerdas.reports.renderers import pdf

    settings.PDF_PROCESSES = processes
    monkeypatch.setattr(pdf, "PARTS_FROM", 0)  # this small book in parts too (decision 0017)
    for n in range(12):  # enough rows that the programme and action plan chapters run over pages
        make_programme(book.edition, f"GOV-{n + 10:02d}", lead_opd=cast.opd_a)
    generated = generate("buku2", "pdf", cast.region_a, book.edition)
    pages = _pages(generated.content, tmp_path)
    assert len(pages) == generated.pages
    contents = pages[1]
    starts = []
    for heading in generated.headings:
        listed = re.search(re.escape(heading) + r" ?\.[ .]*(\d+)", contents)
        assert listed, heading
        page = int(listed.group(1))
        starts.append(page)
        # The running header names the chapter on each of its pages: its first is the page listed.
        assert next(n for n, text in enumerate(pages[2:], start=3) if heading in text) == page
        assert f"{page} dari {generated.pages}" in pages[page - 1]  # the footer's "page X of Y"
    assert starts == sorted(starts) and starts[0] == 3  # after the cover and the contents
    assert generated.bookmarks == generated.headings
    for name in Programme.objects.filter(edition=book.edition).values_list("name", flat=True):
        assert name in " ".join(pages)


@pytest.mark.django_db
def test_roadmap_rows_are_labelled_beside_the_chart_and_not_inside_it(book, cast, tmp_path):
    document = build("buku2", cast.region_a, book.edition, {})
    roadmap = next(c for c in document.chapters if c.key == "b2-roadmap")
    figures = [b for b in roadmap.blocks if isinstance(b, Figure)]
    assert figures and all(f.rows is not None for f in figures)
    labels = [text for f in figures for text in f.rows.texts]  # type: ignore[union-attr]
    assert sorted(labels) == sorted(f"{p.code} {p.name}" for p in Programme.objects.filter(edition=book.edition))
    for f in figures:
        assert "GOV-01" not in f.svg and "ENV-01" not in f.svg
    pages = _pages(generate("buku2", "pdf", cast.region_a, book.edition).content, tmp_path)
    roadmap_pages = [p for p in pages if roadmap.heading in p and "2025" in p]
    assert any(f"GOV-01 {book.first.name}" in p for p in roadmap_pages)


def test_rendering_a_pdf_leaves_the_collector_on_and_nothing_frozen():
    import gc

    from kotacerdas.reports.renderers import pdf

    document = Document("buku2", "T", "R", Cover("K", "T", "R", "E", "2025"))
    document.chapter("one", "One").blocks.append(Table([Column("A")], [[Cell("x")]]))
    rendered = pdf.render(document)
    assert rendered.content.startswith(b"%PDF") and rendered.pages == 3
    assert rendered.bookmarks == ["I. One"]
    assert gc.isenabled() and gc.get_freeze_count() == 0
