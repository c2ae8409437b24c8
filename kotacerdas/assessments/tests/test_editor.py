"""Editing assessment templates in the browser: ministry staff start a draft version, change it and
publish it; nobody else may, published versions never change, and every change is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kotacerdas.assessments.models import Item, Run, Section, Template
from kotacerdas.assessments.selectors import run_result
from kotacerdas.assessments.services import templates as services
from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.confirm import YES

pytestmark = pytest.mark.django_db

A = "13.72"
NOT_MINISTRY = ["owner", "editor", "viewer", "mentor", "outsider"]
MISSING = 999_999
CHOICES_V2 = "ST | Sangat tinggi | 100\nT | Tinggi | 80\nS | Sedang | 50\nR | Rendah | 20\nSR | Sangat rendah | 0"


@pytest.fixture
def selection(templates):
    """Version 1 of the selection template (published): choice, number, yes/no and level items."""
    return templates["selection"]


@pytest.fixture
def draft(selection):
    """A draft version 2 of the selection template, started by the system."""
    return services.start_template_version(actor=None, template=selection)


def item_of(template, code):
    return Item.objects.get(template=template, code=code)


def section_of(template, code):
    return Section.objects.get(template=template, code=code)


def item_form(item, **changes):
    """The item's edit form as the page fills it in, with ``changes`` typed over it."""
    options = item.options or {}
    data = {"text": item.text, "guidance": item.guidance, "weight": services.number_text(item.weight)}
    data["revision"] = str(item.revision)
    data.update({flag: "on" for flag in ("evidence_required", "allow_na") if getattr(item, flag)})
    if item.answer_type == "choice":
        data["options"] = "\n".join(f"{c['code']} | {c['label']} | {c['points']}" for c in options["choices"])
    if item.answer_type == "number":
        data["options"] = "\n".join(str(b) for b in options["bands"])
        data["direction"] = options.get("direction", "higher")
        data.update({b: str(options[b]) for b in ("min", "max") if b in options})
    if item.answer_type == "level":
        data["rubric"] = "\n".join(item.rubric)
    data.update(changes)
    return data


def urls(template):
    """Every editor URL of ``template`` (its PRA section, PRA-1 item), by name."""
    pk, section, item = template.pk, section_of(template, "PRA").pk, item_of(template, "PRA-1").pk
    return {
        "new version": reverse("assessments:template_new_version", args=[pk]),
        "edit": reverse("assessments:template_edit", args=[pk]),
        "section": reverse("assessments:template_section_edit", args=[pk, section]),
        "item": reverse("assessments:template_item_edit", args=[pk, item]),
        "add item": reverse("assessments:template_item_add", args=[pk]),
        "remove item": reverse("assessments:template_item_remove", args=[pk, item]),
    }


def form_pages(template):
    """The editor URLs answering GET with a page."""
    return {k: v for k, v in urls(template).items() if k in {"edit", "section", "item", "add item"}}


def writes(template):
    """Every write, as (url, form data) the ministry would get accepted on a draft."""
    u = urls(template)
    kue, pra, pra1 = section_of(template, "KUE"), section_of(template, "PRA"), item_of(template, "PRA-1")
    new_item = {"section": kue.pk, "code": "KUE-4", "answer_type": "yesno", "text": "Ada tim TIK?", "weight": "1"}
    return {
        "new version": (u["new version"], {}),
        "edit": (
            u["edit"],
            {
                "title": "Seleksi 2025",
                "thresholds": "20; 40; 60; 80",
                "combine": "median",
                "revision": template.revision,
            },
        ),
        "section": (u["section"], {"title": "Praseleksi", "weight": "2", "order": "1", "revision": pra.revision}),
        "item": (u["item"], item_form(pra1, weight="3")),
        "add item": (u["add item"], new_item),
        # PRA-1 at the revision the "item" write above leaves it at
        "remove item": (u["remove item"], {**YES, "revision": pra1.revision + 1}),
        "publish": (reverse("assessments:template_publish", args=[template.pk]), {}),
    }


def state():
    """Everything a write could change."""
    return (
        list(
            Template.objects.values_list("code", "version", "title", "thresholds", "combine", "status").order_by("pk")
        ),
        list(Section.objects.values_list("template_id", "code", "title", "weight", "order").order_by("pk")),
        list(Item.objects.values_list("template_id", "code", "text", "weight", "options", "rubric").order_by("pk")),
        AuditEntry.objects.count(),
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# Who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOT_MINISTRY)
def test_everyone_but_the_ministry_is_forbidden_every_editor_page_and_write(cast, selection, draft, who):
    client = cast.client(getattr(cast, who))
    before = state()
    for name, url in form_pages(draft).items():
        assert client.get(url).status_code == 403, name
    for name, (url, data) in writes(draft).items():
        assert client.post(url, data).status_code == 403, name
    assert client.post(urls(selection)["new version"]).status_code == 403
    assert state() == before


def test_anonymous_visitors_are_sent_to_sign_in_for_every_page_and_write(cast, draft):
    client = cast.client(None)
    before = state()
    for name, url in form_pages(draft).items():
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name
    for name, (url, data) in writes(draft).items():
        response = client.post(url, data)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name
    assert state() == before


def test_the_ministry_opens_every_editor_page_of_a_draft(cast, draft):
    client = cast.client(cast.ministry)
    for name, url in form_pages(draft).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "<form" in response.content.decode(), name


def test_every_write_by_the_ministry_succeeds_and_is_audited(cast, draft):
    client = cast.client(cast.ministry)
    by_ministry = AuditEntry.objects.filter(actor=cast.ministry, region=None)
    for name, (url, data) in writes(draft).items():
        if name == "new version":
            continue  # the draft is open; starting another is refused (tested below)
        before = by_ministry.count()
        response = client.post(url, data)
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert by_ministry.count() == before + 1, name
    draft.refresh_from_db()
    assert draft.status == "published" and draft.title == "Seleksi 2025"


def test_writes_are_post_only(cast, draft):
    client = cast.client(cast.ministry)
    for name in ("new version", "remove item"):
        assert client.get(urls(draft)[name]).status_code == 405, name


def test_a_missing_template_section_or_item_is_not_found(cast, selection, draft):
    client = cast.client(cast.ministry)
    for name in ("template_edit", "template_item_add"):
        assert client.get(reverse(f"assessments:{name}", args=[MISSING])).status_code == 404, name
    assert client.post(reverse("assessments:template_new_version", args=[MISSING])).status_code == 404
    assert client.get(reverse("assessments:template_section_edit", args=[draft.pk, MISSING])).status_code == 404
    assert client.get(reverse("assessments:template_item_edit", args=[draft.pk, MISSING])).status_code == 404
    # An item of version 1 is not reached through the draft's URL.
    old = item_of(selection, "PRA-1").pk
    assert client.get(reverse("assessments:template_item_edit", args=[draft.pk, old])).status_code == 404
    assert client.post(reverse("assessments:template_item_remove", args=[draft.pk, old])).status_code == 404
    assert Item.objects.filter(pk=old).exists()


def test_the_detail_page_offers_the_editor_to_the_ministry_only(cast, selection, draft):
    ministry = cast.client(cast.ministry)
    published_page = ministry.get(reverse("assessments:template", args=[selection.pk])).content.decode()
    assert urls(selection)["new version"] in published_page and urls(selection)["edit"] not in published_page
    draft_page = ministry.get(reverse("assessments:template", args=[draft.pk])).content.decode()
    assert urls(draft)["edit"] in draft_page
    for who in ("owner", "mentor"):
        page = cast.client(getattr(cast, who)).get(reverse("assessments:template", args=[draft.pk])).content.decode()
        assert urls(draft)["edit"] not in page and "versi-baru" not in page, who


# New versions ---------------------------------------------------------------------------------


def test_the_ministry_starts_a_new_version_that_copies_sections_and_items_as_a_draft(cast, selection):
    response = cast.client(cast.ministry).post(urls(selection)["new version"])
    new = Template.objects.get(code=selection.code, version=2)
    assert response.status_code == 302 and response["Location"] == urls(new)["edit"]
    assert new.status == "draft" and new.title == selection.title and new.combine == "median"
    old_items = list(Item.objects.filter(template=selection).values_list("section__code", "code", "weight", "options"))
    new_items = list(Item.objects.filter(template=new).values_list("section__code", "code", "weight", "options"))
    assert new_items == old_items and len(new_items) == 12
    assert all(i.section.template_id == new.pk for i in Item.objects.filter(template=new).select_related("section"))
    audit = AuditEntry.objects.get(object_type="assessments.Template", object_id=str(new.pk))
    assert audit.actor == cast.ministry and audit.action == "create" and audit.region is None
    assert audit.after["copied_from"] == selection.pk and audit.after["items"] == 12


def test_a_second_draft_of_the_same_code_is_refused_and_points_to_the_open_one(cast, selection, draft):
    client = cast.client(cast.ministry)
    response = client.post(urls(selection)["new version"])
    assert response.status_code == 302 and response["Location"] == urls(draft)["edit"]
    assert Template.objects.filter(code=selection.code).count() == 2
    page = client.get(response["Location"])
    expected = "Version 2 of this template is already a draft. Edit or publish it before starting another version."
    assert expected in messages_of(page)


# The journey: edit, publish, score -------------------------------------------------------------


def test_a_new_version_with_a_changed_weight_and_points_scores_new_runs_with_them(cast, selection):
    ministry = cast.client(cast.ministry)
    ministry.post(urls(selection)["new version"])
    new = Template.objects.get(code=selection.code, version=2)
    pra1 = item_of(new, "PRA-1")
    response = ministry.post(urls(new)["item"], item_form(pra1, weight="3", options=CHOICES_V2))
    assert response.status_code == 302
    response = ministry.post(reverse("assessments:template_publish", args=[new.pk]))
    new.refresh_from_db()
    assert response.status_code == 302 and new.status == "published"

    owner = cast.client(cast.owner)
    data = {"template": new.pk, "year": "2025", "title": ""}
    assert owner.post(reverse("assessments:run_create", args=[A]), data).status_code == 302
    run = Run.objects.get(template=new)
    link = "https://example.org/bukti.pdf"
    for code, answer in (("PRA-1", {"choice": "T"}), ("PRA-2", {"value": "65"}), ("PRA-3", {"value": "1"})):
        fields = {f"{code}-{k}": v for k, v in {**answer, "comment": "", "evidence_link": link}.items()}
        assert owner.post(reverse("assessments:answer", args=[A, run.pk, code]), fields).status_code == 302, code

    result = run_result(run)
    pra = next(s for s in result.tree.children if s.code == "PRA")
    # PRA-1 "T" is now 80 points at weight 3; PRA-2 65 reaches one of the bands 60/70/80 (33.3
    # points); PRA-3 yes is 100; both at weight 1. Nothing else is answered, so PRA is the total.
    expected = (3 * 80 + 100 / 3 + 100) / 5
    assert pra.score == pytest.approx(expected) and result.tree.score == pytest.approx(expected)
    assert round(expected, 2) == 74.67
    # Version 1 still scores T as 75 at weight 1.
    old = item_of(selection, "PRA-1")
    assert old.weight == 1 and old.options["choices"][1]["points"] == 75


def test_an_item_edit_is_audited_with_the_values_before_and_after(cast, draft):
    pra1 = item_of(draft, "PRA-1")
    cast.client(cast.ministry).post(urls(draft)["item"], item_form(pra1, weight="2.5", options=CHOICES_V2))
    audit = AuditEntry.objects.get(object_type="assessments.Item", object_id=str(pra1.pk))
    assert audit.action == "update" and audit.actor == cast.ministry and audit.region is None
    assert audit.before["weight"] == "1.00" and audit.after["weight"] == "2.50"
    assert audit.before["options"]["choices"][1]["points"] == 75
    assert audit.after["options"]["choices"][1] == {"code": "T", "label": "Tinggi", "points": 80}


def test_header_and_section_edits_are_audited_with_before_and_after(cast, draft):
    client = cast.client(cast.ministry)
    header_form = {
        "title": "Seleksi 2025",
        "thresholds": "25; 45; 65; 85",
        "combine": "mean",
        "revision": draft.revision,
    }
    client.post(urls(draft)["edit"], header_form)
    pra = section_of(draft, "PRA")
    client.post(urls(draft)["section"], {"title": "Praseleksi", "weight": "2", "order": "1", "revision": pra.revision})
    header = AuditEntry.objects.get(object_type="assessments.Template", action="update")
    assert header.before["thresholds"] == [20.0, 40.0, 60.0, 80.0] and header.after["thresholds"] == [25, 45, 65, 85]
    assert header.before["combine"] == "median" and header.after["combine"] == "mean"
    section = AuditEntry.objects.get(object_type="assessments.Section")
    assert section.before["weight"] == "1.00" and section.after["weight"] == "2.00"
    assert section.after["title"] == "Praseleksi"


# Refusals -------------------------------------------------------------------------------------


def test_item_weights_summing_to_zero_are_refused_on_the_weight_field_and_nothing_changes(cast, draft):
    for code in ("PRA-1", "PRA-2"):
        item = item_of(draft, code)
        services.update_item(actor=None, item=item, data={"weight": 0}, expected_revision=item.revision)
    before = state()
    pra3 = item_of(draft, "PRA-3")
    url = reverse("assessments:template_item_edit", args=[draft.pk, pra3.pk])
    response = cast.client(cast.ministry).post(url, item_form(pra3, weight="0"))
    assert response.status_code == 200
    assert response.context["form"].errors["weight"] == [
        "The weights of the scored items of section PRA would sum to zero; "
        "give at least one of them a weight above zero."
    ]
    assert state() == before


def test_section_weights_summing_to_zero_are_refused_and_nothing_changes(cast, draft):
    for code in ("KUE", "WAW"):
        part = section_of(draft, code)
        services.update_section(actor=None, section=part, data={"weight": 0}, expected_revision=part.revision)
    before = state()
    pra = section_of(draft, "PRA")
    form = {"title": "Pra", "weight": "0", "order": "1", "revision": pra.revision}
    response = cast.client(cast.ministry).post(urls(draft)["section"], form)
    assert response.status_code == 200
    assert response.context["form"].errors["weight"] == [
        "The section weights of this template would sum to zero; give at least one section a weight above zero."
    ]
    assert state() == before


def test_bad_option_lines_are_refused_with_their_line_numbers_and_nothing_changes(cast, draft):
    before = state()
    client = cast.client(cast.ministry)
    bad = "ST | Sangat tinggi | 100\nT | Tinggi\n\nS | Sedang | 150\nST | Lagi | 10"
    response = client.post(urls(draft)["item"], item_form(item_of(draft, "PRA-1"), options=bad))
    assert response.status_code == 200
    assert response.context["form"].errors["options"] == [
        "Line 2: write code | label | points, e.g. T | Tinggi | 75.",
        "Line 4: the points of S must be a number from 0 to 100.",
        "Line 5: the code ST is already used on line 1.",
    ]
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_options"' in html
    pra2 = item_of(draft, "PRA-2")
    url = reverse("assessments:template_item_edit", args=[draft.pk, pra2.pk])
    response = client.post(url, item_form(pra2, options="60\n1,000\n50"))
    assert response.context["form"].errors["options"] == [
        "Line 2: 1,000 is not a number; write it like 75 or 2.5.",  # a thousand, or one? Not guessed.
        "Line 3: each threshold must be above the one before it.",
    ]
    header = {"title": "X", "thresholds": "20; 40; 60", "combine": "mean", "revision": draft.revision}
    response = client.post(urls(draft)["edit"], header)
    assert response.context["form"].errors["thresholds"] == ["Give 4 thresholds, one for each level above 1."]
    assert state() == before


def test_a_form_loaded_before_someone_elses_change_is_refused_as_a_conflict(cast, draft):
    pra1 = item_of(draft, "PRA-1")
    stale = item_form(pra1, weight="5")
    services.update_item(
        actor=cast.ministry, item=pra1, data={"guidance": "Lihat peta Kemenkeu."}, expected_revision=pra1.revision
    )
    response = cast.client(cast.ministry).post(urls(draft)["item"], stale)
    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [str(EditConflict())]
    pra1.refresh_from_db()
    assert pra1.weight == 1 and pra1.guidance == "Lihat peta Kemenkeu."


def test_the_pages_of_a_published_version_send_the_ministry_back_and_nothing_changes(cast, selection):
    client = cast.client(cast.ministry)
    before = state()
    for name, (url, data) in writes(selection).items():
        if name in {"new version", "publish"}:
            continue
        response = client.post(url, data)
        assert response.status_code == 302, name
        assert response["Location"] == reverse("assessments:template", args=[selection.pk]), name
    for name, url in form_pages(selection).items():
        assert client.get(url)["Location"] == reverse("assessments:template", args=[selection.pk]), name
    assert state() == before
    with pytest.raises(ValidationError) as refused:
        pra1 = item_of(selection, "PRA-1")
        services.update_item(actor=None, item=pra1, data={"weight": 2}, expected_revision=pra1.revision)
    assert refused.value.messages == ["A published version cannot be changed; start a new draft."]


def test_publishing_checks_the_whole_template_again(cast, draft):
    # Written past the services (as a bad migration or a shell session might): points above 100.
    pra1 = item_of(draft, "PRA-1")
    Item.objects.filter(pk=pra1.pk).update(options={"choices": [{"code": "A", "label": "A", "points": 150}]})
    Template.objects.filter(pk=draft.pk).update(thresholds=[20, 40])
    client = cast.client(cast.ministry)
    response = client.post(reverse("assessments:template_publish", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == urls(draft)["edit"]
    draft.refresh_from_db()
    assert draft.status == "draft"
    page = client.get(urls(draft)["edit"])
    problems = " ".join(messages_of(page))
    assert "points must be a number from 0 to 100" in problems and "give 4 thresholds" in problems
    assert 'id="problems"' in page.content.decode()


# Adding, removing and ordering items ----------------------------------------------------------


def test_the_ministry_adds_a_choice_item_at_the_end_of_its_section(cast, draft):
    kue = section_of(draft, "KUE")
    data = {
        "section": kue.pk,
        "code": "KUE-4",
        "answer_type": "choice",
        "text": "Tingkat literasi digital aparatur",
        "weight": "2",
        "options": "T | Tinggi | 100\nR | Rendah | 0",
        "evidence_required": "on",
    }
    response = cast.client(cast.ministry).post(urls(draft)["add item"], data)
    assert response.status_code == 302
    added = item_of(draft, "KUE-4")
    assert added.section == kue and added.weight == 2 and added.evidence_required
    assert added.options == {
        "choices": [{"code": "T", "label": "Tinggi", "points": 100}, {"code": "R", "label": "Rendah", "points": 0}]
    }
    order = list(Item.objects.filter(template=draft).order_by("order").values_list("code", flat=True))
    assert order.index("KUE-4") == order.index("KUE-3") + 1 and order.index("KUE-4") < order.index("WAW-1")
    audit = AuditEntry.objects.get(object_type="assessments.Item", object_id=str(added.pk))
    assert audit.action == "create" and audit.after["code"] == "KUE-4"


def test_a_new_item_needs_a_free_code_and_the_options_of_its_type(cast, draft):
    before = state()
    data = {
        "section": section_of(draft, "KUE").pk,
        "code": "KUE-1",
        "answer_type": "choice",
        "text": "?",
        "weight": "1",
    }
    response = cast.client(cast.ministry).post(urls(draft)["add item"], data)
    errors = response.context["form"].errors
    assert errors["code"] == ["Another item of this template already uses the code KUE-1."]
    assert errors["options"] == ["A choice item needs at least two choices, one per line."]
    assert state() == before


def test_removing_an_item_is_audited_and_the_last_item_of_a_section_stays(cast, draft):
    client = cast.client(cast.ministry)
    for code in ("PRA-2", "PRA-3"):
        item = item_of(draft, code)
        url = reverse("assessments:template_item_remove", args=[draft.pk, item.pk])
        assert client.post(url, {"revision": item.revision, **YES}).status_code == 302
        audit = AuditEntry.objects.get(object_type="assessments.Item", object_id=str(item.pk), action="delete")
        assert audit.before["code"] == code and audit.after is None
    pra1 = item_of(draft, "PRA-1")
    response = client.post(urls(draft)["remove item"], {**YES, "revision": pra1.revision}, follow=True)
    assert Item.objects.filter(template=draft, section__code="PRA").count() == 1
    assert "PRA-1 is the only item of section PRA, and a section needs at least one item." in messages_of(response)


def test_moving_a_section_first_moves_its_items_first(cast, draft):
    waw = section_of(draft, "WAW")
    data = {"title": waw.title, "weight": "2", "order": "0", "revision": waw.revision}
    cast.client(cast.ministry).post(reverse("assessments:template_section_edit", args=[draft.pk, waw.pk]), data)
    codes = list(Item.objects.filter(template=draft).order_by("order").values_list("code", flat=True))
    assert codes[:6] == ["WAW-1", "WAW-2", "WAW-3", "WAW-4", "WAW-5", "WAW-6"]


# Queries --------------------------------------------------------------------------------------


def test_the_draft_editor_runs_the_same_number_of_queries_for_one_item_or_many(cast, templates):
    template = Template.objects.create(
        kind="selection", code="satu", version=1, title="Satu butir", taxonomy=templates["selection"].taxonomy,
        thresholds=[20, 40, 60, 80], status="draft",
    )  # fmt: skip
    section = Section.objects.create(template=template, code="S", title="Satu bagian", order=1)
    choices = "T | Tinggi | 100\nR | Rendah | 0"
    data = {"answer_type": "choice", "text": "Pertanyaan", "weight": 1, "options": choices}
    services.add_item(actor=None, template=template, section=section, data={**data, "code": "S-1"})
    client = cast.client(cast.ministry)
    url = reverse("assessments:template_edit", args=[template.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(2, 26):
        services.add_item(actor=None, template=template, section=section, data={**data, "code": f"S-{n}"})
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('id="item-') == 25
    assert len(many) == len(one)


# Numbers as people type them ------------------------------------------------------------------


def test_numbers_are_read_with_either_decimal_mark_but_a_possible_thousands_separator_is_refused():
    with translation.override("id"):
        assert services.parse_bands("2,5\n7.5\n1000\n1.000.000") == (
            [2.5, 7.5, 1000],
            ["Baris 4: 1.000.000 bukan angka; tulis seperti 75 atau 2,5."],
        )
        assert services.parse_bands("1.000")[1] == ["Baris 1: 1.000 bukan angka; tulis seperti 75 atau 2,5."]
        assert services.parse_bands("1,125") == ([1.125], [])
        assert services.number_text(1.125) == "1,125" and services.number_text(1000) == "1000"
    assert services.parse_bands("1.125") == ([1.125], [])
    assert services.parse_bands("1,000")[1] == ["Line 1: 1,000 is not a number; write it like 75 or 2.5."]
    assert services.parse_thresholds("20; 40,5; 60; 80", 5) == ([20, 40.5, 60, 80], [])
    assert services.parse_thresholds("20; 60; 40; 80", 5)[1] == [
        "The thresholds must rise from one to the next and lie above 0 and at most 100."
    ]
    assert services.parse_choices("A | Ada | 100\nB | Belum | -5")[1] == [
        "Line 2: the points of B must be a number from 0 to 100."
    ]
