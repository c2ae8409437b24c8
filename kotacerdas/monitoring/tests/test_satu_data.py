"""The Satu Data metadata has one store (monitoring's IndicatorMetadata): what the metadata page
saves is what the Satu Data CSV and the Buku 2 indicator appendix print; the CSV is the
region's (outsider 404), costs a fixed number of queries, and has a command-line verb."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.monitoring.models import IndicatorMetadata
from kotacerdas.monitoring.tests.bulk import add_programmes
from kotacerdas.plans import summaries
from kotacerdas.plans.models import Edition
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.reports.builders import buku2
from kotacerdas.reports.renderers import html
from kotacerdas.reports.selectors import book_data

A = "13.72"
Y = 2024
SAVED = {
    "definition": "Layanan publik yang dapat diakses daring",
    "concept": "Layanan elektronik",
    "method": "=jumlah layanan daring",
    "interpretation": "Makin tinggi makin baik",
    "frequency": "quarterly",
    "cumulative": "on",
    "estimation_level": "kota",
    "data_source": "Aplikasi SPBE Kominfo",
}


def rows_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def save_on_the_page(cast: Any, indicator: Any, **changes: Any) -> None:
    existing = IndicatorMetadata.objects.filter(indicator=indicator).first()
    data = {**SAVED, **changes, "version": existing.version if existing else ""}
    url = reverse("monitoring:metadata_edit", args=[A, Y, indicator.pk])
    assert cast.client(cast.editor).post(url, data).status_code == 302


def test_the_csv_and_buku_2_print_what_the_metadata_page_saved(cast, monitored):
    indicator = monitored.first.indicators.get()
    save_on_the_page(cast, indicator)
    header, *rows = rows_of(cast.client(cast.viewer).get(reverse("monitoring:satu_data_export", args=[A, Y])))
    assert header[5:14] == [
        "Definition",
        "Concept",
        "Method or formula",
        "Interpretation",
        "Frequency",
        "Cumulative",
        "Estimation level",
        "Producer agency",
        "Data source",
    ]
    (row,) = [r for r in rows if r[2] == indicator.name]
    assert row[5:12] == [
        SAVED["definition"],
        SAVED["concept"],
        "'" + SAVED["method"],  # text stays text in a spreadsheet program
        SAVED["interpretation"],
        "quarterly",
        "yes",
        "kota",
    ]
    assert row[13] == SAVED["data_source"]
    book = html.render(buku2.build(book_data(cast.region_a, monitored.edition)), "")
    for value in (SAVED["definition"], SAVED["concept"], SAVED["method"], "quarterly", SAVED["data_source"]):
        assert value in book

    # A second save through the page: both print the new text, nothing else keeps the old one.
    save_on_the_page(cast, indicator, data_source="Survei BPS", definition="Definisi baru")
    (row,) = [
        r
        for r in rows_of(cast.client(cast.viewer).get(reverse("monitoring:satu_data_export", args=[A, Y])))[1:]
        if r[2] == indicator.name
    ]
    assert (row[5], row[13]) == ("Definisi baru", "Survei BPS")
    book = html.render(buku2.build(book_data(cast.region_a, monitored.edition)), "")
    assert "Survei BPS" in book and "Definisi baru" in book
    assert "Aplikasi SPBE Kominfo" not in book and SAVED["definition"] not in book


def test_the_data_source_is_versioned_and_audited_with_the_rest_of_the_metadata(cast, monitored):
    indicator = monitored.first.indicators.get()
    save_on_the_page(cast, indicator)
    save_on_the_page(cast, indicator, data_source="Survei BPS")
    metadata = IndicatorMetadata.objects.get(indicator=indicator)
    assert (metadata.version, metadata.data_source) == (2, "Survei BPS")
    entry = AuditEntry.objects.filter(action="update").order_by("-id").first()
    assert entry is not None
    assert (entry.before["data_source"], entry.after["data_source"]) == ("Aplikasi SPBE Kominfo", "Survei BPS")
    url = reverse("monitoring:metadata_edit", args=[A, Y, indicator.pk])
    too_long = cast.client(cast.editor).post(url, {**SAVED, "data_source": "x" * 301, "version": 2})
    assert too_long.status_code == 200 and "error-summary" in too_long.content.decode()
    assert "x" * 301 in too_long.content.decode()  # the input is kept


def test_an_indicator_without_metadata_prints_none(cast, monitored):
    _header, *rows = rows_of(cast.client(cast.viewer).get(reverse("monitoring:satu_data_export", args=[A, Y])))
    assert rows and all(r[5:12] == ["", "", "", "", "", "", ""] and r[13] == "" for r in rows)


def test_the_csv_is_404_for_an_outsider_and_for_an_edition_not_adopted(cast, monitored):
    url = reverse("monitoring:satu_data_export", args=[A, Y])
    assert cast.client(cast.outsider).get(url).status_code == 404
    for who in ("owner", "editor", "viewer", "mentor"):
        assert cast.client(getattr(cast, who)).get(url).status_code == 200, who
    edition_page = cast.client(cast.viewer).get(reverse("plans:edition", args=[A, Y])).content.decode()
    assert f'href="{url}"' in edition_page  # the edition page links the CSV where it now lives
    Edition.objects.filter(pk=monitored.edition.pk).update(status=EditionStatus.DRAFT)
    assert cast.client(cast.viewer).get(url).status_code == 404
    assert cast.client(None).get(url).status_code == 302  # to the login page


def test_the_csv_costs_a_fixed_number_of_queries(cast, monitored):
    client = cast.client(cast.viewer)
    url = reverse("monitoring:satu_data_export", args=[A, Y])
    save_on_the_page(cast, monitored.first.indicators.get())
    client.get(url)  # the stored plan summary and the session, warmed
    with CaptureQueriesContext(connection) as few:
        small = rows_of(client.get(url))
    add_programmes(monitored.edition, programmes=12, quarters=2, indicators=60, actuals=2, opd=cast.opd_a)
    summaries.touch(monitored.edition)
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        large = rows_of(client.get(url))
    assert len(large) >= len(small) + 60
    assert len(many) == len(few)


def test_the_command_writes_the_same_table(cast, monitored, tmp_path):
    save_on_the_page(cast, monitored.first.indicators.get())
    web = rows_of(cast.client(cast.viewer).get(reverse("monitoring:satu_data_export", args=[A, Y])))
    out = StringIO()
    call_command("monitoring", "indicators-export", A, "--edition", str(Y), stdout=out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == web
    call_command("monitoring", "indicators-export", A, "--edition", str(Y), "--output", str(tmp_path / "s.csv"))
    assert SAVED["data_source"] in (tmp_path / "s.csv").read_text(encoding="utf-8")
    out = StringIO()
    call_command("monitoring", "indicators-export", A, "--edition", str(Y), "--json", stdout=out)
    assert json.loads(out.getvalue())[0][:3] == ["Programme code", "Programme name", "Indicator"]
    Edition.objects.filter(pk=monitored.edition.pk).update(status=EditionStatus.DRAFT)
    with pytest.raises(CommandError, match="not adopted"):
        call_command("monitoring", "indicators-export", A, "--edition", str(Y))
