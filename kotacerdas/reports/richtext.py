"""Chapter text written by regions (rich HTML) as document blocks, sanitised first.

The text is cleaned again with the plan's own nh3 rules (it was cleaned on save, but a document
must not trust stored markup), then read into paragraphs, headings, lists and tables with inline
bold/italic/underline, so both renderers show it without ever passing raw HTML through.
"""

from __future__ import annotations

from html.parser import HTMLParser

from kotacerdas.plans.services.common import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html
from kotacerdas.reports.document import Block, Cell, Column, Heading, ListBlock, Paragraph, Run, Table

BLOCK_TAGS = {"p", "h3", "h4", "h5", "li", "blockquote", "td", "th"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.runs: list[Run] = []
        self.style = {"b": 0, "i": 0, "u": 0}
        self.lists: list[ListBlock] = []
        self.table: list[list[Cell]] | None = None
        self.table_head = 0
        self.row: list[Cell] | None = None
        self.cell_tag = ""
        self.heading = 0
        self.quote = 0

    # Text collected since the last block boundary becomes a paragraph, list item or cell.
    def _flush(self) -> None:
        runs = _tidy(self.runs)
        self.runs = []
        if not runs:
            return
        if self.row is not None and self.cell_tag:
            text = "".join(r.text for r in runs)
            self.row.append(Cell(text, bold=self.cell_tag == "th"))
        elif self.lists:
            self.lists[-1].items.append(runs)
        elif self.heading:
            self.blocks.append(Heading("".join(r.text for r in runs), level=3))
        else:
            self.blocks.append(Paragraph(runs, "quote" if self.quote else ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("strong", "b"):
            self.style["b"] += 1
        elif tag in ("em", "i"):
            self.style["i"] += 1
        elif tag == "u":
            self.style["u"] += 1
        elif tag == "br":
            self.runs.append(Run("\n"))
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append(ListBlock([], ordered=tag == "ol"))
        elif tag in ("h3", "h4", "h5"):
            self._flush()
            self.heading += 1
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag == "table":
            self._flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self._flush()
            self.cell_tag = tag
        elif tag in BLOCK_TAGS or tag == "hr":
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("strong", "b"):
            self.style["b"] = max(0, self.style["b"] - 1)
        elif tag in ("em", "i"):
            self.style["i"] = max(0, self.style["i"] - 1)
        elif tag == "u":
            self.style["u"] = max(0, self.style["u"] - 1)
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            block = self.lists.pop()
            if block.items:
                if self.lists:  # a nested list joins its parent's items
                    self.lists[-1].items.extend(block.items)
                else:
                    self.blocks.append(block)
        elif tag in ("h3", "h4", "h5"):
            self._flush()
            self.heading = max(0, self.heading - 1)
        elif tag == "blockquote":
            self._flush()
            self.quote = max(0, self.quote - 1)
        elif tag in ("td", "th"):
            if self.row is not None and self.cell_tag:
                before = len(self.row)
                self._flush()
                if len(self.row) == before:
                    self.row.append(Cell(""))
            self.cell_tag = ""
        elif tag == "tr" and self.table is not None and self.row is not None:
            if self.row:
                self.table.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self._table(self.table)
            self.table = None
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.table is not None and self.row is None:
            return  # whitespace between rows
        self.runs.append(Run(data, bold=self.style["b"] > 0, italic=self.style["i"] > 0, underline=self.style["u"] > 0))

    def _table(self, rows: list[list[Cell]]) -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        head, body = rows[0], rows[1:]
        columns = [Column(head[n].text if n < len(head) else "") for n in range(width)]
        body = [r + [Cell("")] * (width - len(r)) for r in body]
        self.blocks.append(Table(columns, body))

    def close(self) -> None:
        super().close()
        self._flush()
        while self.lists:
            block = self.lists.pop()
            if block.items:
                self.blocks.append(block)


def _tidy(runs: list[Run]) -> list[Run]:
    """Collapse whitespace the way a browser does; drop empty runs; keep explicit line breaks."""
    out: list[Run] = []
    for run in runs:
        text = run.text if run.text == "\n" else " ".join(run.text.split()) + (" " if run.text[-1:].isspace() else "")
        if run.text[:1].isspace() and run.text != "\n" and text and not text.startswith(" "):
            text = " " + text
        if text:
            out.append(Run(text, run.bold, run.italic, run.underline))
    if out:
        out[0] = Run(out[0].text.lstrip(" "), out[0].bold, out[0].italic, out[0].underline)
        out[-1] = Run(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic, out[-1].underline)
    out = [r for r in out if r.text]
    return out if "".join(r.text for r in out).strip() else []


def blocks(html: str) -> list[Block]:
    """Sanitised rich text as blocks (empty list for empty text)."""
    reader = _Reader()
    reader.feed(clean_html(html or ""))
    reader.close()
    return reader.blocks


def editor_elements() -> str:
    """The sanitiser's tags and attributes in the rich-text editor's ``valid_elements`` syntax.

    The chapter editor (plans/richtext.js) is configured with this, so it shows exactly the markup
    that saving keeps: what an official sees in the editor is what the plan prints.
    """
    return ",".join(
        f"{tag}[{'|'.join(sorted(ALLOWED_ATTRIBUTES[tag]))}]" if tag in ALLOWED_ATTRIBUTES else tag
        for tag in sorted(ALLOWED_TAGS)
    )
