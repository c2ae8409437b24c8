"""Figures computed from an interchange document: budget totals, the outline by dimension, the
roadmap layout and its SVG Gantt chart, and the programme-table filter (pure Python).

The same SVG serves the page and the PDF books (reports are data first, then rendered).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

Doc = dict[str, Any]


def programme_total(p: Mapping[str, Any]) -> int:
    return sum(b["amount"] for b in p.get("budgets") or [] if isinstance(b.get("amount"), int))


@dataclass
class BudgetTotals:
    years: list[int]
    total: int
    by_year: dict[int, int]
    by_source: dict[str, dict[int, int]]  # source → year → amount
    by_dimension: dict[str, dict[int, int]]
    by_opd: dict[str, dict[int, int]]
    # Lines whose year the plan does not state: in ``total``, in no year column.
    undated: int = 0

    @staticmethod
    def row_total(row: Mapping[int, int]) -> int:
        return sum(row.values())


def budget_totals(doc: Doc) -> BudgetTotals:
    edition = doc.get("edition") or {}
    start, end = edition.get("start_year"), edition.get("end_year")
    by_year: dict[int, int] = defaultdict(int)
    by_source: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_dimension: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_opd: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    undated = 0
    for p in doc.get("programmes") or []:
        for b in p.get("budgets") or []:
            year, amount = b.get("year"), b.get("amount")
            if year is None and isinstance(amount, int):
                undated += amount  # not stated: counted in the total, placed in no year
                continue
            if not isinstance(year, int) or not isinstance(amount, int):
                continue
            by_year[year] += amount
            by_source[b.get("source") or ""][year] += amount
            by_dimension[p.get("dimension") or "?"][year] += amount
            by_opd[p.get("lead_opd") or "—"][year] += amount
    years = (
        sorted(set(range(start, end + 1)) | set(by_year))
        if isinstance(start, int) and isinstance(end, int)
        else sorted(by_year)
    )
    dim_order = [d.get("code") for d in (doc.get("taxonomy") or {}).get("dimensions") or []]
    return BudgetTotals(
        years=years,
        total=sum(by_year.values()) + undated,
        by_year=dict(by_year),
        by_source={k: dict(v) for k, v in sorted(by_source.items())},
        by_dimension={
            k: dict(by_dimension[k])
            for k in [*dim_order, *sorted(set(by_dimension) - set(dim_order))]
            if k in by_dimension
        },
        by_opd={k: dict(v) for k, v in sorted(by_opd.items(), key=lambda kv: -sum(kv[1].values()))},
        undated=undated,
    )


@dataclass
class ElementOutline:
    code: str
    name: str
    programmes: list[dict[str, Any]] = field(default_factory=list)
    strategies: list[dict[str, Any]] = field(default_factory=list)
    waiver: str | None = None


@dataclass
class DimensionOutline:
    code: str
    name: str
    elements: list[ElementOutline]
    strategies: list[dict[str, Any]]  # strategies for the whole dimension (no element)
    unplaced: list[dict[str, Any]]  # programmes without an element
    budget: int = 0

    @property
    def programme_count(self) -> int:
        return len(self.unplaced) + sum(len(e.programmes) for e in self.elements)


def outline(doc: Doc) -> list[DimensionOutline]:
    """The plan by dimension and element: strategies, programmes, waivers, budget."""
    dims: list[DimensionOutline] = []
    elements: dict[str, ElementOutline] = {}
    by_code: dict[str, DimensionOutline] = {}
    for d in (doc.get("taxonomy") or {}).get("dimensions") or []:
        els = [ElementOutline(e.get("code"), e.get("name") or "") for e in d.get("elements") or []]
        elements.update({e.code: e for e in els})
        dim = DimensionOutline(d.get("code"), d.get("name") or "", els, [], [])
        dims.append(dim)
        by_code[dim.code] = dim
    for w in doc.get("waivers") or []:
        if w.get("element") in elements:
            elements[w["element"]].waiver = w.get("reason") or ""
    for s in doc.get("strategies") or []:
        el = elements.get(s.get("element") or "")
        if el is not None:
            el.strategies.append(s)
        elif s.get("dimension") in by_code:
            by_code[s["dimension"]].strategies.append(s)
    for p in doc.get("programmes") or []:
        dim_outline = by_code.get(p.get("dimension") or "")
        if dim_outline is None:
            continue
        dim_outline.budget += programme_total(p)
        el = elements.get(p.get("element") or "")
        (el.programmes if el is not None else dim_outline.unplaced).append(p)
    return dims


def quick_wins_by_year(doc: Doc) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in doc.get("programmes") or []:
        for year in p.get("quick_win_years") or []:
            out[year].append(p)
    return dict(sorted(out.items()))


# Programme table filters ---------------------------------------------------------------------


@dataclass
class ProgrammeFilter:
    dimension: str = ""
    opd: str = ""
    horizon: str = ""
    status: str = ""
    finding: str = ""  # "" | "any" | "error" | "warning" | a rule id
    q: str = ""

    @property
    def active(self) -> bool:
        return any((self.dimension, self.opd, self.horizon, self.status, self.finding, self.q))


def filter_programmes(
    programmes: Iterable[dict[str, Any]], f: ProgrammeFilter, findings: Mapping[str, list[Any]]
) -> list[dict[str, Any]]:
    """Programmes matching every chosen filter. ``findings``: programme code → findings."""
    out = []
    needle = f.q.strip().lower()
    for p in programmes:
        if f.dimension and p.get("dimension") != f.dimension:
            continue
        if f.opd and p.get("lead_opd") != f.opd and f.opd not in (p.get("supporting_opds") or []):
            continue
        if f.horizon and p.get("horizon") != f.horizon:
            continue
        if f.status and p.get("status") != f.status:
            continue
        if f.finding:
            mine = findings.get(p.get("code") or "", [])
            if f.finding == "any" and not mine:
                continue
            if f.finding in ("error", "warning") and not any(x.severity.label == f.finding for x in mine):
                continue
            if f.finding not in ("any", "error", "warning") and not any(x.rule == f.finding for x in mine):
                continue
        if needle and needle not in f"{p.get('code')} {p.get('name')}".lower():
            continue
        out.append(p)
    return out


# Roadmap (SVG Gantt on a year grid) ----------------------------------------------------------

ROW = 26
LABEL_WIDTH = 330
YEAR_WIDTH = 70
TOP = 30
FONT_SIZE = 12
HORIZON_FILL = {"short": "#00703c", "medium": "#005a8c", "long": "#6f2c91"}


def _roadmap_programmes(doc: Doc, dimension: str) -> list[dict[str, Any]]:
    return sorted(
        (p for p in doc.get("programmes") or [] if p.get("dimension") == dimension),
        key=lambda p: (p.get("start_year") or 0, p.get("code") or ""),
    )


def _roadmap_years(start: int, end: int, progs: list[dict[str, Any]]) -> tuple[int, int]:
    first = min([start, *[p["start_year"] for p in progs if isinstance(p.get("start_year"), int)]])
    last = max([end, *[p["end_year"] for p in progs if isinstance(p.get("end_year"), int)]])
    return first, last


def roadmap_size(doc: Doc, dimension: str) -> tuple[int, int]:
    """Width and height of the roadmap's SVG (its user units); (0, 0) when the plan has no period."""
    edition = doc.get("edition") or {}
    start, end = edition.get("start_year"), edition.get("end_year")
    if not isinstance(start, int) or not isinstance(end, int):
        return 0, 0
    progs = _roadmap_programmes(doc, dimension)
    first, last = _roadmap_years(start, end, progs)
    return LABEL_WIDTH + YEAR_WIDTH * (last - first + 1) + 10, TOP + ROW * max(len(progs), 1) + 40


def roadmap_row_labels(doc: Doc, dimension: str) -> list[str]:
    """The labels of the roadmap's rows ("code name", shortened), top to bottom."""
    labels = []
    for p in _roadmap_programmes(doc, dimension):
        label = f"{p.get('code')} {p.get('name')}"
        labels.append(label[:47] + "…" if len(label) > 48 else label)
    return labels


def roadmap_svg(
    doc: Doc, dimension: str, title: str, labels: Mapping[str, str] | None = None, *, row_labels: bool = True
) -> str:
    """A Gantt chart of one dimension's programmes on the plan's year grid, as an SVG string.

    Bars are coloured by horizon; a quick-win year is marked with a star. ``labels`` maps
    horizon codes to translated names for the legend. ``row_labels=False`` leaves the label
    column (``LABEL_WIDTH`` wide, rows ``ROW`` high from ``TOP``) empty for text set beside the
    chart: the PDF does, as WeasyPrint draws SVG text one glyph at a time.
    """
    edition = doc.get("edition") or {}
    start, end = edition.get("start_year"), edition.get("end_year")
    progs = _roadmap_programmes(doc, dimension)
    row_texts = roadmap_row_labels(doc, dimension)
    if not isinstance(start, int) or not isinstance(end, int):
        return ""
    first, last = _roadmap_years(start, end, progs)
    years = list(range(first, last + 1))
    width, height = roadmap_size(doc, dimension)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="roadmap" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
    ]
    for n, year in enumerate(years):
        x = LABEL_WIDTH + n * YEAR_WIDTH
        fill = "#f3f2f1" if n % 2 == 0 else "#ffffff"
        opacity = "1" if start <= year <= end else "0.3"
        parts.append(
            f'<rect x="{x}" y="{TOP - 22}" width="{YEAR_WIDTH}" height="{height - TOP - 18}" '
            f'fill="{fill}" stroke="#b1b4b6" stroke-width="0.5" fill-opacity="{opacity}"/>'
        )
        parts.append(
            f'<text x="{x + YEAR_WIDTH / 2}" y="{TOP - 8}" text-anchor="middle" font-weight="bold">{year}</text>'
        )
    for row, p in enumerate(progs):
        y = TOP + row * ROW
        if row_labels:
            parts.append(
                f'<text x="4" y="{y + 17}"><title>{escape(str(p.get("name")))}</title>{escape(row_texts[row])}</text>'
            )
        s, e = p.get("start_year"), p.get("end_year")
        if isinstance(s, int) and isinstance(e, int) and e >= s:
            x = LABEL_WIDTH + (s - first) * YEAR_WIDTH + 3
            w = (e - s + 1) * YEAR_WIDTH - 6
            fill = HORIZON_FILL.get(p.get("horizon") or "", "#505a5f")
            parts.append(f'<rect x="{x}" y="{y + 5}" width="{w}" height="{ROW - 10}" rx="3" fill="{fill}"/>')
        for qy in p.get("quick_win_years") or []:
            if isinstance(qy, int) and first <= qy <= last:
                cx = LABEL_WIDTH + (qy - first) * YEAR_WIDTH + YEAR_WIDTH / 2
                parts.append(f'<text x="{cx}" y="{y + 18}" text-anchor="middle" fill="#ffbf47" font-size="15">★</text>')
    legend_y = height - 12
    x = 4
    for code, colour in HORIZON_FILL.items():
        name = (labels or {}).get(code, code)
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="14" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="{legend_y}">{escape(name)}</text>')
        x += 30 + 7 * len(name)
    parts.append(
        f'<text x="{x}" y="{legend_y}" fill="#8a5a00">★ {escape((labels or {}).get("quick_win", "quick win"))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


# Budget charts (SVG bars; the tables under them are the text alternative) -------------------

BAR_COLOURS = ["#005a8c", "#00703c", "#d4a72c", "#6f2c91", "#b58840", "#505a5f", "#912b88", "#28a197"]
CHART_WIDTH = 640


def svg_open(width: int, height: int, ident: str, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="12" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def budget_by_year_svg(
    rows: Mapping[str, Mapping[int, int]],
    years: list[int],
    *,
    ident: str,
    title: str,
    description: str,
    names: Mapping[str, str],
    amount: Any,
) -> str:
    """Stacked columns: one per year, a segment per row key (e.g. budget source). ``amount``
    formats an amount for the axis (e.g. in million rupiah)."""
    keys = [k for k in rows if sum(rows[k].values()) > 0]
    totals = {y: sum(rows[k].get(y, 0) for k in keys) for y in years}
    top = max(totals.values(), default=0)
    plot_top, plot_height, left = 20, 200, 90
    column = max(36, min(90, (CHART_WIDTH - left - 10) // max(len(years), 1)))
    width = max(CHART_WIDTH, left + column * len(years) + 10)
    legend_rows = (len(keys) + 2) // 3
    height = plot_top + plot_height + 30 + 20 * legend_rows + 10
    parts = svg_open(width, height, ident, title, description)
    base = plot_top + plot_height
    for step in range(5):
        value = top * step / 4
        y = base - plot_height * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#dedede"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(str(amount(int(value))))}</text>')
    for n, year in enumerate(years):
        x = left + n * column + column * 0.15
        y = float(base)
        for i, key in enumerate(keys):
            value = rows[key].get(year, 0)
            if not value or not top:
                continue
            h = plot_height * value / top
            y -= h
            colour = BAR_COLOURS[i % len(BAR_COLOURS)]
            label = escape(f"{names.get(key, key)} {year}: {amount(value)}")
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{column * 0.7:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{label}</title></rect>"
            )
        parts.append(f'<text x="{x + column * 0.35:.1f}" y="{base + 16}" text-anchor="middle">{year}</text>')
    for i, key in enumerate(keys):
        lx = 10 + (i % 3) * (width // 3)
        ly = base + 34 + 20 * (i // 3)
        name = names.get(key, key)
        name = name if len(name) <= 40 else name[:39] + "…"
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{BAR_COLOURS[i % len(BAR_COLOURS)]}"/>'
        )
        parts.append(f'<text x="{lx + 18}" y="{ly}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def budget_by_key_svg(
    rows: Mapping[str, Mapping[int, int]],
    *,
    ident: str,
    title: str,
    description: str,
    names: Mapping[str, str],
    amount: Any,
) -> str:
    """Horizontal bars: the total of each row key (e.g. dimension) over all years."""
    totals = [(k, sum(v.values())) for k, v in rows.items()]
    totals = [(k, t) for k, t in totals if t > 0]
    top = max((t for _k, t in totals), default=0)
    label_width, bar_room, row = 260, CHART_WIDTH - 260 - 120, 24
    height = 10 + row * max(len(totals), 1) + 10
    parts = svg_open(CHART_WIDTH, height, ident, title, description)
    for n, (key, total) in enumerate(totals):
        y = 10 + n * row
        name = names.get(key, key)
        name = name if len(name) <= 38 else name[:37] + "…"
        w = bar_room * total / top if top else 0
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{BAR_COLOURS[n % len(BAR_COLOURS)]}"/>'
        )
        parts.append(f'<text x="{label_width + w + 6:.1f}" y="{y + 15}">{escape(str(amount(total)))}</text>')
    parts.append("</svg>")
    return "".join(parts)
