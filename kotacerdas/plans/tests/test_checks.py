"""The plan check: each rule on a small document, and properties that hold for any document."""

from __future__ import annotations

import ast
import copy
import itertools
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.plans.checks import RULES, Severity, run_checks
from kotacerdas.plans.checks.graphs import find_cycle
from kotacerdas.plans.checks.names import similarity

DIMS = ["GOV", "ENV"]


def programme(code: str, dim: str = "GOV", **extra: Any) -> dict[str, Any]:
    p = {
        "code": code,
        "dimension": dim,
        "element": f"{dim}-1",
        "strategy": f"S-{dim}",
        "name": f"Programme {code}",
        "lead_opd": "Kominfo",
        "supporting_opds": [],
        "horizon": "medium",
        "start_year": 2025,
        "end_year": 2027,
        "status": "planned",
        "rpjmd_programme": "RPJMD",
        "permendagri_code": "2.16.02",
        "spbe_indicator": "",
        "dependencies": [],
        "quick_win_years": [],
        "budgets": [{"year": 2025, "source": "apbd", "amount": 100}],
        "indicators": [
            {
                "name": "i",
                "unit": "%",
                "direction": "higher",
                "baseline": "1",
                "data_producer": "Kominfo",
                "targets": [{"year": 2025, "value": "2"}, {"year": 2026, "value": "3"}],
            }
        ],
        "action_items": [],
    }
    p.update(extra)
    return p


def document(*programmes: dict[str, Any], **edition: Any) -> dict[str, Any]:
    return {
        "edition": {
            "year": 2024,
            "start_year": 2025,
            "end_year": 2029,
            "quick_win_limit": 2,
            "rpjmd_min_share": 50,
            **edition,
        },
        "taxonomy": {"dimensions": [{"code": d, "elements": [{"code": f"{d}-1"}]} for d in DIMS]},
        "opds": [
            {"abbreviation": "Kominfo", "valid_from": "2017-01-01", "valid_to": None},
            {"abbreviation": "DLH", "valid_from": "2017-01-01", "valid_to": "2025-12-31"},
        ],
        "strategies": [{"code": f"S-{d}", "dimension": d} for d in DIMS],
        "waivers": [],
        "programmes": list(programmes) or [programme("GOV-01"), programme("ENV-01", "ENV")],
        "dispositions": [],
    }


def rules_of(doc: dict[str, Any]) -> set[str]:
    return {f.rule for f in run_checks(doc).findings}


def test_a_sound_plan_has_no_findings():
    assert run_checks(document()).findings == []


def test_every_dimension_needs_a_strategy_and_a_programme():
    doc = document(programme("GOV-01"))
    doc["strategies"] = doc["strategies"][:1]
    found = run_checks(doc).findings
    assert {(f.rule, f.dimension) for f in found} >= {("PC001", "ENV"), ("PC002", "ENV")}


def test_an_uncovered_element_is_a_finding_unless_waived_with_a_reason():
    doc = document()
    doc["taxonomy"]["dimensions"][0]["elements"].append({"code": "GOV-2"})
    assert "PC003" in rules_of(doc)
    doc["waivers"] = [{"element": "GOV-2", "reason": ""}]
    assert "PC003" in rules_of(doc)
    doc["waivers"] = [{"element": "GOV-2", "reason": "Sudah ditangani provinsi"}]
    assert "PC003" not in rules_of(doc)


def test_unknown_codes_and_an_element_of_another_dimension():
    doc = document(programme("GOV-01", element="ENV-1"), programme("ENV-01", "ENV", element="XXX-9"))
    messages = [f.text() for f in run_checks(doc).findings if f.rule == "PC004"]
    assert any("belongs to dimension ENV" in m for m in messages) and any("XXX-9" in m for m in messages)


def test_lead_agency_must_exist_during_the_programme():
    doc = document(programme("GOV-01", lead_opd=None), programme("ENV-01", "ENV", lead_opd="DLH", end_year=2027))
    found = {(f.rule, f.programme) for f in run_checks(doc).findings}
    assert ("PC005", "GOV-01") in found and ("PC006", "ENV-01") in found
    doc["programmes"][1]["end_year"] = 2025
    assert ("PC006", "ENV-01") not in {(f.rule, f.programme) for f in run_checks(doc).findings}


def test_years_budgets_and_targets_outside_the_period():
    p = programme("GOV-01", start_year=2024)
    p["budgets"].append({"year": 2031, "source": "apbd", "amount": 5})
    found = [f for f in run_checks(document(p, programme("ENV-01", "ENV"))).findings if f.rule == "PC007"]
    assert {f.path for f in found} == {"$.programmes[0].start_year", "$.programmes[0].budgets[1].year"}


def test_horizon_must_agree_with_the_years():
    assert "PC008" in rules_of(document(programme("GOV-01", horizon="short"), programme("ENV-01", "ENV")))
    assert "PC008" in rules_of(document(programme("GOV-01", horizon="long"), programme("ENV-01", "ENV")))


def test_quick_wins_sit_in_their_first_year_and_respect_the_count():
    late = programme("GOV-01", quick_win_years=[2026])
    assert "PC009" in rules_of(document(late, programme("ENV-01", "ENV")))
    many = [
        programme(f"GOV-0{n}", horizon="short", start_year=2025, end_year=2025, quick_win_years=[2025])
        for n in range(1, 4)
    ]
    found = [f for f in run_checks(document(*many, programme("ENV-01", "ENV"))).findings if f.rule == "PC010"]
    assert len(found) == 1 and "3" in found[0].text()


def test_indicators_need_a_baseline_targets_and_the_right_direction():
    p = programme("GOV-01")
    p["indicators"][0]["direction"] = "lower"
    assert "PC013" in rules_of(document(p, programme("ENV-01", "ENV")))
    q = programme("GOV-02", indicators=[])
    r = programme("ENV-01", "ENV")
    r["indicators"][0].update(baseline=None, targets=[], data_producer=None)
    found = {(f.rule, f.programme) for f in run_checks(document(q, r)).findings}
    assert ("PC011", "GOV-02") in found and ("PC012", "ENV-01") in found


def test_budget_lines_must_be_whole_non_negative_known_and_single():
    p = programme(
        "GOV-01",
        budgets=[
            {"year": 2025, "source": "apbd", "amount": -1},
            {"year": 2025, "source": "apbd", "amount": 1},
            {"year": 2026, "source": "hibah", "amount": 1},
        ],
    )
    messages = [f.text() for f in run_checks(document(p, programme("ENV-01", "ENV"))).findings if f.rule == "PC014"]
    assert len(messages) == 3


def test_dependency_cycles_order_and_unknown_targets():
    a = programme("GOV-01", dependencies=["ENV-01"])
    b = programme("ENV-01", "ENV", dependencies=["GOV-01", "NOPE"], start_year=2024)
    found = run_checks(document(a, b)).findings
    cycle = next(f for f in found if f.rule == "PC015")
    assert "GOV-01" in cycle.text() and "ENV-01" in cycle.text()
    assert any(f.rule == "PC016" and "NOPE" in f.text() for f in found)
    a2 = programme("GOV-01", start_year=2025)
    b2 = programme("ENV-01", "ENV", dependencies=["GOV-01"], start_year=2026, end_year=2027)
    assert "PC016" not in rules_of(document(a2, b2))
    b2["start_year"] = 2025
    a2["start_year"] = 2026
    assert "PC016" in rules_of(document(a2, b2))


def test_code_formats_and_duplicates():
    p = programme("GOV-01", permendagri_code="2.16", spbe_indicator="48")
    q = programme("GOV-01")
    r = programme("ENV-01", "GOV")
    found = list(run_checks(document(p, q, r)).findings)
    assert sum(1 for f in found if f.rule == "PC017") == 3
    assert any(f.rule == "PC021" and f.programme == "ENV-01" for f in found)
    for good in ("2.16.02", "2.16.02.2.01", "2.16.02.2.01.0001", "X.XX.01"):
        assert "PC017" not in rules_of(document(programme("GOV-01", permendagri_code=good), programme("ENV-01", "ENV")))


def test_share_of_programmes_linked_to_the_rpjmd():
    doc = document(programme("GOV-01", rpjmd_programme=""), programme("ENV-01", "ENV", rpjmd_programme=""))
    finding = next(f for f in run_checks(doc).findings if f.rule == "PC018")
    assert finding.params["share"] == 0 and finding.severity == Severity.WARNING


def test_near_duplicate_names():
    doc = document(
        programme("GOV-01", name="Aplikasi pengaduan masyarakat"),
        programme("ENV-01", "ENV", name="Aplikasi Pengaduan Masyarakat!"),
    )
    assert "PC019" in rules_of(doc)
    assert similarity("Bank sampah digital", "Penerangan jalan tenaga surya") < 0.3


def test_dispositions_without_rationale():
    doc = document()
    doc["dispositions"] = [
        {"kind": "drop", "previous": {"code": "OLD-1"}, "rationale": ""},
        {"kind": "keep", "previous": {"code": "OLD-2"}, "rationale": ""},
    ]
    found = [f for f in run_checks(doc).findings if f.rule == "PC020"]
    assert len(found) == 1 and "OLD-1" in found[0].text()


def test_every_rule_has_an_explanation_and_the_package_imports_no_django():
    assert all(r.title and r.explanation for r in RULES.values())
    for path in Path(__file__).resolve().parents[1].joinpath("checks").glob("*.py"):
        tree = ast.parse(path.read_text())
        names = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not any(name.startswith("django") for name in names), path


# Properties -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
keys = st.sampled_from(
    [
        "code",
        "dimension",
        "element",
        "start_year",
        "end_year",
        "budgets",
        "indicators",
        "horizon",
        "lead_opd",
        "dependencies",
        "quick_win_years",
        "targets",
        "amount",
        "year",
        "direction",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=8), st.integers(0, 3))
def test_the_check_never_crashes_on_odd_documents(junk, where):
    doc = document()
    target = [doc["programmes"][0], doc["programmes"][0]["indicators"][0], doc["edition"], doc][where]
    target.update(junk)
    report = run_checks(doc)
    assert all(f.rule in RULES for f in report.findings)
    report.as_dict()  # every message renders


@st.composite
def graphs(draw):
    nodes = list(range(draw(st.integers(1, 8))))
    edges = {n: draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True)) for n in nodes}
    return edges


def has_cycle_brute_force(edges):
    nodes = list(edges)
    for size in range(1, len(nodes) + 1):
        for perm in itertools.permutations(nodes, size):
            if all(perm[(i + 1) % size] in edges[perm[i]] for i in range(size)):
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_find_cycle_finds_a_real_cycle_exactly_when_there_is_one(edges):
    cycle = find_cycle(edges)
    assert bool(cycle) == has_cycle_brute_force(edges)
    for i, node in enumerate(cycle):
        assert cycle[(i + 1) % len(cycle)] in edges[node]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 100), min_size=1, max_size=6), st.sampled_from(["higher", "lower"]))
def test_targets_are_flagged_exactly_when_they_step_against_the_direction(values, direction):
    p = programme("GOV-01")
    p["indicators"][0].update(
        direction=direction,
        baseline=str(values[0]),
        targets=[{"year": 2025 + k, "value": str(v)} for k, v in enumerate(values[1:])],
    )
    flagged = any(
        f.rule == "PC013" and "against" in f.message
        for f in run_checks(document(p, programme("ENV-01", "ENV"))).findings
    )
    sign = 1 if direction == "higher" else -1
    wrong = any((b - a) * sign < 0 for a, b in itertools.pairwise(values))
    assert flagged == wrong


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["GOV", "ENV"]), min_size=1, max_size=10), st.integers(1, 4))
def test_the_quick_win_count_rule_fires_exactly_above_the_limit(dims, limit):
    progs = [
        programme(f"{d}-{n:02d}", d, horizon="short", start_year=2025, end_year=2025, quick_win_years=[2025])
        for n, d in enumerate(dims)
    ]
    doc = document(*progs, quick_win_limit=limit)
    assert ("PC010" in rules_of(doc)) == (len(dims) > limit)


def test_findings_do_not_depend_on_document_copies():
    doc = document()
    assert run_checks(copy.deepcopy(doc)).as_dict() == run_checks(doc).as_dict()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="abc de", max_size=12), max_size=8))
def test_the_near_duplicate_index_finds_the_same_pairs_as_comparing_every_pair(names):
    from kotacerdas.plans.checks.names import NEAR_DUPLICATE, near_duplicate_pairs

    brute = {
        (i, j)
        for i, j in itertools.combinations(range(len(names)), 2)
        if similarity(names[i], names[j]) >= NEAR_DUPLICATE
    }
    assert {(i, j) for i, j, _s in near_duplicate_pairs(names)} == brute
