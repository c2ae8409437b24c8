"""Quick-win pages for every role: editors run rounds, mentors and editors score, viewers read,
the outsider gets 404 and the anonymous visitor the sign-in page."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import build_cast
from kotacerdas.audit.models import AuditEntry
from kotacerdas.frameworks.loader import load_all
from kotacerdas.lib.confirm import YES
from kotacerdas.plans.models import QuickWinFlag
from kotacerdas.quickwins import services
from kotacerdas.quickwins.models import Criterion, Evaluator, RoundStatus, Score, SelectionRound
from kotacerdas.quickwins.tasks import robustness_job
from kotacerdas.quickwins.tests.builders import make_round
from tests.support.shared import per_test, shared_data

pytestmark = pytest.mark.django_db

A = "13.72"


def _solved_round():
    """The cast and region A's round, scored and solved once."""
    load_all()
    cast = build_cast()
    selection_round = make_round(cast.region_a)
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    selection_round.refresh_from_db()
    return cast, (selection_round, solve)


@pytest.fixture(scope="module")
def _shared_round(django_db_setup, django_db_blocker):
    """Built once for the module's page checks (tests/support/shared.py), not once per page."""
    yield from shared_data(django_db_blocker, _solved_round)


@pytest.fixture
def _round_for_test(_shared_round, request, db):
    return per_test(_shared_round, request)


@pytest.fixture
def cast(_round_for_test):
    return _round_for_test[0]


@pytest.fixture
def qw(_round_for_test):
    return _round_for_test[1]


def url(name, *args):
    return reverse(f"quickwins:{name}", args=[A, *args])


READ_PAGES = [
    ("rounds", ()),
    ("round", (2024,)),
    ("result", (2024, 1)),
    ("robustness", (2024, 1)),
    ("summary", (2024, 1)),
    ("export", (2024, "json")),
    ("export", (2024, "xlsx")),
    ("solve_export", (2024, 1, "json")),
]
EDIT_PAGES = [
    ("round_create", ()),
    ("settings", (2024,)),
    ("candidates", (2024,)),
    ("constraints", (2024,)),
    ("confirm", (2024, 1)),
]


@pytest.mark.parametrize(("name", "args"), READ_PAGES)
def test_read_pages_answer_every_member_404_the_outsider_and_send_the_anonymous_to_sign_in(cast, qw, name, args):
    for user in (cast.owner, cast.editor, cast.viewer, cast.mentor, cast.ministry):
        assert cast.client(user).get(url(name, *args)).status_code == 200, user
    assert cast.client(cast.outsider).get(url(name, *args)).status_code == 404
    response = cast.client(None).get(url(name, *args))
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


@pytest.mark.parametrize(("name", "args"), EDIT_PAGES)
def test_edit_pages_are_for_editors_and_admins_only(cast, qw, name, args):
    for user in (cast.owner, cast.editor, cast.ministry):
        assert cast.client(user).get(url(name, *args)).status_code == 200, user
    for user in (cast.viewer, cast.mentor):
        assert cast.client(user).get(url(name, *args)).status_code == 403, user
    assert cast.client(cast.outsider).get(url(name, *args)).status_code == 404
    assert cast.client(None).get(url(name, *args)).status_code == 302


METHOD_PAGES = [("criteria", (2024,)), ("pairwise", (2024,))]


@pytest.mark.parametrize(("name", "args"), METHOD_PAGES)
def test_method_pages_are_for_editors_admins_and_the_regions_mentors(cast, qw, name, args):
    for user in (cast.owner, cast.editor, cast.ministry, cast.mentor):
        assert cast.client(user).get(url(name, *args)).status_code == 200, user
    assert cast.client(cast.viewer).get(url(name, *args)).status_code == 403
    assert cast.client(cast.viewer).post(url(name, *args), {}).status_code == 403
    assert cast.client(cast.outsider).get(url(name, *args)).status_code == 404
    assert cast.client(cast.outsider).post(url(name, *args), {}).status_code == 404
    assert cast.client(None).get(url(name, *args)).status_code == 302


POSTS = [
    ("solve", (2024,)),
    ("evaluator_add", (2024,)),
    ("exclusion_add", (2024,)),
    ("exclusion_delete", (2024, 1, 2)),
]


@pytest.mark.parametrize(("name", "args"), POSTS)
def test_actions_refuse_viewers_mentors_and_outsiders(cast, qw, name, args):
    before = AuditEntry.objects.count()
    assert cast.client(cast.viewer).post(url(name, *args)).status_code == 403
    assert cast.client(cast.mentor).post(url(name, *args)).status_code == 403
    assert cast.client(cast.outsider).post(url(name, *args)).status_code == 404
    assert cast.client(None).post(url(name, *args)).status_code == 302
    assert AuditEntry.objects.count() == before


def test_a_round_of_another_region_is_not_found(cast, qw):
    other = make_round(cast.region_b, per_dimension=1)
    path = reverse("quickwins:round", args=["13.73", other.year])
    assert cast.client(cast.editor).get(path).status_code == 404
    assert cast.client(cast.outsider).get(path).status_code == 200
    assert cast.client(cast.editor).get(url("round", 2031)).status_code == 404


def test_an_editor_starts_a_round_with_default_criteria_and_the_budget_years_programmes(cast, qw):
    edition = qw[0].edition
    client = cast.client(cast.editor)
    response = client.post(url("round_create"), {"edition": edition.pk, "year": 2025, "budget_year": 2026})
    assert response.status_code == 302
    created = SelectionRound.objects.get(region=cast.region_a, year=2025)
    assert created.criteria.count() == 7 and created.candidates.count() == 12
    assert AuditEntry.objects.filter(object_type="quickwins.SelectionRound", object_id=str(created.pk)).exists()
    again = client.post(url("round_create"), {"edition": edition.pk, "year": 2025, "budget_year": 2040})
    assert again.status_code == 200
    assert "already has a round for 2025" in again.content.decode() or "sudah" in again.content.decode()
    assert SelectionRound.objects.filter(region=cast.region_a).count() == 2


def test_criteria_with_all_zero_weights_are_refused_and_nothing_is_saved(cast, qw):
    selection_round, _solve = qw
    criteria = list(selection_round.criteria.all())
    data = {"version": selection_round.version, "weight_mode": "direct"}
    for n, c in enumerate(criteria):
        data.update(
            {
                f"row{n}_id": c.pk,
                f"row{n}_code": c.code,
                f"row{n}_name": c.name,
                f"row{n}_direction": c.direction,
                f"row{n}_weight": "0",
            }
        )
    for n in range(len(criteria), len(criteria) + 2):
        data.update({f"row{n}_direction": "benefit"})
    response = cast.client(cast.editor).post(url("criteria", 2024), data)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert sorted(Criterion.objects.filter(round=selection_round).values_list("weight", flat=True)) != [0] * 7
    data.update(
        {
            "row0_weight": "3",
            "row7_code": "inclusion",
            "row7_name": "Inclusion",
            "row7_weight": "1",
            "row1_delete": "on",
        }
    )
    response = cast.client(cast.editor).post(url("criteria", 2024), data)
    assert response.status_code == 302
    codes = list(Criterion.objects.filter(round=selection_round).values_list("code", flat=True))
    assert "inclusion" in codes and criteria[1].code not in codes and len(codes) == 7
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.OPEN  # a change reopens a solved round


def test_the_mentor_sets_weights_by_pairwise_comparison_and_is_warned_when_inconsistent(cast, qw):
    selection_round, _solve = qw
    client = cast.client(cast.mentor)
    page = client.get(url("pairwise", 2024))
    form = page.context["form"]
    data = {"version": selection_round.version}
    for n, (name, _a, _b) in enumerate(form.pairs):
        data[name] = ["9", "1/9"][n % 2]  # contradictory judgements
    response = client.post(url("pairwise", 2024), data)
    assert response.status_code == 302
    selection_round.refresh_from_db()
    assert selection_round.weight_mode == "pairwise" and len(selection_round.pairwise) == 21
    entry = AuditEntry.objects.filter(object_type="quickwins.SelectionRound").latest("pk")
    assert entry.actor == cast.mentor
    shown = client.get(url("pairwise", 2024))
    assert shown.context["consistency"]["result"].cr > 0.10
    assert 'class="qw-warning"' in shown.content.decode()
    data[form.pairs[0][0]] = "12"
    refused = client.post(url("pairwise", 2024), {**data, "version": selection_round.version})
    assert refused.status_code == 200 and refused.context["form"].errors


def test_candidates_decisions_and_exclusions(cast, qw):
    selection_round, _solve = qw
    client = cast.client(cast.editor)
    form = client.get(url("candidates", 2024)).context["form"]
    data = {"version": selection_round.version}
    for p in form.programmes:
        if not p.code.startswith("ENV"):
            data[f"take_{p.pk}"] = "on"
        data[f"must_{p.pk}"] = "include" if p.code == "GOV-02" else ""
    assert client.post(url("candidates", 2024), data).status_code == 302
    assert selection_round.candidates.count() == 10
    assert selection_round.candidates.get(programme__code="GOV-02").must == "include"
    first, second = selection_round.candidates.order_by("programme__code")[:2]
    assert client.post(url("exclusion_add", 2024), {"first": first.pk, "second": second.pk}).status_code == 302
    assert second in first.excludes.all()
    seen = {**YES, "version": SelectionRound.objects.get(pk=selection_round.pk).version}
    assert client.post(url("exclusion_delete", 2024, first.pk, second.pk), seen).status_code == 302
    assert not first.excludes.exists()


def test_constraints_refuse_a_bad_cap_with_the_cell_named(cast, qw):
    selection_round, _solve = qw
    client = cast.client(cast.editor)
    data = {
        "version": selection_round.version,
        "per_dimension_min": 1,
        "per_dimension_max": 2,
        "cap0_year": 2025,
        "cap0_amount": "3000000000",
        "cap1_year": 2025,
        "cap1_amount": "10",
    }
    response = client.post(url("constraints", 2024), data)
    assert response.status_code == 200
    assert response.context["form"].errors["cap1_year"]
    data.pop("cap1_year"), data.pop("cap1_amount")
    assert client.post(url("constraints", 2024), data).status_code == 302
    selection_round.refresh_from_db()
    assert selection_round.per_dimension_max == 2


def test_a_cap_is_whole_rupiah_as_people_type_it_and_bounded_like_a_budget_line(english, cast, qw):
    selection_round, _solve = qw
    client = cast.client(cast.editor)
    data = {"version": selection_round.version, "per_dimension_min": 1, "per_dimension_max": 2, "cap0_year": 2025}
    huge = "9" * 20
    response = client.post(url("constraints", 2024), data | {"cap0_amount": huge})
    assert response.status_code == 200 and huge in response.content.decode()
    assert "the most one line can hold" in str(response.context["form"].errors["cap0_amount"])
    assert client.post(url("constraints", 2024), data | {"cap0_amount": "3.000.000.000"}).status_code == 302
    assert selection_round.caps.get().amount == 3_000_000_000


def test_a_mentor_scores_as_themselves_and_htmx_saves_each_change(cast, qw):
    selection_round, _solve = qw
    client = cast.client(cast.mentor)
    assert client.get(url("my_scores", 2024)).status_code == 200  # asks before creating anything
    start = client.post(url("my_scores", 2024))
    mine = Evaluator.objects.get(round=selection_round, user=cast.mentor)
    assert start["Location"] == url("score", 2024, mine.pk)
    grid = client.get(url("score", 2024, mine.pk)).context["form"]
    names = list(grid.fields)
    response = client.post(url("score", 2024, mine.pk), {names[0]: "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "1 " in response.content.decode()
    assert Score.objects.filter(evaluator=mine).count() == 1
    bad = client.post(url("score", 2024, mine.pk), {names[0]: "9"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422
    full = client.post(url("score", 2024, mine.pk), dict.fromkeys(names, "3"))
    assert full.status_code == 302 and Score.objects.filter(evaluator=mine).count() == len(names)
    named = Evaluator.objects.filter(round=selection_round, user__isnull=True).first()
    assert client.get(url("score", 2024, named.pk)).status_code == 403  # only editors enter paper scores
    assert cast.client(cast.editor).get(url("score", 2024, named.pk)).status_code == 200
    assert cast.client(cast.viewer).get(url("my_scores", 2024)).status_code == 403
    assert cast.client(cast.outsider).get(url("score", 2024, mine.pk)).status_code == 404


def test_an_editor_adds_a_paper_evaluator(cast, qw):
    response = cast.client(cast.editor).post(url("evaluator_add", 2024), {"name": "Kepala Bappeda"})
    person = Evaluator.objects.get(name="Kepala Bappeda")
    assert response["Location"] == url("score", 2024, person.pk)


def test_solving_records_the_run_and_shows_the_explained_result(cast, qw):
    selection_round, _solve = qw
    response = cast.client(cast.editor).post(url("solve", 2024))
    assert response.status_code == 302 and response["Location"] == url("result", 2024, 2)
    solve = selection_round.solves.get(number=2)
    assert solve.status == "optimal" and solve.objective > 0 and solve.seconds >= 0
    assert solve.inputs["format"] == "kotacerdas-quickwins/1" and len(solve.weights) == 7
    assert AuditEntry.objects.filter(object_type="quickwins.Solve", object_id=str(solve.pk)).exists()
    page = cast.client(cast.viewer).get(url("result", 2024, 2)).content.decode()
    assert "<svg" in page and "GOV-01" in page
    assert 'id="left-out"' in page and 'id="robustness"' in page


def test_solving_an_incompletely_scored_round_says_what_is_missing(cast, qw):
    selection_round, _solve = qw
    Score.objects.filter(round=selection_round, candidate__programme__code="ENV-02").delete()
    response = cast.client(cast.editor).post(url("solve", 2024), follow=True)
    text = response.content.decode()
    assert "ENV-02" in text and selection_round.solves.count() == 1


def test_the_job_function_can_run_directly(cast, qw):
    _round, solve = qw
    run = services.start_robustness(actor=cast.editor, solve=solve, draws=20, spread=0.1, seed=1)
    robustness_job.call(run.pk)
    run.refresh_from_db()
    assert run.status == "done" and sum(run.result["frequency"].values()) == pytest.approx(6, abs=1e-9)


def test_confirming_marks_the_quick_wins_of_the_budget_year_in_the_plan(cast, qw):
    selection_round, solve = qw
    client = cast.client(cast.editor)
    response = client.post(url("confirm", 2024, 1), {"version": selection_round.version})
    assert response.status_code == 302
    flagged = set(
        QuickWinFlag.objects.filter(region=cast.region_a, year=2025).values_list("programme__code", flat=True)
    )
    assert flagged == set(solve.chosen_codes) and len(flagged) == 6
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.CONFIRMED and selection_round.confirmed_solve == solve
    again = client.post(url("solve", 2024), follow=True)
    assert "confirmed" in again.content.decode() or "dikonfirmasi" in again.content.decode()
    assert selection_round.solves.count() == 1


def test_a_stale_solve_cannot_be_confirmed(cast, qw):
    selection_round, _solve = qw
    late = services.add_evaluator(actor=cast.editor, selection_round=selection_round, name="Late")
    candidate, criterion = selection_round.candidates.first(), selection_round.criteria.first()
    services.save_scores(actor=cast.editor, evaluator=late, values={(candidate.pk, criterion.pk): 1})
    selection_round.refresh_from_db()
    response = cast.client(cast.editor).post(url("confirm", 2024, 1), {"version": selection_round.version})
    assert response.status_code == 200 and response.context["form"].errors
    assert not QuickWinFlag.objects.filter(year=2025).exists()


def test_the_exported_file_gives_the_same_answer_on_the_command_line(cast, qw, tmp_path):
    _round, solve = qw
    exported = cast.client(cast.viewer).get(url("export", 2024, "json"))
    path = tmp_path / "round.json"
    path.write_bytes(exported.content)
    out = StringIO()
    call_command("quickwins", "select", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["selection"] == solve.report["selection"]
    assert report["objective"] == pytest.approx(solve.objective)
    xlsx = cast.client(cast.viewer).get(url("export", 2024, "xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_summary_fits_the_forum_on_one_page(cast, qw):
    page = cast.client(cast.viewer).get(url("summary", 2024, 1)).content.decode()
    assert 'class="qw-summary"' in page and "<svg" in page and "@page" not in page


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_round_and_result_pages_cost_the_same_queries_whatever_the_size(cast, qw):
    small, _solve = qw  # two programmes a dimension, three evaluators
    client = cast.client(cast.editor)
    counts_small = [
        _count(client, url(name, *args))
        for name, args in [("round", (2024,)), ("result", (2024, 1)), ("score", (2024, small.evaluators.first().pk))]
    ]
    big = make_round(cast.region_b, per_dimension=4, evaluators=4)
    services.solve_round(actor=None, selection_round=big)
    other = cast.client(cast.outsider)
    counts_big = [
        _count(other, reverse(f"quickwins:{name}", args=["13.73", *args]))
        for name, args in [("round", (2024,)), ("result", (2024, 1)), ("score", (2024, big.evaluators.first().pk))]
    ]
    # pinned: a change here is a decision, not drift (the round page: +1 for the quick wins' progress;
    # every page: +1 for the unread notifications in the header)
    assert counts_small == counts_big == [18, 8, 16]


def test_round_settings_are_saved_with_the_version_checked(cast, qw):
    selection_round, _solve = qw
    client = cast.client(cast.owner)
    data = {
        "title": "Quick wins 2025",
        "aggregation": "geometric",
        "scale_min": 1,
        "scale_max": 5,
        "cost_years": 2,
        "version": selection_round.version,
    }
    assert client.post(url("settings", 2024), data).status_code == 302
    selection_round.refresh_from_db()
    assert selection_round.aggregation == "geometric" and selection_round.cost_years == 2
    stale = client.post(url("settings", 2024), {**data, "title": "Other", "version": data["version"]})
    assert stale.status_code == 409
    selection_round.refresh_from_db()
    assert selection_round.title == "Quick wins 2025"


def _excluded_pair(client, selection_round):
    first, second = selection_round.candidates.order_by("programme__code")[:2]
    assert client.post(url("exclusion_add", 2024), {"first": first.pk, "second": second.pk}).status_code == 302
    return first, second, SelectionRound.objects.get(pk=selection_round.pk).version


@pytest.mark.parametrize("posted", [{}, {"version": "x"}, {"version": "stale"}])
def test_an_exclusion_is_kept_when_removed_at_a_stale_or_missing_round_version(cast, qw, english, posted):
    selection_round, _solve = qw
    client = cast.client(cast.editor)
    first, second, version = _excluded_pair(client, selection_round)
    posted = {"version": str(version - 1)} if posted == {"version": "stale"} else posted
    audited = AuditEntry.objects.count()
    for data in (posted, {**YES, **posted}):
        response = client.post(url("exclusion_delete", 2024, first.pk, second.pk), data)
        assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
    assert second in first.excludes.all() and AuditEntry.objects.count() == audited


def test_an_exclusion_is_removed_at_the_round_version_seen_and_not_by_an_outsider(cast, qw):
    selection_round, _solve = qw
    client = cast.client(cast.editor)
    first, second, version = _excluded_pair(client, selection_round)
    remove = url("exclusion_delete", 2024, first.pk, second.pk)
    assert cast.client(cast.outsider).post(remove, {**YES, "version": version}).status_code == 404
    assert second in first.excludes.all()
    page = client.get(url("candidates", 2024)).content.decode()
    form = page[page.index(f'action="{remove}"') :]
    assert f'<input type="hidden" name="version" value="{version}">' in form[: form.index("</form>")]
    assert client.post(remove, {**YES, "version": version}).status_code == 302
    assert not first.excludes.exists()


def _left_out_codes(solve):
    return [c["id"] for c in solve.report["candidates"] if not c["selected"]]


def test_a_left_out_candidate_is_explained_on_demand_to_members_only(cast, qw, monkeypatch, english):
    selection_round, _solve = qw
    monkeypatch.setattr(services, "STORED_DETAIL", 1)  # store the detail of one; the rest on demand
    cast.client(cast.editor).post(url("solve", 2024))
    solve = selection_round.solves.get(number=2)
    later = [c for c in solve.report["candidates"] if not c["selected"] and c["why_not"]["level"] == "summary"]
    assert later, "with one stored in detail, the others carry the summary"
    code = later[0]["id"]
    page = cast.client(cast.viewer).get(url("result", 2024, 2)).content.decode()
    assert f'href="{url("explain", 2024, 2, code)}"' in page and "What would bring it in?" in page
    for user in (cast.owner, cast.editor, cast.viewer, cast.mentor, cast.ministry):
        response = cast.client(user).get(url("explain", 2024, 2, code))
        assert response.status_code == 200, user
    assert "<html" in response.content.decode() and "Back to the result" in response.content.decode()
    assert cast.client(cast.outsider).get(url("explain", 2024, 2, code)).status_code == 404
    assert cast.client(None).get(url("explain", 2024, 2, code)).status_code == 302
    part = cast.client(cast.viewer).get(url("explain", 2024, 2, code), headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.content.decode()
    assert 'class="qw-explain"' in part.content.decode()


def test_the_on_demand_explanation_is_the_one_a_full_analysis_stores(cast, qw, english):
    from django.utils.html import escape

    from kotacerdas.quickwins.report import build, explain_candidate

    _round, solve = qw  # solve 1 stored every left-out candidate in detail
    page = cast.client(cast.viewer).get(url("result", 2024, 1)).content.decode()
    assert "What would bring it in?" not in page
    stored = {row.code: row for row in build(solve).left_out}
    for code in _left_out_codes(solve):
        _row, lines = explain_candidate(solve, code)
        assert stored[code].detailed and lines == stored[code].explanation and lines
    response = cast.client(cast.viewer).get(url("explain", 2024, 1, code), headers={"HX-Request": "true"})
    assert all(escape(line) in response.content.decode() for line in lines)


def test_explaining_a_chosen_or_unknown_candidate_is_not_found(cast, qw):
    _round, solve = qw
    assert cast.client(cast.viewer).get(url("explain", 2024, 1, solve.report["selection"][0])).status_code == 404
    assert cast.client(cast.viewer).get(url("explain", 2024, 1, "NO-SUCH")).status_code == 404
    assert cast.client(cast.viewer).get(url("explain", 2024, 9, _left_out_codes(solve)[0])).status_code == 404
