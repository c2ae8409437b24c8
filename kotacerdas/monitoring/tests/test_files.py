"""The updates and actuals template: export, all-or-nothing import, located errors, round trip."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.spreadsheets import append_row, csv_text, new_workbook, workbook_bytes
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.monitoring import files, services
from kotacerdas.monitoring.files import ACTUALS, COLUMNS, UPDATES
from kotacerdas.monitoring.models import IndicatorActual, ProgrammeUpdate, UpdateState
from kotacerdas.monitoring.tests.conftest import TODAY, update_data

pytestmark = pytest.mark.django_db


def _row(sheet: str, **values: Any) -> list[Any]:
    return [values.get(column) for column in COLUMNS[sheet]]


def _book(updates: list[list[Any]] = (), actuals: list[list[Any]] = ()) -> bytes:  # type: ignore[assignment]
    book = new_workbook(None)
    for name, body in ((UPDATES, updates), (ACTUALS, actuals)):
        sheet = book.create_sheet(name)
        append_row(sheet, COLUMNS[name])
        for row in body:
            append_row(sheet, row)
    return workbook_bytes(book)


def _update(**values: Any) -> list[Any]:
    base = {
        "programme": "GOV-01",
        "period": "2025-Q1",
        "reported_on": datetime.date(2025, 4, 5),
        "status": "on_track",
        "progress": 40,
        "comment": "Aplikasi diuji coba.",
        "budget_apbd": 25_000_000,
    }
    return _row(UPDATES, **{**base, **values})


def _actual(**values: Any) -> list[Any]:
    base = {"programme": "GOV-01", "indicator": "Layanan daring", "year": 2025, "period": "2025-Q1", "value": 12}
    return _row(ACTUALS, **{**base, **values})


def _import(data: bytes, actor: Any = None, name: str = "pembaruan.xlsx", **kw: Any) -> files.ImportResult:
    return files.import_updates(actor=actor, edition=kw.pop("edition"), data=data, name=name, today=TODAY, **kw)


def _sheet_rows(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_it_imports_updates_and_actuals_as_drafts_through_the_services(cast, monitored):
    data = _book(
        [_update(), _update(programme="ENV-01", status="at_risk", progress="15", budget_apbd="1.500.000")],
        [_actual(producer="Diskominfo", source="Dinas", note="Triwulan I")],
    )
    result = _import(data, actor=cast.editor, edition=monitored.edition)
    assert result.ok, result.problem_lines()
    assert (result.created, result.actuals_created) == (2, 1)
    updates = {u.programme.code: u for u in ProgrammeUpdate.objects.select_related("programme")}
    assert updates["GOV-01"].state == UpdateState.DRAFT and updates["GOV-01"].author == cast.editor
    assert updates["ENV-01"].progress == 15
    assert {b.source: b.amount for b in updates["ENV-01"].budgets.all()} == {"apbd": 1_500_000}
    actual = IndicatorActual.objects.get()
    assert actual.value == 12 and actual.producer == cast.opd_a and actual.period == monitored.q1
    assert AuditEntry.objects.filter(object_type="monitoring.ProgrammeUpdate", action="create").count() == 2


def test_submit_sends_the_imported_updates_for_validation(monitored):
    result = _import(_book([_update()]), edition=monitored.edition, submit=True)
    assert result.ok and result.submitted == 1
    update = ProgrammeUpdate.objects.get()
    assert update.state == UpdateState.SUBMITTED and update.submitted_at and update.version == 2
    trail = AuditEntry.objects.filter(object_type="monitoring.ProgrammeUpdate").order_by("pk")
    assert [(e.action, e.after["state"]) for e in trail] == [("create", "draft"), ("submit", "submitted")]
    assert trail[0].after["budgets"] == {"apbd": "25000000"}
    # A submitted update waits for validation: accepting it works as for one submitted on its page.
    services.accept_update(actor=None, update=update, expected_version=update.version)


def test_the_import_reads_in_a_fixed_number_of_queries(monitored, django_assert_max_num_queries):
    data = _book([_update(), _update(programme="ENV-01")])
    with django_assert_max_num_queries(20) as few:
        _import(data, edition=monitored.edition, submit=True)
    ProgrammeUpdate.objects.all().delete()
    AuditEntry.objects.all().delete()
    data = _book([_update(period=f"2025-Q{q}", programme=p) for q in (1, 2) for p in ("GOV-01", "ENV-01")])
    with django_assert_max_num_queries(len(few)):
        assert _import(data, edition=monitored.edition, submit=True).created == 4


def test_it_locates_every_bad_cell_by_sheet_row_and_column(monitored):
    data = _book(
        [
            _update(programme="XXX-99"),
            _update(period="2025-Q5"),
            _update(period="2031-Q1"),
            _update(status="finished"),
            _update(progress="lots"),
            _update(reported_on="kemarin"),
            _update(budget_csr=-5),
            _update(budget_dak="1.5"),
            _update(status="cancelled", period="2025-Q2"),
            _update(comment=None, programme="ENV-01"),
        ],
        [
            _actual(indicator="Tidak ada"),
            _actual(value="banyak"),
            _actual(producer="Dinas X"),
            _actual(year="tahun"),
        ],
    )
    result = _import(data, edition=monitored.edition)
    where = {p.where for p in result.problems}
    assert {
        "Pembaruan!A2 (programme)",
        "Pembaruan!B3 (period)",
        "Pembaruan!B4 (period)",
        "Pembaruan!D5 (status)",
        "Pembaruan!E6 (progress)",
        "Pembaruan!C7 (reported_on)",
        "Pembaruan!K8 (budget_csr)",
        "Pembaruan!J9 (budget_dak)",
        "Pembaruan!G10 (reason)",
        "Pembaruan!F11 (comment)",
        "Capaian!B2 (indicator)",
        "Capaian!E3 (value)",
        "Capaian!F4 (producer)",
        "Capaian!C5 (year)",
    } <= where, where
    assert not ProgrammeUpdate.objects.exists() and not IndicatorActual.objects.exists()


def test_one_bad_row_writes_nothing_at_all(monitored):
    data = _book([_update(), _update(programme="ENV-01", progress=140)], [_actual()])
    result = _import(data, edition=monitored.edition)
    assert [p.where for p in result.problems] == ["Pembaruan!E3 (progress)"]
    assert result.created == 0
    assert not ProgrammeUpdate.objects.exists()
    assert not IndicatorActual.objects.exists()
    assert not AuditEntry.objects.filter(object_type="monitoring.ProgrammeUpdate").exists()


def test_problems_are_capped_with_a_count_of_the_rest(monitored, english):
    data = _book([_update(programme=f"X-{n}") for n in range(250)])
    result = _import(data, edition=monitored.edition)
    assert len(result.problems) == files.MAX_PROBLEMS and result.more_problems == 50
    assert "50" in result.problem_lines()[-1]


def test_two_rows_for_one_programme_and_period_are_refused(monitored):
    result = _import(_book([_update(), _update(progress=50)]), edition=monitored.edition)
    assert [p.where for p in result.problems] == ["Pembaruan!B3 (period)"]


def test_an_editor_of_another_agency_is_refused_on_the_row(cast, monitored):
    cast.opd_a.memberships = None  # the editor is tied to opd_a; give the programme another lead
    from kotacerdas.regions import services as region_services

    other = region_services.create_opd(
        actor=None,
        region=cast.region_a,
        data={"name": "Bappeda", "abbreviation": "Bappeda", "kind": "badan", "valid_from": datetime.date(2017, 1, 1)},
    )
    type(monitored.second).objects.filter(pk=monitored.second.pk).update(lead_opd=other)
    result = _import(_book([_update(programme="ENV-01")]), actor=cast.editor, edition=monitored.edition)
    assert [p.where for p in result.problems] == ["Pembaruan!A2 (programme)"]


def test_formula_looking_text_stays_text(monitored):
    comment = '=HYPERLINK("http://x")'
    result = _import(_book([_update(comment=comment, reason="+62 812", evidence_link=None)]), edition=monitored.edition)
    assert result.ok, result.problem_lines()
    assert ProgrammeUpdate.objects.get().comment == comment
    book = load_workbook(io.BytesIO(files.export_workbook(monitored.edition, monitored.q1)))
    cell = next(row[5] for row in book[UPDATES].iter_rows(min_row=2) if row[0].value == "GOV-01")
    assert cell.value == comment and cell.data_type == "s"
    csv = files.export_csv(monitored.edition, UPDATES, monitored.q1)
    assert "'=HYPERLINK" in csv and "'+62 812" in csv


def test_the_template_prefills_programmes_and_indicators_of_the_period(monitored):
    rows = _sheet_rows(files.export_workbook(monitored.edition, monitored.q1))
    assert rows[UPDATES][0] == tuple(COLUMNS[UPDATES])
    assert sorted(r[:3] for r in rows[UPDATES][1:]) == [("ENV-01", "2025-Q1", None), ("GOV-01", "2025-Q1", None)]
    assert [r[:5] for r in rows[ACTUALS][1:]] == [("GOV-01", "Layanan daring", 2025, "2025-Q1", None)]
    # An untouched template imports as nothing to do.
    result = _import(files.export_workbook(monitored.edition, monitored.q1), edition=monitored.edition)
    assert result.ok and result.skipped == 3 and not ProgrammeUpdate.objects.exists()


def test_round_trip_export_import_export_gives_the_same_rows(cast, monitored):
    update = services.create_update(
        actor=None,
        programme=monitored.first,
        period=monitored.q1,
        data=update_data(budget_apbd=25_000_000, budget_csr=1000, launched_on=datetime.date(2025, 3, 1)),
        today=TODAY,
    )
    accepted = services.create_update(
        actor=None, programme=monitored.second, period=monitored.q1, data=update_data(status="at_risk"), today=TODAY
    )
    accepted = services.submit_update(actor=None, update=accepted, expected_version=accepted.version)
    services.accept_update(actor=None, update=accepted, expected_version=accepted.version)
    services.record_actual(
        actor=None,
        indicator=monitored.first.indicators.get(),
        year=2025,
        period=monitored.q1,
        data={"value": "12.5", "producer": cast.opd_a.pk, "source": "Survei", "note": "=catatan"},
        expected_version=0,
    )
    first = files.export_workbook(monitored.edition, monitored.q1)
    # The draft and the actual go; the file brings them back.
    services.delete_update(actor=None, update=update, expected_version=update.version)
    IndicatorActual.objects.all().delete()
    result = _import(first, edition=monitored.edition)
    assert result.ok, result.problem_lines()
    assert (result.created, result.unchanged, result.actuals_created) == (1, 1, 1)
    second = files.export_workbook(monitored.edition, monitored.q1)
    assert _sheet_rows(second) == _sheet_rows(first)
    # Importing it again changes nothing.
    again = _import(second, edition=monitored.edition)
    assert (again.created, again.changed, again.unchanged, again.actuals_unchanged) == (0, 0, 2, 1)


def test_round_trip_through_csv(monitored):
    _import(_book([_update(comment="-5 % dari target")], [_actual(value="12.25")]), edition=monitored.edition)
    for sheet in (UPDATES, ACTUALS):
        text = files.export_csv(monitored.edition, sheet)
        result = _import(text.encode(), edition=monitored.edition, name=f"{sheet}.csv")
        assert result.ok, result.problem_lines()
        assert files.export_csv(monitored.edition, sheet) == text
    ProgrammeUpdate.objects.all().delete()
    text = files.export_csv(monitored.edition, UPDATES, monitored.q1)
    assert _import(text.encode(), edition=monitored.edition, name="x.csv").skipped == 2


def test_an_edited_draft_keeps_its_identity(monitored):
    _import(_book([_update()]), edition=monitored.edition)
    first = ProgrammeUpdate.objects.get()
    result = _import(_book([_update(progress=60)]), edition=monitored.edition)
    assert result.changed == 1
    again = ProgrammeUpdate.objects.get()
    assert again.pk == first.pk and again.progress == 60 and again.version == first.version + 1


def test_a_frozen_update_that_differs_is_refused(monitored, english):
    _import(_book([_update()]), edition=monitored.edition, submit=True)
    result = _import(_book([_update(progress=60)]), edition=monitored.edition)
    assert [p.where for p in result.problems] == ["Pembaruan!B2 (period)"]
    assert "submitted" in result.problems[0].message


def test_files_that_are_not_spreadsheets_are_refused_in_one_sentence(monitored, english):
    with pytest.raises(UnreadableFile, match="not an XLSX"):
        _import(b"PK\x03\x04 broken", edition=monitored.edition)
    with pytest.raises(UnreadableFile, match="neither the columns"):
        _import(csv_text([["a", "b"], [1, 2]]).encode(), edition=monitored.edition, name="x.csv")
    with pytest.raises(UnreadableFile, match="larger than"):
        _import(b"x" * (files.MAX_BYTES + 1), edition=monitored.edition, name="x.csv")
    book = new_workbook("Lain")
    result = _import(workbook_bytes(book), edition=monitored.edition)
    assert "neither" in result.problems[0].message


def test_a_sheet_missing_columns_names_them(monitored, english):
    book = new_workbook(UPDATES)
    append_row(book[UPDATES], ["programme", "period"])
    result = _import(workbook_bytes(book), edition=monitored.edition)
    assert result.problems[0].where == "Pembaruan!1" and "status" in result.problems[0].message


def test_a_dotted_amount_is_read_as_thousands_only(monitored):
    """services._amount read "1.5" as 15: a dot is a thousands separator only in groups of three."""
    with pytest.raises(ValidationError):
        services.create_update(
            actor=None, programme=monitored.first, period=monitored.q1, data=update_data(budget_apbd="1.5"), today=TODAY
        )
    update = services.create_update(
        actor=None, programme=monitored.first, period=monitored.q1, data=update_data(budget_apbd="1.500"), today=TODAY
    )
    assert update.budgets.get().amount == Decimal(1500)


def test_actuals_of_a_year_and_changed_actuals(cast, monitored):
    first = _import(_book([], [_actual(), _actual(period=None, value="14,5", source="BPS")]), edition=monitored.edition)
    assert first.ok and first.actuals_created == 2, first.problem_lines()
    yearly = IndicatorActual.objects.get(period__isnull=True)
    assert yearly.year == 2025 and yearly.value == Decimal("14.5") and yearly.source == "BPS"
    again = _import(
        _book([], [_actual(value=13), _actual(period=None, value="14.5", source="BPS")]), edition=monitored.edition
    )
    assert (again.actuals_changed, again.actuals_unchanged) == (1, 1)
    changed = IndicatorActual.objects.get(period=monitored.q1)
    assert changed.value == 13 and changed.version == 2


def test_an_actual_for_a_period_of_another_year_is_located(monitored, english):
    result = _import(_book([], [_actual(year=2026)]), edition=monitored.edition)
    assert [p.where for p in result.problems] == ["Capaian!D2 (period)"]
