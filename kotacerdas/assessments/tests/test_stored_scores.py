"""Accepted runs keep the scores they were accepted with, and peer comparisons read those."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from kotacerdas.assessments import selectors, summaries
from kotacerdas.assessments.models import Answer, Run, RunScore
from kotacerdas.assessments.services import runs as services
from kotacerdas.assessments.tests.conftest import answer_all
from kotacerdas.assessments.tests.test_peers import _peer
from kotacerdas.lib.concurrency import stored_version

pytestmark = pytest.mark.django_db


def _accept(cast: Any, run: Run) -> Run:
    run = services.submit_run(actor=cast.editor, run=run, expected_version=stored_version(run))
    for answer in Answer.objects.filter(run=run).order_by("item__order"):
        services.review_answer(actor=cast.mentor, answer=answer, accept=True, expected_version=stored_version(answer))
    run.refresh_from_db()
    return run


def test_accepting_a_run_stores_its_scores_overall_per_section_and_component(cast, maturity):
    answer_all(maturity, cast.editor, level=4)
    assert not RunScore.objects.filter(run=maturity).exists()
    run = _accept(cast, maturity)
    assert run.status == "accepted"
    stored = RunScore.objects.get(run=run)
    tree = selectors.rescore(Run.objects.filter(pk=run.pk))[run.pk]
    assert stored.region_id == cast.region_a.pk
    assert stored.overall == pytest.approx(tree.score)
    assert stored.sections == {s.code: s.score for s in tree.children}
    assert stored.components == {e.code: e.score for s in tree.children for e in s.children}
    assert stored.sections and stored.components


def test_a_returned_run_stores_no_scores(cast, maturity):
    answer_all(maturity, cast.editor)
    run = services.submit_run(actor=cast.editor, run=maturity, expected_version=stored_version(maturity))
    answers = list(Answer.objects.filter(run=run).order_by("item__order"))
    services.review_answer(
        actor=cast.mentor,
        answer=answers[0],
        accept=False,
        comment="Lampirkan SK.",
        expected_version=stored_version(answers[0]),
    )
    for answer in answers[1:]:
        services.review_answer(actor=cast.mentor, answer=answer, accept=True, expected_version=stored_version(answer))
    assert not RunScore.objects.filter(run=run).exists()


def test_the_peer_comparison_reads_the_stored_scores_without_rescoring(cast, templates, monkeypatch):
    own = services.start_run(actor=None, region=cast.region_a, template=templates["maturity"], year=2024)
    for n, level in enumerate([3, 3, 4, 5, 5]):  # 50, 50, 75, 100, 100
        _peer(templates, n, level=level)
    peers = selectors.size_class_peers(own)  # runs accepted before scores were stored: filled once
    assert peers is not None and peers.overall == pytest.approx(75)
    assert RunScore.objects.count() == 5
    # From now on the stored figures are the truth: change them, forbid rescoring, and read again.
    RunScore.objects.update(overall=10.0, sections={"GOV": 10.0})
    monkeypatch.setattr(selectors, "rescore", lambda runs: pytest.fail("rescored on read"))
    monkeypatch.setattr(summaries, "store_scores", lambda ids: pytest.fail(f"rescored {ids} on read"))
    cache.clear()
    again = selectors.size_class_peers(own)
    assert again is not None and again.overall == pytest.approx(10) and again.sections == {"GOV": 10.0}


def test_scores_missing_for_old_accepted_runs_are_filled_once(cast, templates):
    region = _peer(templates, 0, level=4)
    run = Run.objects.get(region=region)
    first = summaries.accepted_scores([run.pk])
    assert first[run.pk].overall == pytest.approx(75)
    stamp = RunScore.objects.get(run=run).computed_at
    summaries.accepted_scores([run.pk])
    assert RunScore.objects.get(run=run).computed_at == stamp
