"""Bounded plan imports (issue 14 §1): any file is refused in words, in bounded time, never a 500.

Values are held to the limits of the column they go to, with the place (cell or JSON path) and
the reason; workbooks with entities, zip bombs or too many rows are refused before they are
read; a refusal lists at most ``IMPORT_MAX_PROBLEMS`` problems and counts the rest. The fuzz
tests throw hostile JSON documents and workbooks at the web import and the command line.
"""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.xlsx import write_workbook
from kotacerdas.plans.models import Edition, ProgrammeBudget
from tests.support.fuzz import FUZZ, deep_json, hostile_values, hostile_workbook, with_bomb, with_entities

pytestmark = pytest.mark.django_db

A = "13.72"
URL = reverse("plans:import", args=[A])


@pytest.fixture(autouse=True)
def _english(english):
    """The new sentences are asserted in English until the catalogue is merged."""


def new_document(plan: Any) -> dict[str, Any]:
    doc = json.loads(json.dumps(edition_document(plan.edition)))
    doc["edition"]["year"] = 2031
    return doc


def duplicate(programme: dict[str, Any]) -> dict[str, Any]:
    """A copy of a programme without lineage or rows: only its code is a problem."""
    copy = {k: v for k, v in programme.items() if k != "lineage"}
    return {**copy, "budgets": [], "indicators": [], "action_items": []}


def post(client: Any, name: str, data: bytes) -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def page_of(response: Any) -> str:
    return response.content.decode()


def assert_refused(response: Any, *expected: str) -> str:
    page = page_of(response)
    assert response.status_code == 400, page[:500]
    for text in expected:
        assert text in page, page[page.find("error-summary") :][:1500]
    assert "Traceback" not in page
    assert not Edition.objects.filter(year=2031).exists()
    return page


def test_a_budget_of_ten_to_the_400_is_refused_at_its_json_path(cast, plan):
    doc = new_document(plan)
    doc["programmes"][0]["budgets"][0]["amount"] = 10**400
    page = assert_refused(post(cast.client(cast.editor), "plan.json", json.dumps(doc).encode()))
    assert "$.programmes[0].budgets[0].amount" in page and "18 digits" in page


def test_a_budget_over_the_columns_digits_in_a_workbook_cell_is_refused_at_its_cell(cast, plan):
    doc = new_document(plan)
    doc["programmes"][0]["budgets"][0]["amount"] = 10**20
    page = assert_refused(post(cast.client(cast.editor), "plan.xlsx", write_workbook(doc)))
    assert "budgets!D2 (amount)" in page and "18 digits" in page
    assert ProgrammeBudget.objects.filter(amount__gt=10**15).count() == 0


@pytest.mark.parametrize("amount", ["inf", "NaN", "1E+999999999", 1e308, "1" + "0" * 400])
def test_an_amount_that_is_no_finite_number_is_refused_in_a_workbook(cast, plan, amount):
    doc = new_document(plan)
    doc["programmes"][0]["budgets"][0]["amount"] = amount
    page = assert_refused(post(cast.client(cast.editor), "plan.xlsx", write_workbook(doc)))
    assert "budgets!D2 (amount)" in page


@pytest.mark.parametrize("literal", ["1e400", "NaN", "Infinity", "-Infinity"])
def test_json_numbers_that_are_not_finite_are_refused(cast, plan, literal):
    text = json.dumps(new_document(plan)).replace('"amount": 150000000', f'"amount": {literal}', 1)
    assert_refused(post(cast.client(cast.editor), "plan.json", text.encode()), "which is not a finite number")


def test_an_over_long_note_and_a_nul_character_are_refused_with_their_places(cast, plan):
    doc = new_document(plan)
    doc["programmes"][0]["budgets"][0]["note"] = "n" * 201
    doc["programmes"][0]["name"] = "Program\x00SPBE"
    page = assert_refused(post(cast.client(cast.editor), "plan.json", json.dumps(doc).encode()))
    assert "$.programmes[0].budgets[0].note" in page and "201 characters; at most 200" in page
    assert "$.programmes[0].name" in page and "NUL character" in page


def test_deeply_nested_json_is_refused(cast):
    assert_refused(post(cast.client(cast.editor), "plan.json", deep_json(100_000)), "more than 32 levels deep")


def test_a_workbook_with_an_entity_declaration_is_refused_before_it_is_read(cast, plan):
    data = with_entities(write_workbook(new_document(plan)))
    assert_refused(post(cast.client(cast.editor), "plan.xlsx", data), "declares a DOCTYPE or ENTITY")


def test_a_zip_bomb_is_refused(cast, plan):
    data = with_bomb(write_workbook(new_document(plan)))
    assert len(data) < 1024 * 1024
    assert_refused(post(cast.client(cast.editor), "plan.xlsx", data), "unpacks to more than 200 times its size")


def test_a_file_over_the_size_limit_is_refused(cast, settings):
    settings.IMPORT_MAX_BYTES = 1024
    assert_refused(post(cast.client(cast.editor), "plan.json", b" " * 2048 + b"{}"), "too large to import")


def test_a_sheet_over_the_row_limit_is_refused_before_it_is_read(cast, plan, settings):
    settings.IMPORT_MAX_ROWS = 50
    doc = new_document(plan)
    doc["programmes"] = doc["programmes"] * 30
    assert_refused(post(cast.client(cast.editor), "plan.xlsx", write_workbook(doc)), "a sheet has 61 rows, at most 50")


def test_a_refusal_lists_at_most_the_problem_limit_and_counts_the_rest(cast, plan, settings):
    settings.IMPORT_MAX_PROBLEMS = 5
    doc = new_document(plan)
    doc["programmes"] = [duplicate(doc["programmes"][0]) for _ in range(12)]
    response = post(cast.client(cast.editor), "plan.xlsx", write_workbook(doc))
    page = assert_refused(response, "The file has 12 problems", "and 7 more problems")
    assert page.count("is used twice") == 5


def test_the_command_line_caps_the_problems_too(cast, plan, settings, tmp_path):
    settings.IMPORT_MAX_PROBLEMS = 3
    doc = new_document(plan)
    doc["programmes"] = [duplicate(doc["programmes"][0]) for _ in range(10)]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", A, str(path), stdout=io.StringIO())
    message = str(caught.value)
    assert message.startswith("10 problem(s), nothing imported")
    assert message.count("is used twice") == 3 and "and 7 more problems" in message


def test_the_outsider_still_gets_404(cast):
    assert post(cast.client(cast.outsider), "plan.json", deep_json(10)).status_code == 404


# Fuzz: hostile documents and workbooks through the web import and the command line --------------


def _leaves(value: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                _leaves(item, out)
            else:
                out.append((value, key))
    elif isinstance(value, list):
        for key, item in enumerate(value):
            if isinstance(item, (dict, list)) and item:
                _leaves(item, out)
            else:
                out.append((value, key))
    return out


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_json_documents_are_refused_never_crash(cast, plan, data):
    doc = new_document(plan)
    leaves = _leaves(doc, [])
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        container, key = data.draw(st.sampled_from(leaves))
        container[key] = data.draw(hostile_values())
    text = json.dumps(doc, allow_nan=False, default=str).encode("utf-8", "surrogatepass")
    response = post(cast.client(cast.editor), "plan.json", text)
    assert response.status_code in (200, 302, 400)  # 200: the form refused it (an empty file)
    Edition.objects.filter(year=2031).delete()


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_workbooks_are_refused_never_crash(cast, plan, data, tmp_path):
    valid = write_workbook(new_document(plan))
    hostile = data.draw(hostile_workbook(valid, columns=24, rows=4))
    response = post(cast.client(cast.editor), "plan.xlsx", hostile)
    assert response.status_code in (200, 302, 400)  # 200: the form refused it (an empty file)
    Edition.objects.filter(year=2031).delete()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(hostile)
    with contextlib.suppress(CommandError):
        call_command("plan", "import", A, str(path), stdout=io.StringIO())
    Edition.objects.filter(year=2031).delete()


# A large file is imported in the background -------------------------------------------------------


def _run_queued_import() -> Any:
    """What the worker does with the queued job (``kotacerdas db_worker`` runs the same function)."""
    from kotacerdas.plans.models import EditionImport
    from kotacerdas.plans.services.imports import run_import

    return run_import(EditionImport.objects.get().pk)


def test_a_large_file_is_imported_in_the_background_with_its_progress_page(cast, plan, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1024
    client = cast.client(cast.editor)
    response = post(client, "plan.xlsx", write_workbook(new_document(plan)))
    assert response.status_code == 302 and "/impor/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "queued" in page and "<progress" in page and 'hx-trigger="every 2s"' in page
    assert not Edition.objects.filter(year=2031).exists()
    job = _run_queued_import()
    assert job.status == "done" and job.year == 2031 and job.data == b""
    page = client.get(response["Location"]).content.decode()
    assert "Edition 2031 imported." in page and "hx-trigger" not in page, page[page.find("<main") :][:1500]
    assert Edition.objects.filter(region=cast.region_a, year=2031).exists()


def test_a_large_refused_file_lists_its_located_problems_capped(cast, plan, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1024
    settings.IMPORT_MAX_PROBLEMS = 4
    doc = new_document(plan)
    doc["programmes"] = [duplicate(doc["programmes"][0]) for _ in range(9)]
    client = cast.client(cast.editor)
    response = post(client, "plan.xlsx", write_workbook(doc))
    job = _run_queued_import()
    assert job.status == "failed" and job.problem_count == 9
    page = client.get(response["Location"]).content.decode()
    assert "The file has 9 problems; nothing was saved" in page
    assert page.count("is used twice") == 4 and "and 5 more problems" in page
    assert "programmes!A2 (code)" in page
    assert not Edition.objects.filter(year=2031).exists()


def test_another_regions_import_page_is_404(cast, plan, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1024
    response = post(cast.client(cast.editor), "plan.xlsx", write_workbook(new_document(plan)))
    assert cast.client(cast.outsider).get(response["Location"]).status_code == 404
    assert cast.client(cast.viewer).get(response["Location"]).status_code in (403, 404)
