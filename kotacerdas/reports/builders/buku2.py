"""Buku 2, the master plan: vision to indicators, in the guide's chapter order.

Every table comes from the edition's data; the region's own chapter text (sanitised rich text)
opens each chapter; what the data does not hold is a marked placeholder listed at the end.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.monitoring.models import Frequency
from kotacerdas.plans import notstated as not_stated
from kotacerdas.plans.figures import (
    FONT_SIZE,
    LABEL_WIDTH,
    ROW,
    TOP,
    budget_totals,
    outline,
    programme_total,
    roadmap_row_labels,
    roadmap_size,
    roadmap_svg,
)
from kotacerdas.regions.models import GovernanceBody
from kotacerdas.reports.builders.common import (
    add_rich_text,
    close,
    date,
    labels,
    money,
    new_document,
    num,
    sections_by_key,
    total_cell,
)
from kotacerdas.reports.builders.quick_wins import QuickWinYear, book_quick_wins, with_book_quick_wins
from kotacerdas.reports.builders.quick_wins import chapter as quick_win_chapter
from kotacerdas.reports.document import (
    Cell,
    Chapter,
    Column,
    Document,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    RowLabels,
    Run,
    Table,
)
from kotacerdas.reports.selectors import BookData

ROADMAP_ROWS = 18
HORIZON_SHADE = {"short": "#00703c", "medium": "#005a8c", "long": "#6f2c91"}


def short(label: str) -> str:
    """A choice label without its explanation: "medium (up to 5 years)" → "medium"."""
    return label.split(" (", 1)[0]


def month(iso_date: str) -> str:
    """2025-02-01 → 02/2025: action plans are planned by month."""
    return f"{iso_date[5:7]}/{iso_date[:4]}" if len(iso_date) >= 7 else iso_date


def target_value(target: dict[str, Any]) -> str:
    """One target: the number, or "lower–upper" for an indicator within a range."""
    upper = target.get("upper")
    return num(target["value"]) if upper is None else f"{num(target['value'])}–{num(upper)}"


def target_line(targets: list[dict[str, Any]]) -> str:
    """Yearly targets on one line: "2025–2027: 15 · 20 · 25" when the years run on, else "2025: 15 · 2027: 25"."""
    if not targets:
        return "—"
    # A target the plan states without a year: "belum ditetapkan: 100", after the dated ones.
    undated = [f"{not_stated.text(None)}: {target_value(t)}" for t in targets if t.get("year") is None]
    targets = [t for t in targets if t.get("year") is not None]
    years = [t["year"] for t in targets]
    if years and years == list(range(years[0], years[0] + len(years))) and len(years) > 1:
        return " · ".join([f"{years[0]}–{years[-1]}: " + " · ".join(target_value(t) for t in targets), *undated])
    return " · ".join([*(f"{t['year']}: {target_value(t)}" for t in targets), *undated])


def title_of(data: BookData, key: str, default: str = "") -> str:
    for s in data.doc.get("sections") or []:
        if s["key"] == key and s.get("title"):
            return str(s["title"])
    for c in data.chapters:
        if c["key"] == key:
            return str(c["title"])
    return default or key


def build(data: BookData) -> Document:
    edition = data.edition
    doc = new_document(
        "buku2",
        _("Smart City Master Plan"),
        data.region,
        edition.title,
        _("Book 2 – Master plan"),
        str(edition.year),
    )
    doc.cover.lines = [_("Plan period %(a)s–%(b)s") % {"a": edition.start_year, "b": edition.end_year}]
    if edition.is_sample or data.region.is_sample:
        doc.sample_note = _("Sample data: the content of this document was invented for the demo.")
    sections = sections_by_key(data.doc)
    body = {k: s.get("body") or "" for k, s in sections.items()}
    names = {d["code"]: d["name"] for d in data.doc["taxonomy"]["dimensions"]}
    dims = outline(data.doc)
    # The quick wins the book reports, once: the roadmap's stars and the chapter show the same.
    years = book_quick_wins(data)
    data = with_book_quick_wins(data, years)

    vision(doc, data, body)
    strategies(doc, data, body, dims)
    programmes(doc, data, body, dims)
    action_plans(doc, data, body, dims)
    roadmap(doc, data, body, names)
    quick_wins(doc, data, body, years)
    budget(doc, data, names)
    governance(doc, data, body)
    chapter = doc.chapter("b2-commitments", title_of(data, "b2-commitments"))
    add_rich_text(doc, chapter, body.get("b2-commitments", ""), _("The commitments of the region are not written yet."))
    adoption(doc, data)
    indicators(doc, data)
    close(doc)
    return doc


def vision(doc: Document, data: BookData, body: dict[str, str]) -> None:
    chapter = doc.chapter("b2-vision", title_of(data, "b2-vision"))
    add_rich_text(doc, chapter, body.get("b2-vision", ""), None)
    header = data.doc["edition"]
    chapter.blocks.append(Heading(_("Smart city vision")))
    if header.get("vision"):
        chapter.blocks.append(Paragraph.of(header["vision"], "lead"))
    else:
        doc.placeholder(chapter, _("The smart city vision is not written yet."))
    if header.get("vision_keywords"):
        chapter.blocks.append(
            Paragraph([Run(_("Keywords") + ": ", bold=True), Run(", ".join(header["vision_keywords"]))])
        )
    chapter.blocks.append(Heading(_("Missions")))
    missions = data.doc.get("missions") or []
    if missions:
        items = []
        for m in missions:
            runs = [Run(m["text"])]
            if m.get("rpjmd_mission"):
                runs.append(Run(f" ({_('RPJMD mission')}: {m['rpjmd_mission']})", italic=True))
            items.append(runs)
        chapter.blocks.append(ListBlock(items, ordered=True))
    else:
        doc.placeholder(chapter, _("No mission is recorded."))
    chapter.blocks.append(Heading(_("Goals")))
    goals = data.doc.get("goals") or []
    if goals:
        chapter.blocks.append(
            Table(
                [Column(_("Code"), 0.6), Column(_("Mission"), 0.6, "center"), Column(_("Goal"), 4)],
                [Table.cells(g["code"], Cell(str(g.get("mission") or "—"), "center"), g["text"]) for g in goals],
            )
        )
    else:
        doc.placeholder(chapter, _("No goal (sasaran) is recorded."))


def strategies(doc: Document, data: BookData, body: dict[str, str], dims: list[Any]) -> None:
    chapter = doc.chapter("b2-strategies", title_of(data, "b2-strategies"))
    add_rich_text(doc, chapter, body.get("b2-strategies", ""), None)
    for dim in dims:
        chapter.blocks.append(Heading(f"{dim.code} · {dim.name}"))
        rows = [Table.cells(s["code"], _("whole dimension"), s["text"]) for s in dim.strategies]
        for el in dim.elements:
            rows += [Table.cells(s["code"], f"{el.code} {el.name}", s["text"]) for s in el.strategies]
        if rows:
            chapter.blocks.append(
                Table([Column(_("Code"), 0.7), Column(_("Element"), 1.5), Column(_("Strategy"), 4)], rows)
            )
        else:
            doc.placeholder(chapter, _("No strategy for the dimension %(dim)s.") % {"dim": f"{dim.code} {dim.name}"})


def _programme_table(progs: list[dict[str, Any]], lab: dict[str, dict[str, str]]) -> Table:
    rows = [
        [
            Cell(p["code"]),
            Cell(p["name"]),
            Cell(p.get("lead_opd") or "—"),
            Cell(not_stated.years(p.get("start_year"), p.get("end_year")), "center"),
            Cell(short(lab["horizon"].get(p.get("horizon") or "", p.get("horizon") or ""))),
            Cell(money(programme_total(p)), "right"),
        ]
        for p in progs
    ]
    return Table(
        [
            Column(_("Code"), 0.8),
            Column(_("Programme"), 3.2),
            Column(_("Lead OPD"), 1.1),
            Column(_("Years"), 1, "center"),
            Column(_("Horizon"), 0.9),
            Column(_("Budget (Rp)"), 1.3, "right"),
        ],
        rows,
    )


def programmes(doc: Document, data: BookData, body: dict[str, str], dims: list[Any]) -> None:
    chapter = doc.chapter("b2-programmes", title_of(data, "b2-programmes"))
    add_rich_text(doc, chapter, body.get("b2-programmes", ""), None)
    lab = labels()
    summary = [
        [Cell(f"{d.code} {d.name}"), Cell(str(d.programme_count), "right"), Cell(money(d.budget), "right")]
        for d in dims
    ]
    summary.append(
        [
            Cell(_("Total"), bold=True, shade="#f3f2f1"),
            Cell(str(sum(d.programme_count for d in dims)), "right", "#f3f2f1", True),
            total_cell(sum(d.budget for d in dims)),
        ]
    )
    chapter.blocks.append(
        Table(
            [Column(_("Dimension"), 3), Column(_("Programmes"), 1, "right"), Column(_("Budget (Rp)"), 1.5, "right")],
            summary,
            caption=_("Programmes and budget by dimension"),
        )
    )
    without_budget = [p["code"] for p in data.doc["programmes"] if not p.get("budgets")]
    for dim in dims:
        chapter.blocks.append(Heading(f"{dim.code} · {dim.name}"))
        for el in dim.elements:
            chapter.blocks.append(Heading(f"{el.code} {el.name}", level=3))
            if el.programmes:
                chapter.blocks.append(_programme_table(el.programmes, lab))
            elif el.waiver is not None:
                chapter.blocks.append(
                    Paragraph([Run(_("Not covered in this edition") + ": ", bold=True), Run(el.waiver)], "meta")
                )
            else:
                doc.placeholder(chapter, _("No programme for the element %(el)s.") % {"el": f"{el.code} {el.name}"})
        if dim.unplaced:
            chapter.blocks.append(Heading(_("Without an element"), level=3))
            chapter.blocks.append(_programme_table(dim.unplaced, lab))
    if without_budget:
        doc.missing.append(
            _missing(
                chapter, _("Programmes without a budget estimate: %(codes)s") % {"codes": ", ".join(without_budget)}
            )
        )


def _missing(chapter: Chapter, text: str) -> Any:
    from kotacerdas.reports.document import Missing

    return Missing(chapter.heading, text, chapter.key)


def action_plans(doc: Document, data: BookData, body: dict[str, str], dims: list[Any]) -> None:
    chapter = doc.chapter("b2-action-plans", title_of(data, "b2-action-plans"))
    chapter.landscape = True
    add_rich_text(doc, chapter, body.get("b2-action-plans", ""), None)
    lacking: list[str] = []
    for dim in dims:
        progs = [p for el in dim.elements for p in el.programmes] + dim.unplaced
        rows = []
        for p in progs:
            items = p.get("action_items") or []
            if not items:
                lacking.append(p["code"])
            for a in items:
                rows.append(
                    Table.cells(
                        p["code"],
                        a["activity"],
                        Cell(f"{month(a['starts_on'])}–{month(a['ends_on'])}", "center"),
                        " / ".join(x for x in (a.get("person_in_charge"), a.get("opd")) if x) or "—",
                        a.get("output") or "—",
                    )
                )
        if not rows:
            continue
        chapter.blocks.append(Heading(f"{dim.code} · {dim.name}", wide=True))
        chapter.blocks.append(
            Table(
                [
                    Column(_("Programme"), 0.8),
                    Column(_("Activity"), 3),
                    Column(_("Period"), 1.6, "center"),
                    Column(_("In charge"), 1.6),
                    Column(_("Output"), 2.2),
                ],
                rows,
                wide=True,
                compact=True,
            )
        )
    if lacking:
        doc.missing.append(
            _missing(chapter, _("Programmes without an action plan: %(codes)s") % {"codes": ", ".join(lacking)})
        )
        if len(lacking) == len(data.doc["programmes"]):
            doc.placeholder(chapter, _("No programme has an action plan yet."))


def roadmap_grid(progs: list[dict[str, Any]], years: list[int]) -> Table:
    """The roadmap as a native table (DOCX): one shaded cell per programme year, ★ for a quick win."""
    rows = []
    for p in progs:
        cells = [Cell(p["code"]), Cell(p["name"])]
        for y in years:
            active = not_stated.runs_in(p.get("start_year"), p.get("end_year"), y)
            star = "★" if y in (p.get("quick_win_years") or []) else ""
            cells.append(
                Cell(
                    star,
                    "center",
                    HORIZON_SHADE.get(p.get("horizon") or "", "#505a5f") if active else "",
                    colour="#ffbf47",
                )
            )
        rows.append(cells)
    columns = [Column(_("Code"), 0.9), Column(_("Programme"), 4)] + [Column(str(y), 0.55, "center") for y in years]
    return Table(columns, rows, wide=True, compact=True)


def roadmap(doc: Document, data: BookData, body: dict[str, str], names: dict[str, str]) -> None:
    chapter = doc.chapter("b2-roadmap", title_of(data, "b2-roadmap"))
    chapter.landscape = True
    add_rich_text(doc, chapter, body.get("b2-roadmap", ""), None)
    edition = data.doc["edition"]
    lab = labels()["horizon"] | {"quick_win": _("quick win")}
    years = list(range(edition["start_year"], edition["end_year"] + 1))
    for code, name in names.items():
        progs = sorted(
            (p for p in data.doc["programmes"] if p["dimension"] == code),
            key=lambda p: (p.get("start_year") or 0, p["code"]),
        )
        if not progs:
            continue
        # A landscape page holds about 18 rows of the chart: longer dimensions get several figures.
        parts = [progs[n : n + ROADMAP_ROWS] for n in range(0, len(progs), ROADMAP_ROWS)]
        for n, part in enumerate(parts, start=1):
            caption = _("Roadmap of the dimension %(dim)s") % {"dim": f"{code} · {name}"}
            if len(parts) > 1:
                caption += f" ({n}/{len(parts)})"
            part_doc = {"edition": edition, "programmes": part}
            svg = roadmap_svg(part_doc, code, caption, lab, row_labels=False)
            width, height = roadmap_size(part_doc, code)
            rows = RowLabels(roadmap_row_labels(part_doc, code), width, height, LABEL_WIDTH, TOP, ROW, FONT_SIZE)
            chapter.blocks.append(Figure(svg, caption, roadmap_grid(part, years), wide=True, rows=rows))


def quick_wins(doc: Document, data: BookData, body: dict[str, str], years: dict[int, QuickWinYear]) -> None:
    chapter = doc.chapter("b2-quick-wins", title_of(data, "b2-quick-wins"))
    add_rich_text(doc, chapter, body.get("b2-quick-wins", ""), None)
    quick_win_chapter(doc, chapter, data, years)


def millions(amount: int) -> str:
    """Rupiah in millions, the unit of Indonesian budget tables: 1.250,5 for Rp 1.250.500.000."""
    return num(round(amount / 1_000_000, 1))


def _total(amount: int) -> Cell:
    return Cell(millions(amount), align="right", bold=True, shade="#f3f2f1")


def _year_table(
    label: str, rows: dict[str, dict[int, int]], years: list[int], caption: str, names: dict[str, str]
) -> Table:
    out = []
    for key, by_year in rows.items():
        out.append(
            [Cell(names.get(key, key))]
            + [Cell(millions(by_year.get(y, 0)) if by_year.get(y) else "–", "right") for y in years]
            + [_total(sum(by_year.values()))]
        )
    totals: dict[int, int] = defaultdict(int)
    for by_year in rows.values():
        for y, amount in by_year.items():
            totals[y] += amount
    out.append(
        [Cell(_("Total"), bold=True, shade="#f3f2f1")]
        + [_total(totals.get(y, 0)) for y in years]
        + [_total(sum(totals.values()))]
    )
    columns = [Column(label, 2.2)] + [Column(str(y), 1.2, "right") for y in years] + [Column(_("Total"), 1.4, "right")]
    return Table(columns, out, caption=caption, wide=True, compact=True)


def budget(doc: Document, data: BookData, names: dict[str, str]) -> None:
    chapter = doc.chapter("b2-budget", _("Budget plan"))
    chapter.landscape = True
    totals = budget_totals(data.doc)
    if not totals.total:
        doc.placeholder(chapter, _("No programme has a budget estimate yet."))
        return
    chapter.blocks.append(
        Paragraph.of(
            _(
                "Indicative budget of the plan: Rp %(total)s over %(years)s years. "
                "Amounts in the tables in million rupiah."
            )
            % {"total": money(totals.total), "years": len(totals.years)}
        )
    )
    if totals.undated:
        chapter.blocks.append(
            Paragraph.of(
                _(
                    "Of this, Rp %(amount)s is in budget lines whose year the plan does not state: "
                    "counted in the total, in no year of the tables."
                )
                % {"amount": money(totals.undated)}
            )
        )
    sources = labels()["source"]
    dim_names = {k: f"{k} {v}" for k, v in names.items()}
    opd_names = {o["abbreviation"]: o["abbreviation"] for o in data.doc.get("opds") or []}
    chapter.blocks.append(
        _year_table(_("Source"), totals.by_source, totals.years, _("Budget by year and source"), sources)
    )
    chapter.blocks.append(
        _year_table(_("Dimension"), totals.by_dimension, totals.years, _("Budget by year and dimension"), dim_names)
    )
    chapter.blocks.append(
        _year_table(_("Lead OPD"), totals.by_opd, totals.years, _("Budget by year and lead OPD"), opd_names)
    )


def governance(doc: Document, data: BookData, body: dict[str, str]) -> None:
    chapter = doc.chapter("b2-governance", title_of(data, "b2-governance"))
    add_rich_text(doc, chapter, body.get("b2-governance", ""), None)
    kinds = dict(GovernanceBody.Kind.choices)
    for kind, label in kinds.items():
        bodies = [b for b in data.bodies if b.kind == kind]
        if not bodies:
            doc.placeholder(chapter, _("%(body)s: not recorded for the region.") % {"body": label})
        for b in bodies:
            chapter.blocks.append(Heading(b.name))
            if b.decree_number:
                chapter.blocks.append(
                    Paragraph(
                        [
                            Run(_("Established by decree") + ": ", bold=True),
                            Run(f"{b.decree_number}" + (f", {date(b.decree_date)}" if b.decree_date else "")),
                        ]
                    )
                )
            else:
                doc.placeholder(chapter, _("%(body)s: the decree (SK) is not recorded.") % {"body": b.name})
            members = list(b.members.all())
            if members:
                chapter.blocks.append(
                    Table(
                        [Column(_("Role"), 1.2), Column(_("Name"), 2), Column(_("Position"), 2.2), Column(_("OPD"), 1)],
                        [
                            Table.cells(
                                m.get_role_display(),
                                m.person_name,
                                m.position or "—",
                                m.opd.abbreviation if m.opd else "—",
                            )
                            for m in members
                        ],
                    )
                )
            else:
                doc.placeholder(chapter, _("%(body)s: no member is recorded.") % {"body": b.name})


def adoption(doc: Document, data: BookData) -> None:
    chapter = doc.chapter("b2-adoption", _("Approval and adoption record"))
    from kotacerdas.plans.models import AdoptionInstrument, EditionStatus

    statuses = dict(EditionStatus.choices)
    if data.steps:
        chapter.blocks.append(
            Table(
                [
                    Column(_("Step"), 2.2),
                    Column(_("Date"), 1.2),
                    Column(_("Reference"), 2),
                    Column(_("Recorded by"), 1.4),
                ],
                [
                    Table.cells(str(statuses.get(s.step, s.step)), date(s.decided_on), s.reference or "—", s.actor_name)
                    for s in data.steps
                ],
            )
        )
    else:
        chapter.blocks.append(
            Paragraph.of(_("No approval step is recorded yet: the edition is being drafted."), "meta")
        )
    adopted = (data.doc["edition"] or {}).get("adoption")
    if adopted:
        instrument = dict(AdoptionInstrument.choices).get(adopted["instrument"], adopted["instrument"])
        rows = [
            Table.cells(_("Adopted by"), str(instrument)),
            Table.cells(_("Regulation number"), adopted["number"]),
            Table.cells(_("Regulation date"), date(data.edition.adoption_date)),
            Table.cells(_("Fingerprint of the adopted content"), adopted.get("fingerprint") or "—"),
        ]
        chapter.blocks.append(Table([Column(_("Adoption"), 1.5), Column("", 4)], rows))
    else:
        doc.placeholder(chapter, _("The edition is not adopted yet (no Perwal/Perbup recorded)."))


def indicators(doc: Document, data: BookData) -> None:
    """One entry per programme: its code and name, then a line per indicator with its baseline,
    yearly targets and data producer.

    Entries rather than a table: the table of a 300-programme plan (a row per programme, its
    1,000 indicator lines in cells) took WeasyPrint 1.5 s of a book's layout, the entries a third
    of that, on fewer pages. A column per year or a row per indicator cost far more still.
    """
    chapter = doc.chapter("b2-indicators", _("Appendix: indicators, baselines and targets"), number=False)
    arrows = {"higher": "↑", "lower": "↓"}
    entries = []
    no_baseline = []
    metadata = []
    frequencies = dict(Frequency.choices)
    saved = data.extra.get("metadata") or {}  # monitoring's IndicatorMetadata by indicator id
    for p in data.doc["programmes"]:
        lines = []
        for i in p.get("indicators") or []:
            if i.get("baseline") in (None, ""):
                no_baseline.append(f"{p['code']} {i['name']}")
            baseline = num(i.get("baseline")) or "—"
            if i.get("baseline_year"):
                baseline += f" ({i['baseline_year']})"
            targets = target_line(i.get("targets") or [])
            unit = f"{i.get('unit') or ''} {arrows.get(i.get('direction') or '', '')}".strip()
            # Satu Data metadata (kept in monitoring): frequency and source beside the producer,
            # the longer texts below; nothing for an indicator whose metadata nobody saved yet.
            m = saved.get(i.get("id"))
            extra = [str(frequencies.get(m.frequency, m.frequency)), m.data_source] if m else []
            producer = " · ".join([i.get("data_producer") or "—", *[e for e in extra if e]])
            lines.append(f"{i['name']} [{unit}] — {baseline} → {targets} · {producer}")
            if m and (m.definition or m.concept or m.method):
                metadata.append(
                    Table.cells(f"{p['code']} {i['name']}", m.definition or "—", m.concept or "—", m.method or "—")
                )
        if lines:
            heading = Run(f"{p['code']} {p['name']}", bold=True)
            entries.append(Paragraph([heading, Run("\n" + "\n".join(lines))], "entry"))
    if not entries:
        doc.placeholder(chapter, _("No programme has an indicator yet."))
        return
    chapter.blocks.append(
        Paragraph.of(
            _(
                "Each line: indicator [unit, ↑ higher is better, ↓ lower is better] — baseline (year) → "
                "target per year of the plan period · data producer."
            ),
            "meta",
        )
    )
    chapter.blocks.extend(entries)
    if metadata:
        chapter.blocks.append(Paragraph.of(_("Satu Data metadata of the indicators that state it."), "meta"))
        columns = [
            Column(_("Indicator"), 2.2),
            Column(_("Definition"), 2.6),
            Column(_("Concept"), 2.4),
            Column(_("Method or formula"), 2.5),
        ]
        chapter.blocks.append(Table(columns, metadata, compact=True))
    if no_baseline:
        doc.missing.append(
            _missing(chapter, _("Indicators without a baseline: %(list)s") % {"list": "; ".join(no_baseline)})
        )
