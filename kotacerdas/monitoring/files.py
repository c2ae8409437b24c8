"""Updates and indicator actuals as a spreadsheet: the same columns out and in (issue 13 §6).

A workbook has two sheets, ``Pembaruan`` (programme updates) and ``Capaian`` (indicator
actuals); a CSV file holds one of them, recognised by its header. :func:`export_workbook`
pre-fills the edition's programmes and indicators for a period (empty rows to fill, existing
data where there is some) or, without a period, writes every update and actual there is.

:func:`import_updates` is all or nothing: one transaction, every row through the services (so
access, validation and the audit apply, as ``actor``), every problem collected and located as
``sheet!cell (column)``, at most :data:`MAX_PROBLEMS` of them listed. Lookups are dictionaries
built once, so the time grows with the rows, and the file is bounded in bytes, rows and columns.
Text stays text both ways (``kotacerdas.lib.spreadsheets``).

Rows are matched to what exists: an update of a programme and period that is still open (draft
or returned) is changed in place; one that is submitted or accepted and equal to the row is left
alone (so a file exported and imported again changes nothing); otherwise a new draft is created.
A row with nothing but its keys filled in is a template row and is skipped.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kotacerdas.lib import spreadsheets
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.monitoring import periods as pure
from kotacerdas.monitoring import services
from kotacerdas.monitoring.models import (
    IndicatorActual,
    ProgrammeUpdate,
    ReportingPeriod,
    UpdateState,
)
from kotacerdas.plans.models import BudgetSource, Edition, Indicator, Programme, ProgrammeStatus
from kotacerdas.regions.models import OPD

UPDATES = "Pembaruan"
ACTUALS = "Capaian"
BUDGET_COLUMNS = [f"budget_{source}" for source in BudgetSource.values]
COLUMNS: dict[str, list[str]] = {
    UPDATES: [
        "programme",
        "period",
        "reported_on",
        "status",
        "progress",
        "comment",
        "reason",
        *BUDGET_COLUMNS,
        "evidence_link",
        "launched_on",
        "live_since",
    ],
    ACTUALS: ["programme", "indicator", "year", "period", "value", "producer", "source", "note"],
}
# The columns that say which row it is; a row with nothing else filled in is left for later.
KEYS = {UPDATES: {"programme", "period"}, ACTUALS: {"programme", "indicator", "year", "period"}}
DATE_COLUMNS = {"reported_on", "launched_on", "live_since"}

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000  # per sheet: a region has a few hundred programmes, a few thousand indicators
MAX_COLUMNS = 40
MAX_CELL = 4000
MAX_PROBLEMS = 200
CSV_CONTENT_TYPE = "text/csv"
THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


# Problems ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # None: the sheet or the file as a whole
    column: str = ""
    letter: str = ""
    message: str = ""

    @property
    def where(self) -> str:
        if self.row is None:
            return self.sheet
        place = f"{self.sheet}!{self.letter}{self.row}"
        return f"{place} ({self.column})" if self.column else place

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column or None, "message": self.message}


class Problems:
    """Every problem of a file, the first :data:`MAX_PROBLEMS` kept and the rest counted."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0

    def add(self, problem: Problem) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(problem)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        out = [str(p) for p in self.items]
        if self.more:
            out.append(_("… and %(count)s more problems.") % {"count": self.more})
        return out


@dataclass
class ImportResult:
    """What an import did (nothing at all when ``problems`` is not empty)."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    submitted: int = 0
    skipped: int = 0  # template rows left empty
    actuals_created: int = 0
    actuals_changed: int = 0
    actuals_unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_lines(self) -> list[str]:
        lines = [str(p) for p in self.problems]
        if self.more_problems:
            lines.append(_("… and %(count)s more problems.") % {"count": self.more_problems})
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "updates": {
                "created": self.created,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "submitted": self.submitted,
                "skipped": self.skipped,
            },
            "actuals": {
                "created": self.actuals_created,
                "changed": self.actuals_changed,
                "unchanged": self.actuals_unchanged,
            },
            "problems": [p.as_dict() for p in self.problems],
            "more_problems": self.more_problems,
        }


# Export -----------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _programmes(edition: Edition, year: int | None) -> list[Programme]:
    rows = Programme.objects.filter(edition=edition).select_related("lead_opd").order_by("order", "code", "pk")
    if year is not None:
        rows = rows.filter(start_year__lte=year, end_year__gte=year)
    return list(rows)


def _latest_updates(edition: Edition, period: ReportingPeriod | None) -> dict[tuple[int, int], ProgrammeUpdate]:
    """The update that speaks for each programme and period: the open one, else the latest accepted."""
    rows = ProgrammeUpdate.objects.filter(programme__edition=edition).select_related("period", "programme")
    if period is not None:
        rows = rows.filter(period=period)
    rank = {UpdateState.ACCEPTED: 0, UpdateState.SUBMITTED: 1, UpdateState.RETURNED: 1, UpdateState.DRAFT: 1}
    out: dict[tuple[int, int], ProgrammeUpdate] = {}
    for update in rows.prefetch_related("budgets").order_by("period__starts_on", "pk"):
        key = (update.programme_id, update.period_id)
        current = out.get(key)
        if current is None or rank[UpdateState(update.state)] >= rank[UpdateState(current.state)]:
            out[key] = update
    return out


def _update_row(programme: Programme, period_key: str, update: ProgrammeUpdate | None) -> list[Any]:
    if update is None:
        return [programme.code, period_key] + [None] * (len(COLUMNS[UPDATES]) - 2)
    budgets = {b.source: b.amount for b in update.budgets.all()}
    return [
        programme.code,
        period_key,
        update.reported_on,
        update.status,
        update.progress,
        update.comment,
        update.reason or None,
        *[_number(budgets.get(source)) for source in BudgetSource.values],
        update.evidence_link or None,
        update.launched_on,
        update.live_since,
    ]


def _indicator_label(indicator: Indicator, names: dict[tuple[int, str], int]) -> Any:
    """The indicator's name, or its id when the programme has two indicators of that name."""
    return indicator.name if names[(indicator.programme_id, indicator.name.casefold())] == 1 else indicator.pk


def _actual_row(
    indicator: Indicator, year: int, period_key: str | None, actual: IndicatorActual | None, label: Any
) -> list[Any]:
    code = indicator.programme.code
    if actual is None:
        return [code, label, year, period_key, None, None, None, None]
    return [
        code,
        label,
        year,
        period_key,
        _number(actual.value),
        actual.producer.abbreviation if actual.producer else None,
        actual.source or None,
        actual.note or None,
    ]


def rows(edition: Edition, period: ReportingPeriod | None = None) -> dict[str, list[list[Any]]]:
    """The rows of both sheets (without their headers); see the module docstring."""
    year = period.year if period is not None else None
    programmes = _programmes(edition, year)
    updates = _latest_updates(edition, period)
    out: dict[str, list[list[Any]]] = {UPDATES: [], ACTUALS: []}
    if period is not None:
        for programme in programmes:
            out[UPDATES].append(_update_row(programme, period.key, updates.get((programme.pk, period.pk))))
    else:
        order = {p.pk: n for n, p in enumerate(programmes)}
        for update in sorted(updates.values(), key=lambda u: (order.get(u.programme_id, 0), u.period.starts_on)):
            out[UPDATES].append(_update_row(update.programme, update.period.key, update))
    indicators = list(
        Indicator.objects.filter(programme__in=[p.pk for p in programmes])
        .select_related("programme")
        .order_by("programme__order", "programme__code", "programme_id", "order", "pk")
    )
    names: dict[tuple[int, str], int] = {}
    for indicator in indicators:
        key = (indicator.programme_id, indicator.name.casefold())
        names[key] = names.get(key, 0) + 1
    actuals = IndicatorActual.objects.filter(indicator__in=[i.pk for i in indicators]).select_related(
        "period", "producer"
    )
    if year is not None:
        actuals = actuals.filter(year=year)
    by_indicator: dict[int, list[IndicatorActual]] = {}
    for actual in actuals.order_by("year", "period__starts_on", "pk"):
        by_indicator.setdefault(actual.indicator_id, []).append(actual)
    for indicator in indicators:
        label = _indicator_label(indicator, names)
        existing = by_indicator.get(indicator.pk, [])
        if period is not None:
            in_period = next((a for a in existing if a.period_id == period.pk), None)
            out[ACTUALS].append(_actual_row(indicator, period.year, period.key, in_period, label))
            existing = [a for a in existing if a.period_id is None]  # the year's own actual, if any
        for actual in existing:
            out[ACTUALS].append(
                _actual_row(indicator, actual.year, actual.period.key if actual.period else None, actual, label)
            )
    return out


def export_workbook(edition: Edition, period: ReportingPeriod | None = None) -> bytes:
    book = spreadsheets.new_workbook(None)
    for name, body in rows(edition, period).items():
        sheet = book.create_sheet(name)
        spreadsheets.append_row(sheet, COLUMNS[name])
        for row in body:
            spreadsheets.append_row(sheet, row)
        sheet.freeze_panes = "A2"
        for index in DATE_INDEXES[name]:
            for cell in sheet.iter_cols(min_col=index + 1, max_col=index + 1, min_row=2):
                for c in cell:
                    c.number_format = "yyyy-mm-dd"
    return spreadsheets.workbook_bytes(book)


DATE_INDEXES = {name: [i for i, c in enumerate(columns) if c in DATE_COLUMNS] for name, columns in COLUMNS.items()}


def export_csv(edition: Edition, sheet: str, period: ReportingPeriod | None = None) -> str:
    """One sheet as CSV (dates as ISO text)."""
    body = rows(edition, period)[sheet]
    return spreadsheets.csv_text(
        [COLUMNS[sheet], *([v.isoformat() if isinstance(v, datetime.date) else v for v in row] for row in body)]
    )


# Reading ----------------------------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.sheet, self.number, column, self.letters.get(column, ""), message)


def _too_big(name: str) -> UnreadableFile:
    return UnreadableFile(
        _("The file “%(name)s” is larger than %(mb)s MB: split it by period.")
        % {"name": name, "mb": MAX_BYTES // 2**20}
    )


def _read_table(sheet: str, raw: Iterable[Iterable[Any]], problems: Problems) -> list[Row]:
    lines = iter(raw)
    header = [str(h).strip() if h is not None else "" for h in next(lines, ())]
    missing = [c for c in COLUMNS[sheet] if c not in header]
    if missing:
        problems.add(
            Problem(
                sheet,
                1,
                message=_("Missing columns: %(columns)s. Start from a template exported from KotaCerdas.")
                % {"columns": ", ".join(missing)},
            )
        )
        return []
    positions = {c: header.index(c) for c in COLUMNS[sheet]}
    letters = {c: get_column_letter(i + 1) for c, i in positions.items()}
    out: list[Row] = []
    for number, line in enumerate(lines, start=2):
        cells = tuple(line)
        if not any(v is not None and not (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        if len(out) >= MAX_ROWS or number >= MAX_ROWS * 2:
            problems.add(
                Problem(sheet, None, message=_("More than %(n)s rows: split the file.") % {"n": f"{MAX_ROWS:,}"})
            )
            return []
        values = {c: (cells[i] if i < len(cells) else None) for c, i in positions.items()}
        row = Row(sheet, number, values, letters)
        for column, value in values.items():
            if isinstance(value, str):
                try:  # every text of the row, here, so no reader below meets a NUL or an endless text
                    _text(value)
                except Bad as bad:
                    problems.add(row.problem(column, str(bad)))
        out.append(row)
    return out


def read_tables(data: bytes, name: str) -> tuple[dict[str, list[Row]], Problems]:
    """The rows of an XLSX workbook or a CSV file; UnreadableFile when it is neither or too big."""
    if len(data) > MAX_BYTES:
        raise _too_big(name)
    problems = Problems()
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        hint = _("Upload a .xlsx or .csv file exported from KotaCerdas (kotacerdas monitoring template).")
        book = spreadsheets.open_workbook(io.BytesIO(data), name, hint)
        try:
            tables: dict[str, list[Row]] = {}
            for sheet in COLUMNS:
                if sheet in book.sheetnames:
                    # Read at most a little beyond the limit: a longer sheet is refused, not read to its end.
                    rows_ = book[sheet].iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS * 2, values_only=True)
                    tables[sheet] = _read_table(sheet, rows_, problems)
            if not tables:
                problems.add(
                    Problem(
                        name,
                        None,
                        message=_("The workbook has neither a “%(a)s” nor a “%(b)s” sheet.")
                        % {"a": UPDATES, "b": ACTUALS},
                    )
                )
            return tables, problems
        finally:
            book.close()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The file “%(name)s” is not UTF-8 CSV text.") % {"name": name}) from None
    try:
        table: list[list[Any]] = spreadsheets.read_csv(text, name)
    except UnreadableFile:
        raise  # past the row or column limit: that sentence, not the one below
    except Exception:  # csv.Error: a malformed quote, a NUL byte
        raise UnreadableFile(_("The file “%(name)s” is not a CSV file.") % {"name": name}) from None
    header = [h.strip() for h in table[0]] if table else []
    found = next((s for s, columns in COLUMNS.items() if set(columns) <= set(header)), None)
    if found is None:
        raise UnreadableFile(
            _("The CSV file “%(name)s” has neither the columns of “%(a)s” nor those of “%(b)s”.")
            % {"name": name, "a": UPDATES, "b": ACTUALS}
        )
    cells = ([None if v == "" else v for v in r[:MAX_COLUMNS]] for r in table)
    return {found: _read_table(found, cells, problems)}, problems


# Cell values ------------------------------------------------------------------------------------


class Bad(Exception):
    """A cell that cannot be read as its column wants; the message says how to write it."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > MAX_CELL:
        raise Bad(_("The text is too long: at most %(n)s characters.") % {"n": f"{MAX_CELL:,}"})
    if "\x00" in text:  # no database column stores it (PostgreSQL refuses it with an error)
        raise Bad(_("The text holds a NUL character (code 0), which cannot be stored."))
    return text


def _date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    day = DAY_MONTH_YEAR.match(text)
    if day:
        try:
            return datetime.date(int(day.group(3)), int(day.group(2)), int(day.group(1)))
        except ValueError:
            pass
    raise Bad(_("“%(value)s” is not a date: write 2025-04-05 (or 05/04/2025).") % {"value": text[:40]})


def _whole(value: Any, message: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Bad(message)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if isinstance(value, str) and THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Bad(message) from None
    if not number.is_finite() or number.adjusted() > 30 or number != number.to_integral_value():
        raise Bad(message)  # 1E+999999999 would become an integer of a billion digits
    return int(number)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise Bad(_("“%(value)s” is not a number: write it like 72.5.") % {"value": str(value)[:40]}) from None
    if not number.is_finite():
        raise Bad(_("“%(value)s” is not a number: write it like 72.5.") % {"value": str(value)[:40]})
    return number


# Import -----------------------------------------------------------------------------------------


@dataclass
class _Lookups:
    """Everything a row is matched against, fetched once (the import stays linear in its rows)."""

    programmes: dict[str, Programme]
    periods: dict[str, ReportingPeriod]
    updates: dict[tuple[int, int], ProgrammeUpdate]
    indicators: dict[int, list[Indicator]]
    actuals: dict[tuple[int, int, int | None], IndicatorActual]
    opds: dict[str, OPD]
    seen: dict[tuple[Any, ...], int] = field(default_factory=dict)  # a row's keys → the first row with them
    new: list[tuple[Row, services.NewUpdate]] = field(default_factory=list)  # updates to create

    @classmethod
    def of(cls, edition: Edition) -> _Lookups:
        programmes = {
            p.code.casefold(): p for p in Programme.objects.filter(edition=edition).select_related("edition__region")
        }
        indicators: dict[int, list[Indicator]] = {}
        for indicator in Indicator.objects.filter(programme__edition=edition).order_by("order", "pk"):
            indicators.setdefault(indicator.programme_id, []).append(indicator)
        by_pk = {p.pk: p for p in programmes.values()}
        for rows_ in indicators.values():
            for indicator in rows_:
                indicator.programme = by_pk[indicator.programme_id]
        opds: dict[str, OPD] = {}
        for opd in OPD.objects.filter(region_id=edition.region_id).order_by("-valid_from", "pk"):
            opds.setdefault(opd.abbreviation.casefold(), opd)
            opds.setdefault(opd.name.casefold(), opd)
        updates = _latest_updates(edition, None)
        for update in updates.values():
            update.programme = by_pk[update.programme_id]
        return cls(
            programmes=programmes,
            periods={p.key: p for p in ReportingPeriod.objects.filter(edition=edition)},
            updates=updates,
            indicators=indicators,
            actuals={
                (a.indicator_id, a.year, a.period_id): a
                for a in IndicatorActual.objects.filter(indicator__programme__edition=edition)
            },
            opds=opds,
        )


def _is_template_row(row: Row) -> bool:
    return all(
        row.values[c] is None or (isinstance(row.values[c], str) and not row.values[c].strip())
        for c in COLUMNS[row.sheet]
        if c not in KEYS[row.sheet]
    )


def _service_problems(row: Row, error: ValidationError, default_column: str) -> Iterator[Problem]:
    if hasattr(error, "error_dict"):
        for column, messages in error.message_dict.items():
            known = column if column in row.letters else default_column
            for message in messages:
                yield row.problem(known, message)
    else:
        for message in error.messages:
            yield row.problem(default_column, message)


def _programme(row: Row, lookups: _Lookups, problems: Problems) -> Programme | None:
    code = _text(row.values["programme"])
    programme = lookups.programmes.get(code.casefold()) if code else None
    if programme is None:
        message = (
            _("No programme %(code)s in this edition.") % {"code": code[:40]}
            if code
            else _("Enter the programme code, e.g. GOV-01.")
        )
        problems.add(row.problem("programme", message))
    return programme


def _period(row: Row, lookups: _Lookups, problems: Problems, *, required: bool) -> ReportingPeriod | None:
    key = _text(row.values["period"]).upper()
    if not key:
        if required:
            problems.add(row.problem("period", _("Enter the reporting period, e.g. 2025-Q1.")))
        return None
    period = lookups.periods.get(key)
    if period is None:
        try:
            pure.parse_key(key)
            message = _("The edition has no reporting period %(key)s.") % {"key": key}
        except ValueError:
            message = _("“%(key)s” is not a period: write 2025-Q1 or 2025-M03.") % {"key": key[:20]}
        problems.add(row.problem("period", message))
    return period


def _update_data(row: Row, problems: Problems) -> dict[str, Any] | None:
    """The row as the service's ``data``, or None after adding the cells that cannot be read."""
    data: dict[str, Any] = {}
    before = len(problems.items) + problems.more
    v = row.values
    for column in ("comment", "reason", "evidence_link"):
        try:
            data[column] = _text(v[column])
        except Bad as bad:
            problems.add(row.problem(column, str(bad)))
    status = _text(v["status"]).lower() if v["status"] is not None else ""
    if status and (status not in ProgrammeStatus.values or status == ProgrammeStatus.PLANNED):
        allowed = ", ".join(s for s in ProgrammeStatus.values if s != ProgrammeStatus.PLANNED)
        message = _("“%(value)s” is not a status: use one of %(allowed)s.") % {"value": status[:40], "allowed": allowed}
        problems.add(row.problem("status", message))
    data["status"] = status
    for column in DATE_COLUMNS:
        try:
            data[column] = _date(v[column])
        except Bad as bad:
            problems.add(row.problem(column, str(bad)))
    if v["reported_on"] in (None, ""):
        problems.add(row.problem("reported_on", _("Enter the date of the update, e.g. 2025-04-05.")))
    try:
        data["progress"] = _whole(v["progress"], _("Enter the physical progress as a whole percentage from 0 to 100."))
    except Bad as bad:
        problems.add(row.problem("progress", str(bad)))
    for column in BUDGET_COLUMNS:
        try:
            data[column] = _whole(v[column], _("Enter the amount in whole rupiah, e.g. 150000000."))
        except Bad as bad:
            problems.add(row.problem(column, str(bad)))
    if len(problems.items) + problems.more > before:
        return None
    return data


def _same_update(update: ProgrammeUpdate, data: dict[str, Any]) -> bool:
    budgets = {b.source: int(b.amount) for b in update.budgets.all()}
    wanted = {c.removeprefix("budget_"): data[c] for c in BUDGET_COLUMNS if data[c] is not None}
    return (
        update.status == data["status"]
        and update.progress == data["progress"]
        and update.comment == data["comment"]
        and update.reason == data["reason"]
        and update.reported_on == data["reported_on"]
        and update.evidence_link == data["evidence_link"]
        and update.launched_on == data["launched_on"]
        and update.live_since == data["live_since"]
        and budgets == wanted
    )


def _import_update(
    row: Row, actor: Any, lookups: _Lookups, problems: Problems, result: ImportResult, *, submit: bool, today: Any
) -> None:
    programme = _programme(row, lookups, problems)
    period = _period(row, lookups, problems, required=True)
    if _is_template_row(row):
        result.skipped += 1
        return
    data = _update_data(row, problems)
    if programme is None or period is None or data is None:
        return
    first = lookups.seen.setdefault((UPDATES, programme.pk, period.pk), row.number)
    if first != row.number:
        message = _("Row %(row)s already reports %(code)s for %(key)s: keep one row per programme and period.")
        problems.add(row.problem("period", message % {"row": first, "code": programme.code, "key": period.key}))
        return
    existing = lookups.updates.get((programme.pk, period.pk))
    try:
        if existing is not None and existing.state in (UpdateState.SUBMITTED, UpdateState.ACCEPTED):
            if _same_update(existing, data):
                result.unchanged += 1
                return
            message = (
                _("The update for %(key)s is accepted and frozen: write a correction of it on its page.")
                if existing.state == UpdateState.ACCEPTED
                else _("The update for %(key)s is submitted and waits for validation: it cannot be changed now.")
            )
            problems.add(row.problem("period", message % {"key": period.key}))
            return
        if existing is not None:
            if _same_update(existing, data):
                update = existing
                result.unchanged += 1
            else:
                update = services.edit_update(
                    actor=actor, update=existing, data=data, expected_version=existing.version
                )
                result.changed += 1
        else:
            # Created together after the last row (services.create_updates: a fixed number of queries).
            lookups.new.append((row, services.NewUpdate(programme, period, data)))
            return
        lookups.updates[(programme.pk, period.pk)] = update
        if submit:
            update = services.submit_update(actor=actor, update=update, expected_version=update.version)
            lookups.updates[(programme.pk, period.pk)] = update
            result.submitted += 1
    except ValidationError as error:
        for problem in _service_problems(row, error, "period"):
            problems.add(problem)
    except PermissionDenied:
        problems.add(
            row.problem(
                "programme",
                _("You may not report for %(code)s: it is led by another agency.") % {"code": programme.code},
            )
        )


def _create_updates(
    actor: Any, lookups: _Lookups, problems: Problems, result: ImportResult, *, submit: bool, today: Any
) -> None:
    if not lookups.new:
        return
    outcomes = services.create_updates(
        actor=actor, items=[item for _row, item in lookups.new], today=today, submit=submit
    )
    failed = False
    for (row, item), outcome in zip(lookups.new, outcomes, strict=True):
        if isinstance(outcome, ValidationError):
            failed = True
            for problem in _service_problems(row, outcome, "period"):
                problems.add(problem)
        elif isinstance(outcome, PermissionDenied):
            failed = True
            message = _("You may not report for %(code)s: it is led by another agency.") % {"code": item.programme.code}
            problems.add(row.problem("programme", message))
    if failed:
        return
    result.created += len(outcomes)
    result.submitted += len(outcomes) if submit else 0
    for update in outcomes:
        assert isinstance(update, ProgrammeUpdate)
        lookups.updates[(update.programme_id, update.period_id)] = update


def _indicator(row: Row, programme: Programme, lookups: _Lookups, problems: Problems) -> Indicator | None:
    label = _text(row.values["indicator"])
    candidates = lookups.indicators.get(programme.pk, [])
    if not label:
        problems.add(row.problem("indicator", _("Enter the indicator's name or id.")))
        return None
    if label.isdigit():
        match = [i for i in candidates if i.pk == int(label)]
        if match:
            return match[0]
    named = [i for i in candidates if i.name.casefold() == label.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        message = _("%(code)s has several indicators named “%(name)s”: write the id instead (%(ids)s).") % {
            "code": programme.code,
            "name": label[:80],
            "ids": ", ".join(str(i.pk) for i in named),
        }
    else:
        message = _("%(code)s has no indicator “%(name)s”.") % {"code": programme.code, "name": label[:80]}
    problems.add(row.problem("indicator", message))
    return None


def _import_actual(row: Row, actor: Any, lookups: _Lookups, problems: Problems, result: ImportResult) -> None:
    programme = _programme(row, lookups, problems)
    indicator = _indicator(row, programme, lookups, problems) if programme is not None else None
    period = _period(row, lookups, problems, required=False)
    try:
        year = _whole(row.values["year"], _("Enter the year as four digits, e.g. 2025."))
    except Bad as bad:
        problems.add(row.problem("year", str(bad)))
        return
    if year is None:
        year = period.year if period is not None else None
    if year is None:
        problems.add(row.problem("year", _("Enter the year as four digits, e.g. 2025.")))
        return
    if _is_template_row(row):
        result.skipped += 1
        return
    if row.values["value"] in (None, ""):
        problems.add(row.problem("value", _("Enter the measured value, or leave the whole row empty.")))
        return
    data: dict[str, Any] = {}
    try:
        data["value"] = _decimal(row.values["value"])
    except Bad as bad:
        problems.add(row.problem("value", str(bad)))
        return
    producer = _text(row.values["producer"])
    opd = lookups.opds.get(producer.casefold()) if producer else None
    if producer and opd is None:
        problems.add(
            row.problem(
                "producer", _("No agency “%(name)s” in this region: write its abbreviation.") % {"name": producer[:80]}
            )
        )
        return
    data["producer"] = opd.pk if opd else None
    try:
        data["source"] = _text(row.values["source"])
        data["note"] = _text(row.values["note"])
    except Bad as bad:
        problems.add(row.problem("note", str(bad)))
        return
    if indicator is None or (row.values["period"] not in (None, "") and period is None):
        return
    first = lookups.seen.setdefault((ACTUALS, indicator.pk, year, period.pk if period else None), row.number)
    if first != row.number:
        message = _("Row %(row)s already gives this indicator's actual for this period: keep one row.")
        problems.add(row.problem("period", message % {"row": first}))
        return
    existing = lookups.actuals.get((indicator.pk, year, period.pk if period else None))
    if existing is not None and (
        existing.value == data["value"]
        and existing.producer_id == data["producer"]
        and existing.source == data["source"]
        and existing.note == data["note"]
    ):
        result.actuals_unchanged += 1
        return
    try:
        actual = services.record_actual(
            actor=actor,
            indicator=indicator,
            year=year,
            period=period,
            data=data,
            expected_version=existing.version if existing else 0,
        )
    except ValidationError as error:
        for problem in _service_problems(row, error, "period" if period else "year"):
            problems.add(problem)
        return
    except PermissionDenied:
        problems.add(
            row.problem(
                "programme",
                _("You may not report for %(code)s: it is led by another agency.") % {"code": programme.code},  # type: ignore[union-attr]
            )
        )
        return
    lookups.actuals[(indicator.pk, year, period.pk if period else None)] = actual
    if existing is None:
        result.actuals_created += 1
    else:
        result.actuals_changed += 1


class _RollBack(Exception):
    pass


def import_updates(
    *,
    actor: Any,
    edition: Edition,
    data: bytes,
    name: str,
    submit: bool = False,
    today: datetime.date | None = None,
) -> ImportResult:
    """Import a workbook or CSV file of updates and actuals into ``edition``, all or nothing.

    ``actor`` None is the console operator. Updates are created (or changed) as drafts and, with
    ``submit``, submitted. Raises UnreadableFile when the file is not a spreadsheet at all; every
    other problem is in the result, and then nothing was written.
    """
    tables, problems = read_tables(data, name)
    result = ImportResult()
    if not problems:
        today = today or timezone.localdate()
        try:
            with transaction.atomic():
                lookups = _Lookups.of(edition)
                for row in tables.get(UPDATES, []):
                    _import_update(row, actor, lookups, problems, result, submit=submit, today=today)
                _create_updates(actor, lookups, problems, result, submit=submit, today=today)
                for row in tables.get(ACTUALS, []):
                    _import_actual(row, actor, lookups, problems, result)
                if problems:
                    raise _RollBack
        except _RollBack:
            pass
    if problems:
        result = ImportResult(problems=problems.items, more_problems=problems.more)
    return result
