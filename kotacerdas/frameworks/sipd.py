"""SIPD / Permendagri 90 code lists: the file format, its all-or-nothing load, and reading them.

The classification urusan → bidang urusan → program → kegiatan → sub kegiatan is reference data
the ministry or a region supplies as a spreadsheet, never written into the code. A list is loaded
once under a version label (``kotacerdas frameworks load-sipd FILE --version 2024``) and never
changed; a newer list is a new load. The plan check reads the list of the plan's year
(:func:`table_for_year`).

The file: one sheet (or a CSV file) with a header row and the columns ``code`` and ``name``
(required) and ``level`` (optional; when given it must agree with the code). Codes are dotted:

========================  ==============  =========================
level                     parts           example
========================  ==============  =========================
urusan                    1               ``2``
bidang urusan             2               ``2.16``
program                   3               ``2.16.03``
kegiatan                  5               ``2.16.03.2.02``
sub kegiatan              6               ``2.16.03.2.02.0001``
========================  ==============  =========================

Every row's parent (the code without its last part; a kegiatan's parent is its program) must be
in the file, above or below it. The load is all or nothing: every problem is collected and
located by file, row and column, and nothing is written when there is one.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kotacerdas.accounts import access
from kotacerdas.audit.services import record
from kotacerdas.frameworks.models import SipdCode, SipdLevel, SipdTable
from kotacerdas.lib import spreadsheets
from kotacerdas.lib.uploads import UnreadableFile

COLUMNS = ("code", "level", "name")
REQUIRED_COLUMNS = ("code", "name")
MAX_ROWS = 50_000  # the national list has about 15,000 rows, sub kegiatan included
MAX_COLUMNS = 20
MAX_PROBLEMS = 200
NAME_LENGTH = 500
CODE = re.compile(r"^[0-9X](\.[0-9X]{2}(\.\d{2}(\.\d\.\d{2}(\.\d{2,4})?)?)?)?$")
LABEL = re.compile(r"^(\d{4})(-[0-9A-Za-z]{1,12})?$")
LEVEL_BY_PARTS = {
    1: SipdLevel.URUSAN,
    2: SipdLevel.BIDANG,
    3: SipdLevel.PROGRAM,
    5: SipdLevel.KEGIATAN,
    6: SipdLevel.SUB_KEGIATAN,
}
SEARCH_LIMIT = 20


# Codes (pure) -----------------------------------------------------------------------------------


def level_of(code: str) -> str | None:
    """The level of a well-formed dotted code, None for a malformed one."""
    if not CODE.match(code):
        return None
    level = LEVEL_BY_PARTS.get(code.count(".") + 1)
    return str(level) if level else None


def parent_of(code: str) -> str:
    """The code one level up ("" for an urusan); a kegiatan's parent is its program."""
    parts = code.split(".")
    if len(parts) == 5:
        return ".".join(parts[:3])
    return ".".join(parts[:-1])


# Problems ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem of the file: where (``row`` None: the file as a whole) and why."""

    file: str
    row: int | None
    column: str = ""
    letter: str = ""
    message: str = ""

    def __str__(self) -> str:
        if self.row is None:
            where = self.file
        elif self.column:
            where = _("%(file)s, row %(row)s, column %(letter)s (%(column)s)") % {
                "file": self.file,
                "row": self.row,
                "letter": self.letter,
                "column": self.column,
            }
        else:
            where = _("%(file)s, row %(row)s") % {"file": self.file, "row": self.row}
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column or None,
            "cell": f"{self.letter}{self.row}" if self.letter and self.row else None,
            "message": self.message,
        }


@dataclass
class LoadResult:
    """What a load did: the table written, or (with ``problems``) nothing at all."""

    table: SipdTable | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    def problem_lines(self) -> list[str]:
        lines = [str(p) for p in self.problems]
        if self.more_problems:
            lines.append(_("… and %(count)s more problems.") % {"count": self.more_problems})
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": self.table.label if self.table else None,
            "year": self.table.year if self.table else None,
            "counts": self.counts,
            "problems": [p.as_dict() for p in self.problems],
            "more_problems": self.more_problems,
        }


# Reading ----------------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    code: str
    level: str
    name: str


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _lines(data: bytes, name: str) -> Iterable[Iterable[Any]]:
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        hint = _("Upload a .xlsx or .csv file with the columns code, level and name.")
        book = spreadsheets.open_workbook(io.BytesIO(data), name, hint)
        sheet = book.worksheets[0]
        return list(sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 1, values_only=True))
    if not data.strip():
        raise UnreadableFile(_("The file “%(name)s” is empty.") % {"name": name})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("The file “%(name)s” is not UTF-8 CSV text: save it as “CSV UTF-8”, or upload the XLSX workbook.")
            % {"name": name}
        ) from None
    try:
        table = spreadsheets.read_csv(text, name)
    except UnreadableFile:
        raise
    except Exception:  # csv.Error: a malformed quote, a NUL byte
        raise UnreadableFile(_("The file “%(name)s” is not a CSV file.") % {"name": name}) from None
    return [[None if v == "" else v for v in r[:MAX_COLUMNS]] for r in table[: MAX_ROWS + 1]]


def read_rows(data: bytes, name: str, result: LoadResult) -> list[Row]:
    """The rows of the file, each cell checked on its own; problems go to ``result``."""
    lines = iter(_lines(data, name))
    header = [_text(h).casefold() for h in next(lines, ())]
    while header and header[-1] == "":
        header.pop()
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if missing or unknown or repeated:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(u[:40] for u in unknown)})
        if repeated:
            parts.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)})
        parts.append(_("The columns are %(columns)s.") % {"columns": ", ".join(COLUMNS)})
        result.add(Problem(name, 1, message=" ".join(parts)))
        return []
    positions = {c: header.index(c) for c in COLUMNS if c in header}
    letters = {c: get_column_letter(i + 1) for c, i in positions.items()}

    def problem(number: int, column: str, message: str) -> Problem:
        return Problem(name, number, column, letters.get(column, ""), message)

    rows: list[Row] = []
    for number, line in enumerate(lines, start=2):
        cells = tuple(line)
        if all(_blank(v) for v in cells):
            continue
        if number > MAX_ROWS + 1:
            result.add(Problem(name, None, message=_("More than %(n)s rows: split the file.") % {"n": MAX_ROWS}))
            break
        values = {c: _text(cells[i]) if i < len(cells) else "" for c, i in positions.items()}
        code, name_text, level_text = values["code"], values["name"], values.get("level", "")
        level = level_of(code) if len(code) <= 40 else None
        if not code:
            result.add(problem(number, "code", _("Write the code, e.g. 2.16.03.")))
        elif level is None:
            result.add(
                problem(
                    number,
                    "code",
                    _(
                        "“%(value)s” is not a Permendagri 90 code: write 2 (urusan), 2.16 (bidang urusan), "
                        "2.16.03 (program), 2.16.03.2.02 (kegiatan) or 2.16.03.2.02.0001 (sub kegiatan)."
                    )
                    % {"value": code[:40]},
                )
            )
        if level and level_text and level_text.casefold().replace(" ", "_") != level:
            result.add(
                problem(
                    number,
                    "level",
                    _("The code %(code)s is a %(level)s, not “%(value)s”.")
                    % {"code": code, "level": level, "value": level_text[:40]},
                )
            )
        if not name_text:
            result.add(problem(number, "name", _("Write the name the code stands for.")))
        elif len(name_text) > NAME_LENGTH:
            result.add(
                problem(
                    number,
                    "name",
                    _("At most %(n)s characters (this one has %(length)s).")
                    % {"n": NAME_LENGTH, "length": len(name_text)},
                )
            )
        if level:
            rows.append(Row(number, code, level, name_text))
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            result.add(
                problem(
                    row.number,
                    "code",
                    _("Row %(row)s already has the code %(code)s: keep one row per code.")
                    % {"row": seen[row.code], "code": row.code},
                )
            )
        else:
            seen[row.code] = row.number
    for row in rows:
        parent = parent_of(row.code)
        if parent and parent not in seen:
            result.add(
                problem(
                    row.number,
                    "code",
                    _("The code %(code)s belongs under %(parent)s, which is not in the file: add a row for it.")
                    % {"code": row.code, "parent": parent},
                )
            )
    if not rows and result.ok:
        result.add(Problem(name, None, message=_("The file has no code: fill in a row per code under the header.")))
    return rows


# Loading ----------------------------------------------------------------------------------------


def label_problem(label: str) -> str | None:
    """Why ``label`` cannot name a new version, or None."""
    if not LABEL.match(label or ""):
        return _("Write the version as a year, or a year and a suffix: 2024, 2024-rev1.")
    if SipdTable.objects.filter(label=label).exists():
        return _(
            "Version %(label)s is already loaded, and a loaded version never changes: "
            "load the new list under a new version, e.g. %(label)s-rev1."
        ) % {"label": label}
    return None


@transaction.atomic
def load_sipd(*, actor: Any, data: bytes, name: str, label: str, is_sample: bool = False) -> LoadResult:
    """Load a SIPD code list under ``label``, all or nothing (ministry staff or the console).

    Raises UnreadableFile when the file is not a spreadsheet; every other problem is in the
    result, and then nothing was written.
    """
    access.check(actor, access.is_ministry)
    result = LoadResult()
    why = label_problem(label)
    if why:
        result.add(Problem(name, None, "version", "", why))
    rows = read_rows(data, name, result)
    if not result.ok:
        return result
    match = LABEL.match(label)
    assert match is not None
    table = SipdTable.objects.create(label=label, year=int(match.group(1)), source_file=name[:200], is_sample=is_sample)
    SipdCode.objects.bulk_create(
        SipdCode(table=table, code=r.code, level=r.level, name=r.name, parent_code=parent_of(r.code), order=n)
        for n, r in enumerate(rows)
    )
    counts: dict[str, int] = {str(level): 0 for level in SipdLevel.values}
    for r in rows:
        counts[r.level] += 1
    result.table, result.counts = table, counts
    record(
        actor=actor,
        action="create",
        obj=table,
        after={"label": label, "year": table.year, "file": name, "sample": is_sample, "codes": counts},
    )
    _touch_plans()
    return result


SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "sipd-SAMPLE-2024.csv"
SAMPLE_LABEL = "2024-sample"


def load_sample() -> LoadResult | None:
    """Load the shipped sample list (marked as sample) unless it is there; None when it was."""
    if SipdTable.objects.filter(label=SAMPLE_LABEL).exists():
        return None
    result = load_sipd(
        actor=None, data=SAMPLE_FILE.read_bytes(), name=SAMPLE_FILE.name, label=SAMPLE_LABEL, is_sample=True
    )
    if not result.ok:  # the shipped file is tested; this is a broken install
        raise RuntimeError("; ".join(result.problem_lines()))
    return result


def _touch_plans() -> None:
    """A new list may be the one of a plan's year: every stored plan check is stale."""
    from kotacerdas.plans.models import Edition

    Edition.objects.update(summary_stamp=uuid.uuid4())


# Reading the lists ------------------------------------------------------------------------------


def tables() -> QuerySet[SipdTable]:
    return SipdTable.objects.all()


def table_for_year(year: int | None) -> SipdTable | None:
    """The list in force in ``year``: the newest loaded for that year or an earlier one, else
    the oldest list (a plan older than every list is checked against the first)."""
    if year is not None:
        found = SipdTable.objects.filter(year__lte=year).order_by("-year", "-loaded_at", "-id").first()
        if found is not None:
            return found
    return SipdTable.objects.order_by("year", "loaded_at", "id").first()


def known_codes(table: SipdTable | None, codes: Iterable[str]) -> set[str]:
    """Which of ``codes`` are in ``table`` (one query)."""
    wanted = {c for c in codes if c}
    if table is None or not wanted:
        return set()
    return set(SipdCode.objects.filter(table=table, code__in=wanted).values_list("code", flat=True))


def search(
    table: SipdTable | None, query: str, levels: Iterable[str] = (), limit: int = SEARCH_LIMIT
) -> list[SipdCode]:
    """Codes of ``table`` whose code starts with ``query`` or whose name holds every word of it."""
    query = " ".join((query or "").split())[:100]
    if table is None or not query:
        return []
    rows = SipdCode.objects.filter(table=table)
    levels = list(levels)
    if levels:
        rows = rows.filter(level__in=levels)
    by_name = Q()
    for word in query.split()[:8]:
        by_name &= Q(name__icontains=word)
    return list(rows.filter(Q(code__startswith=query) | by_name).order_by("code")[:limit])


def names(table: SipdTable | None, codes: Iterable[str]) -> dict[str, str]:
    """The names ``table`` gives ``codes`` and every level above them (one query)."""
    wanted: set[str] = set()
    for code in codes:
        while code:
            wanted.add(code)
            code = parent_of(code)
    if table is None or not wanted:
        return {}
    return dict(SipdCode.objects.filter(table=table, code__in=wanted).values_list("code", "name"))
