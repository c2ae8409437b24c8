"""Plan pages over HTTP: every page for each role, the outsider (404) and the anonymous visitor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.confirm import YES
from kotacerdas.plans.models import Programme, ReviewThread, Section

pytestmark = pytest.mark.django_db

A = "13.72"
Y = 2024


def pages(plan):
    """(name, url, who may open it) of every GET page of the plan of region A."""
    return [
        ("index", reverse("plans:index", args=[A]), "view"),
        ("create", reverse("plans:create", args=[A]), "edit"),
        ("import", reverse("plans:import", args=[A]), "edit"),
        ("template", reverse("plans:template", args=[A]), "edit"),
        ("edition", reverse("plans:edition", args=[A, Y]), "view"),
        ("edition_edit", reverse("plans:edition_edit", args=[A, Y]), "edit"),
        ("start_review", reverse("plans:start_review", args=[A, Y]), "edit"),
        ("section", reverse("plans:section", args=[A, Y, "b1-swot"]), "view"),
        ("section_edit", reverse("plans:section_edit", args=[A, Y, "b1-swot"]), "edit"),
        ("content_create", reverse("plans:content_create", args=[A, Y, "goal"]), "edit"),
        ("programmes", reverse("plans:programmes", args=[A, Y]), "view"),
        ("programme_create", reverse("plans:programme_create", args=[A, Y]), "edit"),
        ("programme", reverse("plans:programme", args=[A, Y, "GOV-01"]), "view"),
        ("programme_edit", reverse("plans:programme_edit", args=[A, Y, "GOV-01"]), "edit"),
        ("programme_budgets", reverse("plans:programme_budgets", args=[A, Y, "GOV-01"]), "edit"),
        ("programme_indicators", reverse("plans:programme_indicators", args=[A, Y, "GOV-01"]), "edit"),
        ("programme_actions", reverse("plans:programme_actions", args=[A, Y, "GOV-01"]), "edit"),
        ("changes", reverse("plans:changes", args=[A, Y]), "view"),
        ("threads", reverse("plans:threads", args=[A, Y]), "view"),
        ("approval", reverse("plans:approval", args=[A, Y]), "view"),
        ("check", reverse("plans:check", args=[A, Y]), "view"),
        ("roadmap", reverse("plans:roadmap", args=[A, Y]), "view"),
        ("budgets", reverse("plans:budgets", args=[A, Y]), "view"),
        ("export_json", reverse("plans:export", args=[A, Y, "json"]), "view"),
        ("export_xlsx", reverse("plans:export", args=[A, Y, "xlsx"]), "view"),
    ]


ALLOWED = {
    "view": {"owner", "editor", "viewer", "mentor", "ministry"},
    "edit": {"owner", "editor", "ministry"},
}


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "mentor", "ministry", "outsider"])
def test_every_plan_page_answers_by_role_and_hides_region_a_from_the_outsider(cast, plan, who):
    client = cast.client(getattr(cast, who))
    for name, url, need in pages(plan):
        status = client.get(url).status_code
        if who == "outsider":
            assert status == 404, f"{name}: outsider must get 404, got {status}"
        elif who in ALLOWED[need]:
            assert status == 200, f"{name}: {who} should be allowed, got {status}"
        else:
            assert status == 403, f"{name}: {who} should be forbidden, got {status}"


def test_anonymous_visitors_are_sent_to_sign_in(cast, plan):
    client = cast.client(None)
    for name, url, _need in pages(plan):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name


def test_unknown_edition_programme_and_section_are_404(cast, plan):
    client = cast.client(cast.owner)
    assert client.get(reverse("plans:edition", args=[A, 1999])).status_code == 404
    assert client.get(reverse("plans:programme", args=[A, Y, "NOPE-1"])).status_code == 404
    assert client.get(reverse("plans:section", args=[A, Y, "no-such-chapter"])).status_code == 404
    assert client.get(reverse("plans:content_create", args=[A, Y, "nonsense"])).status_code == 404
    assert client.get(reverse("plans:dispositions", args=[A, Y])).status_code == 404  # not a review edition


def test_rows_of_region_b_cannot_be_reached_through_region_a(cast, plan):
    from kotacerdas.plans.tests.factories import make_edition, make_programme

    other = make_edition(cast.region_b, year=2024)
    make_programme(other, "B-01")
    client = cast.client(cast.ministry)
    thread = ReviewThread.objects.create(region=cast.region_b, edition=other, section=other.sections.first())
    assert client.get(reverse("plans:thread", args=[A, Y, thread.pk])).status_code == 404
    assert client.post(reverse("plans:thread_reply", args=[A, Y, thread.pk]), {"body": "x"}).status_code == 404
    assert client.get(reverse("plans:programme", args=[A, Y, "B-01"])).status_code == 404


def test_the_schema_is_public(client):
    response = client.get(reverse("plans:schema"))
    assert response.status_code == 200 and response.json()["properties"]["format_version"]["const"] == 1


def test_overview_shows_the_outline_by_dimension_with_check_counts(cast, plan):
    html = cast.client(cast.viewer).get(reverse("plans:edition", args=[A, Y])).content.decode()
    assert "GOV-01" in html and "ENV-01" in html and "Misi satu" in html
    assert "Rp 150.000.000" in html  # Indonesian thousands


def test_programme_table_filters_by_dimension_and_answers_htmx_with_the_table_only(cast, plan):
    client = cast.client(cast.viewer)
    url = reverse("plans:programmes", args=[A, Y])
    html = client.get(url, {"dimensi": "ENV"}).content.decode()
    assert "ENV-01" in html and "GOV-01</td>" not in html
    partial = client.get(url, {"temuan": "error"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "ENV-01" in partial  # ENV-01 has no indicator: an error finding


def test_editor_adds_a_programme_and_the_change_is_audited(cast, plan):
    client = cast.client(cast.editor)
    dims = {e.code: e.pk for e in plan.edition.taxonomy.entries.all()}
    response = client.post(
        reverse("plans:programme_create", args=[A, Y]),
        {
            "code": "LIV-01",
            "name": "Puskesmas digital",
            "dimension": dims["LIV"],
            "element": dims["LIV-2"],
            "innovation_kind": "ict",
            "lead_opd": cast.opd_a.pk,
            "horizon": "short",
            "start_year": 2025,
            "end_year": 2026,
            "status": "planned",
            "quick_win_years": [2025],
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(edition=plan.edition, code="LIV-01")
    assert [q.year for q in programme.quick_wins.all()] == [2025]
    assert AuditEntry.objects.filter(object_type="plans.Programme", object_id=str(programme.pk)).exists()


def test_programme_form_refuses_years_outside_the_period_and_an_element_of_another_dimension(cast, plan):
    client = cast.client(cast.editor)
    dims = {e.code: e.pk for e in plan.edition.taxonomy.entries.all()}
    response = client.post(
        reverse("plans:programme_create", args=[A, Y]),
        {
            "code": "X-1",
            "name": "Salah",
            "dimension": dims["GOV"],
            "element": dims["ENV-1"],
            "innovation_kind": "ict",
            "horizon": "short",
            "start_year": 2024,
            "end_year": 2026,
            "status": "planned",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and "2024" in html
    assert not Programme.objects.filter(code="X-1").exists()


def test_a_stale_programme_save_is_refused_with_what_changed_in_between(cast, plan):
    editor, owner = cast.client(cast.editor), cast.client(cast.owner)
    url = reverse("plans:programme_edit", args=[A, Y, "GOV-01"])
    form = editor.get(url).context["form"]
    baseline = form["baseline"].value()
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("supporting_opds", "dependencies")}
    data.update(
        {
            "dimension": plan.first.dimension_id,
            "element": plan.first.element_id,
            "lead_opd": cast.opd_a.pk,
            "version": plan.first.version,
            "baseline": baseline,
        }
    )
    first = dict(data, name="Nama dari admin")
    assert owner.post(url, first).status_code == 302
    second = dict(data, name="Nama dari editor")
    response = editor.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nama dari admin" in html and "Nama dari editor" in html  # their change shown, my input kept
    assert Programme.objects.get(pk=plan.first.pk).name == "Nama dari admin"


def test_budget_formset_refuses_a_negative_amount_and_saves_a_valid_one(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_budgets", args=[A, Y, "GOV-01"])
    base = {
        "version": Programme.objects.get(pk=plan.first.pk).version,
        "lines-TOTAL_FORMS": 1,
        "lines-INITIAL_FORMS": 0,
        "lines-0-year": 2026,
        "lines-0-source": "apbn",
    }
    bad = client.post(url, {**base, "lines-0-amount": -5})
    assert bad.status_code == 400 and not plan.first.budgets.filter(year=2026).exists()
    outside = client.post(url, {**base, "lines-0-year": 2031, "lines-0-amount": 5})
    assert outside.status_code == 400 and "2031" in outside.content.decode()
    good = client.post(url, {**base, "lines-0-amount": 2_000_000})
    assert good.status_code == 302
    assert list(plan.first.budgets.values_list("year", "amount")) == [(2026, 2_000_000)]


def test_indicator_formset_saves_targets_per_year(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_indicators", args=[A, Y, "ENV-01"])
    version = Programme.objects.get(pk=plan.second.pk).version
    response = client.post(
        url,
        {
            "version": version,
            "indicators-TOTAL_FORMS": 1,
            "indicators-INITIAL_FORMS": 0,
            "indicators-0-name": "Sampah terkelola",
            "indicators-0-kind": "outcome",
            "indicators-0-unit": "%",
            "indicators-0-direction": "higher",
            "indicators-0-baseline": "60",
            "indicators-0-target_2025": "65",
            "indicators-0-target_2026": "70",
        },
    )
    assert response.status_code == 302
    indicator = plan.second.indicators.get()
    assert [(t.year, int(t.value)) for t in indicator.targets.all()] == [(2025, 65), (2026, 70)]


def test_action_plan_formset_saves_items(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme_actions", args=[A, Y, "ENV-01"])
    response = client.post(
        url,
        {
            "version": Programme.objects.get(pk=plan.second.pk).version,
            "items-TOTAL_FORMS": 1,
            "items-INITIAL_FORMS": 0,
            "items-0-activity": "Sosialisasi",
            "items-0-starts_on": "2025-02-01",
            "items-0-ends_on": "2025-03-01",
            "items-0-output": "Warga paham",
        },
    )
    assert response.status_code == 302 and plan.second.action_items.get().activity == "Sosialisasi"


def test_mentor_comments_on_a_section_and_the_editor_answers_and_resolves(cast, plan):
    mentor, editor = cast.client(cast.mentor), cast.client(cast.editor)
    create = reverse("plans:thread_create", args=[A, Y])
    assert mentor.post(create, {"section": "b1-swot", "body": "Tambah data SDM"}).status_code == 302
    thread = ReviewThread.objects.get(edition=plan.edition)
    assert editor.post(reverse("plans:thread_reply", args=[A, Y, thread.pk]), {"body": "Siap"}).status_code == 302
    url = reverse("plans:thread_status", args=[A, Y, thread.pk, "resolved"])
    assert editor.post(url, {"version": thread.version}).status_code == 302
    thread.refresh_from_db()
    assert thread.status == "resolved" and thread.comments.count() == 2
    reopen = reverse("plans:thread_status", args=[A, Y, thread.pk, "open"])
    assert mentor.post(reopen, {"version": thread.version}).status_code == 302
    thread.refresh_from_db()
    assert thread.status == "open"


def test_viewer_cannot_comment_and_outsider_gets_404(cast, plan):
    create = reverse("plans:thread_create", args=[A, Y])
    assert cast.client(cast.viewer).post(create, {"section": "b1-swot", "body": "x"}).status_code == 403
    assert cast.client(cast.outsider).post(create, {"section": "b1-swot", "body": "x"}).status_code == 404
    assert not ReviewThread.objects.exists()


def test_mentor_reviews_and_endorses_a_section_editor_marks_revised(cast, plan):
    url = reverse("plans:section_state", args=[A, Y, "b1-swot"])
    section = Section.objects.get(edition=plan.edition, key="b1-swot")
    mentor, editor = cast.client(cast.mentor), cast.client(cast.editor)
    mentor.post(url, {"state": "reviewed", "version": section.version})
    section.refresh_from_db()
    assert section.review_state == "reviewed"
    editor.post(url, {"state": "revised", "version": section.version})
    section.refresh_from_db()
    assert section.review_state == "revised"
    editor.post(url, {"state": "endorsed", "version": section.version})  # editors cannot endorse
    section.refresh_from_db()
    assert section.review_state == "revised"
    mentor.post(url, {"state": "endorsed", "version": section.version})
    section.refresh_from_db()
    assert section.review_state == "endorsed"
    assert cast.client(cast.viewer).post(url, {"state": "reviewed"}).status_code == 403


def test_section_text_is_sanitised_and_editing_a_reviewed_section_marks_it_revised(cast, plan):
    section = Section.objects.get(edition=plan.edition, key="b1-gap")
    Section.objects.filter(pk=section.pk).update(review_state="reviewed")
    url = reverse("plans:section_edit", args=[A, Y, "b1-gap"])
    body = '<p onclick="x()">Celah <script>alert(1)</script><strong>data</strong></p>'
    response = cast.client(cast.editor).post(url, {"title": section.title, "body": body, "version": section.version})
    assert response.status_code == 302
    section.refresh_from_db()
    assert "script" not in section.body and "onclick" not in section.body and "<strong>data</strong>" in section.body
    assert section.review_state == "revised"


def test_approval_chain_is_recorded_by_the_region_admin_and_adoption_freezes_the_edition(cast, plan):
    url = reverse("plans:approval", args=[A, Y])
    assert cast.client(cast.editor).post(url, {"decided_on": "2024-10-01"}).status_code == 403
    owner = cast.client(cast.owner)
    for day in ("2024-10-01", "2024-10-15", "2024-11-01"):
        plan.edition.refresh_from_db()
        assert (
            owner.post(
                url, {"decided_on": day, "version": plan.edition.version, "acknowledge_errors": "on"}
            ).status_code
            == 302
        )
    plan.edition.refresh_from_db()
    assert plan.edition.status == "head_approved"
    missing = owner.post(url, {"decided_on": "2024-12-01", "version": plan.edition.version})
    assert missing.status_code == 200 and plan.edition.approval_steps.count() == 3
    adopt = owner.post(
        url,
        {
            "decided_on": "2024-12-01",
            "version": plan.edition.version,
            "adoption_instrument": "perwal",
            "adoption_number": "12 Tahun 2024",
            "adoption_date": "2024-12-01",
            "acknowledge_errors": "on",
        },
    )
    assert adopt.status_code == 302
    plan.edition.refresh_from_db()
    assert plan.edition.is_frozen and len(plan.edition.adopted_hash) == 64
    gap = Section.objects.get(edition=plan.edition, key="b1-gap")
    response = cast.client(cast.editor).post(
        reverse("plans:section_edit", args=[A, Y, "b1-gap"]), {"title": "x", "body": "y", "version": gap.version}
    )
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert Section.objects.get(edition=plan.edition, key="b1-gap").body == ""


def test_start_review_then_set_a_disposition_and_see_the_change_log(cast, plan):
    editor = cast.client(cast.editor)
    response = editor.post(
        reverse("plans:start_review", args=[A, Y]),
        {"year": 2029, "title": "Kajian ulang", "start_year": 2025, "end_year": 2034},
    )
    assert response.status_code == 302
    review_url = reverse("plans:dispositions", args=[A, 2029])
    rows = editor.get(review_url).context["dispositions"]
    assert {d.previous_programme.code for d in rows} == {"GOV-01", "ENV-01"}
    drop = next(d for d in rows if d.previous_programme.code == "ENV-01")
    response = editor.post(
        reverse("plans:disposition_edit", args=[A, 2029, drop.pk]),
        {"kind": "drop", "rationale": "Sudah selesai", "implementation_status": "achieved", "version": drop.version},
    )
    assert response.status_code == 302
    assert not Programme.objects.filter(edition__year=2029, code="ENV-01").exists()
    changes = editor.get(reverse("plans:changes", args=[A, 2029])).context["changes"]
    assert any(c.change == "removed" and c.key == "ENV-01" for c in changes)
    csv_response = editor.get(reverse("plans:changes_export", args=[A, 2029, "csv"]))
    assert csv_response.status_code == 200 and "removed,programme,ENV-01" in csv_response.content.decode()
    xlsx = editor.get(reverse("plans:changes_export", args=[A, 2029, "xlsx"]), {"dari": Y})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_import_page_lists_every_problem_and_saves_nothing(cast, plan):
    import io
    import json

    from kotacerdas.plans.interchange.export import edition_document

    doc = edition_document(plan.edition)
    doc["edition"]["year"] = 2030
    doc["programmes"][0]["lead_opd"] = "NOPE"
    doc["programmes"][1]["budgets"] = [{"year": 2099, "source": "apbd", "amount": 1, "note": ""}]
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "plan.json"
    response = cast.client(cast.editor).post(reverse("plans:import", args=[A]), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "$.programmes[0].lead_opd" in html and "$.programmes[1].budgets[0].year" in html
    assert not plan.edition.plan.editions.filter(year=2030).exists()


def test_roadmap_is_server_side_svg_and_budgets_total_by_year(cast, plan):
    client = cast.client(cast.viewer)
    html = client.get(reverse("plans:roadmap", args=[A, Y])).content.decode()
    assert "<svg" in html and "GOV-01" in html
    totals = client.get(reverse("plans:budgets", args=[A, Y])).context["totals"]
    assert totals.total == 150_000_000 and totals.by_year == {2025: 150_000_000}


def test_check_page_answers_json(cast, plan):
    response = cast.client(cast.mentor).get(reverse("plans:check", args=[A, Y]), {"format": "json"})
    rules = {f["rule"] for f in response.json()["findings"]}
    assert "PC011" in rules  # ENV-01 has no indicator


def test_edit_and_review_actions_are_offered_by_capability(cast, plan):
    url = reverse("plans:section", args=[A, Y, "b1-swot"])
    editor = cast.client(cast.editor).get(url).content.decode()
    mentor = cast.client(cast.mentor).get(url).content.decode()
    viewer = cast.client(cast.viewer).get(url).content.decode()
    edit_link = reverse("plans:section_edit", args=[A, Y, "b1-swot"])
    assert edit_link in editor and edit_link not in mentor and edit_link not in viewer
    assert 'value="reviewed"' in mentor and 'value="reviewed"' not in editor
    assert 'name="body"' in mentor and 'name="body"' not in viewer  # comment form


def test_the_empty_xlsx_template_reads_back_with_the_regions_agencies(cast):
    from kotacerdas.plans.interchange.xlsx import read_workbook

    response = cast.client(cast.editor).get(reverse("plans:template", args=[A]))
    read = read_workbook(response.content)
    assert read.doc["opds"][0]["abbreviation"] == "Diskominfo"
    assert [d["code"] for d in read.doc["taxonomy"]["dimensions"]] == ["GOV", "BRD", "ECO", "LIV", "SOC", "ENV"]
    assert read.doc["programmes"] == []


def test_buku_content_rows_are_added_changed_and_removed_by_editors(cast, plan, english):
    from kotacerdas.plans.models import Goal, Mission

    client = cast.client(cast.editor)
    mission = Mission.objects.get(edition=plan.edition)
    create = reverse("plans:content_create", args=[A, Y, "goal"])
    response = client.post(create, {"mission": mission.pk, "code": "G-1", "text": "Sasaran satu", "order": 0})
    assert response.status_code == 302
    goal = Goal.objects.get(edition=plan.edition, code="G-1")
    edit = reverse("plans:content_edit", args=[A, Y, "goal", goal.pk])
    assert "hapus" in client.get(edit).content.decode()
    response = client.post(edit, {"mission": mission.pk, "code": "G-1", "text": "Diubah", "order": 0, "version": 1})
    assert response.status_code == 302 and Goal.objects.get(pk=goal.pk).text == "Diubah"
    stale = client.post(edit, {"mission": mission.pk, "code": "G-1", "text": "Basi", "order": 0, "version": 1})
    assert stale.status_code == 409 and Goal.objects.get(pk=goal.pk).text == "Diubah"
    delete = reverse("plans:content_delete", args=[A, Y, "goal", goal.pk])
    seen = {"version": 2}
    assert cast.client(cast.mentor).post(delete, seen).status_code == 403
    assert cast.client(cast.outsider).post(delete, {**YES, **seen}).status_code == 404
    assert 'name="version" value="2"' in client.get(edit).content.decode()  # the Remove button carries it
    assert client.post(delete, seen).status_code == 200 and Goal.objects.filter(pk=goal.pk).exists()  # asks first
    for refused in ({}, {"version": "x"}, {"version": 1}):  # without the version, or at the one before the edit
        response = client.post(delete, {**YES, **refused})
        assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert client.post(delete, {**YES, **seen}).status_code == 302 and not Goal.objects.filter(pk=goal.pk).exists()
    strategy = reverse("plans:content_create", args=[A, Y, "strategy"])
    dims = {e.code: e.pk for e in plan.edition.taxonomy.entries.all()}
    response = client.post(
        strategy, {"dimension": dims["GOV"], "element": dims["ENV-1"], "code": "S-2", "text": "x", "order": 0}
    )
    assert response.status_code == 200 and "element" in response.context["form"].errors
