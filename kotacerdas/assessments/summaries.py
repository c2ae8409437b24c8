"""Stored scores of accepted runs: what comparisons across regions read instead of rescoring.

An accepted run's answers no longer change (``save_answer`` refuses them) and a published
template's items and weights never change, so the scores computed when a run is accepted stay
true: :func:`store_scores` is called by ``review_answer`` in the transaction that accepts the run.
Runs accepted before the scores were stored are scored on their first read
(:func:`accepted_scores`), once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from kotacerdas.assessments.models import Run, RunScore


def store_scores(run_ids: Iterable[int]) -> dict[int, RunScore]:
    """Score the runs (a fixed number of queries however many) and store the result."""
    from kotacerdas.assessments.selectors import rescore

    ids = list(run_ids)
    if not ids:
        return {}
    trees = rescore(Run.objects.filter(pk__in=ids))
    regions = dict(Run.objects.filter(pk__in=ids).values_list("pk", "region_id"))
    now = timezone.now()
    rows = [
        RunScore(
            run_id=run_id,
            region_id=regions[run_id],
            overall=tree.score,
            sections={s.code: s.score for s in tree.children},
            components={e.code: e.score for s in tree.children for e in s.children},
            computed_at=now,
        )
        for run_id, tree in trees.items()
    ]
    RunScore.objects.filter(run_id__in=ids).delete()
    RunScore.objects.bulk_create(rows)
    return {r.run_id: r for r in rows}


def accepted_scores(run_ids: Iterable[int]) -> dict[int, RunScore]:
    """The stored scores of these accepted runs: one query, plus one scoring of those missing."""
    ids = list(run_ids)
    found = {s.run_id: s for s in RunScore.objects.filter(run_id__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        found.update(store_scores(missing))
    return found
