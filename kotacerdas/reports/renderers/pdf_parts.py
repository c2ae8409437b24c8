"""A long book laid out in parts, in parallel processes, and joined into one PDF (issue 17 §3).

Every chapter of a book starts on a new page, so a chapter lays out the same pages alone as in
the whole book: its page breaks, running header and bookmarks depend on nothing before it. What
does depend on the rest is the page number ("page 12 of 80") and the contents' page numbers. So:

1. the chapters are shared out over the processes, heaviest first, each process laying out its
   chapters as one document without the page number (its pages, anchors and bookmarks come back);
2. once their page counts are known, the cover and contents (with the page numbers written in)
   and a document of nothing but the page numbers over as many pages, of the same sizes, are laid
   out, again in parallel;
3. the parent process joins the pages in the book's order with pikepdf, draws each page number
   over its page, and writes the outline and the contents' links, which pointed into other parts.

The processes are forked, so they start in milliseconds with WeasyPrint and its fonts loaded; they
only lay out HTML strings and never touch the database or anything else of the parent's. The
result is the same pages as laying out the whole book at once (reports/tests/test_pdf_parts.py compares
the text of every page), in less wall time on a machine with more than one core.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import re
import warnings
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kotacerdas.reports.document import Chapter, Document
from kotacerdas.reports.renderers import html

PT_PER_PX = 0.75  # WeasyPrint measures in CSS pixels (1/96 in), PDF in points (1/72 in)


@dataclass
class Mark:
    """A bookmark of the PDF outline: its label, where it points and what is under it."""

    label: str
    page: int  # 0-based, in its part, then in the book
    left: float  # points from the left edge
    top: float  # points from the top edge
    closed: bool
    children: list[Mark] = field(default_factory=list)


@dataclass
class Part:
    content: bytes
    landscape: list[bool]  # per page
    anchors: dict[str, tuple[int, float, float]]  # name → (page, left, top) in points
    marks: list[Mark]
    links: list[tuple[int, str, tuple[float, float, float, float]]]  # (page, anchor, rectangle in points)


DATA_URI = re.compile(r'src="data:[^"]*"')


def weight(chapter: Chapter) -> float:
    """How long ``chapter`` takes to lay out, roughly, in milliseconds of this 2-core machine:
    measured on a 300-programme Buku 2, elements cost about 0.35 ms each, text 0.007 ms a
    character and a chart 40 ms (its drawing, not the length of its data)."""
    source = DATA_URI.sub("", html.chapter(chapter, ""))
    elements = source.count("<")
    figures = sum(1 for b in chapter.blocks if b.kind == "figure")
    return 30 + 0.35 * elements + 0.007 * (len(source) - 8 * elements) + 40 * figures


def shares(chapters: list[Chapter], processes: int) -> list[list[Chapter]]:
    """The chapters shared out over ``processes`` parts, each chapter to the lightest part so
    far, heaviest chapter first; every part keeps its chapters in the book's order."""
    weighed = sorted(((weight(c), n, c) for n, c in enumerate(chapters)), key=lambda w: -w[0])
    loads = [0.0] * min(processes, len(chapters))
    parts: list[list[tuple[int, Chapter]]] = [[] for _ in loads]
    for cost, n, chapter in weighed:
        lightest = loads.index(min(loads))
        parts[lightest].append((n, chapter))
        loads[lightest] += cost
    return [[c for _n, c in sorted(part, key=lambda p: p[0])] for part in parts if part]


def lay_out(source: str, contents_links: bool = False) -> Part:
    """One part laid out and written (in a worker process)."""
    from weasyprint import HTML

    gc.disable()  # as in pdf.render: the collector would walk the layout's objects for little
    laid_out = HTML(string=source).render()
    links: list[tuple[int, str, tuple[float, float, float, float]]] = []
    anchors: dict[str, tuple[int, float, float]] = {}
    for number, page in enumerate(laid_out.pages):
        if contents_links:
            # The contents point at chapters in other parts: the links are written after joining.
            for kind, target, (x1, y1, x2, y2), _box in page.links:
                if kind == "internal":
                    links.append((number, target, (x1 * PT_PER_PX, y1 * PT_PER_PX, x2 * PT_PER_PX, y2 * PT_PER_PX)))
            page.links = []
        for name, (x, y, *_size) in page.anchors.items():
            anchors.setdefault(name, (number, x * PT_PER_PX, y * PT_PER_PX))

    def marks(tree: Iterable) -> list[Mark]:
        return [
            Mark(str(label), page, x * PT_PER_PX, y * PT_PER_PX, state == "closed", marks(children))
            for label, (page, x, y), children, state in tree
        ]

    return Part(
        content=laid_out.write_pdf(),
        landscape=[page.width > page.height for page in laid_out.pages],
        anchors=anchors,
        marks=marks(laid_out.make_bookmark_tree()),
        links=links,
    )


def pool(processes: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"))


@dataclass
class Placed:
    """A chapter in the book: the part that laid it out, its pages there, where the book puts them."""

    key: str
    part: int
    first: int  # its first page in the part (0-based)
    end: int  # the page after its last in the part
    page: int = 0  # its first page in the book (1-based)


def render(doc: Document, processes: int) -> tuple[bytes, int, list[str]]:
    """The book's PDF, its page count and the labels of its top-level bookmarks."""
    placeholder = _("To be completed:")
    groups = shares(doc.chapters, processes)
    # Forking a process that has other threads (the job worker's heartbeat) is safe here: the
    # children lay out strings and never take a lock those threads hold (the database; logging's
    # locks are renewed by Python at a fork). Python 3.12+ warns about it all the same.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"This process .* is multi-threaded", DeprecationWarning)
        with pool(len(groups)) as workers:
            jobs = [workers.submit(lay_out, html.part(doc, group, placeholder)) for group in groups]
            parts = [job.result() for job in jobs]
            starts = {}
            for index, (group, part) in enumerate(zip(groups, parts, strict=True)):
                firsts = [*sorted(part.anchors[f"ch-{c.key}"][0] for c in group), len(part.landscape)]
                for chapter in group:
                    first = part.anchors[f"ch-{chapter.key}"][0]
                    starts[chapter.key] = Placed(chapter.key, index, first, firsts[firsts.index(first) + 1])
            placed = [starts[c.key] for c in doc.chapters]
            front_pages = 2  # the cover and one page of contents; laid out again if that was wrong
            while True:
                number = front_pages + 1
                for place in placed:
                    place.page = number
                    number += place.end - place.first
                total = number - 1
                landscape = [False] * front_pages
                for place in placed:
                    landscape += parts[place.part].landscape[place.first : place.end]
                pages = {place.key: place.page for place in placed}
                front_job = workers.submit(lay_out, html.front_part(doc, pages), True)
                numbers_job = workers.submit(lay_out, html.page_numbers(doc, landscape))
                front, numbers = front_job.result(), numbers_job.result()
                if len(front.landscape) == front_pages:
                    break
                front_pages = len(front.landscape)
    return join(doc, parts, placed, front, numbers), total, [c.heading for c in doc.chapters]


def join(doc: Document, parts: list[Part], placed: list[Placed], front: Part, numbers: Part) -> bytes:
    """The pages in the book's order with their page numbers drawn over them, the contents'
    links, the outline and the chapters' named destinations."""
    logging.getLogger("pikepdf._core").setLevel(logging.WARNING)  # it says at INFO that its log reaches Python's
    import pikepdf

    book = pikepdf.new()
    # The part files stay open until the book is saved: their pages are copied only then.
    sources = [pikepdf.open(io.BytesIO(p.content)) for p in parts]
    cover, overlay = pikepdf.open(io.BytesIO(front.content)), pikepdf.open(io.BytesIO(numbers.content))
    book.pages.extend(cover.pages)
    for place in placed:
        book.pages.extend(sources[place.part].pages[place.first : place.end])
    for sheet, number in zip(book.pages, overlay.pages, strict=True):
        sheet.add_overlay(number, None)  # over the whole page: the overlay has the page's size

    def destination(page: int, left: float, top: float) -> pikepdf.Array:
        sheet = book.pages[page]
        return pikepdf.Array([sheet.obj, pikepdf.Name.XYZ, left, float(sheet.mediabox[3]) - top, 0])

    targets = {}
    for place in placed:
        _page, left, top = parts[place.part].anchors[f"ch-{place.key}"]
        targets[f"ch-{place.key}"] = destination(place.page - 1, left, top)
    for index, anchor, (x1, y1, x2, y2) in front.links:
        if anchor not in targets:
            continue
        sheet = book.pages[index]
        height = float(sheet.mediabox[3])
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[x1, height - y2, x2, height - y1],
            BS=pikepdf.Dictionary(W=0),
            Dest=targets[anchor],
        )
        if pikepdf.Name.Annots not in sheet.obj:
            sheet.obj.Annots = pikepdf.Array()
        sheet.obj.Annots.append(book.make_indirect(link))
    names = []
    for name in sorted(targets):
        names += [pikepdf.String(name), targets[name]]
    book.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=pikepdf.Array(names)))

    def item(mark: Mark, offset: int) -> pikepdf.OutlineItem:
        entry = pikepdf.OutlineItem(mark.label, destination(offset + mark.page, mark.left, mark.top))
        entry.is_closed = mark.closed
        entry.children.extend(item(child, offset) for child in mark.children)
        return entry

    with book.open_outline() as outline:
        for place in placed:
            offset = place.page - 1 - place.first  # the book's index of the part's page 0
            for mark in parts[place.part].marks:
                if place.first <= mark.page < place.end:
                    outline.root.append(item(mark, offset))
    book.docinfo[pikepdf.Name.Title] = html.title(doc)
    book.Root.Lang = pikepdf.String(doc.language)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
