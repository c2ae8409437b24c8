"""Framework pages over HTTP: everyone signed in reads, only the ministry writes, drafts only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.frameworks import services
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Status
from kotacerdas.frameworks.selectors import latest_published
from kotacerdas.lib.confirm import YES

pytestmark = pytest.mark.django_db

NOT_MINISTRY = ["owner", "editor", "viewer", "outsider", "mentor"]
EVERYONE = [*NOT_MINISTRY, "ministry"]
MISSING = 999_999


def published(code):
    return Framework.objects.get(code=code, version=1)


@pytest.fixture
def draft(cast):
    """A draft v2 of the 2022 evaluation scheme, started by the system."""
    return services.start_draft(actor=None, source=published("evaluasi-tahunan"))


def entry_of(framework, code):
    return framework.entries.get(code=code)


def read_urls(draft):
    return {
        "list": reverse("frameworks:list"),
        "detail published": reverse("frameworks:detail", args=[published("evaluasi-tahunan").pk]),
        "detail draft": reverse("frameworks:detail", args=[draft.pk]),
    }


def write_pages(draft):
    """Write views answering GET with a form."""
    entry = entry_of(draft, "OUTPUT")
    return {
        "edit draft": reverse("frameworks:edit_draft", args=[draft.pk]),
        "add entry": reverse("frameworks:entry_add", args=[draft.pk]),
        "edit entry": reverse("frameworks:entry_edit", args=[draft.pk, entry.pk]),
    }


def write_posts(draft):
    """Every write, as (url, form data) that the ministry would get accepted."""
    entry = entry_of(draft, "OUTPUT")
    entry_url = reverse("frameworks:entry_edit", args=[draft.pk, entry.pk])
    return {
        "start draft": (reverse("frameworks:start_draft", args=[published("ukuran-rkci").pk]), {}),
        "edit draft": (reverse("frameworks:edit_draft", args=[draft.pk]), {"title": "Skema 2025", "year": "2025"}),
        "add entry": (reverse("frameworks:entry_add", args=[draft.pk]), {"code": "NEW", "name": "Baru", "weight": "1"}),
        "edit entry": (entry_url, {"name": "Keluaran", "weight": "5", "version": "1"}),
        # the entry as "edit entry" left it: its second version
        "remove entry": (reverse("frameworks:entry_remove", args=[draft.pk, entry.pk]), {**YES, "version": "2"}),
        "publish": (reverse("frameworks:publish", args=[draft.pk]), {}),
    }


def state():
    """Everything a write could change."""
    return (
        list(Framework.objects.values_list("code", "version", "title", "year", "status").order_by("code", "version")),
        list(FrameworkEntry.objects.values_list("framework_id", "code", "name", "weight").order_by("id")),
        AuditEntry.objects.count(),
    )


# Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_everyone_signed_in_reads_the_list_and_every_version(cast, draft, who):
    client = cast.client(getattr(cast, who))
    for name, url in read_urls(draft).items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("who", NOT_MINISTRY)
def test_only_the_ministry_may_write_everyone_else_is_forbidden_and_nothing_changes(cast, draft, who):
    client = cast.client(getattr(cast, who))
    before = state()
    for name, url in write_pages(draft).items():
        assert client.get(url).status_code == 403, name
    for name, (url, data) in write_posts(draft).items():
        assert client.post(url, data).status_code == 403, name
    assert state() == before


def test_the_ministry_opens_every_write_form(cast, draft):
    client = cast.client(cast.ministry)
    for name, url in write_pages(draft).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "<form" in response.content.decode(), name


def test_every_write_by_the_ministry_succeeds_and_writes_an_audit_entry(cast, draft):
    client = cast.client(cast.ministry)
    by_ministry = AuditEntry.objects.filter(actor=cast.ministry, actor_name=str(cast.ministry))
    for name, (url, data) in write_posts(draft).items():
        if name == "publish":  # the edits above left the weights at 81%; make them add up again
            services.update_entry(
                actor=None,
                entry=entry_of(draft, "NEW"),
                expected_version=entry_of(draft, "NEW").version,
                changes={"weight": Decimal(20)},
            )
        before = by_ministry.count()
        response = client.post(url, data)
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert by_ministry.count() > before, name
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_anonymous_visitors_are_sent_to_sign_in_for_every_page_and_write(cast, draft):
    client = cast.client(None)
    before = state()
    for name, url in [*read_urls(draft).items(), *write_pages(draft).items()]:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name
    for name, (url, data) in write_posts(draft).items():
        response = client.post(url, data)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name
    assert state() == before


def test_a_missing_version_or_entry_is_not_found(cast, draft):
    entry = entry_of(draft, "OUTPUT")
    ministry = cast.client(cast.ministry)
    for reader in (cast.client(cast.viewer), ministry):
        assert reader.get(reverse("frameworks:detail", args=[MISSING])).status_code == 404
    for name in ("edit_draft", "entry_add"):
        assert ministry.get(reverse(f"frameworks:{name}", args=[MISSING])).status_code == 404, name
    for name in ("start_draft", "publish"):
        assert ministry.post(reverse(f"frameworks:{name}", args=[MISSING])).status_code == 404, name
    assert ministry.get(reverse("frameworks:entry_edit", args=[draft.pk, MISSING])).status_code == 404
    assert ministry.post(reverse("frameworks:entry_remove", args=[draft.pk, MISSING])).status_code == 404
    assert ministry.get(reverse("frameworks:entry_edit", args=[MISSING, entry.pk])).status_code == 404


def test_an_entry_cannot_be_reached_through_another_versions_url(cast, draft):
    other = services.start_draft(actor=None, source=published("ukuran-rkci"))
    entry = entry_of(draft, "OUTPUT")
    client = cast.client(cast.ministry)
    assert client.get(reverse("frameworks:entry_edit", args=[other.pk, entry.pk])).status_code == 404
    assert client.post(reverse("frameworks:entry_remove", args=[other.pk, entry.pk])).status_code == 404
    assert FrameworkEntry.objects.filter(pk=entry.pk).exists()


def test_writes_are_post_only(cast, draft):
    client = cast.client(cast.ministry)
    for name, (url, _data) in write_posts(draft).items():
        if name in {"start draft", "remove entry", "publish"}:
            assert client.get(url).status_code == 405, name


# What the pages show ------------------------------------------------------------------------


def test_the_list_groups_every_version_under_its_code_with_kind_year_and_status(cast, draft):
    html = cast.client(cast.viewer).get(reverse("frameworks:list")).content.decode()
    section = html[html.index('id="framework-evaluasi-tahunan"') :]
    section = section[: section.index("</section>")]
    assert section.count("<tr>") == 3  # header row and both versions
    assert "2022" in section and "2.022" not in section  # years are not numbers to group
    assert reverse("frameworks:detail", args=[draft.pk]) in section
    assert reverse("frameworks:detail", args=[published("evaluasi-tahunan").pk]) in section
    for f in Framework.objects.all():
        assert f.get_kind_display() in html


def test_a_reader_sees_the_version_its_siblings_and_no_actions(cast, draft):
    html = cast.client(cast.viewer).get(reverse("frameworks:detail", args=[draft.pk])).content.decode()
    assert "BASELINE" in html and "Baseline" in html
    assert reverse("frameworks:detail", args=[published("evaluasi-tahunan").pk]) in html
    assert 'aria-current="page"' in html
    for name in ("edit_draft", "entry_add", "publish"):
        assert reverse(f"frameworks:{name}", args=[draft.pk]) not in html, name


def test_a_published_version_offers_a_new_draft_but_no_editing(cast):
    framework = published("kominfo-6")
    html = cast.client(cast.ministry).get(reverse("frameworks:detail", args=[framework.pk])).content.decode()
    assert reverse("frameworks:start_draft", args=[framework.pk]) in html
    assert reverse("frameworks:edit_draft", args=[framework.pk]) not in html
    assert reverse("frameworks:entry_add", args=[framework.pk]) not in html
    assert "/entri/" not in html
    assert "GOV-1" in html and "Layanan Publik" in html  # elements shown under their dimension


def test_a_published_version_points_to_the_draft_in_progress_instead_of_starting_another(cast, draft):
    source = published("evaluasi-tahunan")
    html = cast.client(cast.ministry).get(reverse("frameworks:detail", args=[source.pk])).content.decode()
    assert reverse("frameworks:start_draft", args=[source.pk]) not in html
    assert reverse("frameworks:detail", args=[draft.pk]) in html


def test_a_draft_shows_what_blocks_publishing(cast, draft):
    services.update_entry(
        actor=None,
        entry=entry_of(draft, "OUTPUT"),
        expected_version=entry_of(draft, "OUTPUT").version,
        changes={"weight": Decimal(15)},
    )
    html = cast.client(cast.viewer).get(reverse("frameworks:detail", args=[draft.pk])).content.decode()
    assert 'id="problems"' in html and "95" in html


def test_the_edit_pages_of_a_published_version_send_the_ministry_back_without_changing_it(cast):
    framework = published("evaluasi-tahunan")
    entry = entry_of(framework, "OUTPUT")
    client = cast.client(cast.ministry)
    before = state()
    for url, data in [
        (reverse("frameworks:edit_draft", args=[framework.pk]), {"title": "X"}),
        (reverse("frameworks:entry_add", args=[framework.pk]), {"code": "X", "name": "X", "weight": "1"}),
        (reverse("frameworks:entry_edit", args=[framework.pk, entry.pk]), {"name": "X", "weight": "1", "version": "1"}),
        (reverse("frameworks:entry_remove", args=[framework.pk, entry.pk]), {**YES, "version": "1"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("frameworks:detail", args=[framework.pk])
        ), url
    assert state() == before


# The draft workflow ---------------------------------------------------------------------------


def test_the_ministry_starts_a_draft_that_copies_dimensions_and_elements(cast):
    source = published("kominfo-6")
    response = cast.client(cast.ministry).post(reverse("frameworks:start_draft", args=[source.pk]))
    draft = Framework.objects.get(code="kominfo-6", version=2)
    assert response.status_code == 302 and response["Location"] == reverse("frameworks:detail", args=[draft.pk])
    assert draft.status == Status.DRAFT
    copied = {e.code: e for e in draft.entries.select_related("parent")}
    assert len(copied) == source.entries.count() == 24
    assert copied["ECO-2"].parent == copied["ECO"]  # children point at the copy, not the original
    entry = AuditEntry.objects.get(object_type="frameworks.Framework", object_id=str(draft.pk))
    assert entry.actor == cast.ministry and entry.action == "create" and entry.after["copied_from"] == source.pk


def test_a_second_draft_of_the_same_framework_is_refused(cast, draft):
    client = cast.client(cast.ministry)
    response = client.post(reverse("frameworks:start_draft", args=[published("evaluasi-tahunan").pk]), follow=True)
    assert Framework.objects.filter(code="evaluasi-tahunan").count() == 2
    assert "message-error" in response.content.decode()


def test_the_ministry_edits_an_entry_and_the_change_is_audited(cast, draft):
    entry = entry_of(draft, "OUTPUT")
    url = reverse("frameworks:entry_edit", args=[draft.pk, entry.pk])
    response = cast.client(cast.ministry).post(
        url, {"name": "Keluaran", "name_en": "Output", "weight": "25", "version": "1"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Keluaran" and entry.weight == Decimal(25)
    audit = AuditEntry.objects.get(object_type="frameworks.FrameworkEntry", object_id=str(entry.pk))
    assert audit.actor == cast.ministry and audit.before["weight"] == "20.00" and audit.after["weight"] == "25"


def test_the_entry_form_offers_only_the_numbers_of_the_kind(cast):
    client = cast.client(cast.ministry)
    for code, shown, hidden in [
        ("evaluasi-tahunan", ["id_weight"], ["id_level", "id_lower_bound", "id_parent"]),
        ("rkci-maturity", ["id_level"], ["id_weight", "id_lower_bound"]),
        ("ukuran-rkci", ["id_lower_bound", "id_lower_inclusive"], ["id_weight", "id_level"]),
        ("kominfo-6", ["id_parent", "id_code"], ["id_weight", "id_level", "id_lower_bound"]),
    ]:
        framework = services.start_draft(actor=None, source=published(code))
        html = client.get(reverse("frameworks:entry_add", args=[framework.pk])).content.decode()
        for field in shown:
            assert f'id="{field}"' in html, (code, field)
        for field in hidden:
            assert f'id="{field}"' not in html, (code, field)


def test_a_bad_entry_keeps_the_input_and_lists_the_problem_at_the_top(cast, draft):
    entry = entry_of(draft, "OUTPUT")
    url = reverse("frameworks:entry_edit", args=[draft.pk, entry.pk])
    response = cast.client(cast.ministry).post(url, {"name": "", "weight": "dua puluh", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html and 'href="#id_name"' in html and 'href="#id_weight"' in html
    assert 'value="dua puluh"' in html and 'aria-invalid="true"' in html
    entry.refresh_from_db()
    assert entry.name == "Output" and entry.weight == Decimal(20)


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("id", "100.000", Decimal(100_000)),
        ("id", "2,6", Decimal("2.6")),
        ("id", "1.000.000,5", Decimal("1000000.5")),
        ("id", "2.60", None),  # on an Indonesian page this is not 2.6, and not 260 either
        ("en", "2.60", Decimal("2.6")),
        ("en", "100,000", Decimal(100_000)),
    ],
)
def test_bounds_are_read_the_way_the_page_writes_numbers(cast, language, typed, stored):
    framework = services.start_draft(actor=None, source=published("ukuran-rkci"))
    entry = entry_of(framework, "SEDANG")
    url = reverse("frameworks:entry_edit", args=[framework.pk, entry.pk])
    client = cast.client(cast.ministry)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(url, {"name": "Sedang", "lower_bound": typed, "version": "1"})
    entry.refresh_from_db()
    if stored is None:
        assert response.status_code == 200 and 'href="#id_lower_bound"' in response.content.decode()
        assert entry.lower_bound == Decimal(200_000)
    else:
        assert response.status_code == 302
        assert entry.lower_bound == stored


def test_the_ministry_adds_an_element_to_a_dimension_at_its_end(cast):
    draft = services.start_draft(actor=None, source=published("kominfo-6"))
    economy = entry_of(draft, "ECO")
    url = reverse("frameworks:entry_add", args=[draft.pk])
    data = {"code": "ECO-4", "parent": str(economy.pk), "name": "Ekonomi Digital", "name_en": "Digital economy"}
    response = cast.client(cast.ministry).post(url, data)
    added = entry_of(draft, "ECO-4")
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{added.pk}")
    assert added.parent == economy
    assert [c.code for c in economy.children.order_by("order")] == ["ECO-1", "ECO-2", "ECO-3", "ECO-4"]
    audit = AuditEntry.objects.get(object_type="frameworks.FrameworkEntry", object_id=str(added.pk))
    assert audit.action == "create" and audit.actor == cast.ministry and audit.after["code"] == "ECO-4"


def test_an_entry_code_already_used_in_the_version_is_refused_on_the_code_field(cast, draft):
    url = reverse("frameworks:entry_add", args=[draft.pk])
    response = cast.client(cast.ministry).post(url, {"code": "output", "name": "Lagi", "weight": "1"})
    assert response.status_code == 200 and 'href="#id_code"' in response.content.decode()
    assert draft.entries.count() == 5


def test_removing_a_dimension_removes_its_elements_and_audits_each(cast):
    draft = services.start_draft(actor=None, source=published("kominfo-6"))
    economy = entry_of(draft, "ECO")
    remove = reverse("frameworks:entry_remove", args=[draft.pk, economy.pk])
    response = cast.client(cast.ministry).post(remove, {**YES, "version": "1"})
    assert response.status_code == 302
    assert not draft.entries.filter(code__startswith="ECO").exists()
    assert draft.entries.count() == 20
    removed = AuditEntry.objects.filter(action="delete", actor=cast.ministry)
    assert sorted(e.before["code"] for e in removed) == ["ECO", "ECO-1", "ECO-2", "ECO-3"]
    assert published("kominfo-6").entries.count() == 24


def test_the_ministry_edits_the_title_year_and_source_of_a_draft(cast, draft):
    url = reverse("frameworks:edit_draft", args=[draft.pk])
    data = {"title": "Skema evaluasi tahunan 2023", "title_en": "Scheme 2023", "year": "2023", "source": "Juknis 2023"}
    assert cast.client(cast.ministry).post(url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.year, draft.source) == ("Skema evaluasi tahunan 2023", 2023, "Juknis 2023")
    audit = AuditEntry.objects.get(object_type="frameworks.Framework", object_id=str(draft.pk), action="update")
    assert audit.before["year"] == 2022 and audit.after["year"] == 2023


def test_publishing_freezes_the_draft_and_the_old_version_stays_unchanged_and_readable(cast, draft):
    old = published("evaluasi-tahunan")
    old_rows = list(old.entries.values_list("code", "name", "weight").order_by("order"))
    client = cast.client(cast.ministry)
    services.update_entry(
        actor=None,
        entry=entry_of(draft, "IMPACT"),
        expected_version=entry_of(draft, "IMPACT").version,
        changes={"weight": Decimal(30)},
    )
    services.update_entry(
        actor=None,
        entry=entry_of(draft, "QUICKWIN"),
        expected_version=entry_of(draft, "QUICKWIN").version,
        changes={"weight": Decimal(10)},
    )
    response = client.post(reverse("frameworks:publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.published_at is not None
    assert [f.pk for f in latest_published("evaluation")] == [draft.pk]
    old.refresh_from_db()
    assert old.status == Status.PUBLISHED
    assert list(old.entries.values_list("code", "name", "weight").order_by("order")) == old_rows
    html = cast.client(cast.viewer).get(reverse("frameworks:detail", args=[old.pk])).content.decode()
    assert old.title in html and "QUICKWIN" in html
    audit = AuditEntry.objects.get(object_type="frameworks.Framework", object_id=str(draft.pk), action="update")
    assert audit.actor == cast.ministry and audit.before["status"] == "draft" and audit.after["status"] == "published"
    edit = reverse("frameworks:entry_edit", args=[draft.pk, entry_of(draft, "IMPACT").pk])
    assert client.post(edit, {"name": "X", "weight": "1", "version": "2"}).status_code == 302
    assert entry_of(draft, "IMPACT").weight == Decimal(30)


def test_publishing_refuses_weights_not_adding_up_to_100_and_changes_nothing(cast, draft):
    services.update_entry(
        actor=None,
        entry=entry_of(draft, "OUTPUT"),
        expected_version=entry_of(draft, "OUTPUT").version,
        changes={"weight": Decimal("15.5")},
    )
    before = state()
    response = cast.client(cast.ministry).post(reverse("frameworks:publish", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html and "95,5" in html  # the total, written the Indonesian way
    assert state() == before
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.published_at is None
    assert [f.pk for f in latest_published("evaluation")] == [published("evaluasi-tahunan").pk]


# Query counts -------------------------------------------------------------------------------


def queries(client, url):
    """(all queries, queries on framework tables) of one page view."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    ours = [q for q in captured.captured_queries if "frameworks_" in q["sql"]]
    return len(captured), len(ours)


def test_the_list_costs_the_same_queries_however_many_versions_and_entries(cast):
    client = cast.client(cast.ministry)
    url = reverse("frameworks:list")
    small = queries(client, url)
    assert small[1] == 1  # every version of every framework, with entry counts, in one query
    for _ in range(5):
        draft = services.start_draft(actor=None, source=published("kominfo-6"))
        for i in range(10):
            services.add_entry(actor=None, framework=draft, data={"code": f"X{i}", "name": f"x {i}"})
        Framework.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)  # set-up only, not the workflow
    assert queries(client, url) == small


@pytest.mark.parametrize("who", ["viewer", "ministry"])
def test_a_version_page_costs_the_same_queries_however_many_entries_and_versions(cast, who):
    client = cast.client(getattr(cast, who))
    draft = services.start_draft(actor=None, source=published("kominfo-6"))
    url = reverse("frameworks:detail", args=[draft.pk])
    small = queries(client, url)
    assert small[1] == 3  # the version, its entries, its sibling versions
    for i in range(30):
        dimension = services.add_entry(actor=None, framework=draft, data={"code": f"D{i}", "name": f"dimension {i}"})
        for j in range(3):
            services.add_entry(
                actor=None, framework=draft, data={"code": f"D{i}-{j}", "name": f"element {j}"}, parent=dimension
            )
    for version in range(3, 13):
        Framework.objects.create(kind="taxonomy", code="kominfo-6", version=version, title="t", status="published")
    assert queries(client, url) == small
