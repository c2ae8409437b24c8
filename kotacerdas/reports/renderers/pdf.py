"""PDF through WeasyPrint: the print HTML laid out on A4, fonts embedded (subset) by WeasyPrint."""

from __future__ import annotations

import gc
import logging
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from kotacerdas.reports.document import Document
from kotacerdas.reports.renderers import html


@dataclass
class Rendered:
    content: bytes
    pages: int | None
    bookmarks: list[str]  # the top level of the PDF outline: one per chapter


# A book whose chapters would take less than this (milliseconds, pdf_parts.weight) is laid out
# whole: forking, the contents and page numbers laid out apart and the joining cost about 0.2 s.
PARTS_FROM = 600


def render(doc: Document, processes: int | None = None) -> Rendered:
    # WeasyPrint logs every laid-out page at INFO: hundreds of lines per book in the worker's log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    processes = settings.PDF_PROCESSES if processes is None else processes
    if processes > 1 and not doc.short and len(doc.chapters) > 1:
        from kotacerdas.reports.renderers import pdf_parts

        if sum(pdf_parts.weight(c) for c in doc.chapters) >= PARTS_FROM:
            try:
                content, pages, outline = pdf_parts.render(doc, processes)
            except (BrokenProcessPool, OSError) as error:  # a process killed (memory) or none to be had
                logging.getLogger(__name__).warning("Laying out %s in one process: %s", doc.title, error)
            else:
                return Rendered(content, pages, outline)
    return whole(doc)


def whole(doc: Document) -> Rendered:
    """The document laid out at once, in this process."""
    from weasyprint import HTML  # imported late: loading Pango costs time every command would pay

    source = html.render(doc, _("To be completed:"))
    # Layout creates millions of short-lived objects; the cyclic collector walking them costs
    # about a fifth of the time and frees little, so it waits until the file is written. The
    # objects that existed before (Django, the data: hundreds of MB in a worker) are frozen out
    # of that one collection, which then walks only what the layout made (in the 300-programme
    # bench a full collection of the process had cost about 0.7 s). The laid-out document is
    # dropped first, so the collection frees all of it and nothing is left for the next book.
    collecting = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        laid_out = HTML(string=source).render()
        content = laid_out.write_pdf()
        pages = len(laid_out.pages)
        outline = [str(entry[0]) for entry in laid_out.make_bookmark_tree()]  # (label, target, children, state)
        del laid_out
    finally:
        if collecting:
            gc.enable()
            gc.collect()  # now, so the deferred work is counted here and not in the next caller
        gc.unfreeze()
    assert content is not None
    return Rendered(content, pages, outline)
