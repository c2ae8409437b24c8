"""The ministry's national view (issue 15 §3): every region in one table with filters, sorting and
an XLSX export of the same columns, the figures, the drill-down to obstacles, the command line,
the national sample generator, the refusal of everyone but the ministry, and a query count that
does not grow with the data."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.demo.national import generate
from kotacerdas.engagements.models import Obstacle
from kotacerdas.lib import spreadsheets
from kotacerdas.regions.models import Region
from kotacerdas.regions.provinces import PROVINCES
from kotacerdas.web import national
from kotacerdas.web import national_figures as figures

TODAY = datetime.date(2026, 12, 5)
URL = "/nasional/"


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages."""


@pytest.fixture
def sample(cast):
    generate(regions=40, sessions=4, obstacles=5, programmes=4, today=TODAY)
    return cast


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def _rows(html: str) -> list[str]:
    """The region codes of the table's rows, in order."""
    body = html.split('<table class="national">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>(\d\d\.\d\d)</td>", body)


def _headers(html: str) -> list[str]:
    head = html.split('<table class="national">', 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]


# Who may see it ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_ministry_sees_every_region_of_every_cohort_in_one_table(sample):
    response = sample.client(sample.ministry).get(URL)
    assert response.status_code == 200
    codes = _rows(response.content.decode())
    assert len(codes) == Region.objects.count() == 42
    assert "13.72" in codes and "13.73" in codes
    assert "Sample data." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "outsider", "mentor"])
@pytest.mark.parametrize("url", [URL, "/nasional/ekspor.xlsx", "/nasional/hambatan/?category=budget&province=11"])
def test_region_users_and_mentors_are_refused(sample, who, url):
    assert sample.client(getattr(sample, who)).get(url).status_code == 403


@pytest.mark.django_db
def test_anonymous_readers_are_sent_to_sign_in(sample):
    response = sample.client(None).get(URL)
    assert (response.status_code == 302 and "/login" in response["Location"]) or "masuk" in response["Location"]


@pytest.mark.django_db
def test_the_menu_offers_the_national_view_to_the_ministry_only(sample):
    assert 'href="/nasional/"' in sample.client(sample.ministry).get("/").content.decode()
    assert 'href="/nasional/"' not in sample.client(sample.owner).get("/").content.decode()


# Filters and sorting ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_keep_only_the_regions_that_match(sample):
    client = sample.client(sample.ministry)
    aceh = _rows(client.get(URL, {"province": "11"}).content.decode())
    assert aceh and all(code.startswith("11.") for code in aceh)
    kota = _rows(client.get(URL, {"kind": "kota", "province": "13"}).content.decode())
    assert set(kota) >= {"13.72", "13.73"}
    rows = {r.code: r for r in national.rows(TODAY, national.reference())}
    adopted = _rows(client.get(URL, {"plan": "adopted"}).content.decode())
    assert adopted and all(rows[c].plan_status == "adopted" for c in adopted)
    cohort = _rows(client.get(URL, {"cohort": "2023", "stage": "evaluated"}).content.decode())
    assert all(rows[c].cohort_year == 2023 and rows[c].stage == "evaluated" for c in cohort)
    assert set(_rows(client.get(URL, {"plan": "none"}).content.decode())) == {"13.72", "13.73"}


@pytest.mark.django_db
def test_an_unknown_filter_value_is_named_and_filters_nothing(sample):
    response = sample.client(sample.ministry).get(URL, {"province": "99", "kind": "kota"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Province" in html
    assert all(national.BY_KEY and code for code in _rows(html))
    assert len(_rows(html)) == sum(1 for r in national.rows(TODAY, national.reference()) if r.kind == "kota")


@pytest.mark.django_db
def test_sorting_by_a_column_orders_the_rows_both_ways_with_empty_values_last(sample):
    client = sample.client(sample.ministry)
    rows = {r.code: r for r in national.rows(TODAY, national.reference())}
    up = _rows(client.get(URL, {"sort": "index"}).content.decode())
    down = _rows(client.get(URL, {"sort": "index", "order": "desc"}).content.decode())
    scored = [c for c in up if rows[c].index is not None]
    assert [rows[c].index for c in scored] == sorted(rows[c].index for c in scored)
    assert [rows[c].index for c in down if rows[c].index is not None] == sorted(
        (rows[c].index for c in scored), reverse=True
    )
    assert rows[up[-1]].index is None and rows[down[-1]].index is None
    stages = [rows[c].stage_rank for c in _rows(client.get(URL, {"sort": "stage"}).content.decode())]
    assert stages == sorted(stages)


@pytest.mark.django_db
def test_htmx_gets_only_the_results(sample):
    response = sample.client(sample.ministry).get(URL, {"province": "13"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<table class="national">' in html and "<html" not in html


# Export -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_has_the_page_columns_and_the_filtered_rows(sample):
    client = sample.client(sample.ministry)
    query = {"province": "13", "sort": "population", "order": "desc"}
    page = client.get(URL, query).content.decode()
    response = client.get("/nasional/ekspor.xlsx", query)
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    book = spreadsheets.load_book(response.content)
    table = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(table[0]) == _headers(page)
    assert [row[0] for row in table[1:]] == _rows(page)


@pytest.mark.django_db
def test_the_export_keeps_text_as_text(sample):
    Region.objects.filter(code="13.73").update(name="=HYPERLINK(1)")
    response = sample.client(sample.ministry).get("/nasional/ekspor.xlsx", {"province": "13"})
    assert b"<f>" not in response.content


# Figures and the drill-down ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_funnel_league_heat_map_index_benchmarks_and_tile_map(sample):
    html = sample.client(sample.ministry).get(URL, {"measure": "obstacles"}).content.decode()
    for title in (
        "Stage funnel per cohort",
        "Late reporting",
        "Unresolved obstacles by category and province",
        "Regions per evaluation predicate",
        "Benchmarks by size class",
        'id="national-tiles-title"',
    ):
        assert title in html
    assert html.count("<svg") == 2  # the tile map and the predicates
    assert "The provinces as a table" in html


@pytest.mark.django_db
def test_a_heat_map_cell_opens_the_list_of_its_obstacles(sample):
    client = sample.client(sample.ministry)
    html = client.get(URL).content.decode()
    links = re.findall(r'href="(/nasional/hambatan/\?[^"]+)"[^>]*>(\d+)</a>', html)
    assert links
    url, shown = links[0]
    url = url.replace("&amp;", "&")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["page"].paginator.count == int(shown)
    for obstacle in page.context["page"].object_list:
        assert obstacle.status in national.UNRESOLVED


@pytest.mark.django_db
def test_the_drill_down_refuses_an_unknown_cell(sample):
    assert (
        sample.client(sample.ministry).get("/nasional/hambatan/", {"category": "x", "province": "11"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_without_data_each_slot_says_so_rather_than_showing_figures(cast):
    html = cast.client(cast.ministry).get(URL).content.decode()
    assert "so there is no funnel to show" in html
    assert "so there is no league of late reports" in html
    assert "No unresolved obstacle is recorded" in html
    assert "so there is no index to show" in html


@pytest.mark.django_db
def test_late_reports_are_the_programmes_without_a_report_in_periods_past_due(sample):
    from kotacerdas.monitoring.models import ProgrammeUpdate, ReportingPeriod
    from kotacerdas.plans.models import Programme

    row = next(r for r in national.rows(TODAY, national.reference()) if r.due_reports)
    region = Region.objects.get(code=row.code)
    past = ReportingPeriod.objects.filter(region=region, due_on__lt=TODAY)
    programmes = Programme.objects.filter(region=region).count()
    sent = ProgrammeUpdate.objects.filter(region=region, period__in=past).count()
    assert row.due_reports == past.count() * programmes
    assert row.late_reports == row.due_reports - sent


# Query count ------------------------------------------------------------------------------------


def _count(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_regions_sessions_obstacles_or_programmes(cast):
    client = cast.client(cast.ministry)
    generate(regions=3, sessions=4, obstacles=2, programmes=2, today=TODAY)
    urls = [(URL, None), (URL, {"province": "11", "sort": "index"}), ("/nasional/ekspor.xlsx", None)]
    small = [_count(client, url, q) for url, q in urls]
    generate(regions=60, sessions=4, obstacles=8, programmes=12, today=TODAY, seed=3, name="Sampel Tambahan")
    large = [_count(client, url, q) for url, q in urls]
    assert large == small
    assert small[0] <= 22


# Command line and generator ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_gives_the_same_table_as_the_page(sample):
    out = StringIO()
    call_command("national", "--province", "Aceh", "--sort", "code", "--json", "--date", TODAY.isoformat(), stdout=out)
    payload = json.loads(out.getvalue())
    page = sample.client(sample.ministry).get(URL, {"province": "11"}).content.decode()
    assert [r["code"] for r in payload["rows"]] == _rows(page)
    assert payload["columns"] == [c.key for c in national.COLUMNS]
    assert payload["funnel"] and payload["benchmarks"]
    text = StringIO()
    call_command("national", "--province", "11", "--date", TODAY.isoformat(), stdout=text)
    assert "regions" in text.getvalue() and "Stage funnel" in text.getvalue()


@pytest.mark.django_db
def test_the_command_names_a_bad_province():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--province"):
        call_command("national", "--province", "Atlantis")


@pytest.mark.django_db
def test_the_national_sample_is_marked_as_sample_and_generated_once(frameworks):
    out = StringIO()
    call_command("demo", "--national", "--regions", "8", "--programmes", "3", "--json", stdout=out)
    first = json.loads(out.getvalue())
    assert first["created"] and first["rows"]["regions"] == 8 and first["rows"]["programmes"] == 24
    assert first["rows"]["sessions"] == 32 and first["rows"]["obstacles"] == 160
    assert not Region.objects.filter(is_sample=False).exists()
    assert not Obstacle.objects.filter(is_sample=False).exists()
    again = StringIO()
    call_command("demo", "--national", "--regions", "8", "--json", stdout=again)
    assert json.loads(again.getvalue())["created"] is False
    assert Region.objects.count() == 8


# The pure parts -----------------------------------------------------------------------------------


def test_every_province_has_one_tile_of_its_own():
    assert set(figures.TILES) == {p.code for p in PROVINCES}
    places = [(c, r) for c, r, _a in figures.TILES.values()]
    assert len(places) == len(set(places))


def test_the_tile_map_is_accessible_and_draws_every_province():
    tiles = [figures.Tile(p.code, p.name, Decimal(n), str(n), f"?province={p.code}") for n, p in enumerate(PROVINCES)]
    svg = figures.tile_map_svg(tiles, title="Regions", description="Regions per province")
    assert svg.count("<rect") == len(PROVINCES)
    assert '<title id="national-tiles-title">Regions</title>' in svg and "<desc" in svg
    assert "Papua Barat Daya: 37" in svg


@given(st.lists(st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False), max_size=40))
def test_quartiles_lie_in_order_between_the_least_and_the_most(values):
    spread = figures.spread(values)
    assert spread.n == len(values)
    if values:
        assert min(values) <= spread.q1 <= spread.median <= spread.q3 <= max(values)
    else:
        assert spread.median is None


@given(st.lists(st.sampled_from([c for c, _l in figures.STAGES])))
def test_the_funnel_never_grows_from_one_stage_to_the_next(stages):
    counts = figures.funnel(stages)
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == sum(1 for s in stages if s != "none")


@given(st.booleans(), st.integers(0, 4), st.booleans(), st.booleans(), st.booleans())
def test_a_stage_is_the_furthest_step_reached(in_cohort, held, adopted, reporting, evaluated):
    stage = figures.stage_of(
        in_cohort=in_cohort, bimtek_held=held, adopted=adopted, reporting=reporting, evaluated=evaluated
    )
    if evaluated:
        assert stage == "evaluated"
    elif adopted:
        assert stage in {"adopted", "monitoring"}
    elif held:
        assert stage == f"bimtek_{held}"


@given(st.integers(0, 1000), st.integers(1, 1000))
def test_a_heat_step_is_between_one_and_five_for_anything_above_nothing(value, top):
    step = figures.heat_step(value, max(top, value))
    assert step == 0 if value == 0 else 1 <= step <= figures.HEAT_STEPS


@pytest.mark.django_db
def test_an_unknown_filter_value_is_not_echoed_back_however_long(sample):
    junk = "x" * 10_000
    response = sample.client(sample.ministry).get(URL, {"cohort": junk, "province": "-1"})
    html = response.content.decode()
    main = html.split("<main", 1)[1]  # the header's language switch returns to the address as it came
    assert response.status_code == 200
    assert junk[:50] not in main  # neither in the messages nor in the sorting and export links
    assert main.count("Choose one of the values in the list.") == 4  # two fields, summary and field
    assert len(_rows(html)) == len(national.rows(TODAY, national.reference()))
