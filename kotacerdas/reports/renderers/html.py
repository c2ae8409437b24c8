"""The document as print HTML (for WeasyPrint): A4 pages, running header, "page X of Y",
chapter bookmarks, a table of contents with page numbers, landscape pages for wide blocks.

Written as plain Python rather than a template: a 300-programme book has tens of thousands of
table cells, and every piece of text goes through :func:`html.escape` on the way in.
"""

from __future__ import annotations

import base64
import re
from html import escape

from kotacerdas.reports.document import Block, Cell, Chapter, Document, Figure, RowLabels, Run, Table

TOOLTIP = re.compile(r"<title[^>]*>[^<]*</title>")
FONT = '"DejaVu Sans", "Liberation Sans", sans-serif'
# The width of the text on a portrait and a landscape A4 page (the @page margins below), and the
# tallest a figure may be, in millimetres.
WIDTH = 210 - 18 - 20
WIDE_WIDTH = 297 - 16 - 16
FIGURE_HEIGHT = 150


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter(label: str, pages: int | None = None) -> str:
    """ "page {page} of {pages}" as a CSS content value with the page counters in place (the
    total as a number when ``pages`` is given: the footers of a book laid out in parts)."""
    parts = []
    rest = label
    while rest:
        head, sep, tail = rest.partition("{")
        if head:
            parts.append(css_string(head))
        if not sep:
            break
        name, _sep, rest = tail.partition("}")
        if name == "pages":
            parts.append("counter(pages)" if pages is None else css_string(str(pages)))
        else:
            parts.append("counter(page)")
    return " ".join(parts)


PAGE = "size: A4; margin: 22mm 18mm 20mm 20mm;"
WIDE_PAGE = "size: A4 landscape; margin: 20mm 16mm 18mm 16mm;"
MARGIN_TEXT = f"font-family: {FONT}; font-size: 7.5pt; color: #505a5f;"


# Tables are striped by row rather than ruled under every cell: a border per cell is a box edge
# WeasyPrint lays out and draws thousands of times in a 300-programme book, a row background once.
def stylesheet(doc: Document) -> str:
    return f"""
@page {{
  {PAGE}
  @top-left {{ content: {css_string(doc.running_header)}; {MARGIN_TEXT} }}
  @top-right {{ content: string(chapter); {MARGIN_TEXT} }}
  @bottom-center {{ content: {page_counter(doc.page_label)}; {MARGIN_TEXT} }}
}}
@page landscape {{ {WIDE_PAGE} }}
@page cover {{ @top-left {{ content: none }} @top-right {{ content: none }} @bottom-center {{ content: none }} }}
html {{ font-family: {FONT}; font-size: 9.5pt; line-height: 1.4; color: #0b0c0c; }}
body {{ margin: 0; }}
.cover {{ page: cover; break-after: page; text-align: center; padding-top: 30mm; }}
.cover .kicker {{ font-size: 14pt; letter-spacing: .05em; text-transform: uppercase; color: #1d70b8; }}
.cover .title {{ font-size: 26pt; font-weight: bold; margin: 6mm 0; bookmark-level: none; }}
.cover .region {{ font-size: 18pt; font-weight: bold; }}
.cover .logo {{ margin: 18mm auto; width: 40mm; height: 40mm; border: 1.5pt dashed #b1b4b6; color: #505a5f;
  display: flex; align-items: center; justify-content: center; font-size: 8pt; }}
.cover .line {{ font-size: 11pt; }}
.cover .sample {{ margin-top: 20mm; font-size: 9pt; color: #8a5a00; border: 1pt solid #ffbf47; padding: 3mm; }}
.toc {{ break-after: page; }}
.toc h1 {{ bookmark-level: none; string-set: chapter ""; }}
.toc ol {{ list-style: none; padding: 0; }}
.toc li {{ margin: 2mm 0; }}
.toc a {{ color: inherit; text-decoration: none; }}
.toc a::after {{ content: leader('.') target-counter(attr(href), page); }}
section.chapter {{ break-before: page; }}
section.chapter.short {{ break-before: auto; }}
h1 {{ font-size: 16pt; color: #1d3557; border-bottom: 1.5pt solid #1d70b8; padding-bottom: 2mm;
  string-set: chapter content(); bookmark-level: 1; margin: 0 0 5mm; }}
h2 {{ font-size: 12.5pt; color: #1d3557; margin: 6mm 0 2mm; bookmark-level: 2; break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 4mm 0 1.5mm; bookmark-level: 3; break-after: avoid; }}
p {{ margin: 0 0 2.5mm; orphans: 2; widows: 2; }}
p.lead {{ font-size: 11.5pt; font-style: italic; }}
p.meta {{ color: #505a5f; }}
p.quote {{ margin-left: 8mm; font-style: italic; }}
p.entry {{ font-size: 7.5pt; line-height: 1.35; white-space: pre-line; margin: 0 0 1.8mm; break-inside: avoid; }}
p.caption {{ font-weight: bold; font-size: 9pt; margin: 3mm 0 1mm; break-after: avoid; }}
.placeholder {{ border: 1pt dashed #d4351c; background: #fff7f5; padding: 2mm 3mm; margin: 2mm 0 3mm; color: #942514; }}
.placeholder b {{ text-transform: uppercase; font-size: 8pt; margin-right: 2mm; }}
table {{ width: 100%; table-layout: fixed; border-collapse: separate; border-spacing: 0; margin: 1mm 0 4mm;
  font-size: 8.5pt; border-bottom: 0.5pt solid #b1b4b6; }}
table.compact {{ font-size: 7.3pt; }}
thead {{ display: table-header-group; }}
table.whole-rows tr {{ break-inside: avoid; }}
th, td {{ white-space: pre-line; }}
th {{ background: #1d3557; color: #fff; text-align: left; padding: 1.2mm 1.5mm; font-weight: bold; }}
td {{ padding: 1mm 1.5mm; vertical-align: top; }}
tbody tr:nth-child(even) {{ background: #eef2f6; }}
table.unruled {{ border: 0; }}
table.unruled tr {{ background: none; }}
.r {{ text-align: right; }} .c {{ text-align: center; }}
.wide {{ page: landscape; }}
figure {{ margin: 2mm 0 5mm; break-inside: avoid; }}
figure img {{ width: 100%; max-height: {FIGURE_HEIGHT}mm; object-fit: contain; }}
.labelled {{ position: relative; }}
.labelled img {{ display: block; max-height: none; }}
.row-labels {{ position: absolute; margin: 0; white-space: pre; overflow: hidden; }}
figcaption {{ font-weight: bold; font-size: 9pt; margin-bottom: 1mm; }}
ul, ol {{ margin: 0 0 3mm; padding-left: 6mm; }}
"""


def runs(items: list[Run], breaks: str = "<br>") -> str:
    out = []
    for r in items:
        text = escape(r.text).replace("\n", breaks)
        if r.bold:
            text = f"<strong>{text}</strong>"
        if r.italic:
            text = f"<em>{text}</em>"
        if r.underline:
            text = f"<u>{text}</u>"
        out.append(text)
    return "".join(out)


def cell(c: Cell, tag: str = "td") -> str:
    classes = {"right": ' class="r"', "center": ' class="c"'}.get(c.align, "")
    style = []
    if c.shade:
        style.append(f"background:{c.shade}")
    if c.colour:
        style.append(f"color:{c.colour}")
    if c.bold:
        style.append("font-weight:bold")
    attr = f' style="{";".join(style)}"' if style else ""
    # Line breaks stay newlines (cells are white-space: pre-line): a <br> is an element WeasyPrint
    # styles and lays out, and the indicator lines of a 300-programme book had thousands of them.
    return f"<{tag}{classes}{attr}>{escape(c.text)}</{tag}>"


# Rows of short tables are kept whole across page breaks (a score on one page and its item on the
# next reads badly). Long tables (programme lists, the indicator appendix) may split a row: keeping
# every row whole there costs WeasyPrint about a quarter more time on a 300-programme Buku 2.
WHOLE_ROWS_UP_TO = 40


def table(t: Table) -> str:
    total = sum(c.width for c in t.columns) or 1
    # Widths on <col>: with fixed layout they include the cells' padding, so the table fits the page.
    cols = "".join(f'<col style="width:{100 * c.width / total:.2f}%">' for c in t.columns)
    head = "".join(
        "<th" + {"right": ' class="r"', "center": ' class="c"'}.get(c.align, "") + f">{escape(c.label)}</th>"
        for c in t.columns
    )
    body = "".join("<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in t.rows)
    caption = f'<p class="caption">{escape(t.caption)}</p>' if t.caption else ""
    classes = "compact" if t.compact else ""
    if len(t.rows) <= WHOLE_ROWS_UP_TO:
        classes = f"{classes} whole-rows".strip()
    if not t.ruled:
        classes = f"{classes} unruled".strip()
    thead = f"<thead><tr>{head}</tr></thead>" if t.header else ""
    return f'{caption}<table class="{classes}"><colgroup>{cols}</colgroup>{thead}<tbody>{body}</tbody></table>'


def labelled(source: str, rows: RowLabels, available: float) -> str:
    """The chart at a set size with its row labels as one block of text over its empty label
    column: one line per row, each line as high as a row of the drawing."""
    scale = min(available / rows.width, FIGURE_HEIGHT / rows.height)  # millimetres per SVG unit
    box = f"width:{rows.width * scale:.2f}mm;height:{rows.height * scale:.2f}mm"
    labels = (
        f'<p class="row-labels" style="top:{rows.top * scale:.2f}mm;left:{4 * scale:.2f}mm;'
        f"width:{(rows.column - 8) * scale:.2f}mm;font-size:{rows.font_size * scale:.2f}mm;"
        f'line-height:{rows.pitch * scale:.3f}mm">{escape(chr(10).join(rows.texts))}</p>'
    )
    return f'<div class="labelled" style="{box}"><img {source} style="{box}">{labels}</div>'


def block(b: Block, placeholder_label: str) -> str:
    kind = b.kind
    if kind == "paragraph":
        if b.style == "entry":  # type: ignore[union-attr]
            # Hundreds of lines in an appendix: newlines (white-space: pre-line), not <br> elements.
            return f'<p class="entry">{runs(b.runs, chr(10))}</p>'  # type: ignore[union-attr]
        return f'<p class="{b.style}">{runs(b.runs)}</p>'  # type: ignore[union-attr]
    if kind == "heading":
        level = min(3, max(2, b.level))  # type: ignore[union-attr]
        out = f"<h{level}>{escape(b.text)}</h{level}>"  # type: ignore[union-attr]
        return f'<div class="wide">{out}</div>' if b.wide else out  # type: ignore[union-attr]
    if kind == "list":
        tag = "ol" if b.ordered else "ul"  # type: ignore[union-attr]
        return f"<{tag}>" + "".join(f"<li>{runs(i)}</li>" for i in b.items) + f"</{tag}>"  # type: ignore[union-attr]
    if kind == "table":
        out = table(b)  # type: ignore[arg-type]
        return f'<div class="wide">{out}</div>' if b.wide else out  # type: ignore[union-attr]
    if kind == "figure":
        assert isinstance(b, Figure)
        # Titles and tooltips of the chart are not drawn on paper (the caption and alt say it) and cost time.
        svg = TOOLTIP.sub("", b.svg)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        source = f'src="data:image/svg+xml;base64,{data}" alt="{escape(b.caption)}"'
        if b.rows is not None and b.rows.width and b.rows.height:
            image = labelled(source, b.rows, WIDE_WIDTH if b.wide else WIDTH)
        else:
            image = f"<img {source}>"
        out = f"<figure><figcaption>{escape(b.caption)}</figcaption>{image}</figure>"
        return f'<div class="wide">{out}</div>' if b.wide else out
    if kind == "placeholder":
        return f'<div class="placeholder"><b>{escape(placeholder_label)}</b>{escape(b.text)}</div>'  # type: ignore[union-attr]
    if kind == "pagebreak":
        return '<div style="break-after: page"></div>'
    return ""


def chapter(c: Chapter, placeholder_label: str, short: bool = False) -> str:
    blocks = "".join(block(b, placeholder_label) for b in c.blocks)
    classes = "chapter wide" if c.landscape else "chapter"
    if short:
        classes += " short"
    return f'<section class="{classes}" id="ch-{escape(c.key)}"><h1>{escape(c.heading)}</h1>{blocks}</section>'


def title(doc: Document) -> str:
    """The file's title (its metadata): the document and the region."""
    return f"{doc.title} · {doc.cover.region}"


def head(doc: Document, extra_style: str = "") -> str:
    return (
        f'<!doctype html><html lang="{doc.language}"><head><meta charset="utf-8"><title>{escape(title(doc))}'
        f"</title><style>{stylesheet(doc)}{extra_style}</style></head><body>"
    )


def front_matter(doc: Document, pages: dict[str, int] | None = None) -> str:
    """The cover and the table of contents. Its page numbers are the targets' page counters, or
    the numbers in ``pages`` (chapter key → page) when the chapters are laid out apart."""
    cover = doc.cover
    lines = "".join(f'<p class="line">{escape(line)}</p>' for line in cover.lines)
    sample = f'<p class="sample">{escape(doc.sample_note)}</p>' if doc.sample_note else ""
    if pages is None:
        toc = "".join(f'<li><a href="#ch-{escape(c.key)}">{escape(c.heading)}</a></li>' for c in doc.chapters)
    else:
        toc = "".join(
            f'<li><a href="#ch-{escape(c.key)}" data-page="{pages[c.key]}">{escape(c.heading)}</a></li>'
            for c in doc.chapters
        )
    return (
        f'<section class="cover"><p class="kicker">{escape(cover.kicker)}</p><p class="title">{escape(cover.title)}</p>'
        f'<p class="region">{escape(cover.region)}</p><p class="line">{escape(cover.edition)}</p>'
        f'<div class="logo">{escape(cover.logo_placeholder)}</div>{lines}'
        f'<p class="line">{escape(cover.year)}</p>{sample}</section>'
        f'<nav class="toc"><h1>{escape(doc.toc_title)}</h1><ol>{toc}</ol></nav>'
    )


def render(doc: Document, placeholder_label: str) -> str:
    chapters = "".join(chapter(c, placeholder_label, doc.short) for c in doc.chapters)
    if doc.short:
        return f"{head(doc)}{chapters}</body></html>"
    return f"{head(doc)}{front_matter(doc)}{chapters}</body></html>"


# A book laid out in parts (renderers/pdf_parts.py): each part is a set of whole chapters, or the
# cover and contents, laid out with the same stylesheet but without the page number, which is drawn
# over the joined pages from one more document of nothing but the page margins.
NO_PAGE_NUMBER = "@page { @bottom-center { content: none } }"


def part(doc: Document, chapters: list[Chapter], placeholder_label: str) -> str:
    return f"{head(doc, NO_PAGE_NUMBER)}{''.join(chapter(c, placeholder_label) for c in chapters)}</body></html>"


def front_part(doc: Document, pages: dict[str, int]) -> str:
    numbers = ".toc a::after { content: leader('.') attr(data-page); }"
    return f"{head(doc, NO_PAGE_NUMBER + numbers)}{front_matter(doc, pages)}</body></html>"


def page_numbers(doc: Document, landscape: list[bool]) -> str:
    """As many pages as ``landscape`` has, in the book's page sizes and margins, with nothing on
    them but the page number (none on the first, the cover)."""
    number = page_counter(doc.page_label, len(landscape))
    style = (
        f"@page {{ {PAGE} @bottom-center {{ content: {number}; {MARGIN_TEXT} }} }}"
        f"@page landscape {{ {WIDE_PAGE} }}"
        "@page cover { @bottom-center { content: none } }"
        "body { margin: 0; } div { break-before: page; } div:first-child { break-before: auto; }"
        ".wide { page: landscape; } .cover { page: cover; }"
    )
    sheets = ['<div class="cover"></div>'] + [f'<div class="{"wide" if wide else ""}"></div>' for wide in landscape[1:]]
    top = f'<!doctype html><html><head><meta charset="utf-8"><style>{style}</style></head>'
    return f"{top}<body>{''.join(sheets)}</body></html>"
