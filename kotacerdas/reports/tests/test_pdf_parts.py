"""A long book laid out in parts in parallel processes and joined (issue 17 §3) must be the book
laid out whole: the same text on every page (running header, page numbers, contents), the same
outline, contents that link to the chapters, and metadata."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kotacerdas.reports.document import Cell, Chapter, Column, Cover, Document, Figure, Heading, Paragraph, Run, Table
from kotacerdas.reports.renderers import pdf, pdf_parts

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True, check=False).returncode != 0,  # noqa: S607
    reason="pdftotext (poppler-utils) is not installed",
)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
    '<rect x="10" y="10" width="120" height="20" fill="#1d70b8"/></svg>'
)


def book(chapters: int = 6, rows: int = 70) -> Document:
    """A book of ``chapters`` chapters: long tables over several pages, a landscape chapter,
    sub-headings (bookmarks of the second and third level), a chart and Indonesian labels."""
    doc = Document(
        "buku2",
        "Masterplan Smart City",
        "Kota Uji · 2025",
        Cover("Buku 2", "Masterplan Smart City", "Kota Uji", "Edisi 2025", "2025"),
        toc_title="Daftar isi",
        page_label="halaman {page} dari {pages}",
    )
    for n in range(chapters):
        chapter = doc.chapter(f"c{n}", f"Bab nomor {n}")
        chapter.landscape = n == 2
        chapter.blocks.append(Paragraph([Run(f"Pengantar bab {n}. " * 20)]))
        chapter.blocks.append(Heading(f"Bagian {n}.1"))
        lines = [
            [Cell(f"P-{n}-{r}"), Cell(f"Program {n}/{r}\nbaris kedua"), Cell(f"{r * 1000:,}")]
            for r in range(rows * (n % 3 + 1) // 2)  # chapters of different lengths
        ]
        columns = [Column("Kode"), Column("Program", 3), Column("Anggaran (Rp)", 1.5, "right")]
        chapter.blocks.append(Table(columns, lines))
        chapter.blocks.append(Heading(f"Rincian {n}.1.1", level=3))
        chapter.blocks.append(Figure(SVG, f"Grafik {n}", None))
    return doc


def pages(content: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)  # noqa: S607
    return done.stdout.decode("utf-8").split("\f")[:-1]


def images(content: bytes, tmp_path: Path, name: str) -> list[bytes]:
    """Every page drawn at 30 dpi, as its pixels."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / name)], check=True, timeout=60)  # noqa: S607
    pictures = []
    for png in sorted(tmp_path.glob(f"{name}-*.png")):
        with Image.open(png) as picture:
            pictures.append(picture.convert("RGB").tobytes())
    return pictures


def outline(content: bytes) -> list[tuple[int, str, int, float]]:
    """(depth, title, page index, top) of every bookmark, in order."""
    document = pikepdf.open(io.BytesIO(content))
    found: list[tuple[int, str, int, float]] = []

    def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
        for entry in items:
            target = entry.destination  # an explicit destination: [page, /XYZ, left, top, zoom]
            assert isinstance(target, pikepdf.Array)
            page = document.pages.index(pikepdf.Page(target[0]))
            found.append((depth, str(entry.title), page, round(float(target[3]), 1)))
            walk(entry.children, depth + 1)

    with document.open_outline() as tree:
        walk(tree.root, 0)
    return found


def test_a_book_in_parts_has_the_pages_text_and_outline_of_the_book_laid_out_whole(tmp_path):
    doc = book()
    whole = pdf.whole(doc)
    parted_content, parted_pages, parted_headings = pdf_parts.render(doc, 2)
    assert parted_pages == whole.pages and whole.pages is not None and whole.pages > 12
    expected, got = pages(whole.content, tmp_path, "whole.pdf"), pages(parted_content, tmp_path, "parts.pdf")
    assert len(got) == len(expected) == whole.pages
    for number, (want, have) in enumerate(zip(expected, got, strict=True), start=1):
        assert have == want, f"page {number}"
    assert f"halaman {whole.pages} dari {whole.pages}" in got[-1]  # the page number drawn over the last page
    assert "halaman" not in got[0]  # none on the cover
    assert parted_headings == whole.bookmarks == doc.headings()
    assert outline(parted_content) == outline(whole.content)
    # And the same picture: the page numbers drawn over the joined pages sit where WeasyPrint puts them.
    assert images(parted_content, tmp_path, "parts") == images(whole.content, tmp_path, "whole")
    assert [depth for depth, *_rest in outline(parted_content)].count(2) == len(doc.chapters)  # third level kept


def test_the_contents_link_to_the_first_page_of_each_chapter_and_the_metadata_is_kept(tmp_path):
    doc = book(chapters=4, rows=40)
    content, _pages, _headings = pdf_parts.render(doc, 3)
    text = pages(content, tmp_path, "parts.pdf")
    joined = pikepdf.open(io.BytesIO(content))
    links = joined.pages[1].obj.Annots
    assert len(links) >= len(doc.chapters)
    targets = sorted({joined.pages.index(pikepdf.Page(link.Dest[0])) for link in links})
    starts = [next(n for n, page in enumerate(text) if n > 1 and c.heading in page) for c in doc.chapters]
    assert targets == starts
    assert str(joined.docinfo.Title) == "Masterplan Smart City · Kota Uji"
    assert str(joined.Root.Lang) == "id"
    assert sorted(str(name) for name in joined.Root.Names.Dests.Names.as_list()[::2]) == [f"ch-c{n}" for n in range(4)]


def test_contents_over_two_pages_move_every_chapter_one_page_on(tmp_path):
    doc = book(chapters=45, rows=2)  # 45 lines of contents: more than one page
    whole = pdf.whole(doc)
    content, count, _headings = pdf_parts.render(doc, 2)
    assert count == whole.pages
    assert pages(content, tmp_path, "parts.pdf") == pages(whole.content, tmp_path, "whole.pdf")


def test_which_documents_are_laid_out_in_parts(monkeypatch):
    calls: list[int] = []
    real = pdf_parts.render

    def spy(doc: Document, processes: int) -> tuple[bytes, int, list[str]]:
        calls.append(processes)
        return real(doc, processes)

    monkeypatch.setattr(pdf_parts, "render", spy)
    long_book = book(chapters=3, rows=60)
    assert sum(pdf_parts.weight(c) for c in long_book.chapters) >= pdf.PARTS_FROM
    pdf.render(long_book, processes=1)
    assert calls == []  # one process: laid out whole, in this process
    pdf.render(long_book, processes=2)
    assert calls == [2]
    small = book(chapters=2, rows=2)
    assert sum(pdf_parts.weight(c) for c in small.chapters) < pdf.PARTS_FROM
    assert pdf.render(small, processes=4).pages == 4  # too small to gain from parts
    short = book(chapters=3, rows=60)
    short.short = True  # minutes: chapters follow each other on the same page
    pdf.render(short, processes=4)
    assert calls == [2]


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=30),
    processes=st.integers(min_value=1, max_value=6),
)
def test_chapters_are_shared_out_once_each_in_order_and_evenly(weights, processes):
    chapters = [Chapter(f"k{n}", "T", [Paragraph([Run("x" * (w * 40))])]) for n, w in enumerate(weights)]
    parts = pdf_parts.shares(chapters, processes)
    assert 1 <= len(parts) <= min(processes, len(chapters))
    keys = [c.key for part in parts for c in part]
    assert sorted(keys) == sorted(c.key for c in chapters)  # each chapter exactly once
    order = {c.key: n for n, c in enumerate(chapters)}
    assert all([order[c.key] for c in part] == sorted(order[c.key] for c in part) for part in parts)
    loads = [sum(pdf_parts.weight(c) for c in part) for part in parts]
    heaviest = max(pdf_parts.weight(c) for c in chapters)
    assert max(loads) - min(loads) <= heaviest + 1e-9  # no part waits on more than one chapter's work
