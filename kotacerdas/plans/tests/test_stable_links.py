"""Quick-win flags and programme links are updated in place: unchanged rows keep their ids
(issue 12, section 2)."""

from __future__ import annotations

import pytest

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import import_document
from kotacerdas.plans.models import Programme, QuickWinFlag

pytestmark = pytest.mark.django_db


def flag_ids(programme):
    return dict(QuickWinFlag.objects.filter(programme=programme).values_list("year", "pk"))


def link_ids(programme):
    support = Programme.supporting_opds.through.objects.filter(programme=programme)
    deps = Programme.dependencies.through.objects.filter(from_programme=programme)
    return sorted(support.values_list("pk", flat=True)), sorted(deps.values_list("pk", flat=True))


def set_years(programme, years):
    return services.set_quick_win_years(
        actor=None, programme=programme, years=years, expected_version=stored_version(programme)
    )


def test_saving_the_same_quick_win_years_keeps_every_flag_and_audits_no_change(plan):
    set_years(plan.first, [2025, 2026])
    ids = flag_ids(plan.first)
    set_years(plan.first, [2026, 2025])
    assert flag_ids(plan.first) == ids
    entry = AuditEntry.objects.filter(object_type="plans.Programme", object_id=str(plan.first.pk)).latest("pk")
    changed = {k for k in {*entry.before, *entry.after} if entry.before.get(k) != entry.after.get(k)}
    assert changed <= {"version", "updated_at"}


def test_changing_one_quick_win_year_keeps_the_other_flags(plan):
    set_years(plan.first, [2025, 2026])
    ids = flag_ids(plan.first)
    set_years(plan.first, [2026, 2027])
    after = flag_ids(plan.first)
    assert set(after) == {2026, 2027} and after[2026] == ids[2026] and after[2027] not in ids.values()


def test_a_year_selection_keeps_the_flags_of_programmes_still_chosen(plan):
    set_years(plan.first, [2025])
    kept = flag_ids(plan.first)[2025]
    services.set_year_quick_wins(actor=None, edition=plan.edition, year=2025, programmes=[plan.first, plan.second])
    assert flag_ids(plan.first)[2025] == kept and 2025 in flag_ids(plan.second)


def test_reimporting_an_unchanged_edition_keeps_flags_and_links(cast, plan):
    set_years(plan.first, [2025])
    before = {p.code: (flag_ids(p), link_ids(p)) for p in plan.edition.programmes.all()}
    assert any(links[1] for _flags, links in before.values()), "the plan has no dependency to keep"
    edition = import_document(actor=None, region=cast.region_a, doc=edition_document(plan.edition), replace=True)
    assert edition.pk == plan.edition.pk
    after = {p.code: (flag_ids(p), link_ids(p)) for p in edition.programmes.all()}
    assert after == before
