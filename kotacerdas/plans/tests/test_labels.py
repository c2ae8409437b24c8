"""Labels start with a capital wherever they head a field, a column or an error (issue 11, item 27)."""

from __future__ import annotations

from django.urls import reverse

A, Y = "13.72", 2024


def test_field_labels_start_with_a_capital_however_the_form_wrote_them(english, cast, plan):
    client = cast.client(cast.editor)
    html = client.get(reverse("plans:edition_edit", args=[A, Y])).content.decode()
    assert ">Vision keywords" in html and ">vision keywords" not in html
    html = client.get(reverse("plans:programme_edit", args=[A, Y, "GOV-01"])).content.decode()
    assert ">Quick win in" in html and ">quick win in" not in html
    assert cast.client(cast.outsider).get(reverse("plans:edition_edit", args=[A, Y])).status_code == 404


def test_table_columns_start_with_a_capital(english, cast, plan):
    html = cast.client(cast.editor).get(reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])).content.decode()
    assert '<th scope="col">Year</th>' in html and '<th scope="col">year</th>' not in html
