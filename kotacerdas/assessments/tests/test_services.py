"""Runs through the services: answers with evidence, two-stage validation, history, bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.assessments import selectors
from kotacerdas.assessments.models import Answer, AnswerRevision, Item, Run, Section, SwotEntry
from kotacerdas.assessments.services import runs as services
from kotacerdas.assessments.tests.conftest import answer_all
from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict, stored_version

pytestmark = pytest.mark.django_db


def _item(run: Run, code: str) -> Item:
    return Item.objects.get(template=run.template, code=code)


def _save(run, code, actor, **data):
    """Save as someone who just opened the page: at the answer's current version (None: no answer yet)."""
    slot, item = selectors.region_slot(run), _item(run, code)
    seen = Answer.objects.filter(assessor=slot, item=item).values_list("version", flat=True).first()
    return services.save_answer(actor=actor, run=run, assessor=slot, item=item, data=data, expected_version=seen)


def test_an_answer_keeps_who_answered_its_comment_evidence_and_history(cast, maturity):
    answer = _save(maturity, "GOV-1.1", cast.editor, value=2, comment="Baru portal OPD", evidence_link="https://x.id/a")
    assert answer.answered_by == cast.editor and answer.comment == "Baru portal OPD" and answer.has_evidence
    answer = services.save_answer(
        actor=cast.editor,
        run=maturity,
        assessor=answer.assessor,
        item=answer.item,
        data={"value": 3, "evidence_link": "https://x.id/a"},
        expected_version=answer.version,
    )
    values = [r.data["value"] for r in AnswerRevision.objects.filter(answer=answer)]
    assert values == ["2.00", "3.00"]
    assert AuditEntry.objects.filter(object_type="assessments.Answer", region=cast.region_a).count() == 2


def test_a_stale_edit_is_refused(cast, maturity):
    answer = _save(maturity, "GOV-1.1", cast.editor, value=2)
    _save(maturity, "GOV-1.1", cast.owner, value=3)
    with pytest.raises(EditConflict):
        services.save_answer(
            actor=cast.editor,
            run=maturity,
            assessor=answer.assessor,
            item=answer.item,
            data={"value": 4},
            expected_version=answer.version,
        )


@pytest.mark.parametrize(
    ("code", "data", "field"),
    [
        ("GOV-1.1", {"value": 6}, "value"),
        ("GOV-1.1", {"value": 2.5}, "value"),
        ("GOV-1.1", {"not_applicable": True}, "not_applicable"),
    ],
)
def test_out_of_scale_answers_are_refused_with_the_field_named(cast, maturity, code, data, field):
    with pytest.raises(ValidationError) as refused:
        _save(maturity, code, cast.editor, **data)
    assert field in refused.value.error_dict
    assert not Answer.objects.exists()


def test_a_choice_outside_the_scale_is_refused(cast, readiness):
    with pytest.raises(ValidationError) as refused:
        _save(readiness, "NAT-1", cast.editor, choice="Z")
    assert "choice" in refused.value.error_dict


def test_evidence_uploads_are_checked_for_size_and_type(cast, maturity, settings):
    fake_pdf = SimpleUploadedFile("bukti.pdf", b"MZ this is an exe", content_type="application/pdf")
    with pytest.raises(ValidationError, match="is not a PDF"):
        _save(maturity, "GOV-1.1", cast.editor, value=2, evidence_file=fake_pdf)
    png_named_pdf = SimpleUploadedFile("bukti.pdf", b"\x89PNG\r\n\x1a\n....", content_type="application/pdf")
    with pytest.raises(ValidationError, match="does not match"):
        _save(maturity, "GOV-1.1", cast.editor, value=2, evidence_file=png_named_pdf)
    settings.UPLOAD_MAX_BYTES = 10
    big = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 " + b"x" * 100, content_type="application/pdf")
    with pytest.raises(ValidationError, match="larger than"):
        _save(maturity, "GOV-1.1", cast.editor, value=2, evidence_file=big)
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    good = SimpleUploadedFile("Bukti rapat.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    answer = _save(maturity, "GOV-1.1", cast.editor, value=2, evidence_file=good)
    assert answer.evidence_file.name.startswith(f"assessments/{cast.region_a.pk}/")
    assert answer.evidence_file.name.endswith(".pdf") and "Bukti" not in answer.evidence_file.name
    assert answer.evidence_name == "Bukti rapat.pdf" == answer.evidence_filename


def test_submitting_needs_every_item_answered_and_required_evidence(cast, maturity):
    answer_all(maturity, cast.editor, link="")
    with pytest.raises(ValidationError) as refused:
        services.submit_run(actor=cast.editor, run=maturity, expected_version=stored_version(maturity))
    assert "GOV-1.1" in refused.value.error_dict and "needs evidence" in str(refused.value)
    maturity.refresh_from_db()
    assert maturity.status == "draft"


def test_two_stage_validation_returns_items_to_the_region_until_all_are_accepted(cast, maturity):
    answer_all(maturity, cast.editor)
    run = services.submit_run(actor=cast.editor, run=maturity, expected_version=maturity.version)
    assert run.status == "submitted"
    with pytest.raises(ValidationError, match="cannot change"):
        _save(run, "GOV-1.1", cast.editor, value=4, evidence_link="https://x.id")
    answers = list(Answer.objects.filter(run=run).order_by("item__order"))
    with pytest.raises(ValidationError) as refused:
        services.review_answer(
            actor=cast.mentor, answer=answers[0], accept=False, comment=" ", expected_version=answers[0].version
        )
    assert "review_comment" in refused.value.error_dict
    services.review_answer(
        actor=cast.mentor,
        answer=answers[0],
        accept=False,
        comment="Lampirkan SK portal.",
        expected_version=answers[0].version,
    )
    for answer in answers[1:]:
        services.review_answer(actor=cast.mentor, answer=answer, accept=True, expected_version=answer.version)
    run.refresh_from_db()
    assert run.status == "returned"
    # only the returned item can change; an accepted one stays as accepted
    with pytest.raises(ValidationError):
        _save(run, answers[1].item.code, cast.editor, value=5, evidence_link="https://x.id")
    _save(run, "GOV-1.1", cast.editor, value=3, evidence_link="https://x.id/sk.pdf")
    run = services.submit_run(actor=cast.editor, run=run, expected_version=stored_version(run))
    again = Answer.objects.get(run=run, item__code="GOV-1.1")
    assert again.review_state == "submitted"
    services.review_answer(actor=cast.ministry, answer=again, accept=True, expected_version=again.version)
    run.refresh_from_db()
    assert run.status == "accepted" and run.accepted_at is not None
    events = list(AnswerRevision.objects.filter(answer=again).values_list("event", flat=True))
    assert events == ["answered", "submitted", "returned", "answered", "submitted", "accepted"]


def test_panel_assessors_must_be_mentors_or_ministry_and_their_scores_combine(cast, templates):
    run = services.start_run(actor=cast.ministry, region=cast.region_a, template=templates["selection"], year=2019)
    with pytest.raises(ValidationError):
        services.assign_assessor(actor=cast.ministry, run=run, user=cast.outsider)
    with pytest.raises(ValidationError):
        services.assign_assessor(actor=cast.ministry, run=run, user=cast.editor)
    first = services.assign_assessor(actor=cast.ministry, run=run, user=cast.mentor)
    second = services.assign_assessor(actor=cast.ministry, run=run, user=cast.ministry)
    item = _item(run, "WAW-1")
    services.save_answer(
        actor=cast.mentor, run=run, assessor=first, item=item, data={"value": 2}, expected_version=None
    )
    services.save_answer(
        actor=cast.ministry,
        run=run,
        assessor=second,
        item=item,
        data={"value": 5},
        expected_version=None,
    )
    result = selectors.run_result(run)
    leaf = next(n for n in result.tree.walk() if n.code == "WAW-1")
    assert leaf.assessors == 2 and leaf.spread == 75 and leaf.median == 62.5
    assert leaf in result.disagreements


def test_swot_entries_belong_to_a_swot_section_and_are_audited(cast, readiness, maturity):
    nat = Section.objects.get(template=readiness.template, code="NAT")
    entry = services.add_swot(actor=cast.editor, run=readiness, section=nat, data={"quadrant": "S", "text": "Sawah"})
    assert AuditEntry.objects.filter(object_type="assessments.SwotEntry", action="create").exists()
    with pytest.raises(ValidationError):
        services.add_swot(actor=cast.editor, run=readiness, section=nat, data={"quadrant": "X", "text": "?"})
    gov = Section.objects.get(template=maturity.template, code="GOV")
    with pytest.raises(ValidationError):
        services.add_swot(actor=cast.editor, run=readiness, section=gov, data={"quadrant": "S", "text": "?"})
    services.remove_swot(actor=cast.editor, entry=entry, expected_version=1)
    assert not SwotEntry.objects.exists()


def test_gaps_rank_weakest_elements_and_targets_can_be_changed(cast, maturity):
    answer_all(maturity, cast.editor, level=3)
    _save(maturity, "ECO-2.1", cast.editor, value=1)
    result = selectors.run_result(maturity)
    assert result.gaps[0].code == "ECO-2" and (result.gaps[0].current, result.gaps[0].target) == (1, 2)
    services.set_targets(actor=cast.owner, run=maturity, targets={"GOV-1": 5}, expected_version=maturity.version)
    maturity.refresh_from_db()
    result = selectors.run_result(maturity)
    assert result.gaps[0].code == "GOV-1" and result.gaps[0].size == 2
    with pytest.raises(ValidationError):
        services.set_targets(
            actor=cast.owner, run=maturity, targets={"GOV-1": 7}, expected_version=stored_version(maturity)
        )
    proposal = services.propose_from_gap(
        actor=cast.editor,
        run=maturity,
        gap=result.gaps[0],
        dimension="GOV",
        kind="programme",
        note="",
        evidence=[{"item": "GOV-1.1", "link": "https://example.org/bukti.pdf"}],
    )
    assert proposal.region == cast.region_a and proposal.evidence[0]["item"] == "GOV-1.1"


def test_a_run_needs_a_published_template_and_a_sensible_year(cast, templates):
    template = templates["maturity"]
    with pytest.raises(ValidationError) as refused:
        services.start_run(actor=cast.owner, region=cast.region_a, template=template, year=1999)
    assert "year" in refused.value.error_dict
    template.status = "draft"
    template.save()
    with pytest.raises(ValidationError) as refused:
        services.start_run(actor=cast.owner, region=cast.region_a, template=template, year=2024)
    assert "template" in refused.value.error_dict


def test_rescoring_many_runs_at_once_matches_scoring_each(cast, maturity, readiness, django_assert_max_num_queries):
    answer_all(maturity, cast.editor, level=2)
    answer_all(readiness, cast.editor)
    with django_assert_max_num_queries(5):
        trees = selectors.rescore(Run.objects.filter(region=cast.region_a))
    for run in (maturity, readiness):
        assert trees[run.pk].score == pytest.approx(selectors.run_result(run).tree.score)
