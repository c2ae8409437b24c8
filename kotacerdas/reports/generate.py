"""Generating a document: read the data, build the typed document, render one format.

The same function serves the background job (``services.run_job``) and the ``report`` command,
so the web and the command line produce the same file. Rendering runs in the document's
language (Bahasa Indonesia), whatever the language of the request or the shell.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from kotacerdas.plans.models import Edition
from kotacerdas.regions.models import Region
from kotacerdas.reports import selectors
from kotacerdas.reports.document import Document
from kotacerdas.reports.models import DocumentFormat, DocumentKind

DOCUMENT_LANGUAGE = "id"
CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
Progress = Callable[[int, str], None]


@dataclass
class Generated:
    content: bytes
    filename: str
    content_type: str
    pages: int | None
    headings: list[str]
    missing: list[dict[str, str]]
    seconds: float
    bookmarks: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def build(kind: str, region: Region, edition: Edition | None, options: dict[str, object]) -> Document:
    """The typed document of ``kind`` (raises ValidationError naming a bad option)."""
    if kind in (DocumentKind.BUKU1, DocumentKind.BUKU2):
        if edition is None:
            raise ValidationError({"edition": _("Choose an edition.")})
        from kotacerdas.reports.builders import buku1, buku2

        data = selectors.book_data(region, edition)
        return (buku1 if kind == DocumentKind.BUKU1 else buku2).build(data)
    if kind == DocumentKind.CHANGELOG:
        from kotacerdas.reports.builders import others

        if edition is None:
            raise ValidationError({"edition": _("Choose an edition.")})
        return others.changelog_document(region, edition, options.get("compare"))  # type: ignore[arg-type]
    if kind == DocumentKind.QUICKWINS:
        from kotacerdas.reports.builders import others

        return others.quickwins_document(region, options.get("round"))  # type: ignore[arg-type]
    if kind == DocumentKind.ASSESSMENT:
        from kotacerdas.reports.builders import assessment

        return assessment.build(selectors.assessment_data(region, options.get("run")))
    if kind == DocumentKind.EVALUATION:
        from kotacerdas.evaluation.selectors import page, released_for_letter
        from kotacerdas.reports.builders import evaluation

        return evaluation.build(page(released_for_letter(region, options.get("year"))))
    raise ValidationError({"kind": _("Unknown document.")})


def filename(kind: str, region: Region, edition: Edition | None, fmt: str, options: dict[str, object]) -> str:
    parts = [kind, region.code.replace(".", "")]
    if edition is not None:
        parts.append(str(edition.year))
    if options.get("compare"):
        parts.append(f"vs{options['compare']}")
    if options.get("round"):
        parts.append(f"seleksi{options['round']}")
    if options.get("run"):
        parts.append(f"penilaian{options['run']}")
    if options.get("year"):
        parts.append(f"evaluasi{options['year']}")
    return "-".join(parts) + f".{fmt}"


def render(document: Document, fmt: str) -> tuple[bytes, int | None, list[str]]:
    """The file of ``document`` in ``fmt``, its page count (PDF) and its outline (PDF)."""
    if fmt == DocumentFormat.PDF:
        from kotacerdas.reports.renderers import pdf

        rendered = pdf.render(document)
        return rendered.content, rendered.pages, rendered.bookmarks
    from kotacerdas.reports.renderers import docx

    return docx.render(document), None, []


def generate(
    kind: str,
    fmt: str,
    region: Region,
    edition: Edition | None,
    options: dict[str, object] | None = None,
    progress: Progress | None = None,
) -> Generated:
    """Build and render one document; ``progress(percent, step)`` is told how far it got."""
    options = options or {}
    report = progress or (lambda percent, step: None)
    if fmt not in DocumentFormat.values:
        raise ValidationError({"fmt": _("Choose PDF or DOCX.")})
    if kind == DocumentKind.EVALUATION:
        # Refuse a draft or a missing year in the caller's language, before the document's own.
        from kotacerdas.evaluation.selectors import released_for_letter

        released_for_letter(region, options.get("year"))
    started = time.perf_counter()
    with translation.override(DOCUMENT_LANGUAGE):
        report(10, _("reading the data"))
        document = build(kind, region, edition, options)
        built = time.perf_counter()
        report(40, _("laying out the pages"))
        content, pages, bookmarks = render(document, fmt)
        report(90, _("storing the file"))
    done = time.perf_counter()
    return Generated(
        content=content,
        filename=filename(kind, region, edition, fmt, options),
        content_type=CONTENT_TYPES[DocumentFormat(fmt)],
        pages=pages,
        headings=document.headings(),
        missing=[{"chapter": m.chapter, "what": m.what, "key": m.key} for m in document.missing],
        seconds=done - started,
        bookmarks=bookmarks,
        timings={"build": built - started, "render": done - built},
    )
