"""The pure parts of the ministry's national view: stages, quartiles, the funnel, the heat scale
and the SVG of the province tile map and the bar charts.

No database here (the facts arrive as plain values from ``web/national.py``), so the figures can
be property-tested and the command line computes exactly what the page shows.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.translation import gettext_lazy as _

from kotacerdas.plans.figures import CHART_WIDTH, svg_open
from kotacerdas.regions.provinces import PROVINCES

# The stages of a region in the programme, in order. A region is at the furthest it reached;
# the funnel counts, per cohort, the regions that reached each stage or went beyond it.
STAGES: tuple[tuple[str, object], ...] = (
    ("none", _("not in a cohort")),
    ("joined", _("in a cohort, no Bimtek held")),
    ("bimtek_1", _("Bimtek I held")),
    ("bimtek_2", _("Bimtek II held")),
    ("bimtek_3", _("Bimtek III held")),
    ("bimtek_4", _("Bimtek IV held")),
    ("adopted", _("master plan adopted")),
    ("monitoring", _("reporting progress")),
    ("evaluated", _("evaluated")),
)
STAGE_RANK = {code: rank for rank, (code, _label) in enumerate(STAGES)}


def stage_of(*, in_cohort: bool, bimtek_held: int, adopted: bool, reporting: bool, evaluated: bool) -> str:
    """The furthest stage a region reached, from the facts about it (``bimtek_held``: the highest
    Bimtek stage 1–4 held, 0 for none)."""
    if evaluated:
        return "evaluated"
    if reporting and adopted:
        return "monitoring"
    if adopted:
        return "adopted"
    if 1 <= bimtek_held <= 4:
        return f"bimtek_{bimtek_held}"
    return "joined" if in_cohort else "none"


def funnel(stages: Iterable[str]) -> list[int]:
    """How many of ``stages`` reached each stage after "none" (cumulative, never increasing)."""
    ranks = [STAGE_RANK[s] for s in stages]
    return [sum(1 for r in ranks if r >= rank) for rank in range(1, len(STAGES))]


@dataclass(frozen=True)
class Spread:
    """Quartiles of a set of numbers (all None when the set is empty)."""

    n: int
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None


def spread(values: Sequence[Decimal]) -> Spread:
    """The count, first quartile, median and third quartile of ``values`` (the inclusive method:
    the quartiles of one value are that value, and they always lie between the least and most)."""
    ordered = sorted(values)
    if not ordered:
        return Spread(0, None, None, None)
    if len(ordered) == 1:
        return Spread(1, ordered[0], ordered[0], ordered[0])
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(len(ordered), Decimal(q1), Decimal(median), Decimal(q3))


HEAT_STEPS = 5


def heat_step(value: float | Decimal | int | None, top: float | Decimal | int) -> int:
    """The colour step 0–5 of ``value`` on a scale up to ``top`` (0: nothing or no data)."""
    if value is None or not top or value <= 0:
        return 0
    return max(1, min(HEAT_STEPS, int(-(-Decimal(str(value)) * HEAT_STEPS // Decimal(str(top))))))


# The province tile map ----------------------------------------------------------------------

# (column, row) of each province's tile: west to east, north to south, roughly as on a map.
TILES: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "ACE"),
    "12": (1, 1, "SUT"),
    "14": (2, 1, "RIA"),
    "21": (3, 1, "KRI"),
    "13": (1, 2, "SUB"),
    "15": (2, 2, "JAM"),
    "19": (3, 2, "BBL"),
    "17": (1, 3, "BEN"),
    "16": (2, 3, "SUS"),
    "18": (2, 4, "LAM"),
    "31": (3, 4, "JKT"),
    "36": (2, 5, "BAN"),
    "32": (3, 5, "JBR"),
    "33": (4, 5, "JTG"),
    "34": (4, 6, "DIY"),
    "35": (5, 5, "JTM"),
    "51": (6, 5, "BAL"),
    "52": (7, 5, "NTB"),
    "53": (8, 5, "NTT"),
    "61": (4, 2, "KBR"),
    "65": (6, 1, "KUT"),
    "64": (6, 2, "KTM"),
    "62": (5, 2, "KTG"),
    "63": (5, 3, "KSL"),
    "75": (8, 1, "GOR"),
    "71": (9, 1, "SUL"),
    "72": (8, 2, "STG"),
    "76": (7, 3, "SBR"),
    "73": (7, 4, "SSL"),
    "74": (8, 3, "STR"),
    "82": (10, 1, "MUT"),
    "81": (10, 3, "MAL"),
    "96": (11, 1, "PBD"),
    "92": (11, 2, "PAB"),
    "91": (12, 2, "PAP"),
    "94": (12, 3, "PTG"),
    "95": (13, 3, "PPG"),
    "93": (13, 4, "PSL"),
}
TILE, GAP = 44, 4
# Light to dark; the value is printed on every tile, so colour is never the only cue.
TILE_COLOURS = ("#f3f2f1", "#d2e2f1", "#a6c5e3", "#5694ca", "#1d70b8", "#003078")


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    value: Decimal | None
    shown: str  # the value as the page writes it ("—" without data)
    url: str


def tile_map_svg(tiles: Sequence[Tile], *, title: str, description: str) -> str:
    """A grid of province tiles coloured by their value, each a link titled with its name and
    value. Drawn on the server from :data:`TILES`: no map tiles, nothing from the internet."""
    columns = 1 + max(c for c, _r, _a in TILES.values())
    rows = 1 + max(r for _c, r, _a in TILES.values())
    width, height = columns * (TILE + GAP), rows * (TILE + GAP)
    top = max((t.value for t in tiles if t.value is not None), default=Decimal(0))
    parts = svg_open(width, height, "national-tiles", title, description)
    for tile in tiles:
        column, row, abbreviation = TILES[tile.code]
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        step = heat_step(tile.value, top)
        ink = "#ffffff" if step >= 4 else "#0b0c0c"
        parts.append(
            f'<a href="{escape(tile.url)}"><title>{escape(f"{tile.name}: {tile.shown}")}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" fill="{TILE_COLOURS[step]}" '
            f'stroke="#505a5f" stroke-width="0.5"/>'
            f'<text x="{x + TILE / 2}" y="{y + 17}" text-anchor="middle" font-size="10" fill="{ink}">'
            f"{abbreviation}</text>"
            f'<text x="{x + TILE / 2}" y="{y + 33}" text-anchor="middle" font-size="11" fill="{ink}">'
            f"{escape(tile.shown)}</text></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def province_names() -> dict[str, str]:
    return {p.code: p.name for p in PROVINCES}


def bars_svg(rows: Sequence[tuple[str, int]], *, ident: str, title: str, description: str) -> str:
    """Horizontal bars, one per labelled count, the count written at the end of each bar."""
    row_height, left = 24, 220
    height = 10 + row_height * max(len(rows), 1)
    top = max((n for _label, n in rows), default=0)
    room = CHART_WIDTH - left - 60
    parts = svg_open(CHART_WIDTH, height, ident, title, description)
    for i, (label, n) in enumerate(rows):
        y = 6 + i * row_height
        w = room * n / top if top else 0
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_height - 8}" fill="#005a8c">'
            f"<title>{escape(f'{label}: {n}')}</title></rect>"
        )
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + 15}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)
