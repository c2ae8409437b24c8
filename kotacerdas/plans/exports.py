"""The SIPD export of an edition (issue 16), made from its document.

SIPD (:func:`sipd_table`)
    The plan's programmes with their SIPD codes and budgets per year, in the column layout of
    docs/sipd.md, so a SIPD operator can paste the rows into the RKPD/Renja input sheets: the
    code split by level (urusan, bidang urusan, program, kegiatan, sub kegiatan), the name the
    code list gives it, the master plan programme, the lead agency, the funding source, then one
    column of whole rupiah per year of the plan period, "year not stated" and the total. One row
    per programme, code and funding source: a budget line's sub kegiatan code, else the
    programme's own code. A programme without any budget line still has its row (amounts empty).

The Satu Data indicator export is monitoring's (``monitoring.satudata``): the metadata it prints
is kept there, on the indicator's metadata page.

It is a table of plain values (header first); :func:`as_csv` and :func:`as_xlsx` write them
through ``lib/spreadsheets`` (text stays text, numbers stay numbers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.lib import spreadsheets
from kotacerdas.plans.models import BudgetSource

Table = list[list[Any]]


def _years(doc: dict[str, Any]) -> list[int]:
    edition = doc.get("edition") or {}
    start, end = edition.get("start_year"), edition.get("end_year")
    if not isinstance(start, int) or not isinstance(end, int) or end < start:
        return []
    return list(range(start, end + 1))


def split_code(code: str) -> list[str]:
    """The code at each level: [urusan, bidang urusan, program, kegiatan, sub kegiatan] ("" below it)."""
    parts = code.split(".") if code else []
    levels = [1, 2, 3, 5, 6]
    return [".".join(parts[:n]) if len(parts) >= n else "" for n in levels]


def codes_of(doc: dict[str, Any]) -> set[str]:
    """Every SIPD code the plan carries (programmes' and budget lines')."""
    found: set[str] = set()
    for p in doc.get("programmes") or []:
        found.add(p.get("permendagri_code") or "")
        found.update(b.get("sub_activity_code") or "" for b in p.get("budgets") or [])
    found.discard("")
    return found


def sipd_table(doc: dict[str, Any], names: dict[str, str]) -> Table:
    """The SIPD layout (module docstring); ``names`` maps codes to the code list's names."""
    years = _years(doc)
    sources = dict(BudgetSource.choices)
    header = [
        _("Urusan code"),
        _("Bidang urusan code"),
        _("Program code"),
        _("Kegiatan code"),
        _("Sub kegiatan code"),
        _("Name in the SIPD code list"),
        _("Master plan programme"),
        _("Programme name"),
        _("Lead agency"),
        _("Funding source"),
        *[str(y) for y in years],
        _("year not stated"),
        _("Total"),
    ]
    rows: Table = [header]
    for p in doc.get("programmes") or []:
        grouped: dict[tuple[str, str], dict[int | None, int]] = {}
        for b in p.get("budgets") or []:
            code = b.get("sub_activity_code") or p.get("permendagri_code") or ""
            amounts = grouped.setdefault((code, b.get("source") or ""), defaultdict(int))
            amounts[b.get("year") if b.get("year") in years else None] += int(b.get("amount") or 0)
        if not grouped:
            grouped[(p.get("permendagri_code") or "", "")] = {}
        for (code, source), amounts in grouped.items():
            deepest = next((c for c in reversed(split_code(code)) if c), "")
            rows.append(
                [
                    *split_code(code),
                    names.get(deepest, ""),
                    p.get("code") or "",
                    p.get("name") or "",
                    p.get("lead_opd") or "",
                    str(sources.get(source, source)) if source else "",
                    *[amounts.get(y) for y in years],
                    amounts.get(None),
                    sum(amounts.values()) if amounts else None,
                ]
            )
    return rows


def as_csv(table: Table) -> str:
    return spreadsheets.csv_text(table)


def as_xlsx(table: Table, sheet: str) -> bytes:
    book = spreadsheets.new_workbook(sheet[:31])
    out = spreadsheets.first_sheet(book)
    for row in table:
        spreadsheets.append_row(out, row)
    out.freeze_panes = "A2"
    return spreadsheets.workbook_bytes(book)


WRITERS: dict[str, Callable[[Table, str], str | bytes]] = {
    "csv": lambda table, _sheet: as_csv(table),
    "xlsx": as_xlsx,
}


def written(table: Table, fmt: str, sheet: str) -> str | bytes:
    return WRITERS[fmt](table, sheet)
