"""The region's monitoring page, the reporting set-up of an adopted edition, and indicator actuals
with their Satu Data metadata (see the package's urls.py).

Thin views: the region through ``access.region_for`` (404 for whoever may not see it), rows
fetched inside it, writes through ``monitoring.services`` with the row's version (a stale one
answers 409 and keeps what was typed).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.lib.forms import describe_fields, submit
from kotacerdas.monitoring import figures, selectors, services
from kotacerdas.monitoring import periods as pure
from kotacerdas.monitoring.models import Frequency, IndicatorActual, IndicatorMetadata, ReportingPeriod
from kotacerdas.monitoring.overview_forms import ActualForm, ChangeReportingForm, MetadataForm, StartReportingForm
from kotacerdas.plans.models import Edition, Indicator, ProgrammeStatus
from kotacerdas.plans.templatetags.plans_tags import millions
from kotacerdas.regions.models import OPD, Region

PER_PAGE = 100  # indicators per page of the actuals table


def urlpatterns(prefix: str) -> list[URLPattern]:
    edition = prefix + "edisi/<int:year>/"
    return [
        path(prefix, overview, name="overview"),
        path(edition + "pelaporan/", reporting, name="reporting"),
        path(edition + "indikator/", actuals, name="actuals"),
        path(edition + "indikator/<int:pk>/realisasi/", actual_edit, name="actual_edit"),
        path(edition + "indikator/<int:pk>/metadata/", metadata_edit, name="metadata_edit"),
    ]


def _context(request: HttpRequest, region: Region, edition: Edition | None, **extra: Any) -> dict[str, Any]:
    return {
        "region": region,
        "edition": edition,
        "can": access.capabilities(request.user, region),
        "Can": {c.name: c for c in Can},
        "may_set_up": access.may_set_up_reporting(request.user, region),
        "statuses": dict(ProgrammeStatus.choices),
        "rag_names": rag_names(),
        **extra,
    }


def rag_names() -> dict[str, str]:
    """The name said with every RAG colour (never colour alone)."""
    return {
        "green": _("green: on course"),
        "amber": _("amber: needs attention"),
        "red": _("red: behind"),
        "grey": _("grey: nothing reported yet"),
    }


def _choose_edition(editions: list[Edition], asked: str, today_year: int) -> Edition | None:
    """The edition ``?edisi=`` names, else the monitored one in force this year, else the newest."""
    if asked.isdigit():
        for edition in editions:
            if edition.year == int(asked):
                return edition
        raise Http404("No such adopted edition.")
    monitored = [e for e in editions if getattr(e, "reporting", None) is not None]
    in_force = [e for e in monitored if e.start_year <= today_year <= e.end_year]
    chosen = in_force or monitored or editions
    return chosen[0] if chosen else None


@login_required
def overview(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code)
    today = timezone.localdate()
    editions = selectors.monitored_editions(region)
    edition = _choose_edition(editions, request.GET.get("edisi", ""), today.year)
    context = _context(request, region, edition, editions=editions)
    if edition is not None and getattr(edition, "reporting", None) is not None:
        asked = request.GET.get("period", "").strip()
        data = selectors.overview(edition, period_key=asked or None, today=today)
        context.update(
            data=data,
            asked_period=asked,
            unknown_period=bool(asked) and (data.period is None or data.period.key != asked),
            chart=_budget_chart(data),
        )
    return render(request, "monitoring/overview/overview.html", context)


def _budget_chart(data: selectors.Overview) -> SafeString:
    svg = figures.planned_vs_realised_svg(
        [(b.year, b.planned, b.realised) for b in data.budgets],
        ident="chart-budget",
        title=_("Budget planned and realised per year (million rupiah)"),
        description=_(
            "Two columns per year: the planned budget of the programmes and the budget realised in "
            "accepted updates. The table below the chart holds the same numbers."
        ),
        planned_label=_("planned"),
        realised_label=_("realised"),
        amount=millions,
    )
    return mark_safe(svg)  # noqa: S308 - figures.py escapes every text it places


def _edition(request: HttpRequest, code: str, year: int, need: Can = Can.VIEW) -> tuple[Region, Edition]:
    region = access.region_for(request.user, code, need)
    return region, selectors.adopted_edition(region, year)


@login_required
def reporting(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = _edition(request, code, year)
    may_set_up = access.may_set_up_reporting(request.user, region)
    if request.method == "POST" and not may_set_up:
        raise PermissionDenied
    today = timezone.localdate()
    plan = selectors.reporting_of(edition)
    form: Any
    if plan is None:
        form = StartReportingForm(
            request.POST or None, initial={"starts_on": f"{edition.start_year}-01-01"}, prefix="start"
        )

        def start(data: dict[str, Any]) -> Any:
            return services.start_reporting(
                actor=request.user,
                edition=edition,
                cadence=data["cadence"],
                grace_days=data["grace_days"],
                rollup=data["rollup"],
                starts_on=data["starts_on"],
            )

        if submit(request, form, start):
            messages.success(request, _("Reporting started: the periods and their due dates are below."))
            return redirect("monitoring:reporting", code, year)
    else:
        form = ChangeReportingForm(
            request.POST or None,
            initial={
                "cadence": plan.cadence,
                "grace_days": plan.grace_days,
                "rollup": plan.rollup,
                "version": plan.version,
            },
            prefix="change",
        )

        def change(data: dict[str, Any]) -> Any:
            return services.change_reporting(
                actor=request.user,
                reporting=plan,
                data={k: data[k] for k in ("cadence", "grace_days", "rollup")},
                expected_version=data["version"],
                today=today,
            )

        if submit(request, form, change):
            messages.success(request, _("Reporting settings saved."))
            return redirect("monitoring:reporting", code, year)
    describe_fields(form)
    context = _context(
        request,
        region,
        edition,
        form=form,
        plan=plan,
        periods=list(selectors.periods_of(edition)) if plan else [],
        applies_from=pure.effective_from(today),
        today=today,
    )
    status = 409 if getattr(form, "conflict", False) else 200
    return render(request, "monitoring/overview/reporting.html", context, status=status)


@login_required
def actuals(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = _edition(request, code, year)
    today = timezone.localdate()
    periods = list(selectors.periods_of(edition))
    asked_year = request.GET.get("tahun", "")
    period = selectors.choose_period(periods, request.GET.get("period") or None, today)
    shown_year = int(asked_year) if asked_year.isdigit() else (period.year if period else today.year)
    if not edition.start_year <= shown_year <= edition.end_year:
        shown_year = edition.start_year
    if period is None or period.year != shown_year:
        of_year = [p for p in periods if p.year == shown_year]
        ended = [p for p in of_year if p.ends_on < today]
        candidates = ended or of_year
        period = candidates[-1] if candidates else None
    indicators = Indicator.objects.filter(region=region, programme__edition=edition).order_by(
        "programme__dimension__order", "programme__code", "order", "id"
    )
    dimension = request.GET.get("dimensi", "")
    if dimension:
        indicators = indicators.filter(programme__dimension__code=dimension)
    opd = request.GET.get("opd", "")
    if opd.isdigit():
        indicators = indicators.filter(Q(data_producer_id=int(opd)) | Q(programme__lead_opd_id=int(opd)))
    total = indicators.count()
    pages = max(1, -(-total // PER_PAGE))
    asked_page = request.GET.get("halaman", "")
    page = min(int(asked_page), pages) if asked_page.isdigit() and int(asked_page) > 0 else 1
    shown = indicators[(page - 1) * PER_PAGE : page * PER_PAGE]
    bands, band_table = selectors.achievement_bands()
    states = selectors.indicator_states(shown, year=shown_year, periods=periods, as_of=period, today=today, bands=bands)

    def page_url(number: int) -> str:
        query = request.GET.copy()
        query["halaman"] = str(number)
        return "?" + query.urlencode()

    dimensions = edition.taxonomy.entries.filter(parent=None).order_by("order", "id")
    context = _context(
        request,
        region,
        edition,
        states=states,
        year=shown_year,
        years=list(range(edition.start_year, edition.end_year + 1)),
        period=period,
        year_periods=[p for p in periods if p.year == shown_year],
        dimensions=list(dimensions),
        opds=list(OPD.objects.filter(region=region).order_by("name")),
        chosen_dimension=dimension,
        chosen_opd=opd,
        band_table=band_table,
        bands=sorted(bands, key=lambda b: (b.lower is not None, b.lower or 0), reverse=True),
        may_report=access.may(request.user, region, Can.EDIT),
        total=total,
        page=page,
        pages=pages,
        previous_url=page_url(page - 1) if page > 1 else "",
        next_url=page_url(page + 1) if page < pages else "",
    )
    return render(request, "monitoring/overview/actuals.html", context)


def _indicator(region: Region, edition: Edition, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.filter(region=region, programme__edition=edition).select_related(
            "programme__lead_opd", "programme__edition", "data_producer"
        ),
        pk=pk,
    )


@login_required
def actual_edit(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    region, edition = _edition(request, code, year)
    indicator = _indicator(region, edition, pk)
    if not access.may_report_for(request.user, region, indicator.programme.lead_opd_id):
        raise PermissionDenied
    key = request.GET.get("period", "")
    period: ReportingPeriod | None = None
    if key:
        period = get_object_or_404(ReportingPeriod.objects.filter(edition=edition), key=key)
        actual_year = period.year
    else:
        asked = request.GET.get("tahun", "")
        if not asked.isdigit():
            raise Http404("Say which period or year.")
        actual_year = int(asked)
    existing = IndicatorActual.objects.filter(indicator=indicator, year=actual_year, period=period).first()
    initial: dict[str, Any] = {"producer": indicator.data_producer_id}
    if existing is not None:
        initial = {
            "value": existing.value,
            "producer": existing.producer_id,
            "source": existing.source,
            "note": existing.note,
            "version": existing.version,
        }
    form = ActualForm(
        request.POST or None,
        initial=initial,
        opds=OPD.objects.filter(region=region).order_by("name"),
        creates=existing is None,
    )

    def save(data: dict[str, Any]) -> IndicatorActual:
        return services.record_actual(
            actor=request.user,
            indicator=indicator,
            year=actual_year,
            period=period,
            data=data,
            expected_version=int(data.get("version") or 0),
        )

    if submit(request, form, save):
        messages.success(request, _("Actual saved."))
        return redirect(reverse("monitoring:actuals", args=[code, year]) + f"?tahun={actual_year}")
    target = indicator.targets.filter(year=actual_year).first()
    context = _context(
        request,
        region,
        edition,
        form=form,
        indicator=indicator,
        period=period,
        actual_year=actual_year,
        target=target,
        existing=existing,
        cancel_url=reverse("monitoring:actuals", args=[code, year]) + f"?tahun={actual_year}",
        title=_("Actual of %(indicator)s, %(when)s")
        % {"indicator": indicator.name, "when": period.key if period else actual_year},
    )
    status = 409 if getattr(form, "conflict", False) else 200
    return render(request, "monitoring/overview/actual_form.html", context, status=status)


@login_required
def metadata_edit(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    region, edition = _edition(request, code, year)
    indicator = _indicator(region, edition, pk)
    if not access.may_report_for(request.user, region, indicator.data_producer_id or indicator.programme.lead_opd_id):
        raise PermissionDenied
    existing = IndicatorMetadata.objects.filter(indicator=indicator).first()
    initial: dict[str, Any] = {"frequency": Frequency.YEARLY}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in services.METADATA_FIELDS}
        initial["version"] = existing.version
    form = MetadataForm(request.POST or None, initial=initial, creates=existing is None)

    def save(data: dict[str, Any]) -> IndicatorMetadata:
        return services.save_metadata(
            actor=request.user,
            indicator=indicator,
            data={name: data[name] for name in services.METADATA_FIELDS},
            expected_version=int(data.get("version") or 0),
        )

    if submit(request, form, save):
        messages.success(request, _("Indicator metadata saved."))
        return redirect(reverse("monitoring:actuals", args=[code, year]))
    context = _context(
        request,
        region,
        edition,
        form=form,
        indicator=indicator,
        existing=existing,
        cancel_url=reverse("monitoring:actuals", args=[code, year]),
        title=_("Satu Data metadata of %(indicator)s") % {"indicator": indicator.name},
    )
    status = 409 if getattr(form, "conflict", False) else 200
    return render(request, "monitoring/overview/metadata_form.html", context, status=status)
