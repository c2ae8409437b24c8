"""The SIPD rules: PC037 (codes from the list of the plan's year), PC038 (codes the region requires)."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.frameworks import sipd
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import selectors, services
from kotacerdas.plans.checks import run_checks
from kotacerdas.plans.summaries import summary_of
from kotacerdas.regions import services as region_services

LIST = b"code,name\n2,U\n2.16,B\n2.16.03,P\n2.16.03.2.02,K\n2.16.03.2.02.0001,S1\n2.16.03.2.02.0002,S2\n"


def doc(**sipd_context: Any) -> dict[str, Any]:
    return {
        "edition": {"year": 2024, "start_year": 2025, "end_year": 2029},
        "programmes": [
            {
                "code": "GOV-01",
                "dimension": "GOV",
                "permendagri_code": "2.16.03",
                "budgets": [
                    {"year": 2025, "source": "apbd", "amount": 5, "sub_activity_code": "2.16.03.2.02.0001"},
                    {"year": 2026, "source": "apbd", "amount": 5, "sub_activity_code": "9.99.99.9.99.9999"},
                ],
            },
            {"code": "GOV-02", "dimension": "GOV", "permendagri_code": "2.16.04", "budgets": []},
            {"code": "GOV-03", "dimension": "GOV", "budgets": [{"year": 2025, "source": "apbd", "amount": 1}]},
        ],
        "sipd": sipd_context,
    }


def of(rule: str, document: dict[str, Any]) -> list[Any]:
    return [f for f in run_checks(document).findings if f.rule == rule]


def test_pc037_names_every_code_the_list_lacks_and_passes_the_others(english):
    found = of("PC037", doc(version="2024", known=["2.16.03", "2.16.03.2.02.0001"], required=False))
    assert sorted((f.programme, f.path) for f in found) == [
        ("GOV-01", "$.programmes[0].budgets[1].sub_activity_code"),
        ("GOV-02", "$.programmes[1].permendagri_code"),
    ]
    assert found[0].render() in {
        "Code 2.16.04 of programme GOV-02 is not in the SIPD code list 2024.",
        "Sub-activity code 9.99.99.9.99.9999 (budget 2026) is not in the SIPD code list 2024.",
    }


def test_pc037_is_silent_without_a_loaded_list_or_for_a_file_checked_alone(english):
    assert of("PC037", doc(version=None, known=[], required=False)) == []
    document = doc()
    del document["sipd"]
    assert of("PC037", document) == [] and of("PC038", document) == []


def test_pc038_fires_only_when_the_region_requires_codes(english):
    assert of("PC038", doc(version="2024", known=[], required=False)) == []
    (found,) = of("PC038", doc(version="2024", known=[], required=True))
    assert found.programme == "GOV-03" and found.path == "$.programmes[2].budgets[0].sub_activity_code"
    assert found.severity.label == "error"


@pytest.fixture
def listed(db: Any) -> None:
    sipd.load_sipd(actor=None, data=LIST, name="kode.csv", label="2024")


def test_the_stored_check_reads_the_list_of_the_editions_year_and_the_regions_setting(cast, plan, listed, english):
    first = services.update_programme(
        actor=None,
        programme=plan.first,
        data={"permendagri_code": "2.16.07"},
        expected_version=stored_version(plan.first),
    )
    services.set_budgets(
        actor=None,
        programme=first,
        lines=[{"year": 2025, "source": "apbd", "amount": 10, "sub_activity_code": "2.16.03.2.02.0002"}],
        expected_version=stored_version(first),
    )
    rules = [f.rule for f in selectors.plan_data(plan.edition).report.findings]
    assert rules.count("PC037") == 1 and "PC038" not in rules
    region = cast.region_a
    region_services.update_region(
        actor=cast.owner, region=region, data={"requires_sipd_codes": True}, expected_version=region.version
    )
    # ENV-01 has no budget line; GOV-01's line carries its code: nothing to require yet.
    assert "PC038" not in [f["rule"] for f in summary_of(plan.edition).findings]
    services.set_budgets(
        actor=None,
        programme=plan.second,
        lines=[{"year": 2025, "source": "apbd", "amount": 10}],
        expected_version=stored_version(plan.second),
    )
    found = [f for f in selectors.plan_data(plan.edition).report.findings if f.rule == "PC038"]
    assert [f.programme for f in found] == ["ENV-01"]


def test_loading_a_newer_list_makes_the_stored_check_stale(cast, plan, listed, english):
    services.update_programme(
        actor=None,
        programme=plan.first,
        data={"permendagri_code": "2.16.07"},
        expected_version=stored_version(plan.first),
    )
    assert [f.rule for f in selectors.plan_data(plan.edition).report.findings].count("PC037") == 1
    newer = LIST + b"2.16.07,P7\n"
    sipd.load_sipd(actor=None, data=newer, name="kode.csv", label="2024-rev1")
    assert "PC037" not in [f.rule for f in selectors.plan_data(plan.edition).report.findings]
