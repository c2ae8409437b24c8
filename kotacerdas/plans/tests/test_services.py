"""Plan services: validation with field names, frozen editions, optimistic locking, audit, review."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.audit.models import AuditEntry
from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.lib.concurrency import EditConflict, stored_version
from kotacerdas.plans import services
from kotacerdas.plans.models import Disposition, Programme, Section
from kotacerdas.plans.tests.factories import entry, make_edition, make_programme

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_new_edition_gets_the_chapter_template_and_the_default_taxonomy(cast):
    edition = make_edition(cast.region_a)
    assert edition.taxonomy.code == "kominfo-6"
    assert Section.objects.filter(edition=edition).count() == len(services.chapters())
    assert AuditEntry.objects.filter(object_type="plans.Edition", action="create").exists()


def test_an_edition_year_is_unique_per_plan(cast):
    make_edition(cast.region_a)
    assert "year" in errors_of(lambda: make_edition(cast.region_a))


def test_programme_refuses_foreign_agency_other_taxonomy_years_outside_and_a_bad_code(cast):
    edition = make_edition(cast.region_a)
    other_taxonomy = (
        FrameworkEntry.objects.exclude(framework=edition.taxonomy)
        .filter(framework__kind="taxonomy", parent__isnull=True)
        .first()
    )
    found = errors_of(lambda: make_programme(edition, "bad code", lead_opd=cast.opd_b, start_year=2024, end_year=2031))
    assert {"code", "lead_opd", "start_year", "end_year"} <= set(found)
    data = {"code": "X-1", "name": "x", "dimension": other_taxonomy, "start_year": 2025, "end_year": 2025}
    assert "dimension" in errors_of(lambda: services.create_programme(actor=None, edition=edition, data=data))
    mixed = {**data, "dimension": entry(edition, "GOV"), "element": entry(edition, "ENV-1")}
    assert "element" in errors_of(lambda: services.create_programme(actor=None, edition=edition, data=mixed))
    assert not Programme.objects.filter(edition=edition).exists()


def test_a_dependency_cycle_is_refused_with_the_codes_in_the_message(cast, plan):
    found = errors_of(
        lambda: services.update_programme(
            actor=None,
            programme=plan.first,
            data={"dependencies": [plan.second]},
            expected_version=stored_version(plan.first),
        )
    )
    assert "GOV-01" in found["dependencies"][0] and "ENV-01" in found["dependencies"][0]


def test_budget_lines_are_validated_with_their_row(cast, plan):
    lines = [
        {"year": 2025, "source": "apbd", "amount": 10},
        {"year": 2040, "source": "xyz", "amount": -1},
        {"year": 2025, "source": "apbd", "amount": 5},
    ]
    found = errors_of(
        lambda: services.set_budgets(
            actor=None, programme=plan.first, lines=lines, expected_version=stored_version(plan.first)
        )
    )
    assert {"budgets.1.year", "budgets.1.source", "budgets.1.amount", "budgets.2.year"} <= set(found)
    assert plan.first.budgets.count() == 1  # nothing changed


def test_a_stale_version_is_refused_and_nothing_is_written(cast, plan):
    stale = plan.first.version
    services.update_programme(actor=cast.owner, programme=plan.first, data={"name": "A"}, expected_version=stale)
    with pytest.raises(EditConflict):
        services.update_programme(actor=cast.editor, programme=plan.first, data={"name": "B"}, expected_version=stale)
    assert Programme.objects.get(pk=plan.first.pk).name == "A"


def test_every_programme_write_is_audited_with_the_whole_programme_before_and_after(cast, plan):
    services.set_budgets(
        actor=cast.editor,
        programme=plan.first,
        expected_version=stored_version(plan.first),
        lines=[{"year": 2026, "source": "dak", "amount": 7}],
    )
    audit = AuditEntry.objects.filter(object_type="plans.Programme", object_id=str(plan.first.pk)).first()
    assert audit.actor == cast.editor and audit.region == cast.region_a
    (line,) = audit.after["budgets"]
    assert audit.before["budgets"][0]["amount"] == 150_000_000
    assert line == {"id": line["id"], "year": 2026, "source": "dak", "amount": 7, "note": "", "sub_activity_code": ""}


def test_an_adopted_edition_is_frozen(cast, plan):
    edition = plan.edition
    for step in ("team_final", "dewan_endorsed", "head_approved"):
        services.record_approval(
            actor=cast.owner,
            edition=edition,
            step=step,
            decided_on=datetime.date(2024, 10, 1),
            acknowledge_errors=True,
            expected_version=stored_version(edition),
        )
    assert "adoption_number" in errors_of(
        lambda: services.record_approval(
            actor=cast.owner,
            edition=edition,
            step="adopted",
            decided_on=datetime.date(2024, 10, 2),
            expected_version=stored_version(edition),
        )
    )
    services.record_approval(
        actor=cast.owner,
        edition=edition,
        step="adopted",
        decided_on=datetime.date(2024, 10, 2),
        adoption={
            "adoption_instrument": "perwal",
            "adoption_number": "7/2024",
            "adoption_date": datetime.date(2024, 10, 2),
        },
        acknowledge_errors=True,
        expected_version=stored_version(edition),
    )
    edition.refresh_from_db()
    assert edition.is_frozen and edition.adopted_hash == services.fingerprint(edition)
    with pytest.raises(ValidationError):
        services.update_programme(
            actor=None, programme=plan.first, data={"name": "x"}, expected_version=stored_version(plan.first)
        )
    with pytest.raises(ValidationError):
        make_programme(edition, "GOV-09")
    with pytest.raises(ValidationError):
        services.record_approval(
            actor=None,
            edition=edition,
            step="adopted",
            decided_on=datetime.date(2024, 10, 3),
            expected_version=stored_version(edition),
        )


def test_approval_steps_follow_the_chain_in_order(cast, plan):
    found = errors_of(
        lambda: services.record_approval(
            actor=None,
            edition=plan.edition,
            step="head_approved",
            decided_on=datetime.date(2024, 1, 1),
            expected_version=stored_version(plan.edition),
        )
    )
    assert "step" in found
    services.record_approval(
        actor=None,
        edition=plan.edition,
        step="team_final",
        decided_on=datetime.date(2024, 5, 1),
        acknowledge_errors=True,
        expected_version=stored_version(plan.edition),
    )
    found = errors_of(
        lambda: services.record_approval(
            actor=None,
            edition=plan.edition,
            step="dewan_endorsed",
            decided_on=datetime.date(2024, 4, 1),
            expected_version=stored_version(plan.edition),
        )
    )
    assert "decided_on" in found


def test_a_review_edition_carries_everything_with_keep_dispositions(cast, plan):
    services.set_quick_win_years(
        actor=None, programme=plan.first, years=[2025], expected_version=stored_version(plan.first)
    )
    review = services.start_review_edition(
        actor=None, previous=plan.edition, data={"year": 2029, "title": "Review", "start_year": 2026, "end_year": 2030}
    )
    copies = {p.code: p for p in review.programmes.all()}
    assert set(copies) == {"GOV-01", "ENV-01"}
    first = copies["GOV-01"]
    assert first.lineage == plan.first.lineage and first.carried_from_id == plan.first.pk
    assert first.budgets.count() == 1 and first.indicators.get().targets.count() == 2
    assert first.quick_wins.count() == 0  # 2025 lies before the new period: quick wins are chosen again
    assert list(copies["ENV-01"].dependencies.all()) == [first]
    assert review.missions.count() == 1 and review.strategies.count() == 1
    assert set(Disposition.objects.filter(edition=review).values_list("kind", flat=True)) == {"keep"}


def test_dispositions_drop_merge_and_keep_move_the_carried_copy(cast, plan):
    review = services.start_review_edition(
        actor=None, previous=plan.edition, data={"year": 2029, "title": "R", "start_year": 2025, "end_year": 2029}
    )
    d = Disposition.objects.get(edition=review, previous_programme=plan.second)
    assert "rationale" in errors_of(
        lambda: services.set_disposition(
            actor=None, disposition=d, data={"kind": "drop"}, expected_version=stored_version(d)
        )
    )
    target = review.programmes.get(code="GOV-01")
    d = services.set_disposition(
        actor=None,
        disposition=d,
        expected_version=stored_version(d),
        data={"kind": "merge", "merged_into": target, "rationale": "Digabung"},
    )
    assert d.programme is None and not review.programmes.filter(code="ENV-01").exists()
    d = services.set_disposition(actor=None, disposition=d, data={"kind": "keep"}, expected_version=stored_version(d))
    assert review.programmes.filter(code="ENV-01").exists() and d.merged_into is None
    new = make_programme(review, "SOC-01", dimension="SOC")
    assert Disposition.objects.get(edition=review, programme=new).kind == "new"


def test_threads_anchor_to_one_section_or_programme_of_the_same_edition(cast, plan):
    section = plan.edition.sections.first()
    with pytest.raises(ValidationError):
        services.open_thread(actor=cast.mentor, edition=plan.edition, body="x", section=section, programme=plan.first)
    other = make_edition(cast.region_a, year=2030)
    with pytest.raises(ValidationError):
        services.open_thread(actor=cast.mentor, edition=other, body="x", programme=plan.first)
    thread = services.open_thread(actor=cast.mentor, edition=plan.edition, body="Cek target", programme=plan.first)
    thread = services.set_thread_status(actor=cast.editor, thread=thread, status="resolved", expected_version=1)
    assert thread.resolved_by == cast.editor
    with pytest.raises(ValidationError):
        services.set_thread_status(
            actor=cast.editor, thread=thread, status="resolved", expected_version=stored_version(thread)
        )


def test_section_states_follow_the_review_moves(cast, plan):
    section = plan.edition.sections.get(key="b1-gap")
    with pytest.raises(ValidationError):
        services.set_section_state(
            actor=None, section=section, state="revised", as_reviewer=False, expected_version=stored_version(section)
        )
    section = services.set_section_state(
        actor=None, section=section, state="reviewed", as_reviewer=True, expected_version=stored_version(section)
    )
    section = services.set_section_state(
        actor=None, section=section, state="revised", as_reviewer=False, expected_version=stored_version(section)
    )
    section = services.set_section_state(
        actor=None, section=section, state="endorsed", as_reviewer=True, expected_version=stored_version(section)
    )
    assert section.review_state == "endorsed"


def test_changing_the_period_cannot_strand_programmes(cast, plan):
    found = errors_of(
        lambda: services.update_edition(
            actor=None, edition=plan.edition, data={"start_year": 2026}, expected_version=stored_version(plan.edition)
        )
    )
    assert "start_year" in found


def test_the_bulk_and_the_per_instance_programme_data_agree(cast, plan):
    from kotacerdas.plans.serialise import programme_data, programme_documents, programmes_with_everything

    services.set_quick_win_years(
        actor=None, programme=plan.first, years=[2025], expected_version=stored_version(plan.first)
    )
    services.set_action_items(
        actor=None,
        programme=plan.first,
        expected_version=stored_version(plan.first),
        items=[
            {
                "activity": "b",
                "starts_on": datetime.date(2025, 3, 1),
                "ends_on": datetime.date(2025, 4, 1),
                "opd": cast.opd_a,
            },
            {"activity": "a", "starts_on": datetime.date(2025, 1, 1), "ends_on": datetime.date(2025, 2, 1)},
        ],
    )
    queryset = Programme.objects.filter(edition=plan.edition).order_by("code")
    assert programme_documents(queryset) == [programme_data(p) for p in programmes_with_everything(queryset)]
