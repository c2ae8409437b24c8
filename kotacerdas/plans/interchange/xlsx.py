"""The XLSX form of the interchange document: one sheet per table, for cities that draft in Excel.

``write_workbook(doc)`` and ``read_workbook(data)`` convert between the document and the
workbook; reading reports every problem as ``sheet!cell (column)`` and returns a map from JSON
paths to cells, so problems found later (by the importer) point at cells too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kotacerdas.lib.spreadsheets import append_row, first_sheet, new_workbook, open_workbook, workbook_bytes
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.plans import fields as programme_fields
from kotacerdas.plans import notstated
from kotacerdas.plans.interchange.schema import FORMAT, FORMAT_VERSION, LEGACY_INDICATOR_KEYS

LIST_SEP = ","
# A cell such as 1E+999999999 would become a number of a billion digits; no column holds 30.
MAX_EXPONENT = 30

EDITION_KEYS = [
    "format",
    "format_version",
    "region_code",
    "region_name",
    "year",
    "title",
    "start_year",
    "end_year",
    "status",
    "previous_year",
    "vision",
    "vision_keywords",
    "rpjmd_period",
    "quick_win_limit",
    "rpjmd_min_share",
    "taxonomy_code",
    "taxonomy_version",
]
SHEETS: dict[str, list[str]] = {
    "sections": ["key", "book", "title", "body", "review_state"],
    "swot": ["component", "kind", "text"],
    "missions": ["number", "text", "rpjmd_mission"],
    "goals": ["code", "mission", "text"],
    "strategies": ["code", "dimension", "element", "goal", "text"],
    "waivers": ["element", "reason"],
    "programmes": list(programme_fields.DOCUMENT_FIELDS),
    # "id" (and an indicator's "lineage") come last, so a row keeps its identity on re-import.
    # Columns added later (the SIPD code) come after the id: older workbooks lack them.
    "budgets": ["programme", "year", "source", "amount", "note", "id", "sub_activity_code"],
    "indicators": [
        "programme",
        "no",
        "name",
        "kind",
        "unit",
        "direction",
        "baseline",
        "baseline_year",
        "data_producer",
        "id",
        "lineage",
    ],
    "targets": ["programme", "indicator_no", "year", "value", "upper"],
    "action_items": ["programme", "activity", "starts_on", "ends_on", "person_in_charge", "opd", "output", "id"],
    "dispositions": [
        "previous_code",
        "previous_lineage",
        "kind",
        "programme",
        "merged_into",
        "rationale",
        "implementation_status",
        "implementation_note",
    ],
    "opds": ["abbreviation", "name", "valid_from", "valid_to"],
    "taxonomy": ["dimension", "dimension_name", "element", "element_name"],
}
INT_COLUMNS = {
    "book",
    "number",
    "mission",
    "start_year",
    "end_year",
    "year",
    "amount",
    "no",
    "indicator_no",
    "id",
    "baseline_year",
    "order",
    "previous_year",
    "quick_win_limit",
    "rpjmd_min_share",
    "format_version",
    "taxonomy_version",
}
DECIMAL_COLUMNS = {"baseline", "value", "upper"}
# Columns a workbook may leave out (written by an older KotaCerdas, or not known yet).
OPTIONAL_COLUMNS = {
    "id",
    "lineage",
    "order",
    "is_sample",
    "source_document",
    "source_note",
    "upper",
    "sub_activity_code",
}
# Columns some workbooks carry that are read only to warn they are not imported (FORMAT.md).
LEGACY_COLUMNS = {"indicators": list(LEGACY_INDICATOR_KEYS)}
LIST_COLUMNS = {"supporting_opds", "dependencies", "quick_win_years", "vision_keywords"}
NULLABLE = {
    "element",
    "strategy",
    "lead_opd",
    "goal",
    "mission",
    "component",
    "baseline",
    "baseline_year",
    "data_producer",
    "opd",
    "previous_year",
    "programme",
    "merged_into",
    "valid_to",
    "source",  # a budget line's funding source: empty is "not stated"
    "frequency",  # a legacy column (LEGACY_COLUMNS): empty is "not stated"
}


def _cell_number(value: Decimal | None) -> Any:
    """Decimals as numbers Excel understands (integers when whole)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def write_workbook(doc: dict[str, Any]) -> bytes:
    book = new_workbook("edition")
    sheet = first_sheet(book)
    ed = doc.get("edition", {})
    values = {
        "format": doc.get("format", FORMAT),
        "format_version": doc.get("format_version", FORMAT_VERSION),
        "region_code": doc.get("region", {}).get("code"),
        "region_name": doc.get("region", {}).get("name"),
        **{k: ed.get(k) for k in EDITION_KEYS if k in ed},
        "vision_keywords": f"{LIST_SEP} ".join(ed.get("vision_keywords", [])),
        "taxonomy_code": doc.get("taxonomy", {}).get("code"),
        "taxonomy_version": doc.get("taxonomy", {}).get("version"),
    }
    append_row(sheet, ["key", "value"])
    for key in EDITION_KEYS:
        append_row(sheet, [key, values.get(key)])
    rows: dict[str, list[list[Any]]] = {name: [] for name in SHEETS}
    for s in doc.get("sections", []):
        rows["sections"].append([s["key"], s.get("book"), s.get("title"), s.get("body"), s.get("review_state")])
    for s in doc.get("swot", []):
        rows["swot"].append([s.get("component"), s["kind"], s["text"]])
    for m in doc.get("missions", []):
        rows["missions"].append([m["number"], m["text"], m.get("rpjmd_mission")])
    for g in doc.get("goals", []):
        rows["goals"].append([g["code"], g.get("mission"), g["text"]])
    for s in doc.get("strategies", []):
        rows["strategies"].append([s["code"], s["dimension"], s.get("element"), s.get("goal"), s["text"]])
    for w in doc.get("waivers", []):
        rows["waivers"].append([w["element"], w["reason"]])
    for p in doc.get("programmes", []):
        code = p["code"]
        rows["programmes"].append(
            [
                code,
                p.get("lineage"),
                p["dimension"],
                notstated.cell(p.get("element")),
                notstated.cell(p.get("strategy")),
                p["name"],
                p.get("description"),
                p.get("problem"),
                p.get("innovation_kind"),
                notstated.cell(p.get("lead_opd")),
                f"{LIST_SEP} ".join(p.get("supporting_opds", [])),
                "\n".join(p.get("partners", [])),
                notstated.cell(p.get("horizon")),
                notstated.cell(p.get("start_year")),
                notstated.cell(p.get("end_year")),
                p.get("status"),
                p.get("rpjmd_programme"),
                p.get("renstra_ref"),
                p.get("permendagri_code"),
                p.get("spbe_indicator"),
                f"{LIST_SEP} ".join(p.get("dependencies", [])),
                f"{LIST_SEP} ".join(str(y) for y in p.get("quick_win_years", [])),
                p.get("order"),
                "yes" if p.get("is_sample") else "no",
                p.get("source_document"),
                p.get("source_note"),
            ]
        )
        for b in p.get("budgets", []):
            year, source = notstated.cell(b.get("year")), notstated.cell(b.get("source"))
            rows["budgets"].append(
                [code, year, source, b["amount"], b.get("note"), b.get("id"), b.get("sub_activity_code") or ""]
            )
        for n, i in enumerate(p.get("indicators", []), start=1):
            rows["indicators"].append(
                [
                    code,
                    n,
                    i["name"],
                    i.get("kind"),
                    i["unit"],
                    i["direction"],
                    _cell_number(_dec(i.get("baseline"))),
                    i.get("baseline_year"),
                    i.get("data_producer"),
                    i.get("id"),
                    i.get("lineage"),
                ]
            )
            for t in i.get("targets", []):
                rows["targets"].append(
                    [
                        code,
                        n,
                        notstated.cell(t.get("year")),
                        _cell_number(_dec(t["value"])),
                        _cell_number(_dec(t.get("upper"))),
                    ]
                )
        for a in p.get("action_items", []):
            rows["action_items"].append(
                [
                    code,
                    a["activity"],
                    a["starts_on"],
                    a["ends_on"],
                    a.get("person_in_charge"),
                    a.get("opd"),
                    a.get("output"),
                    a.get("id"),
                ]
            )
    for d in doc.get("dispositions", []):
        previous = d.get("previous") or {}
        rows["dispositions"].append(
            [
                previous.get("code"),
                previous.get("lineage"),
                d["kind"],
                d.get("programme"),
                d.get("merged_into"),
                d.get("rationale"),
                d.get("implementation_status"),
                d.get("implementation_note"),
            ]
        )
    for o in doc.get("opds", []):
        rows["opds"].append([o["abbreviation"], o.get("name"), o.get("valid_from"), o.get("valid_to")])
    for dim in doc.get("taxonomy", {}).get("dimensions", []):
        for e in dim.get("elements", []) or [{}]:
            rows["taxonomy"].append([dim["code"], dim.get("name"), e.get("code"), e.get("name")])
    for name, header in SHEETS.items():
        ws = book.create_sheet(name)
        append_row(ws, header)
        for row in rows[name]:
            append_row(ws, row)
        ws.freeze_panes = "A2"
    return workbook_bytes(book)


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass
class WorkbookRead:
    doc: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (sheet!cell (column), message)
    cells: dict[str, tuple[str, int, dict[str, str]]] = field(default_factory=dict)  # json path → sheet, row, cols

    def locate(self, path: str) -> str:
        """A JSON path of the document as ``sheet!cell (column)`` when it came from a cell.

        The longest prefix of ``path`` (cut at a ``.`` or ``[``) that came from a row: a few
        dictionary look-ups, so locating every problem of a large file stays linear.
        """
        best = ""
        for cut in range(len(path), 0, -1):
            if (cut == len(path) or path[cut] in ".[") and path[:cut] in self.cells:
                best = path[:cut]
                break
        if not best:
            return path
        sheet, row, columns = self.cells[best]
        rest = path[len(best) :].lstrip(".")
        column = rest.split(".")[0].split("[")[0]
        if column in columns:
            return f"{sheet}!{columns[column]}{row} ({column})"
        return f"{sheet}!{row}"


def _convert(value: Any, column: str) -> tuple[Any, str | None]:
    """A cell value as the document wants it, or an error message."""
    if column in notstated.WORKBOOK_COLUMNS:
        value = notstated.read_cell(value)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if column in LIST_COLUMNS:
            return [], None
        return (None if column in NULLABLE or column in INT_COLUMNS or column in DECIMAL_COLUMNS else ""), None
    if column in INT_COLUMNS:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None, _("“%(value)s” is not a whole number.") % {"value": value}
        if not number.is_finite() or number.adjusted() > MAX_EXPONENT:
            return None, _("“%(value)s” is not a whole number of at most 30 digits.") % {"value": str(value)[:40]}
        if number != number.to_integral_value():
            return None, _("“%(value)s” is not a whole number.") % {"value": value}
        return int(number), None
    if column in DECIMAL_COLUMNS:
        decimal = _dec(value)
        if decimal is None or not decimal.is_finite():
            return None, _("“%(value)s” is not a number.") % {"value": str(value)[:40]}
        if abs(decimal.adjusted()) > MAX_EXPONENT:
            return None, _("“%(value)s” is not a number of at most 30 digits.") % {"value": str(value)[:40]}
        return format(decimal.normalize(), "f"), None
    if column in LIST_COLUMNS:
        items = [x.strip() for x in str(value).split(LIST_SEP) if x.strip()]
        if column == "quick_win_years":
            try:
                return [int(x) for x in items], None
            except ValueError:
                return None, _("“%(value)s” is not a list of years (such as 2025, 2026).") % {"value": value}
        return items, None
    if column in ("starts_on", "ends_on", "valid_from", "valid_to"):
        if isinstance(value, datetime.datetime):
            return value.date().isoformat(), None
        if isinstance(value, datetime.date):
            return value.isoformat(), None
        return str(value), None
    if column == "is_sample":
        return str(value).lower() in ("yes", "ya", "true", "1"), None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value), None


def _sheet_rows(
    book: Any, name: str, problems: list[tuple[str, str]]
) -> Iterable[tuple[int, dict[str, Any], dict[str, str]]]:
    if name not in book.sheetnames:
        return []
    ws = book[name]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    wanted = SHEETS[name] + [c for c in LEGACY_COLUMNS.get(name, []) if c in header]
    missing = [c for c in wanted if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        problems.append((f"{name}!1", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
        return []
    columns = {c: get_column_letter(header.index(c) + 1) for c in wanted if c in header}
    out = []
    for number, raw in enumerate(rows, start=2):
        if raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        record: dict[str, Any] = {}
        for c in wanted:
            if c not in header:
                continue
            position = header.index(c)
            value, error = _convert(raw[position] if position < len(raw) else None, c)
            if error:
                problems.append((f"{name}!{columns[c]}{number} ({c})", error))
            record[c] = value
        out.append((number, record, columns))
    return out


def _with_id(record: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """The row's ``id`` first when the sheet gives one (a row without one is new)."""
    return {"id": record["id"], **item} if record.get("id") is not None else item


def read_workbook(data: bytes, name: str = "workbook.xlsx", hint: str | None = None) -> WorkbookRead:
    """The document a workbook holds, with every cell-level problem (a file that is no workbook: one)."""
    problems: list[tuple[str, str]] = []
    try:
        book = open_workbook(data, name, hint)
    except UnreadableFile as error:
        return WorkbookRead({}, [(name, error.message)])
    result = WorkbookRead({})
    cells = result.cells
    values: dict[str, Any] = {}
    if "edition" not in book.sheetnames:
        problems.append(
            ("edition", _("The sheet “edition” is missing; start from a workbook exported from KotaCerdas."))
        )
    else:
        for number, row in enumerate(book["edition"].iter_rows(values_only=True), start=1):
            if number == 1 or not row or row[0] is None:
                continue
            key = str(row[0]).strip()
            value, problem = _convert(row[1] if len(row) > 1 else None, key)
            if problem:
                problems.append((f"edition!B{number} ({key})", problem))
            values[key] = value
            cells[f"$.edition.{key}"] = ("edition", number, {key: "B"})
    doc: dict[str, Any] = {
        "format": values.get("format") or FORMAT,
        "format_version": values.get("format_version") or FORMAT_VERSION,
        "region": {"code": values.get("region_code") or "", "name": values.get("region_name") or "", "kind": ""},
        "edition": {
            k: values.get(k)
            for k in (
                "year",
                "title",
                "start_year",
                "end_year",
                "status",
                "previous_year",
                "vision",
                "vision_keywords",
                "rpjmd_period",
                "quick_win_limit",
                "rpjmd_min_share",
            )
            if k in values
        },
        "taxonomy": {
            "code": values.get("taxonomy_code") or "",
            "version": values.get("taxonomy_version") or 0,
            "dimensions": [],
        },
    }
    for key in ("vision", "rpjmd_period", "title", "status"):
        if doc["edition"].get(key) is None and key in doc["edition"]:
            doc["edition"][key] = ""
    for key in ("quick_win_limit", "rpjmd_min_share"):
        if doc["edition"].get(key) is None:
            doc["edition"].pop(key, None)
    cells["$.region"] = ("edition", 4, {"code": "B"})
    cells["$.taxonomy"] = ("edition", len(EDITION_KEYS), {"code": "B", "version": "B"})

    def table(name: str, path: str, build: Any) -> list[Any]:
        items: list[Any] = []
        for number, record, columns in _sheet_rows(book, name, problems):
            cells[f"{path}[{len(items)}]"] = (name, number, columns)
            items.append(build(record))
        return items

    doc["sections"] = table(
        "sections",
        "$.sections",
        lambda r: {
            "key": r["key"],
            "book": r["book"] or 1,
            "title": r["title"],
            "body": r["body"],
            "review_state": r["review_state"] or "draft",
        },
    )
    doc["swot"] = table("swot", "$.swot", lambda r: r)
    doc["missions"] = table("missions", "$.missions", lambda r: r)
    doc["goals"] = table("goals", "$.goals", lambda r: r)
    doc["strategies"] = table("strategies", "$.strategies", lambda r: r)
    doc["waivers"] = table("waivers", "$.waivers", lambda r: r)
    tax: dict[str, dict[str, Any]] = {}
    for _n, r, _c in _sheet_rows(book, "taxonomy", problems):
        dim = tax.setdefault(r["dimension"], {"code": r["dimension"], "name": r["dimension_name"], "elements": []})
        if r.get("element"):
            dim["elements"].append({"code": r["element"], "name": r["element_name"]})
    doc["taxonomy"]["dimensions"] = list(tax.values())
    doc["opds"] = [
        {k: r.get(k) for k in ("abbreviation", "name", "valid_from", "valid_to")}
        for _n, r, _c in _sheet_rows(book, "opds", problems)
    ]
    programmes = table(
        "programmes",
        "$.programmes",
        lambda r: {
            **{k: v for k, v in r.items() if k not in ("partners",)},
            "partners": [x.strip() for x in str(r.get("partners") or "").splitlines() if x.strip()],
            "budgets": [],
            "indicators": [],
            "action_items": [],
        },
    )
    for p in programmes:
        if p.get("lineage") in (None, ""):
            p.pop("lineage", None)
        if p.get("order") is None:
            p.pop("order", None)
        for key in ("innovation_kind", "horizon", "status"):
            if not p.get(key):
                p.pop(key, None)
    by_code = {p["code"]: (n, p) for n, p in enumerate(programmes)}

    def child(name: str, key: str, build: Any) -> None:
        for number, record, columns in _sheet_rows(book, name, problems):
            owner = by_code.get(record.get("programme"))
            if owner is None:
                problems.append(
                    (
                        f"{name}!{columns['programme']}{number} (programme)",
                        _("unknown programme %(code)r") % {"code": record.get("programme")},
                    )
                )
                continue
            n, p = owner
            cells[f"$.programmes[{n}].{key}[{len(p[key])}]"] = (name, number, columns)
            p[key].append(build(record))

    child(
        "budgets",
        "budgets",
        lambda r: _with_id(
            r,
            {
                "year": r["year"],
                "source": r["source"],
                "amount": r["amount"],
                "note": r["note"],
                **({"sub_activity_code": r["sub_activity_code"]} if r.get("sub_activity_code") else {}),
            },
        ),
    )
    indicator_index: dict[tuple[Any, Any], dict[str, Any]] = {}
    indicator_place: dict[int, int] = {}  # id(indicator item) → its index in the programme

    def indicator(r: dict[str, Any]) -> dict[str, Any]:
        item = {k: r[k] for k in ("name", "kind", "unit", "direction", "baseline", "baseline_year", "data_producer")}
        item = _with_id(r, item)
        for key in LEGACY_INDICATOR_KEYS:  # read only so the import can say it ignores them
            if r.get(key):
                item[key] = str(r[key])
        if r.get("lineage"):
            item["lineage"] = r["lineage"]
        item["kind"] = item["kind"] or "output"
        item["targets"] = []
        indicator_index[(r["programme"], r["no"])] = item
        indicator_place[id(item)] = len(by_code[r["programme"]][1]["indicators"])
        return item

    child("indicators", "indicators", indicator)
    for number, record, columns in _sheet_rows(book, "targets", problems):
        item = indicator_index.get((record.get("programme"), record.get("indicator_no")))
        if item is None:
            problems.append(
                (
                    f"targets!{columns['indicator_no']}{number} (indicator_no)",
                    _("no indicator %(number)s of %(code)r")
                    % {"number": record.get("indicator_no"), "code": record.get("programme")},
                )
            )
            continue
        n, p = by_code[record["programme"]]
        k = indicator_place[id(item)]
        cells[f"$.programmes[{n}].indicators[{k}].targets[{len(item['targets'])}]"] = ("targets", number, columns)
        target = {"year": record["year"], "value": record["value"]}
        if record.get("upper") is not None:
            target["upper"] = record["upper"]
        item["targets"].append(target)
    child(
        "action_items",
        "action_items",
        lambda r: _with_id(r, {k: v for k, v in r.items() if k not in ("programme", "id")}),
    )
    doc["programmes"] = programmes
    doc["dispositions"] = table(
        "dispositions",
        "$.dispositions",
        lambda r: {
            "previous": {"code": r["previous_code"], "lineage": r["previous_lineage"]}
            if r.get("previous_code")
            else None,
            **{
                k: r[k]
                for k in (
                    "kind",
                    "programme",
                    "merged_into",
                    "rationale",
                    "implementation_status",
                    "implementation_note",
                )
            },
        },
    )
    for d in doc["dispositions"]:
        if not d.get("implementation_status"):
            d.pop("implementation_status")
    result.doc = doc
    result.problems = problems
    return result
