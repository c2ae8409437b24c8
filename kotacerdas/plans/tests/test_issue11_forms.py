"""Issue 11: the plan forms as a new user meets them. Blank spare rows, duplicates, huge,
negative and long values, deletion that asks first, the budget page's figures. Every case is
driven through HTTP as the editor; none may answer 500 or show a database constraint's name,
and what was typed is kept."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import BaseConstraint
from django.urls import reverse

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.forms import CONSTRAINT_CHECKS
from kotacerdas.plans.models import MAX_BUDGET_AMOUNT, Programme, QuickWinFlag

A, Y = "13.72", 2024
pytestmark = pytest.mark.usefixtures("english")


class _FormReader(HTMLParser):
    """What a browser would send for the largest POST form of a page (the page's own form, not
    the header's): selects send their first option unless one is selected; unticked checkboxes
    send nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.data: dict[str, str] = {}
        self.inside = False
        self.select: str | None = None
        self.select_first: str | None = None
        self.multiple = False
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post":
            self.inside, self.data = True, {}
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select, self.select_first = a.get("name"), None
            self.multiple = "multiple" in a
        elif tag == "option" and self.select:
            if self.select_first is None and not self.multiple:
                self.select_first = a.get("value", "")
                self.data.setdefault(self.select, self.select_first)
            if "selected" in a:
                self.data[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.data[self.textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside = False
            self.forms.append(self.data)

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea] += data.lstrip("\n") if not self.data[self.textarea] else data


def browser_form(html: str, having: str = "csrfmiddlewaretoken") -> dict[str, str]:
    reader = _FormReader()
    reader.feed(html)
    return max((f for f in reader.forms if having in f), key=len)


def page(client: Any, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return browser_form(response.content.decode())


def no_constraint_names(html: str) -> None:
    for name in CONSTRAINT_CHECKS:
        assert name not in html


# 1. Blank rows are ignored whatever their selects say ----------------------------------------


def test_budget_page_saves_one_changed_amount_with_its_spare_rows_left_empty(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])
    data = page(client, url)
    assert data["lines-1-source"] == "" and data["lines-1-year"] == ""  # a spare row: source not stated
    data["lines-0-amount"] = "175.000.000"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(plan.first.budgets.values_list("year", "source", "amount")) == [(2025, "apbd", 175_000_000)]


def test_indicator_page_saved_unchanged_keeps_the_indicator(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_indicators", args=[A, Y, "GOV-01"])
    data = page(client, url)
    assert data["indicators-1-kind"] == "output"  # the spare row carries select defaults
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    indicator = plan.first.indicators.get()
    assert indicator.name == "Layanan daring"
    assert [(t.year, int(t.value)) for t in indicator.targets.all()] == [(2025, 15), (2026, 20)]


def test_action_page_ignores_spare_rows_and_an_emptied_row_removes_it(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_actions", args=[A, Y, "GOV-01"])
    data = page(client, url)
    data |= {"items-0-activity": "Sosialisasi", "items-0-starts_on": "2025-02-01", "items-0-ends_on": "2025-03-01"}
    data["items-0-opd"] = str(cast.opd_a.pk)  # a picked value alone does not make the row count
    data["items-1-opd"] = str(cast.opd_a.pk)
    assert client.post(url, data).status_code == 302
    assert list(plan.first.action_items.values_list("activity", flat=True)) == ["Sosialisasi"]
    data = page(client, url)
    data |= {"items-0-activity": "", "items-0-starts_on": "", "items-0-ends_on": ""}
    assert client.post(url, data).status_code == 302
    assert not plan.first.action_items.exists()


# 2 and 7. Duplicates and every constraint become sentences on fields --------------------------


def test_every_plan_constraint_has_a_form_check_and_a_sentence():
    for model in apps.get_app_config("plans").get_models():
        for constraint in model._meta.constraints:
            assert constraint.name in CONSTRAINT_CHECKS, f"{constraint.name}: say where a form catches it"
            default = BaseConstraint.default_violation_error_message
            assert constraint.violation_error_message not in (None, default), constraint.name


def test_a_duplicate_programme_code_is_a_field_error_with_the_input_kept(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_edit", args=[A, Y, "ENV-01"])
    data = page(client, url) | {"code": "GOV-01", "name": "Nama yang saya ketik"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "There is already a programme GOV-01" in str(response.context["form"].errors["code"])
    html = response.content.decode()
    assert "Nama yang saya ketik" in html
    no_constraint_names(html)
    assert Programme.objects.get(pk=plan.second.pk).code == "ENV-01"
    create = reverse("plans:programme_create", args=[A, Y])
    data = page(client, create) | {"code": "GOV-01", "name": "Program baru", "dimension": str(plan.first.dimension_id)}
    response = client.post(create, data)
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert "Program baru" in response.content.decode()


def test_the_service_refuses_a_duplicate_code_too(plan):
    with pytest.raises(ValidationError) as error:
        services.update_programme(
            actor=None, programme=plan.second, data={"code": "GOV-01"}, expected_version=stored_version(plan.second)
        )
    assert "code" in error.value.message_dict


def test_programme_years_the_wrong_way_round_are_an_error_on_the_end_year(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_edit", args=[A, Y, "GOV-01"])
    data = page(client, url) | {"start_year": "2027", "end_year": "2025"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "end_year" in response.context["form"].errors
    no_constraint_names(response.content.decode())


def test_an_edition_period_the_wrong_way_round_is_an_error_on_its_end(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:edition_edit", args=[A, Y])
    data = page(client, url) | {"start_year": "2029", "end_year": "2025"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "end_year" in response.context["form"].errors
    no_constraint_names(response.content.decode())


@pytest.mark.parametrize(
    ("kind", "field", "value"), [("mission", "number", "1"), ("strategy", "code", "S-GOV"), ("goal", "code", "G-1")]
)
def test_a_duplicate_content_row_is_an_error_on_its_field(cast, plan, kind, field, value):
    client = cast.client(cast.editor)
    url = reverse("plans:content_create", args=[A, Y, kind])
    data = page(client, url) | {field: value, "text": "Teks saya"}
    if kind == "goal":
        data["mission"] = str(plan.edition.missions.get().pk)
        assert client.post(url, data).status_code == 302
    if kind == "strategy":
        data["dimension"] = str(plan.first.dimension_id)
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "Teks saya" in html
    no_constraint_names(html)


def test_an_action_ending_before_it_starts_is_an_error_on_its_end(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_actions", args=[A, Y, "GOV-01"])
    data = page(client, url) | {"items-0-activity": "Rapat", "items-0-starts_on": "2025-05-01"}
    data["items-0-ends_on"] = "2025-04-01"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ends_on" in response.context["formset"].forms[0].errors
    no_constraint_names(response.content.decode())


def test_two_budget_lines_of_one_year_and_source_are_an_error_on_the_year(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])
    data = page(client, url) | {"lines-1-year": "2025", "lines-1-source": "apbd", "lines-1-amount": "5"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "year" in response.context["formset"].forms[1].errors


# 3 and 27. Money: bounds, negative, grouped digits ---------------------------------------------


@pytest.mark.parametrize("typed", ["1.500.000", "1,500,000", "1500000", "Rp 1.500.000"])
def test_budget_amounts_are_read_with_or_without_thousands_separators(cast, plan, typed):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])
    data = page(client, url) | {"lines-0-amount": typed}
    assert client.post(url, data).status_code == 302
    assert plan.first.budgets.get().amount == 1_500_000


def test_budget_amounts_are_shown_grouped(cast, plan):
    data = page(cast.client(cast.editor), reverse("plans:programme_budgets", args=[A, Y, "GOV-01"]))
    assert data["lines-0-amount"] == "150,000,000"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345678901234567890", "the most one line can hold"),
        ("9" * 10_000, "the most one line can hold"),
        (str(MAX_BUDGET_AMOUNT + 1), "the most one line can hold"),
        ("-5", "cannot be negative"),
        ("1,5", "whole rupiah"),
        ("1.500,50", "whole rupiah"),
        ("", "required"),
    ],
)
def test_a_wrong_budget_amount_is_a_field_error_with_the_input_kept(cast, plan, typed, message):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])
    data = page(client, url) | {"lines-0-amount": typed}
    response = client.post(url, data)
    assert response.status_code == 400
    errors = " ".join(response.context["formset"].forms[0].errors["amount"])
    assert message in errors
    assert f'value="{typed}"' in response.content.decode() or not typed
    assert plan.first.budgets.get().amount == 150_000_000


def test_the_largest_amount_is_accepted_and_the_page_still_shows(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])
    data = page(client, url) | {"lines-0-amount": str(MAX_BUDGET_AMOUNT)}
    assert client.post(url, data).status_code == 302
    assert client.get(reverse("plans:programme", args=[A, Y, "GOV-01"])).status_code == 200
    assert client.get(reverse("plans:budgets", args=[A, Y])).status_code == 200


def test_the_service_refuses_an_amount_past_the_bound(cast, plan):
    with pytest.raises(ValidationError) as error:
        services.set_budgets(
            actor=None,
            programme=plan.first,
            lines=[{"year": 2025, "source": "apbd", "amount": MAX_BUDGET_AMOUNT + 1}],
            expected_version=stored_version(plan.first),
        )
    assert "budgets.0.amount" in error.value.message_dict


# 4. Removing a programme asks first ------------------------------------------------------------


def test_removing_a_programme_asks_first_and_says_what_goes_with_it(cast, plan):
    QuickWinFlag.objects.create(region=cast.region_a, programme=plan.first, year=2025)
    client = cast.client(cast.editor)
    detail = client.get(reverse("plans:programme", args=[A, Y, "GOV-01"])).content.decode()
    url = reverse("plans:programme_delete", args=[A, Y, "GOV-01"])
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail  # a link to the question
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("1 budget line", "1 indicator with its targets", "1 quick-win year", "1 programme that depends"):
        assert text in html
    assert Programme.objects.filter(pk=plan.first.pk).exists()
    data = browser_form(html, having="version")
    assert data["version"] == str(Programme.objects.get(pk=plan.first.pk).version)
    assert client.post(url, data).status_code == 302
    assert not Programme.objects.filter(pk=plan.first.pk).exists()


def test_removing_with_a_stale_version_is_refused(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_delete", args=[A, Y, "ENV-01"])
    data = browser_form(client.get(url).content.decode(), having="version")
    data["version"] = str(int(data["version"]) - 1)
    response = client.post(url, data)
    assert response.status_code == 409
    assert Programme.objects.filter(pk=plan.second.pk).exists()


def test_the_removal_question_is_hidden_from_outsiders_and_refused_to_viewers(cast, plan):
    url = reverse("plans:programme_delete", args=[A, Y, "GOV-01"])
    outsider = cast.client(cast.outsider)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"version": plan.first.version}).status_code == 404
    viewer = cast.client(cast.viewer)
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, {"version": plan.first.version}).status_code == 403
    assert Programme.objects.filter(pk=plan.first.pk).exists()


# 10. The budget page: units, no wrapping numbers, a chart with its table --------------------


def test_budget_page_shows_millions_a_chart_and_its_tables(cast, plan):
    response = cast.client(cast.viewer).get(reverse("plans:budgets", args=[A, Y]))
    html = response.content.decode()
    assert "Rp 150 million" in html
    assert '<td class="num nowrap">150</td>' in html
    assert html.count('role="img"') == 2 and "<desc" in html and "Budget by year and source" in html
    assert "By source" in html and "By dimension" in html  # the table alternative
    assert cast.client(cast.outsider).get(reverse("plans:budgets", args=[A, Y])).status_code == 404


# 16. Inputs in tables are named by row and column -------------------------------------------


def test_table_inputs_have_accessible_names_and_the_indicator_name_is_a_textarea(cast, plan):
    client = cast.client(cast.editor)
    html = client.get(reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])).content.decode()
    assert 'aria-label="Row 2, year"' in html and 'aria-label="Row 1, amount (Rp)"' in html
    html = client.get(reverse("plans:programme_indicators", args=[A, Y, "GOV-01"])).content.decode()
    assert 'aria-label="Row 1, indicator"' in html
    assert '<textarea name="indicators-0-name"' in html
    assert (
        cast.client(cast.outsider).get(reverse("plans:programme_indicators", args=[A, Y, "GOV-01"])).status_code == 404
    )


# 25. Long input: wrapped when shown, refused with a message when past the limit -------------


def test_a_too_long_name_is_a_field_error_and_the_input_is_kept(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_edit", args=[A, Y, "GOV-01"])
    form_html = client.get(url).content.decode()
    assert "maxlength" not in form_html  # the browser would cut a paste silently
    long_name = "N" * 10_000
    response = client.post(url, browser_form(form_html) | {"name": long_name})
    assert response.status_code == 200
    assert "at most 250 characters" in str(response.context["form"].errors["name"])
    assert long_name in response.content.decode()


def test_a_long_unbroken_description_wraps_on_the_programme_page(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_edit", args=[A, Y, "GOV-01"])
    assert client.post(url, page(client, url) | {"description": "x" * 10_000}).status_code == 302
    html = client.get(reverse("plans:programme", args=[A, Y, "GOV-01"])).content.decode()
    assert '<dl class="facts wrap-anywhere">' in html and "x" * 10_000 in html


@pytest.mark.parametrize("page_name", ["programme_budgets", "programme_indicators", "programme_actions"])
def test_a_table_posted_to_an_adopted_edition_is_refused_with_the_reason_and_keeps_the_input(
    english, cast, plan, page_name
):
    client = cast.client(cast.editor)
    url = reverse(f"plans:{page_name}", args=[A, Y, "GOV-01"])
    data = page(client, url)
    type(plan.first.edition).objects.filter(pk=plan.first.edition_id).update(status="adopted")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "adopted and is frozen" in html
    assert cast.client(cast.outsider).post(url, data).status_code == 404
