"""Round services: validation with field names, nothing saved on error, audit on every write,
and the plan's quick-win flags set through the plan's own service."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services as plan_services
from kotacerdas.plans.models import Edition, Programme, QuickWinFlag
from kotacerdas.quickwins import selectors, services
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.models import Criterion, RoundStatus, Score
from kotacerdas.quickwins.tests.builders import make_round

pytestmark = pytest.mark.django_db


def test_the_round_exports_to_the_documented_file_format(cast):
    selection_round = make_round(cast.region_a, per_dimension=1)
    data = selectors.problem_data(selectors.load_round(selection_round))
    problem = parse_problem(data)
    assert [c.id for c in problem.candidates] == ["GOV-01", "BRD-01", "ECO-01", "LIV-01", "SOC-01", "ENV-01"]
    assert problem.candidates[0].costs[0].amount == Decimal(200_000_000)
    assert len(problem.evaluators) == 3 and problem.caps[0].amount == Decimal(3_000_000_000)
    assert [d.code for d in problem.dimensions] == ["GOV", "BRD", "ECO", "LIV", "SOC", "ENV"]


def test_a_budget_year_outside_the_plan_period_is_refused(cast):
    edition = make_round(cast.region_a, per_dimension=1).edition
    with pytest.raises(ValidationError) as caught:
        services.create_round(
            actor=cast.editor, region=cast.region_a, data={"edition": edition, "year": 2030, "budget_year": 2031}
        )
    assert "budget_year" in caught.value.error_dict


def test_an_edition_of_another_region_is_refused(cast):
    edition = make_round(cast.region_b, per_dimension=1).edition
    with pytest.raises(ValidationError) as caught:
        services.create_round(
            actor=cast.editor, region=cast.region_a, data={"edition": edition, "year": 2024, "budget_year": 2025}
        )
    assert "edition" in caught.value.error_dict


def test_scores_outside_the_scale_are_refused_and_nothing_is_saved(cast):
    selection_round = make_round(cast.region_a, per_dimension=1, evaluators=0)
    evaluator = services.add_evaluator(actor=cast.editor, selection_round=selection_round, name="X")
    candidate, criterion = selection_round.candidates.first(), selection_round.criteria.first()
    other = selection_round.criteria.last()
    with pytest.raises(ValidationError) as caught:
        services.save_scores(
            actor=cast.editor,
            evaluator=evaluator,
            values={(candidate.pk, criterion.pk): 4, (candidate.pk, other.pk): 6},
        )
    assert list(caught.value.error_dict) == [f"score_{candidate.pk}_{other.pk}"]
    assert not Score.objects.filter(evaluator=evaluator).exists()


def test_every_write_is_audited(cast):
    before = AuditEntry.objects.count()
    selection_round = make_round(cast.region_a, per_dimension=1, evaluators=1)
    # create round, caps, evaluator, its scores
    assert AuditEntry.objects.count() - before >= 4
    count = AuditEntry.objects.count()
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    assert AuditEntry.objects.filter(object_type="quickwins.Solve", object_id=str(solve.pk)).exists()
    assert AuditEntry.objects.count() > count


def test_pairwise_judgements_outside_saatys_scale_are_refused(cast):
    selection_round = make_round(cast.region_a, per_dimension=1, evaluators=0)
    codes = list(selection_round.criteria.values_list("code", flat=True))
    judgements = {f"{a}|{b}": "1" for i, a in enumerate(codes) for b in codes[i + 1 :]}
    judgements[f"{codes[0]}|{codes[1]}"] = "10"
    judgements[f"{codes[0]}|{codes[2]}"] = "-1"
    with pytest.raises(ValidationError) as caught:
        services.set_pairwise(
            actor=cast.editor,
            selection_round=selection_round,
            judgements=judgements,
            expected_version=stored_version(selection_round),
        )
    assert set(caught.value.error_dict) == {f"{codes[0]}|{codes[1]}", f"{codes[0]}|{codes[2]}"}
    selection_round.refresh_from_db()
    assert selection_round.weight_mode == "direct" and selection_round.pairwise == {}


def test_a_stale_version_is_refused(cast):
    from kotacerdas.lib.concurrency import EditConflict

    selection_round = make_round(cast.region_a, per_dimension=1, evaluators=0)
    with pytest.raises(EditConflict):
        services.update_round(
            actor=cast.editor,
            selection_round=selection_round,
            data={"title": "x"},
            expected_version=selection_round.version - 1,
        )


def test_changing_the_scale_below_given_scores_is_refused(cast):
    selection_round = make_round(cast.region_a, per_dimension=1)
    with pytest.raises(ValidationError) as caught:
        services.update_round(
            actor=cast.editor,
            selection_round=selection_round,
            data={"scale_max": 3},
            expected_version=stored_version(selection_round),
        )
    assert "scale_max" in caught.value.error_dict


def test_deleting_a_criterion_removes_its_scores(cast):
    selection_round = make_round(cast.region_a, per_dimension=1)
    criteria = list(selection_round.criteria.all())
    rows = [
        {"id": c.pk, "code": c.code, "name": c.name, "direction": c.direction, "weight": c.weight, "delete": n == 0}
        for n, c in enumerate(criteria)
    ]
    services.set_criteria(
        actor=cast.editor, selection_round=selection_round, rows=rows, expected_version=stored_version(selection_round)
    )
    assert not Criterion.objects.filter(pk=criteria[0].pk).exists()
    assert not Score.objects.filter(criterion_id=criteria[0].pk).exists()


def test_confirming_replaces_the_years_quick_wins_and_keeps_other_years(cast):
    selection_round = make_round(cast.region_a, per_dimension=2)
    edition = selection_round.edition
    manual = Programme.objects.get(edition=edition, code="GOV-02")
    plan_services.set_quick_win_years(
        actor=None, programme=manual, years=[2025, 2026], expected_version=stored_version(manual)
    )
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    assert "GOV-02" not in solve.chosen_codes
    services.confirm_selection(actor=cast.editor, solve=solve, expected_version=stored_version(solve.round))
    flags = QuickWinFlag.objects.filter(programme__edition=edition)
    assert set(flags.filter(year=2025).values_list("programme__code", flat=True)) == set(solve.chosen_codes)
    assert list(flags.filter(programme=manual).values_list("year", flat=True)) == [2026]
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.CONFIRMED
    with pytest.raises(ValidationError):
        services.add_evaluator(actor=cast.editor, selection_round=selection_round, name="Too late")


def test_an_infeasible_round_is_recorded_with_its_explanation(cast):
    selection_round = make_round(cast.region_a, per_dimension=1, cap=500_000_000)
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    assert solve.status == "infeasible" and solve.objective is None
    texts = [m["template"] for m in solve.report["infeasibility"]["explanation"]]
    assert "Even the cheapest choice meeting the minimum per dimension needs %(spend)s, above %(cap)s." in texts
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.OPEN


def test_quick_wins_are_chosen_on_an_adopted_edition_without_touching_its_programmes(cast):
    selection_round = make_round(cast.region_a, per_dimension=1)
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    Edition.objects.filter(pk=selection_round.edition_id).update(status="adopted")
    versions = dict(Programme.objects.filter(edition=selection_round.edition).values_list("code", "version"))
    services.confirm_selection(actor=cast.editor, solve=solve, expected_version=stored_version(solve.round))
    flagged = QuickWinFlag.objects.filter(year=2025).values_list("programme__code", flat=True)
    assert sorted(flagged) == sorted(solve.chosen_codes)
    assert dict(Programme.objects.filter(edition=selection_round.edition).values_list("code", "version")) == versions
    entry = AuditEntry.objects.filter(object_type="plans.Edition").latest("pk")
    assert entry.after == {"year": 2025, "quick_wins": sorted(solve.chosen_codes)}
    assert entry.actor == cast.editor
