"""The evaluation index file: JSON, or XLSX with the same fields.

JSON::

    {"scheme": 2022,
     "regions": [{"code": "13.72", "name": "Kota Solok", "previous_index": 3.0,
                  "dimensions": {"baseline": 3.5, "output": 3.0, "outcome": 2.75,
                                 "impact": 2.5, "quick_win": 3.0}}]}

XLSX: a sheet ``evaluation`` with the row ``scheme | 2022``, and a sheet ``regions`` whose first
row names the columns ``code, name, previous_index, baseline, output, outcome, impact,
quick_win`` and whose other rows are the regions. Every problem is reported at once, each naming
the region (code, or its position when the code is missing) and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from kotacerdas.evaluation.domain import DIMENSIONS, read_index, read_score
from kotacerdas.frameworks.problem import Problem, gettext_noop

MAX_REGIONS = 2000  # every kabupaten/kota several times over
MAX_PROBLEMS = 200
COLUMNS = ("code", "name", "previous_index", *DIMENSIONS)


@dataclass(frozen=True)
class Located:
    """A problem and where it is: the region (code or position) and the field."""

    where: str
    problem: Problem


@dataclass
class RegionScores:
    code: str
    name: str
    previous_index: Decimal | None
    scores: dict[str, Decimal]


@dataclass
class EvaluationFile:
    scheme_year: int | None
    regions: list[RegionScores] = field(default_factory=list)
    problems: list[Located] = field(default_factory=list)
    more_problems: int = 0

    def add(self, where: str, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Located(where, problem))
        else:
            self.more_problems += 1


def _year(value: Any, out: EvaluationFile) -> int | None:
    if isinstance(value, bool) or value is None:
        out.add("scheme", Problem("scheme_missing", gettext_noop("Name the scheme's year, e.g. 2022.")))
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        out.add("scheme", Problem("scheme_year", gettext_noop("%(value)s is not a year."), {"value": str(value)[:40]}))
        return None
    return year


def parse(data: Any) -> EvaluationFile:
    """Read the JSON form (already decoded); the XLSX reader builds the same dict first."""
    if not isinstance(data, dict):
        out = EvaluationFile(None)
        out.add("$", Problem("not_object", gettext_noop("The file must be one JSON object with scheme and regions.")))
        return out
    out = EvaluationFile(None)
    out.scheme_year = _year(data.get("scheme"), out)
    regions = data.get("regions")
    if not isinstance(regions, list) or not regions:
        out.add("regions", Problem("no_regions", gettext_noop("List at least one region under regions.")))
        return out
    if len(regions) > MAX_REGIONS:
        out.add(
            "regions",
            Problem("too_many", gettext_noop("At most %(limit)s regions in one file."), {"limit": MAX_REGIONS}),
        )
        return out
    seen: set[str] = set()
    for position, raw in enumerate(regions, start=1):
        _region(raw, position, seen, out)
    return out


def _region(raw: Any, position: int, seen: set[str], out: EvaluationFile) -> None:
    where = f"regions[{position}]"
    if not isinstance(raw, dict):
        out.add(where, Problem("not_object", gettext_noop("Each region is an object with code, name and dimensions.")))
        return
    code = str(raw.get("code") or "").strip()[:20]
    if not code:
        out.add(f"{where}.code", Problem("no_code", gettext_noop("Give the region's Kemendagri code.")))
    else:
        where = f"{where} ({code})"
        if code in seen:
            out.add(f"{where}.code", Problem("duplicate", gettext_noop("This region is listed twice.")))
        seen.add(code)
    previous = None
    if raw.get("previous_index") not in (None, ""):
        previous, problem = read_index(raw["previous_index"])
        if problem:
            out.add(f"{where}.previous_index", problem)
    dimensions = raw.get("dimensions")
    if not isinstance(dimensions, dict):
        out.add(f"{where}.dimensions", Problem("no_dimensions", gettext_noop("Give the five dimension scores.")))
        return
    scores: dict[str, Decimal] = {}
    for name in DIMENSIONS:
        if dimensions.get(name) in (None, ""):
            out.add(f"{where}.dimensions.{name}", Problem("missing", gettext_noop("This score is missing.")))
            continue
        score, problem = read_score(dimensions[name])
        if problem:
            out.add(f"{where}.dimensions.{name}", problem)
        elif score is not None:
            scores[name] = score
    for name in dimensions:
        if name not in DIMENSIONS:
            out.add(
                f"{where}.dimensions.{str(name)[:40]}",
                Problem(
                    "unknown_dimension",
                    gettext_noop("Unknown dimension; use %(names)s."),
                    {"names": ", ".join(DIMENSIONS)},
                ),
            )
    if code and len(scores) == len(DIMENSIONS):
        out.regions.append(RegionScores(code, str(raw.get("name") or "").strip()[:200], previous, scores))


def parse_workbook(handle: IO[bytes]) -> EvaluationFile:
    """Read the XLSX form; problems name the sheet row and the column instead of the JSON path."""
    data, problems, rows = workbook_to_data(handle)
    if problems:
        out = EvaluationFile(None)
        for located in problems:
            out.add(located.where, located.problem)
        return out
    out = parse(data)
    for n, located in enumerate(out.problems):
        where = located.where.replace(".dimensions.", " column ").replace(").", ") column ")
        if where.startswith("regions["):
            position = int(where[len("regions[") : where.index("]")])
            rest = where[where.index("]") + 1 :]
            where = f"regions row {rows[position - 1]}" + (" column " + rest[1:] if rest.startswith(".") else rest)
        elif where == "scheme":
            where = "evaluation scheme"
        out.problems[n] = Located(where, located.problem)
    return out


def workbook_to_data(handle: IO[bytes]) -> tuple[dict[str, Any], list[Located], list[int]]:
    """The XLSX form as the JSON dict, problems of its shape, and each region's sheet row."""
    from kotacerdas.lib.spreadsheets import load_book, sheet_rows

    book = load_book(handle)
    problems: list[Located] = []
    data: dict[str, Any] = {}
    if "evaluation" in book.sheetnames:
        for values in sheet_rows(book["evaluation"]):
            if values and str(values[0] or "").strip().lower() == "scheme" and len(values) > 1:
                data["scheme"] = values[1]
    if "regions" not in book.sheetnames:
        problems.append(
            Located(
                "regions",
                Problem("no_sheet", gettext_noop("The workbook needs a sheet named %(sheet)s."), {"sheet": "regions"}),
            )
        )
        return data, problems, []
    rows = iter(sheet_rows(book["regions"]))
    header = [str(v or "").strip().lower() for v in next(rows, ())]
    missing = [c for c in COLUMNS if c not in header and c != "previous_index"]
    if missing:
        problems.append(
            Located(
                "regions row 1",
                Problem("columns", gettext_noop("Missing columns: %(columns)s."), {"columns": ", ".join(missing)}),
            )
        )
        return data, problems, []
    regions = []
    numbers = []
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        numbers.append(number)
        row = dict(zip(header, values, strict=False))
        regions.append(
            {
                "code": row.get("code"),
                "name": row.get("name"),
                "previous_index": row.get("previous_index"),
                "dimensions": {name: row.get(name) for name in DIMENSIONS},
            }
        )
        if len(regions) > MAX_REGIONS:
            break
    data["regions"] = regions
    return data, problems, numbers


def write_workbook(data: dict[str, Any]) -> bytes:
    """The JSON form as the XLSX form (a template to fill in, and the round trip of the tests)."""
    from kotacerdas.lib.spreadsheets import append_row, new_workbook, workbook_bytes

    book = new_workbook("evaluation")
    append_row(book["evaluation"], ["scheme", data.get("scheme")])
    sheet = book.create_sheet("regions")
    append_row(sheet, COLUMNS)
    for region in data.get("regions") or []:
        dims = region.get("dimensions") or {}
        append_row(
            sheet,
            [region.get("code"), region.get("name"), region.get("previous_index"), *(dims.get(n) for n in DIMENSIONS)],
        )
    return workbook_bytes(book)
