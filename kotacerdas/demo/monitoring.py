"""Demo data of implementation monitoring (issue 13) for Kota Solok. All of it is invented sample data.

The 2019 master plan (adopted in 2020, period 2020–2029) is the plan in force while its 2024
review is being finished, so it is the one monitored: quarterly reporting from 2024, every
programme that runs in 2024–2026 reporting through the services as its agency and the mentors
would (draft → submitted → accepted or returned). Made to show what the pages are for: most
reports accepted on time, some late, one returned and fixed, one still returned, a programme
slipping to "at risk" that the third Bimtek session took up as an obstacle, one cancelled with a
reason, and indicator actuals (one missing, so the page flags it as late).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kotacerdas.monitoring import services
from kotacerdas.monitoring.models import ProgrammeUpdate, ReportingPeriod
from kotacerdas.plans.models import Edition, Programme
from kotacerdas.regions.models import Region

# Reports exist for periods that ended by this day; later periods show as due or late.
REPORTED_UNTIL = datetime.date(2026, 10, 1)
# (programme code, period key): what the demo shows there instead of a plain on-track report.
AT_RISK = ("ECO-02", "2024-Q2")  # slips before Bimtek III (August 2024), which takes it up
OFF_TRACK = ("LIV-01", "2025-Q3")
CANCELLED = ("BRD-04", "2025-Q2")
RETURNED_AND_FIXED = ("ECO-04", "2025-Q1")
STILL_RETURNED = ("ECO-04", "2026-Q3")
LATE = {("GOV-05", "2025-Q4"), ("ECO-04", "2026-Q2")}  # never reported: the pages flag them


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _text(programme: Programme, period: ReportingPeriod, status: str) -> str:
    if status == "at_risk":
        return "Pengadaan perangkat tertunda karena revisi anggaran; jadwal uji coba bergeser (contoh)."
    if status == "off_track":
        return "Mitra pelaksana mundur; kegiatan triwulan ini tidak berjalan (contoh)."
    if status == "achieved":
        return "Seluruh keluaran program tercapai dan layanan berjalan (contoh)."
    return f"Kegiatan {programme.code} berjalan sesuai rencana pada {period.key} (contoh)."


def _report(programme: Programme, period: ReportingPeriod, status: str, progress: int, rng: random.Random) -> None:
    on_day = period.due_on - datetime.timedelta(days=rng.randint(1, 8))
    planned = sum((b.amount for b in programme.budgets.all() if b.year == period.year), Decimal(0))
    share = Decimal(progress) / Decimal(100) / (4 if period.cadence == "quarterly" else 12)
    data: dict[str, Any] = {
        "status": status,
        "progress": progress,
        "comment": _text(programme, period, status),
        "reported_on": on_day,
        "budget_apbd": str((planned * share).quantize(Decimal(1))) if planned else "",
    }
    if status == "cancelled":
        data["reason"] = "Layanan digabung ke aplikasi provinsi; program dihentikan (contoh)."
    update = services.create_update(
        actor=None, programme=programme, period=period, data=data, today=period.ends_on, is_sample=True
    )
    key = (programme.code, period.key)
    update = services.submit_update(actor=None, update=update, expected_version=update.version)
    if key in (RETURNED_AND_FIXED, STILL_RETURNED):
        update = services.return_update(
            actor=None,
            update=update,
            reason="Lampirkan bukti realisasi anggaran dari SIPD (contoh).",
            expected_version=update.version,
        )
        if key == STILL_RETURNED:
            _date(update, on_day)
            return
        data["evidence_link"] = ["https://sipd.kemendagri.go.id/", "(contoh)"][0]
        update = services.edit_update(actor=None, update=update, data=data, expected_version=update.version)
        update = services.submit_update(actor=None, update=update, expected_version=update.version)
    update = services.accept_update(actor=None, update=update, expected_version=update.version)
    _date(update, on_day)


def _date(update: ProgrammeUpdate, on_day: datetime.date) -> None:
    """Sample history: the workflow ran on the day of the report, not on the day the demo loads."""
    ProgrammeUpdate.objects.filter(pk=update.pk).update(
        submitted_at=_moment(on_day), decided_at=_moment(on_day + datetime.timedelta(days=2))
    )


def _status(programme: Programme, period: ReportingPeriod, progress: int, state: dict[str, str]) -> str:
    key = (programme.code, period.key)
    if state.get(programme.code) == "cancelled":
        return ""
    if key == AT_RISK:
        return "at_risk"
    if key == OFF_TRACK:
        return "off_track"
    if key == CANCELLED:
        return "cancelled"
    if period.ends_on.year == programme.end_year and period.ends_on.month == 12:
        return "achieved" if programme.code != "LIV-01" else "not_achieved"
    if state.get(programme.code) in ("at_risk", "off_track"):
        return "on_track" if progress > 50 else state[programme.code]
    return "on_track"


def _actuals(edition: Edition, periods: list[ReportingPeriod]) -> None:
    yearly = [p for p in periods if p.key.endswith("Q4")]
    for programme in Programme.objects.filter(edition=edition, end_year__gte=2024).prefetch_related(
        "indicators__targets"
    ):
        for indicator in programme.indicators.all():
            targets = {t.year: t.value for t in indicator.targets.all()}
            for period in yearly:
                if period.year > (programme.end_year or 0) or period.year not in targets:
                    continue
                if (programme.code, period.key) in LATE or period.year == 2026:
                    continue  # 2026 is not over: its actual is not yet due
                base = indicator.baseline or Decimal(0)
                reached = base + (targets[period.year] - base) * Decimal("0.9")
                services.record_actual(
                    actor=None,
                    indicator=indicator,
                    year=period.year,
                    period=None,
                    data={
                        "value": str(reached.quantize(Decimal("0.01"))),
                        "producer": indicator.data_producer_id,
                        "source": "Laporan kinerja OPD (contoh)",
                    },
                    expected_version=0,
                    is_sample=True,
                )


def load(solok: Region) -> None:
    """Add this capability's demo data to a freshly created Kota Solok (called once, atomically)."""
    edition = Edition.objects.filter(region=solok, year=2019, status="adopted").first()
    if edition is None:
        return
    services.start_reporting(
        actor=None,
        edition=edition,
        cadence="quarterly",
        starts_on=datetime.date(2024, 1, 1),
        is_sample=True,
    )
    periods = list(ReportingPeriod.objects.filter(edition=edition, ends_on__lt=REPORTED_UNTIL).order_by("starts_on"))
    programmes = list(
        Programme.objects.filter(edition=edition, end_year__gte=2024).prefetch_related("budgets").order_by("code")
    )
    rng = random.Random(20240610)  # noqa: S311 - sample data, seeded by the first Bimtek
    state: dict[str, str] = {}
    for programme in programmes:
        # The sample programmes all state their years.
        assert programme.start_year is not None and programme.end_year is not None
        years = programme.end_year - max(programme.start_year, 2024) + 1
        for index, period in enumerate(p for p in periods if programme.start_year <= p.year <= programme.end_year):
            if (programme.code, period.key) in LATE:
                continue
            progress = min(100, round(100 * (index + 1) / (4 * years)))
            status = _status(programme, period, progress, state)
            if not status:
                break
            _report(programme, period, status, progress, rng)
            state[programme.code] = status
            if status in ("achieved", "not_achieved"):
                break
    _actuals(edition, periods)
