"""The candidates file as a spreadsheet (openpyxl): read into the JSON shape, and write from a problem.

One sheet per part (see docs/quickwins-file-format.md): ``round``, ``candidates``, ``criteria``,
``pairwise`` (optional), ``scores``, ``dimensions`` (optional), ``budget`` (optional),
``opd_limits`` (optional). Problems found are reported by sheet and row, not by JSON path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.lib.spreadsheets import append_row, load_book, new_workbook, sheet_rows, workbook_bytes
from kotacerdas.quickwins.engine.messages import Issue, ProblemError, gettext_noop, issue
from kotacerdas.quickwins.engine.model import FORMAT, Problem
from kotacerdas.quickwins.engine.parse import parse_problem, to_dict

COST_HEADER = re.compile(r"^cost\s+(\d{4})(?:\s+(.+))?$", re.IGNORECASE)
ROUND_KEYS = (
    "title",
    "year",
    "aggregation",
    "scale_min",
    "scale_max",
    "per_dimension_min",
    "per_dimension_max",
    "max_per_opd",
)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows(sheet: Worksheet) -> Iterator[tuple[int, dict[str, Any]]]:
    """Data rows as dicts keyed by the lower-cased header, with their 1-based row number."""
    rows = sheet_rows(sheet)
    header = next(rows, None)
    if header is None:
        return
    keys = [str(h).strip() if h is not None else "" for h in header]
    for number, values in enumerate(rows, start=2):
        if all(_blank(v) for v in values):
            continue
        yield number, {k: v for k, v in zip(keys, values, strict=False) if k}


def _lower(row: dict[str, Any]) -> dict[str, Any]:
    return {k.lower(): v for k, v in row.items()}


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def workbook_to_data(handle: IO[bytes]) -> tuple[dict[str, Any], dict[str, str]]:
    """The workbook as the JSON shape, and where each part came from (path prefix → sheet and row)."""
    try:
        book = load_book(handle)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ProblemError(
            [issue("", gettext_noop("This is not a readable XLSX workbook (%(error)s)."), error=str(error))]
        ) from None
    sheets = {name.lower(): book[name] for name in book.sheetnames}
    where: dict[str, str] = {}
    data: dict[str, Any] = {"format": FORMAT}
    constraints: dict[str, Any] = {}
    missing = [name for name in ("candidates", "criteria", "scores") if name not in sheets]
    if missing:
        raise ProblemError(
            [issue("", gettext_noop("The workbook needs a sheet named %(sheet)s."), sheet=name) for name in missing]
        )
    if "round" in sheets:
        for number, values in enumerate(sheet_rows(sheets["round"]), start=1):
            if not values or _blank(values[0]):
                continue
            key = str(values[0]).strip().lower()
            value = _cell(values[1]) if len(values) > 1 else None
            if key in ("title", "year", "aggregation"):
                data[key] = value
                where[key] = f"round row {number}"
            elif key in ("scale_min", "scale_max"):
                data.setdefault("scale", {})[key.split("_")[1]] = value
                where[f"scale.{key.split('_')[1]}"] = f"round row {number}"
            elif key in ("per_dimension_min", "per_dimension_max"):
                constraints.setdefault("per_dimension", {})[key.rsplit("_", 1)[1]] = value
                where[f"constraints.per_dimension.{key.rsplit('_', 1)[1]}"] = f"round row {number}"
            elif key == "max_per_opd":
                constraints["max_per_opd"] = value
                where["constraints.max_per_opd"] = f"round row {number}"
    candidates: list[dict[str, Any]] = []
    for number, row in _rows(sheets["candidates"]):
        low = _lower(row)
        where[f"candidates[{len(candidates)}]"] = f"candidates row {number}"
        costs = []
        for header, value in row.items():
            match = COST_HEADER.match(header.strip())
            if match and not _blank(value):
                costs.append({"year": int(match.group(1)), "source": (match.group(2) or "").strip(), "amount": value})
        candidates.append(
            {
                "id": _cell(low.get("id")),
                "name": _cell(low.get("name")),
                "dimension": _cell(low.get("dimension")),
                "opd": _cell(low.get("opd")),
                "costs": costs,
                "requires": _cell(low.get("requires")),
                "excludes": _cell(low.get("excludes")),
                "must": _cell(low.get("must")),
            }
        )
    data["candidates"] = candidates
    criteria: list[dict[str, Any]] = []
    for number, row in _rows(sheets["criteria"]):
        low = _lower(row)
        where[f"criteria[{len(criteria)}]"] = f"criteria row {number}"
        criteria.append(
            {
                "id": _cell(low.get("id")),
                "name": _cell(low.get("name")),
                "direction": _cell(low.get("direction")),
                "weight": _cell(low.get("weight")),
            }
        )
    data["criteria"] = criteria
    if "pairwise" in sheets:
        grid = [list(r) for r in sheet_rows(sheets["pairwise"])]
        grid = [r for r in grid if any(not _blank(v) for v in r)]
        if grid:
            order = [str(v).strip() for v in grid[0][1:] if not _blank(v)]
            matrix = [[_cell(v) for v in r[1 : len(order) + 1]] for r in grid[1:]]
            data["pairwise"] = {"criteria": order, "matrix": matrix}
            for i in range(len(matrix)):
                where[f"pairwise.matrix[{i}]"] = f"pairwise row {i + 2}"
    scores: dict[str, dict[str, dict[str, Any]]] = {}
    for number, row in _rows(sheets["scores"]):
        low = _lower(row)
        evaluator, candidate = _cell(low.get("evaluator")), _cell(low.get("candidate"))
        if evaluator is None or candidate is None:
            raise ProblemError(
                [issue(f"scores row {number}", gettext_noop("Each scores row names an evaluator and a candidate."))]
            )
        where[f"scores.{evaluator}.{candidate}"] = f"scores row {number}"
        per = scores.setdefault(str(evaluator), {}).setdefault(str(candidate), {})
        for header, value in row.items():
            if header.lower() not in ("evaluator", "candidate") and not _blank(value):
                per[header.strip()] = _cell(value)
    data["scores"] = scores
    if "dimensions" in sheets:
        dimensions: list[dict[str, Any]] = []
        for number, row in _rows(sheets["dimensions"]):
            low = _lower(row)
            where[f"dimensions[{len(dimensions)}]"] = f"dimensions row {number}"
            item = {"code": _cell(low.get("code")), "name": _cell(low.get("name"))}
            for key in ("min", "max"):
                if not _blank(low.get(key)):
                    item[key] = _cell(low[key])
            dimensions.append(item)
        data["dimensions"] = dimensions
    if "budget" in sheets:
        caps: list[dict[str, Any]] = []
        for number, row in _rows(sheets["budget"]):
            low = _lower(row)
            where[f"constraints.budget[{len(caps)}]"] = f"budget row {number}"
            caps.append(
                {"year": _cell(low.get("year")), "source": _cell(low.get("source")), "cap": _cell(low.get("cap"))}
            )
        constraints["budget"] = caps
    if "opd_limits" in sheets:
        limits = {}
        for number, row in _rows(sheets["opd_limits"]):
            low = _lower(row)
            opd = _cell(low.get("opd"))
            where[f"constraints.opd_limits.{opd}"] = f"opd_limits row {number}"
            limits[str(opd)] = _cell(low.get("max"))
        constraints["opd_limits"] = limits
    data["constraints"] = constraints
    return data, where


def _relocate(issues: list[Issue], where: dict[str, str]) -> list[Issue]:
    prefixes = sorted(where, key=len, reverse=True)
    moved = []
    for found in issues:
        for prefix in prefixes:
            if found.path == prefix or found.path.startswith((prefix + ".", prefix + "[")):
                rest = found.path[len(prefix) :].lstrip(".")
                moved.append(Issue(f"{where[prefix]}{' ' + rest if rest else ''}", found.message))
                break
        else:
            moved.append(found)
    return moved


def read_xlsx(handle: IO[bytes]) -> Problem:
    data, where = workbook_to_data(handle)
    try:
        return parse_problem(data)
    except ProblemError as error:
        raise ProblemError(_relocate(error.issues, where)) from None


def write_xlsx(problem: Problem) -> bytes:
    """The problem as a workbook that :func:`read_xlsx` reads back to an equal problem."""
    return write_xlsx_data(to_dict(problem))


def write_xlsx_data(data: dict[str, Any]) -> bytes:
    """A file in the JSON shape as a workbook (it need not be complete: a round still being scored)."""
    book = new_workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str]) -> Worksheet:
        ws = book.create_sheet(title)
        append_row(ws, header)
        for cell in ws[1]:
            cell.font = bold
        return ws

    constraints = data.get("constraints") or {}
    rounds = sheet("round", ["key", "value"])
    scale = data.get("scale") or {}
    per_dimension = constraints.get("per_dimension") or {}
    for key, value in (
        ("title", data.get("title")),
        ("year", data.get("year")),
        ("aggregation", data.get("aggregation")),
        ("scale_min", scale.get("min")),
        ("scale_max", scale.get("max")),
        ("per_dimension_min", per_dimension.get("min")),
        (
            "per_dimension_max",
            "none" if "max" in per_dimension and per_dimension["max"] is None else per_dimension.get("max"),
        ),
        ("max_per_opd", constraints.get("max_per_opd")),
    ):
        if value is not None:
            append_row(rounds, [key, value])
    candidates = data.get("candidates") or []
    columns = sorted({(line["year"], line.get("source") or "") for c in candidates for line in c.get("costs") or []})
    cost_headers = [f"cost {y} {s}".strip() for y, s in columns]
    ws = sheet("candidates", ["id", "name", "dimension", "opd", "requires", "excludes", "must", *cost_headers])
    for c in candidates:
        amounts = {(line["year"], line.get("source") or ""): line["amount"] for line in c.get("costs") or []}
        append_row(
            ws,
            [
                c["id"],
                c.get("name"),
                c.get("dimension"),
                c.get("opd"),
                ", ".join(c.get("requires") or []),
                ", ".join(c.get("excludes") or []),
                c.get("must"),
                *[amounts.get(col) for col in columns],
            ],
        )
    criteria = data.get("criteria") or []
    ws = sheet("criteria", ["id", "name", "direction", "weight"])
    for criterion in criteria:
        append_row(ws, [criterion["id"], criterion.get("name"), criterion.get("direction"), criterion.get("weight")])
    pairwise = data.get("pairwise")
    if pairwise:
        order = pairwise.get("criteria") or [c["id"] for c in criteria]
        ws = sheet("pairwise", ["", *order])
        for code, row in zip(order, pairwise["matrix"], strict=True):
            append_row(ws, [code, *row])
    ws = sheet("scores", ["evaluator", "candidate", *[c["id"] for c in criteria]])
    for evaluator, per_candidate in sorted((data.get("scores") or {}).items()):
        for c in candidates:
            given = per_candidate.get(c["id"])
            if given:
                append_row(ws, [evaluator, c["id"], *[given.get(k["id"]) for k in criteria]])
    ws = sheet("dimensions", ["code", "name", "min", "max"])
    for d in data.get("dimensions") or []:
        maximum = d.get("max", "")
        append_row(ws, [d["code"], d.get("name"), d.get("min"), "none" if "max" in d and maximum is None else maximum])
    ws = sheet("budget", ["year", "source", "cap"])
    for cap in constraints.get("budget") or []:
        append_row(ws, [cap.get("year"), cap.get("source"), cap["cap"]])
    ws = sheet("opd_limits", ["opd", "max"])
    for opd, limit in sorted((constraints.get("opd_limits") or {}).items()):
        append_row(ws, [opd, limit])
    return workbook_bytes(book)
