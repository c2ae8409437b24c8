"""Rows keep their identity (issue 12 §2): budget lines, indicators (with their targets per year)
and action items are edited in place by id, on the pages, through the services and on re-import;
indicators keep a lineage across editions, and the change log follows it."""

from __future__ import annotations

import importlib
import json
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.changelog import changelog
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import ImportFailed, import_document
from kotacerdas.plans.interchange.xlsx import read_workbook, write_workbook
from kotacerdas.plans.models import ActionItem, Edition, Indicator, IndicatorTarget, Programme, ProgrammeBudget

pytestmark = pytest.mark.django_db

A = "13.72"
Y = 2024


def lines_of(programme: Programme) -> list[dict[str, Any]]:
    return [
        {"id": b.pk, "year": b.year, "source": b.source, "amount": int(b.amount), "note": b.note}
        for b in programme.budgets.all()
    ]


def three_lines(plan: Any) -> Programme:
    return services.set_budgets(
        actor=None,
        programme=plan.first,
        expected_version=stored_version(plan.first),
        lines=[
            {"year": 2025, "source": "apbd", "amount": 150_000_000},
            {"year": 2026, "source": "apbd", "amount": 175_000_000},
            {"year": 2026, "source": "apbn", "amount": 50_000_000},
        ],
    )


def ids(model: Any, **where: Any) -> list[int]:
    return sorted(model.objects.filter(**where).values_list("pk", flat=True))


def all_row_ids(edition: Edition) -> dict[str, list[int]]:
    here = {"programme__edition": edition}
    return {
        "programmes": ids(Programme, edition=edition),
        "budgets": ids(ProgrammeBudget, **here),
        "indicators": ids(Indicator, **here),
        "targets": ids(IndicatorTarget, indicator__programme__edition=edition),
        "actions": ids(ActionItem, **here),
    }


def with_actions(plan: Any) -> None:
    services.set_action_items(
        actor=None,
        programme=plan.first,
        expected_version=stored_version(plan.first),
        items=[
            {"activity": "Kajian", "starts_on": "2025-01-06", "ends_on": "2025-03-31"},
            {"activity": "Pengadaan", "starts_on": "2025-04-01", "ends_on": "2025-09-30"},
        ],
    )


# Services


def test_saving_budgets_with_one_amount_changed_keeps_every_id_and_writes_one_line(plan):
    programme = three_lines(plan)
    before = lines_of(programme)
    edited = [dict(line) for line in before]
    edited[1]["amount"] = 180_000_000
    with CaptureQueriesContext(connection) as queries:
        services.set_budgets(actor=None, programme=programme, lines=edited, expected_version=programme.version)
    after = lines_of(programme)
    assert [line["id"] for line in after] == [line["id"] for line in before]
    assert [line["amount"] for line in after] == [150_000_000, 180_000_000, 50_000_000]
    budget_writes = [
        q["sql"] for q in queries if "plans_programmebudget" in q["sql"] and not q["sql"].startswith("SELECT")
    ]
    assert len(budget_writes) == 1 and budget_writes[0].startswith("UPDATE")


def test_lines_without_ids_take_over_the_line_of_their_year_and_source(plan):
    programme = three_lines(plan)
    before = {(b["year"], b["source"]): b["id"] for b in lines_of(programme)}
    services.set_budgets(
        actor=None,
        programme=programme,
        expected_version=stored_version(programme),
        lines=[
            {"year": 2025, "source": "apbd", "amount": 1},
            {"year": 2027, "source": "dak", "amount": 2},
        ],
    )
    after = {(b["year"], b["source"]): b["id"] for b in lines_of(programme)}
    assert after[(2025, "apbd")] == before[(2025, "apbd")]
    assert set(after) == {(2025, "apbd"), (2027, "dak")}  # the two others are removed, one is new
    assert after[(2027, "dak")] not in before.values()


def test_two_lines_can_swap_their_years_and_keep_their_ids(plan):
    programme = three_lines(plan)
    lines = lines_of(programme)
    lines[0]["year"], lines[1]["year"] = 2026, 2025
    services.set_budgets(actor=None, programme=programme, lines=lines, expected_version=stored_version(programme))
    after = {b["id"]: (b["year"], b["amount"]) for b in lines_of(programme)}
    assert after[lines[0]["id"]] == (2026, 150_000_000) and after[lines[1]["id"]] == (2025, 175_000_000)


def test_editing_an_indicator_keeps_its_id_lineage_and_the_target_row_of_each_year(plan):
    indicator = plan.first.indicators.get()
    targets = {t.year: t.pk for t in indicator.targets.all()}
    services.set_indicators(
        actor=None,
        programme=plan.first,
        expected_version=stored_version(plan.first),
        indicators=[
            {
                "id": indicator.pk,
                "name": "Layanan publik daring",
                "unit": "layanan",
                "direction": "higher",
                "baseline": 10,
                "baseline_year": 2024,
                "targets": {2025: 16, 2026: 20, 2027: 25},
            },
            {"name": "Pengguna", "unit": "orang", "direction": "higher", "targets": {2025: 100}},
        ],
    )
    kept, added = plan.first.indicators.order_by("order")
    assert (kept.pk, kept.lineage, kept.name, kept.version) == (
        indicator.pk,
        indicator.lineage,
        "Layanan publik daring",
        indicator.version + 1,
    )
    after = {t.year: (t.pk, int(t.value)) for t in kept.targets.all()}
    assert after[2025] == (targets[2025], 16) and after[2026] == (targets[2026], 20) and after[2027][1] == 25
    assert added.lineage != kept.lineage


def test_action_items_keep_their_ids_and_a_removed_one_is_deleted(plan):
    with_actions(plan)
    first, second = plan.first.action_items.order_by("starts_on")
    services.set_action_items(
        actor=None,
        programme=plan.first,
        expected_version=stored_version(plan.first),
        items=[
            {"id": second.pk, "activity": "Pengadaan server", "starts_on": second.starts_on, "ends_on": second.ends_on}
        ],
    )
    (only,) = plan.first.action_items.all()
    assert only.pk == second.pk and only.activity == "Pengadaan server"
    assert not ActionItem.objects.filter(pk=first.pk).exists()


def test_an_id_of_another_programme_is_refused_and_nothing_changes(english, plan):
    other = services.set_budgets(
        actor=None,
        programme=plan.second,
        expected_version=stored_version(plan.second),
        lines=[{"year": 2025, "source": "apbn", "amount": 9}],
    )
    stranger = other.budgets.get()
    before = lines_of(plan.first)
    version = Programme.objects.get(pk=plan.first.pk).version
    with pytest.raises(ValidationError) as refused:
        services.set_budgets(
            actor=None,
            programme=plan.first,
            expected_version=stored_version(plan.first),
            lines=[{"id": stranger.pk, "year": 2025, "source": "apbd", "amount": 1}],
        )
    assert "not one of this programme's rows" in refused.value.message_dict["budgets.0.id"][0]
    assert lines_of(plan.first) == before and lines_of(other) == [lines_of(other)[0]]
    assert other.budgets.get().amount == 9 and Programme.objects.get(pk=plan.first.pk).version == version
    with pytest.raises(ValidationError):
        services.set_indicators(
            actor=None,
            programme=plan.second,
            expected_version=stored_version(plan.second),
            indicators=[{"id": plan.first.indicators.get().pk, "name": "x", "unit": "x", "direction": "higher"}],
        )
    assert plan.first.indicators.get().name == "Layanan daring"


# Pages


def budget_post(programme: Programme, lines: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": programme.version,
        "lines-TOTAL_FORMS": len(lines),
        "lines-INITIAL_FORMS": len(lines),
    }
    for n, line in enumerate(lines):
        data.update({f"lines-{n}-{k}": v for k, v in line.items()})
    return data


def test_saving_the_budget_page_with_one_amount_changed_keeps_every_row_id(cast, plan):
    programme = three_lines(plan)
    url = reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])
    editor = cast.client(cast.editor)
    page = editor.get(url).content.decode()
    for line in lines_of(programme):
        assert f'value="{line["id"]}"' in page  # each row carries its id
    lines = lines_of(programme)
    lines[2]["amount"] = 60_000_000
    assert cast.client(cast.outsider).post(url, budget_post(programme, lines)).status_code == 404
    response = editor.post(url, budget_post(programme, lines))
    assert response.status_code == 302
    after = lines_of(programme)
    assert [b["id"] for b in after] == [b["id"] for b in lines]
    assert [b["amount"] for b in after] == [150_000_000, 175_000_000, 60_000_000]


def test_the_budget_page_refuses_a_tampered_row_id_and_saves_nothing(cast, plan):
    programme = three_lines(plan)
    stranger = services.set_budgets(
        actor=None,
        programme=plan.second,
        expected_version=stored_version(plan.second),
        lines=[{"year": 2025, "source": "dak", "amount": 4}],
    ).budgets.get()
    lines = lines_of(programme)
    lines[0]["id"] = stranger.pk
    lines[0]["amount"] = 1
    before = lines_of(programme)
    response = cast.client(cast.editor).post(
        reverse("plans:programme_budgets", args=[A, Y, "GOV-01"]), budget_post(programme, lines)
    )
    assert response.status_code == 400
    assert lines_of(programme) == before and ProgrammeBudget.objects.get(pk=stranger.pk).amount == 4


def test_the_indicator_page_carries_ids_and_keeps_them_on_save(cast, plan):
    indicator = plan.first.indicators.get()
    url = reverse("plans:programme_indicators", args=[A, Y, "GOV-01"])
    editor = cast.client(cast.editor)
    assert f'name="indicators-0-id" value="{indicator.pk}"' in editor.get(url).content.decode()
    data = {
        "version": Programme.objects.get(pk=plan.first.pk).version,
        "indicators-TOTAL_FORMS": 1,
        "indicators-INITIAL_FORMS": 1,
        "indicators-0-id": indicator.pk,
        "indicators-0-name": "Layanan daring terpadu",
        "indicators-0-kind": "output",
        "indicators-0-unit": "layanan",
        "indicators-0-direction": "higher",
        "indicators-0-baseline": "10",
        "indicators-0-baseline_year": "2024",
        "indicators-0-target_2025": "15",
        "indicators-0-target_2026": "22",
    }
    assert cast.client(cast.outsider).post(url, data).status_code == 404
    assert editor.post(url, data).status_code == 302
    (kept,) = plan.first.indicators.all()
    assert kept.pk == indicator.pk and kept.lineage == indicator.lineage and kept.name == "Layanan daring terpadu"


# Interchange


def test_reimporting_an_unchanged_export_keeps_every_id(plan):
    with_actions(plan)
    three_lines(plan)
    before = all_row_ids(plan.edition)
    doc = json.loads(json.dumps(edition_document(plan.edition)))
    import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    assert all_row_ids(plan.edition) == before
    read = read_workbook(write_workbook(edition_document(plan.edition)))
    assert read.problems == []
    import_document(actor=None, region=plan.edition.region, doc=read.doc, replace=True)
    assert all_row_ids(plan.edition) == before


def test_a_reimport_edits_named_rows_in_place_and_adds_rows_without_id(plan):
    three_lines(plan)
    doc = edition_document(plan.edition)
    gov = next(p for p in doc["programmes"] if p["code"] == "GOV-01")
    kept_id = gov["budgets"][0]["id"]
    gov["budgets"][0]["amount"] = 1
    gov["budgets"] = [gov["budgets"][0], {"year": 2028, "source": "csr", "amount": 7, "note": ""}]
    gov["indicators"][0]["name"] = "Layanan daring baru"
    indicator_id = gov["indicators"][0]["id"]
    import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    first = Programme.objects.get(pk=plan.first.pk)
    assert sorted((b["year"], b["amount"]) for b in lines_of(first)) == [(2025, 1), (2028, 7)]
    assert first.budgets.get(year=2025).pk == kept_id
    assert first.indicators.get().pk == indicator_id and first.indicators.get().name == "Layanan daring baru"


def test_an_import_with_an_id_of_another_programme_is_refused_where_it_stands(english, plan):
    three_lines(plan)
    stranger = services.set_budgets(
        actor=None,
        programme=plan.second,
        expected_version=stored_version(plan.second),
        lines=[{"year": 2025, "source": "dak", "amount": 4}],
    ).budgets.get()
    before = all_row_ids(plan.edition)
    doc = edition_document(plan.edition)
    n = next(k for k, p in enumerate(doc["programmes"]) if p["code"] == "GOV-01")
    doc["programmes"][n]["budgets"][1]["id"] = stranger.pk
    doc["programmes"][n]["budgets"][1]["amount"] = 1
    with pytest.raises(ImportFailed) as failed:
        import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    (problem,) = failed.value.problems
    assert problem.path == f"$.programmes[{n}].budgets[1].id" and "GOV-01" in problem.message
    assert all_row_ids(plan.edition) == before and ProgrammeBudget.objects.get(pk=stranger.pk).amount == 4
    assert lines_of(plan.first)[1]["amount"] == 175_000_000


def test_a_tampered_id_in_a_workbook_points_at_its_cell(english, plan):
    three_lines(plan)
    doc = edition_document(plan.edition)
    n = next(k for k, p in enumerate(doc["programmes"]) if p["code"] == "GOV-01")
    doc["programmes"][n]["action_items"] = [
        {"id": 999_999, "activity": "Kajian", "starts_on": "2025-01-06", "ends_on": "2025-03-31"}
    ]
    read = read_workbook(write_workbook(doc))
    with pytest.raises(ImportFailed) as failed:
        import_document(actor=None, region=plan.edition.region, doc=read.doc, replace=True)
    assert [p.path for p in failed.value.problems] == [f"$.programmes[{n}].action_items[0].id"]
    assert read.locate(failed.value.problems[0].path).startswith("action_items!")


def test_an_export_imported_as_a_new_edition_gets_new_rows_and_keeps_indicator_lineage(plan):
    doc = edition_document(plan.edition)
    doc["edition"]["year"] = 2031
    edition = import_document(actor=None, region=plan.edition.region, doc=doc)
    copy = Indicator.objects.get(programme__edition=edition)
    original = plan.first.indicators.get()
    assert copy.pk != original.pk and copy.lineage == original.lineage


# Editions and the change log


def test_renaming_an_indicator_in_the_next_edition_reads_as_a_change(plan):
    old = plan.edition
    review = services.start_review_edition(
        actor=None, previous=old, data={"year": 2029, "title": "Kajian", "start_year": 2025, "end_year": 2034}
    )
    carried = Programme.objects.get(edition=review, code="GOV-01")
    copy = carried.indicators.get()
    assert copy.lineage == plan.first.indicators.get().lineage and copy.pk != plan.first.indicators.get().pk
    services.set_indicators(
        actor=None,
        programme=carried,
        expected_version=stored_version(carried),
        indicators=[
            {"id": copy.pk, "name": "Layanan publik daring", "unit": "layanan", "direction": "higher",
             "baseline": 10, "baseline_year": 2024, "targets": {2025: 15, 2026: 20}},
            {"name": "Pengguna aktif", "unit": "orang", "direction": "higher"},
        ],
    )  # fmt: skip
    changes = [c for c in changelog(edition_document(old), edition_document(review)) if c.field == "indicators"]
    renamed = [c for c in changes if c.before.startswith("Layanan daring (")]
    assert len(renamed) == 1 and renamed[0].after.startswith("Layanan publik daring (")
    assert [c.before for c in changes if c.after.startswith("Pengguna aktif")] == [""]
    assert len(changes) == 2  # the renamed one and the added one: nothing removed


def test_the_migration_gives_carried_indicators_the_lineage_of_their_source(plan):
    review = services.start_review_edition(
        actor=None, previous=plan.edition, data={"year": 2029, "title": "Kajian", "start_year": 2025, "end_year": 2034}
    )
    for indicator in Indicator.objects.all():  # as if every indicator had its own lineage
        indicator.lineage = uuid.uuid4()
        indicator.save(update_fields=["lineage"])
    migration = importlib.import_module("kotacerdas.plans.migrations.0004_fill_indicator_lineage")
    migration.fill(apps, None)
    source = plan.first.indicators.get()
    copy = Indicator.objects.get(programme__edition=review, programme__code="GOV-01")
    assert source.lineage == copy.lineage


@pytest.mark.parametrize("bad", ["abc", "0", str(10**20), "-3"])
def test_a_row_id_that_is_no_row_is_refused_not_a_crash(cast, plan, bad):
    programme = three_lines(plan)
    lines = lines_of(programme)
    before = [dict(line) for line in lines]
    lines[0]["id"] = bad
    response = cast.client(cast.editor).post(
        reverse("plans:programme_budgets", args=[A, Y, "GOV-01"]), budget_post(programme, lines)
    )
    assert response.status_code == 400 and lines_of(programme) == before
