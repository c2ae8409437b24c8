"""The rules a mentor applies (PC030–PC036), the text similarity behind PC034/PC036, grouped
findings and waivers, on small documents (pure Python, no database)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.plans.checks import RULES, apply_waivers, mentor, run_checks, text
from kotacerdas.plans.checks.groups import SHOWN_CODES
from kotacerdas.plans.tests.test_checks import document, programme


def findings(doc: dict[str, Any], rule: str) -> list[Any]:
    return [f for f in run_checks(doc).findings if f.rule == rule]


def many(n: int, dim: str = "GOV", **extra: Any) -> list[dict[str, Any]]:
    return [programme(f"{dim}-{k:02d}", dim, **extra) for k in range(1, n + 1)]


# PC030 / PC031: money -------------------------------------------------------------------------


def test_programmes_without_any_budget_are_counted_with_their_share():
    doc = document(
        programme("GOV-01", budgets=[]),
        programme("GOV-02", budgets=[{"year": 2025, "source": "apbd", "amount": 0}]),
        programme("ENV-01", "ENV"),
        programme("ENV-02", "ENV"),
    )
    found = findings(doc, "PC030")
    assert [f.programme for f in found] == ["GOV-01", "GOV-02"]  # no line, or lines adding up to zero
    (group,) = [g for g in run_checks(doc).groups() if g.rule == "PC030"]
    assert group.headline().render() == "2 of 4 programmes (50%) have no budget: GOV-01, GOV-02."


def test_an_amount_not_stated_is_not_a_missing_budget():
    doc = document(programme("GOV-01", budgets=[{"year": 2025, "source": "apbd", "amount": None}]))
    assert not findings(doc, "PC030")


def test_budget_lines_without_a_source_are_a_gap_not_an_unknown_source():
    p = programme(
        "GOV-01",
        budgets=[
            {"year": 2025, "source": None, "amount": 100},
            {"year": 2026, "source": "", "amount": 100},
            {"year": 2027, "source": "hibah", "amount": 100},
        ],
    )
    doc = document(p, programme("ENV-01", "ENV"))
    assert [f.params["year"] for f in findings(doc, "PC031")] == [2025, 2026]
    assert [f.params["source"] for f in findings(doc, "PC014")] == ["hibah"]


# PC032: dates inside a programme ----------------------------------------------------------------


def action(activity: str, starts: str, ends: str) -> dict[str, Any]:
    return {"activity": activity, "starts_on": starts, "ends_on": ends}


def test_action_items_outside_their_programmes_years():
    p = programme(
        "GOV-01",
        start_year=2026,
        end_year=2027,
        action_items=[
            action("inside", "2026-02-01", "2027-11-30"),
            action("too early", "2025-06-01", "2026-03-01"),
            action("too late", "2027-06-01", "2028-03-01"),
            action("outside the plan", "2031-01-01", "2031-02-01"),  # PC023's, not PC032's
        ],
    )
    doc = document(p, programme("ENV-01", "ENV"))
    found = findings(doc, "PC032")
    assert [f.params["activity"] for f in found] == ["too early", "too late"]
    assert found[0].path.endswith("action_items[1].starts_on") and found[1].path.endswith("action_items[2].ends_on")
    assert [f.params["activity"] for f in findings(doc, "PC023")] == ["outside the plan"]


def test_a_programme_without_stated_years_has_no_action_outside_them():
    p = programme("GOV-01", start_year=None, end_year=None, action_items=[action("a", "2026-01-01", "2026-02-01")])
    assert not findings(document(p, programme("ENV-01", "ENV")), "PC032")


def test_targets_outside_the_plan_period_are_reported_by_pc007():
    p = programme("GOV-01")
    p["indicators"][0]["targets"].append({"year": 2031, "value": "4"})
    assert any("Target year 2031" in f.text() for f in findings(document(p, programme("ENV-01", "ENV")), "PC007"))


# PC033 / PC005: ownership -----------------------------------------------------------------------


def test_one_agency_leading_more_than_half_of_the_programmes_is_concentration():
    doc = document(*many(4), *many(3, "ENV", lead_opd="DLH"))
    (found,) = findings(doc, "PC033")
    assert found.params == {"opd": "Kominfo", "count": 4, "total": 7, "share": 57, "limit": 50}
    assert found.subject == "Kominfo"
    # Exactly half is not "most"; a small plan is not judged.
    assert not findings(document(*many(3), *many(3, "ENV", lead_opd="DLH")), "PC033")
    assert not findings(document(*many(5)), "PC033")


def test_programmes_without_a_lead_agency_are_reported_even_when_not_stated():
    doc = document(programme("GOV-01", lead_opd=None), programme("ENV-01", "ENV", lead_opd=""))
    assert {f.programme for f in findings(doc, "PC005")} == {"GOV-01", "ENV-01"}


# PC034: same function -------------------------------------------------------------------------

STAFF_PERFORMANCE = [
    ("e-Kinerja", "Sistem informasi kinerja pegawai: pegawai mengisi capaian kerja harian untuk dasar tambahan."),
    (
        "Penilaian prestasi kerja ASN",
        "Aplikasi penilaian prestasi kerja ASN berbasis elektronik, terhubung dengan tunjangan pegawai.",
    ),
    (
        "Staff performance system",
        "Performance management system for civil servants linked to performance allowances (TPP).",
    ),
]
OTHERS = [
    ("SIMPEG", "Sistem informasi manajemen kepegawaian: data pegawai, mutasi, dan pensiun."),
    ("Aplikasi pengaduan masyarakat", "Aplikasi pengaduan masyarakat terpadu: warga melapor keluhan layanan publik."),
    ("Portal satu data", "Portal satu data: set data terbuka dari seluruh perangkat daerah."),
]


def test_three_staff_performance_systems_described_differently_are_one_function():
    progs = [
        programme(f"GOV-{k:02d}", name=name, description=description)
        for k, (name, description) in enumerate(STAFF_PERFORMANCE + OTHERS, start=1)
    ]
    (found,) = findings(document(*progs, programme("ENV-01", "ENV")), "PC034")
    assert found.params["codes"] == "GOV-01, GOV-02, GOV-03"
    assert found.programme == "GOV-01" and found.params["element"] == "GOV-1"


def test_the_same_function_in_another_element_or_without_a_description_is_not_overlap():
    a = programme("GOV-01", name=STAFF_PERFORMANCE[0][0], description=STAFF_PERFORMANCE[0][1])
    b = programme("GOV-02", name=STAFF_PERFORMANCE[0][0], description=STAFF_PERFORMANCE[0][1], element="GOV-2")
    c = programme("GOV-03", name=STAFF_PERFORMANCE[0][0], description="")
    assert not findings(document(a, b, c, programme("ENV-01", "ENV")), "PC034")


words = st.text(alphabet="abcdeilmnoprstuy ", min_size=0, max_size=60)


@settings(max_examples=150, deadline=None)
@given(words, words)
def test_similarity_is_symmetric_and_between_zero_and_one(a, b):
    assert text.similarity(a, b) == text.similarity(b, a)
    assert 0.0 <= text.similarity(a, b) <= 1.0


@settings(max_examples=150, deadline=None)
@given(words)
def test_a_text_is_fully_similar_to_itself_when_it_has_content_words(a):
    expected = 1.0 if text.tokens(a) else 0.0
    assert abs(text.similarity(a, a) - expected) < 1e-9


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["sampah", "jalan", "pasar", "sekolah", "bencana"]), min_size=1, max_size=5))
def test_texts_with_no_word_in_common_are_not_similar(chosen):
    other = ["kinerja", "pegawai", "wisata", "parkir", "irigasi"]
    assert text.similarity(" ".join(chosen), " ".join(other)) == 0.0


def test_tokens_normalise_indonesian_affixes_synonyms_and_stopwords():
    assert text.tokens("Pelayanan dan layanan") == ["layan", "layan"]
    assert text.tokens("kepegawaian ASN staff") == ["gawai", "gawai", "gawai"]
    assert text.tokens(None) == []
    assert text.tokens("yang dan di kota program") == []


# PC035 / PC036: balance -----------------------------------------------------------------------


def test_a_dimension_with_very_few_programmes_relative_to_the_others():
    doc = document(*many(6), programme("ENV-01", "ENV"))
    doc["taxonomy"]["dimensions"].append({"code": "ECO", "elements": [{"code": "ECO-1"}]})
    doc["programmes"] += many(4, "ECO", element="ECO-1")
    doc["strategies"].append({"code": "S-ECO", "dimension": "ECO"})
    found = findings(doc, "PC035")
    assert [f.dimension for f in found] == ["ENV"]
    assert found[0].params == {"dimension": "ENV", "count": 1, "median": 5.0}
    # Two programmes against a median of five: not "very few" (a third or less).
    doc["programmes"].append(programme("ENV-02", "ENV"))
    assert not findings(doc, "PC035")


def test_vision_keywords_no_programme_takes_up():
    doc = document(
        programme("GOV-01", name="Mal pelayanan publik", description="Layanan perizinan terpadu"),
        programme("ENV-01", "ENV", name="Bank sampah", description="Sampah dipilah warga"),
        vision_keywords=["melayani", "hijau", "Perdagangan dan jasa", 7],
    )
    found = findings(doc, "PC036")
    assert [f.params["keyword"] for f in found] == ["hijau", "Perdagangan dan jasa"]
    assert found[0].subject == "hijau"
    assert not findings(document(vision_keywords=None), "PC036")


# Properties of the new rules ------------------------------------------------------------------

mentor_keys = st.sampled_from(
    ["name", "description", "problem", "action_items", "budgets", "lead_opd", "element", "start_year", "end_year"]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(mentor_keys, json_values, max_size=6), json_values)
def test_the_mentor_rules_never_crash_on_odd_documents(junk, keywords):
    doc = document()
    doc["programmes"][0].update(junk)
    doc["edition"]["vision_keywords"] = keywords
    report = run_checks(doc)
    assert all(f.rule in RULES for f in report.findings)
    report.as_dict()


def test_every_mentor_rule_is_run_and_catalogued():
    assert {c.__name__ for c in mentor.CHECKS} == {
        "unfunded",
        "unsourced",
        "actions_in_years",
        "concentration",
        "same_function",
        "balance",
        "vision_carried",
    }
    assert {f"PC03{n}" for n in range(7)} <= set(RULES)


# Grouping and waivers (pure) ------------------------------------------------------------------


def test_findings_of_one_rule_are_grouped_sorted_and_truncated_on_screen():
    doc = document(*many(12, indicators=[]), programme("ENV-01", "ENV", lead_opd=None))
    groups = run_checks(doc).groups()
    assert [g.rule for g in groups][:2] == ["PC005", "PC011"]  # errors, then by first programme: ENV-01 < GOV-01
    indicator = groups[1]
    assert indicator.count == 12 and indicator.codes == [f"GOV-{k:02d}" for k in range(1, 13)]
    shown = indicator.headline().render()
    assert shown.startswith("12 programmes have no indicator: GOV-01, GOV-02") and shown.endswith("and 4 more.")
    assert len(indicator.codes) - SHOWN_CODES == 4
    assert "GOV-12" in indicator.headline(limit=None).render()
    # A group of one says the finding itself.
    assert groups[0].headline().render() == "Programme ENV-01 has no lead agency."


def test_the_json_keeps_every_finding_and_adds_the_groups():
    report = run_checks(document(*many(3, indicators=[]), programme("ENV-01", "ENV")))
    data = report.as_dict()
    (group,) = [g for g in data["groups"] if g["rule"] == "PC011"]
    assert group["count"] == 3 and [data["findings"][n]["programme"] for n in group["findings"]] == [
        "GOV-01",
        "GOV-02",
        "GOV-03",
    ]
    assert sum(g["count"] for g in data["groups"]) == len(data["findings"])


def test_a_waiver_moves_the_findings_of_its_rule_and_subject_apart():
    report = run_checks(document(*many(3, indicators=[]), programme("ENV-01", "ENV")))
    waiver = {"id": 1, "version": 1, "reason": "Indikator di Renstra", "by": "Mentor", "at": "2026-12-05T08:00:00"}
    waived = apply_waivers(report, {("PC011", "GOV-02"): waiver})
    assert [f.programme for f in waived.findings if f.rule == "PC011"] == ["GOV-01", "GOV-03"]
    assert [(f.programme, f.waiver) for f in waived.waived] == [("GOV-02", waiver)]
    assert waived.counts()["error"] == report.counts()["error"] - 1
    assert waived.as_dict()["waived"][0]["waiver"]["reason"] == "Indikator di Renstra"


def test_a_real_sized_plan_reads_in_a_handful_of_lines():
    """A 21-programme plan written as real plans are (issue 18): most programmes without an
    indicator, some without a budget or a funding source, one agency leading most, three
    staff-performance systems. Its first screen is one line per group, not one per finding."""
    texts = STAFF_PERFORMANCE + OTHERS
    texts += [
        (f"Layanan {word}", f"Layanan {word} untuk warga")
        for word in (
            [
                "perizinan",
                "kependudukan",
                "pajak",
                "parkir",
                "pasar",
                "sekolah",
                "puskesmas",
                "pertanian",
                "irigasi",
                "air",
                "sampah",
                "angkutan",
            ]
        )
    ]
    progs = [
        programme(
            f"GOV-{k:02d}",
            name=name,
            description=description,
            indicators=[],
            budgets=[] if k % 4 == 0 else [{"year": 2025, "source": None, "amount": 100}],
        )
        for k, (name, description) in enumerate(texts, start=1)
    ]
    green = [
        ("Bank sampah", "Pengelolaan sampah rumah tangga di kelurahan"),
        ("Ruang terbuka hijau", "Taman dan hutan kota"),
        ("Pemantauan kualitas udara", "Sensor udara di simpang utama"),
    ]
    progs += [
        programme(f"ENV-{k:02d}", "ENV", lead_opd="DLH", name=n, description=d, end_year=2025, horizon="short")
        for k, (n, d) in enumerate(green, start=1)
    ]
    doc = document(*progs, vision_keywords=["kinerja", "hijau"])
    report = run_checks(doc)
    assert len(doc["programmes"]) == 21 and len(report.findings) >= 35
    groups = report.groups()
    lines = [g.headline().render() for g in groups]
    assert len(groups) <= 8, lines
    assert (
        "18 programmes have no indicator: GOV-01, GOV-02, GOV-03, GOV-04, GOV-05, GOV-06, GOV-07, GOV-08 and 10 more."
        in lines
    )
    assert any(line.startswith("Kominfo leads 18 of 21 programmes (86%)") for line in lines)
    assert any("describe the same function" in line and "GOV-01, GOV-02, GOV-03" in line for line in lines)
    assert any(line.startswith("4 of 21 programmes (19%) have no budget") for line in lines)
    assert any(line.startswith("14 budget lines name no funding source") for line in lines)
    assert [g.severity for g in groups] == sorted((g.severity for g in groups), reverse=True)
