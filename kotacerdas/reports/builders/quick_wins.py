"""Buku 2's quick wins, from one source: the chapter and the roadmap's stars read the same sets.

A selection round decides the quick wins of its budget year. The book reports the round's
confirmed result, or, while the forum has not confirmed one, its latest result and says so; the
edition's quick-win flags are the copy that confirming writes (``confirm_selection``) and decide
only the years no round over the edition selects for. Where the flags disagree with the result
the book reports, the chapter says so and lists it under "what is still missing"; for a confirmed
result the plan check reports it as an error too (PC022), before anything is printed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.quickwins.text import round_label
from kotacerdas.reports.builders.common import money, num
from kotacerdas.reports.document import Column, Document, Heading, Paragraph, Table
from kotacerdas.reports.selectors import BookData, QuickWinChoice


@dataclass
class QuickWinYear:
    """The quick wins the book lists for a budget year, and where they come from."""

    year: int
    codes: list[str]  # in the plan's programme order
    choice: QuickWinChoice | None  # the round's result behind them; None: the plan's flags alone
    flagged: list[str]  # what the plan's flags say for that year


def book_quick_wins(data: BookData) -> dict[int, QuickWinYear]:
    """Per budget year, the quick wins the book reports (the round's result where there is one)."""
    order = {p["code"]: n for n, p in enumerate(data.doc["programmes"])}
    flagged: dict[int, list[str]] = defaultdict(list)
    for p in data.doc["programmes"]:
        for year in p.get("quick_win_years") or []:
            flagged[year].append(p["code"])
    out = {year: QuickWinYear(year, codes, None, codes) for year, codes in flagged.items()}
    for choice in data.quick_wins:
        year = choice.round.budget_year
        known = out.get(year)
        if known is not None and known.choice is not None and known.choice.confirmed and not choice.confirmed:
            continue  # a confirmed result outranks another round's unconfirmed one
        chosen = [str(code) for code in (choice.solve.report or {}).get("selection") or []]
        codes = sorted(chosen, key=lambda code: (order.get(code, len(order)), code))
        out[year] = QuickWinYear(year, codes, choice, flagged.get(year, []))
    return dict(sorted(out.items()))


def with_book_quick_wins(data: BookData, years: dict[int, QuickWinYear]) -> BookData:
    """``data`` whose programmes carry the quick-win years the book reports (for the roadmap)."""
    marked: dict[str, list[int]] = defaultdict(list)
    for qy in years.values():
        for code in qy.codes:
            marked[code].append(qy.year)
    programmes = [{**p, "quick_win_years": sorted(marked.get(p["code"], []))} for p in data.doc["programmes"]]
    return replace(data, doc={**data.doc, "programmes": programmes})


def _source(choice: QuickWinChoice) -> str:
    report = choice.solve.report or {}
    weights = ", ".join(f"{w['name']} {num(round(w['weight'] * 100, 1))} %" for w in report.get("weights") or [])
    values = {
        "round": round_label(choice.round.year, choice.round.budget_year),
        "n": choice.solve.number,
        "criteria": weights or "—",
    }
    if choice.confirmed:
        text = _("Chosen in %(round)s, result #%(n)s, confirmed by the forum; criteria: %(criteria)s.")
    else:
        text = _("Proposed in %(round)s, result #%(n)s, not yet confirmed by the forum; criteria: %(criteria)s.")
    return text % values


def _reasons(choice: QuickWinChoice | None) -> dict[str, str]:
    if choice is None:
        return {}
    candidates = (choice.solve.report or {}).get("candidates") or []
    reasons = {}
    for c in candidates:
        figures = _("value %(value)s, rank %(rank)s of %(total)s, cost Rp %(cost)s") % {
            "value": num(round(c["value"], 1)),
            "rank": c["rank"],
            "total": len(candidates),
            "cost": money(c["cost"]),
        }
        if c.get("must") == "include":
            figures += "; " + _("decided by the forum")
        reasons[c["id"]] = figures
    return reasons


def chapter(doc: Document, chapter: Any, data: BookData, years: dict[int, QuickWinYear]) -> None:
    """The quick-win chapter's tables, one per budget year, each saying which result it reports."""
    if not years:
        doc.placeholder(chapter, _("No quick win is chosen yet."))
        return
    programmes = {p["code"]: p for p in data.doc["programmes"]}
    for year, qy in years.items():
        chapter.blocks.append(Heading(_("Quick wins %(year)s") % {"year": year}))
        if qy.choice is None:
            doc.placeholder(
                chapter,
                _("The selection rationale of the %(year)s quick wins is not recorded (no confirmed selection round).")
                % {"year": year},
            )
        else:
            chapter.blocks.append(Paragraph.of(_source(qy.choice), "meta"))
            if not qy.choice.confirmed:
                doc.placeholder(
                    chapter,
                    _("The forum has not confirmed the quick wins of %(year)s yet: result #%(n)s is a proposal.")
                    % {"year": year, "n": qy.choice.solve.number},
                )
            extra = [code for code in qy.flagged if code not in qy.codes]
            lacking = [code for code in qy.codes if code not in qy.flagged]
            if extra:
                doc.placeholder(
                    chapter,
                    _("Marked as quick wins of %(year)s in the plan but not chosen in this result: %(codes)s.")
                    % {"year": year, "codes": ", ".join(extra)},
                )
            if lacking and qy.choice.confirmed:
                doc.placeholder(
                    chapter,
                    _("Chosen in this result but not marked as quick wins of %(year)s in the plan: %(codes)s.")
                    % {"year": year, "codes": ", ".join(lacking)},
                )
        if not qy.codes:
            chapter.blocks.append(Paragraph.of(_("This result chooses no programme.")))
            continue
        reasons = _reasons(qy.choice)
        rows = []
        for code in qy.codes:
            p = programmes.get(code) or {}
            rows.append(Table.cells(code, p.get("name") or "—", p.get("lead_opd") or "—", reasons.get(code, "—")))
        chapter.blocks.append(
            Table(
                [
                    Column(_("Code"), 0.8),
                    Column(_("Programme"), 2.6),
                    Column(_("Lead OPD"), 1.1),
                    Column(_("Why it was chosen"), 2.8),
                ],
                rows,
            )
        )
