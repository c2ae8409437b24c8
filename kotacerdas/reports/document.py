"""The typed report context: a document as plain data, before any format (no Django imports).

Builders (``reports/builders``) turn plan data into a :class:`Document` of chapters and blocks;
renderers (``reports/renderers``) turn the same document into PDF (HTML through WeasyPrint) or
DOCX (python-docx). Nothing here knows about a format, so both files say the same thing.

Missing data never becomes prose: a builder adds a :class:`Placeholder`, which the document also
lists in :attr:`Document.missing` for the closing "what is still missing" chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Run:
    """A piece of text with inline emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    # "" | "lead" | "meta" | "quote" | "entry" (an appendix entry in small type: a bold first
    # line, then one line per item, kept on one page)
    style: str = ""
    kind: str = field(default="paragraph", init=False)

    @classmethod
    def of(cls, text: str, style: str = "", bold: bool = False) -> Paragraph:
        return cls([Run(text, bold=bold)], style)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    """A heading inside a chapter (level 2 or 3; level 1 is the chapter itself)."""

    text: str
    level: int = 2
    wide: bool = False  # kept on the landscape page of the wide table it introduces
    kind: str = field(default="heading", init=False)


@dataclass
class ListBlock:
    items: list[list[Run]]
    ordered: bool = False
    kind: str = field(default="list", init=False)


@dataclass
class Cell:
    text: str = ""
    align: Align = "left"
    shade: str = ""  # background colour "#rrggbb" (roadmap grid, totals)
    bold: bool = False
    colour: str = ""  # text colour


@dataclass
class Column:
    label: str
    width: float = 1.0  # relative width
    align: Align = "left"


@dataclass
class Table:
    """A table with one header row that repeats on every page it spans.

    ``wide`` tables get a landscape page (PDF) or a landscape section (DOCX).
    """

    columns: list[Column]
    rows: list[list[Cell]]
    caption: str = ""
    wide: bool = False
    compact: bool = False  # smaller type for long tables
    header: bool = True  # False: no header row (a table of facts, a signature block)
    ruled: bool = True  # False: no lines (a signature block)
    kind: str = field(default="table", init=False)

    @staticmethod
    def cells(*values: str | Cell) -> list[Cell]:
        return [v if isinstance(v, Cell) else Cell(v) for v in values]


@dataclass
class RowLabels:
    """The row labels of a chart, set as text beside its drawing rather than inside the SVG
    (WeasyPrint draws SVG text one glyph at a time: the labels of a 300-programme roadmap cost
    a second). Lengths in the SVG's units: the drawing is ``width`` × ``height``, its label
    column ``column`` wide and empty, rows ``pitch`` high from ``top``, text ``font_size``."""

    texts: list[str]
    width: float
    height: float
    column: float
    top: float
    pitch: float
    font_size: float


@dataclass
class Figure:
    """A chart: the SVG for the PDF (the same markup as the pages), a table where SVG cannot go (DOCX).

    ``fallback`` is None when the chart's numbers already stand in a table next to it."""

    svg: str
    caption: str
    fallback: Table | None
    wide: bool = False
    rows: RowLabels | None = None  # labels the SVG leaves out, for the PDF to set beside it
    kind: str = field(default="figure", init=False)


@dataclass
class Placeholder:
    """Something the data does not hold yet, shown as a marked box, never as invented text."""

    text: str
    kind: str = field(default="placeholder", init=False)


@dataclass
class PageBreak:
    kind: str = field(default="pagebreak", init=False)


Block = Paragraph | Heading | ListBlock | Table | Figure | Placeholder | PageBreak


@dataclass
class Chapter:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    number: str = ""  # "I", "II" ...; empty for unnumbered parts (foreword, appendix)
    landscape: bool = False  # the whole chapter on landscape pages (roadmap, budget, appendix)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass
class Missing:
    chapter: str
    what: str
    key: str = ""  # the chapter's key: the job page links it to the page where it is fixed


@dataclass
class Cover:
    kicker: str  # "Buku 2"
    title: str  # "Masterplan Smart City"
    region: str
    edition: str
    year: str
    lines: list[str] = field(default_factory=list)
    logo_placeholder: str = ""


@dataclass
class Document:
    """A whole document: cover, table of contents, chapters, and what is still missing."""

    kind: str  # buku1, buku2, changelog, quickwins, assessment
    title: str
    running_header: str  # region and edition, on every page but the cover
    cover: Cover
    chapters: list[Chapter] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    toc_title: str = ""
    page_label: str = "{page} / {pages}"  # translated "page {page} of {pages}"
    sample_note: str = ""
    language: str = "id"
    # A short document (the minutes of a session): no cover page and no table of contents, and
    # its chapters follow each other without a page break. Books leave it False.
    short: bool = False

    def chapter(self, key: str, title: str, number: bool = True) -> Chapter:
        chapter = Chapter(key, title, number=roman(sum(1 for c in self.chapters if c.number) + 1) if number else "")
        self.chapters.append(chapter)
        return chapter

    def placeholder(self, chapter: Chapter, text: str) -> Placeholder:
        """A marked placeholder in ``chapter``, also listed at the end of the document."""
        self.missing.append(Missing(chapter.heading, text, chapter.key))
        block = Placeholder(text)
        chapter.blocks.append(block)
        return block

    def headings(self) -> list[str]:
        return [c.heading for c in self.chapters]


def roman(n: int) -> str:
    """1 → I, 14 → XIV (chapter numbers of Indonesian planning documents)."""
    out = []
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)
