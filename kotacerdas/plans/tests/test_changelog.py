"""The change log between two documents (pure): matching by lineage, field by field."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.plans.changelog import ADDED, CHANGED, REMOVED, changelog, summary
from kotacerdas.plans.tests.test_checks import document, programme


def with_lineage(doc):
    for n, p in enumerate(doc["programmes"]):
        p["lineage"] = f"lineage-{n}"
    return doc


def test_an_edition_compared_with_itself_has_no_changes():
    doc = with_lineage(document())
    assert changelog(doc, copy.deepcopy(doc)) == []


def test_changes_are_reported_field_by_field_and_follow_a_renamed_code():
    old = with_lineage(document())
    new = copy.deepcopy(old)
    new["programmes"][0]["code"] = "GOV-99"
    new["programmes"][0]["budgets"][0]["amount"] = 250
    new["edition"]["vision"] = "Visi baru"
    found = {(c.change, c.kind, c.key, c.field) for c in changelog(old, new)}
    assert (CHANGED, "programme", "GOV-99", "code") in found
    assert (CHANGED, "programme", "GOV-99", "budgets") in found
    assert (CHANGED, "edition", "2024", "vision") in found
    budget = next(c for c in changelog(old, new) if c.field == "budgets")
    assert budget.before == "2025 apbd 100" and budget.after == "2025 apbd 250"


def test_added_and_removed_programmes_and_missions():
    old = with_lineage(document())
    new = copy.deepcopy(old)
    new["programmes"].pop()
    new["programmes"].append(programme("GOV-02"))
    new["missions"] = [{"number": 1, "text": "Misi"}]
    found = {(c.change, c.kind, c.key) for c in changelog(old, new)}
    assert {(REMOVED, "programme", "ENV-01"), (ADDED, "programme", "GOV-02"), (ADDED, "mission", "1")} <= found
    assert summary(changelog(old, new))["programme"] == {ADDED: 1, REMOVED: 1, CHANGED: 0}


@settings(max_examples=100, deadline=None)
@given(st.sets(st.integers(0, 6)), st.sets(st.integers(0, 6)))
def test_what_is_added_one_way_is_removed_the_other_way(left, right):
    def doc(ids):
        return {"programmes": [dict(programme(f"P-{i}"), lineage=f"l{i}") for i in sorted(ids)]}

    forward = {(c.change, c.key) for c in changelog(doc(left), doc(right))}
    backward = {(c.change, c.key) for c in changelog(doc(right), doc(left))}
    assert {k for ch, k in forward if ch == ADDED} == {k for ch, k in backward if ch == REMOVED}
    assert {k for ch, k in forward if ch == ADDED} == {f"P-{i}" for i in right - left}
