"""Demo data of the master plan capability (issue 4) for Kota Solok. Invented content is stored with is_sample=True.

Public facts (solok.md): the plan was drafted in the 2019 cohort and adopted by Perwal in
February 2020; in 2024 Solok reviewed it with a mentor team from UGM; Perkim and DLH merged
into PerkimLH in 2025. Everything else (programmes, budgets, indicators, texts, comments, the
Perwal number) is invented, kept in ``plans/data/demo-solok.toml`` and flagged as sample data.

The 2019 edition is written through the importer (as a city drafting in Excel would) and then
adopted; the 2024 review is started from it and edited through the services, as in the browser,
leaving a few findings for the plan check to show.
"""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.interchange.importer import import_document
from kotacerdas.plans.interchange.schema import FORMAT, FORMAT_VERSION
from kotacerdas.plans.models import Disposition, Edition, Programme
from kotacerdas.regions.models import OPD, Region

DATA = Path(__file__).resolve().parent.parent / "plans" / "data" / "demo-solok.toml"
MENTOR = "Tenaga Ahli UGM (contoh)"
EDITOR = "Tim Pelaksana Kota Solok (contoh)"
VISION = "Solok Kota Beras yang cerdas: melayani, terhubung dan sejahtera melalui perdagangan dan jasa (contoh)"


def _data() -> dict[str, Any]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def _targets(indicator: dict[str, Any], years: range, baseline: float) -> dict[int, Any]:
    sign = -1 if indicator["direction"] == "lower" else 1
    return {y: max(0, baseline + sign * indicator["step"] * (k + 1)) for k, y in enumerate(years)}


def _programme_doc(spec: dict[str, Any], n: int) -> dict[str, Any]:
    """A programme of the sample table as an interchange-document programme."""
    start, end = spec["years"]
    years = range(start, end + 1)
    ind = spec["indicator"]
    lead = spec["lead"]
    amount = spec["millions"] * 1_000_000  # rupiah a year
    return {
        "code": spec["code"],
        "dimension": spec["code"][:3],
        "element": spec["element"],
        "strategy": f"S-{spec['code'][:3]}",
        "name": spec["name"],
        "description": spec.get("description", f"{spec['name']} (contoh program)."),
        "problem": "Contoh: masalah yang dijawab program ini.",
        "innovation_kind": spec["kind"],
        "lead_opd": lead,
        "supporting_opds": spec["supporting"],
        "partners": ["Universitas Andalas"] if spec["kind"] == "ict" and n % 3 == 0 else [],
        "horizon": spec["horizon"],
        "start_year": start,
        "end_year": end,
        "status": "planned",
        "rpjmd_programme": spec["rpjmd"],
        "renstra_ref": f"Renstra {lead}" if spec["rpjmd"] else "",
        "permendagri_code": spec["permendagri"],
        "spbe_indicator": str(5 + n % 40) if spec["kind"] == "ict" else "",
        "dependencies": [],
        "quick_win_years": [spec["quick_win"]] if "quick_win" in spec else [],
        "budgets": [
            {
                "year": y,
                "source": "dak" if (n + y) % 7 == 0 else "apbd",
                "amount": amount,
                "note": "",
            }
            for y in years
        ],
        "indicators": [
            {
                "name": ind["name"],
                "kind": "outcome" if n % 2 else "output",
                "unit": ind["unit"],
                "direction": ind["direction"],
                "baseline": str(ind["baseline"]),
                "baseline_year": start - 1,
                "data_producer": lead,
                "targets": [{"year": y, "value": str(v)} for y, v in _targets(ind, years, ind["baseline"]).items()],
            }
        ],
        "action_items": [
            {
                "activity": "Penyusunan kajian dan rencana teknis",
                "starts_on": f"{start}-02-01",
                "ends_on": f"{start}-04-30",
                "person_in_charge": f"Kepala {lead} (contoh)",
                "opd": lead,
                "output": "Dokumen rencana teknis",
            },
            {
                "activity": "Pelaksanaan dan sosialisasi",
                "starts_on": f"{start}-05-01",
                # actions_end: a sample finding (PC032), the roll-out planned past the programme
                "ends_on": f"{spec.get('actions_end', end)}-11-30",
                "person_in_charge": f"Kepala {lead} (contoh)",
                "opd": lead,
                "output": "Layanan berjalan",
            },
        ],
        "order": n,
        "is_sample": True,
    }


def document_2019(solok: Region, data: dict[str, Any]) -> dict[str, Any]:
    """The 2019 edition as an interchange document."""
    goals = data["goals"]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "region": {"code": solok.code, "name": solok.name, "kind": solok.kind},
        "edition": {
            "year": 2019,
            "title": "Masterplan Smart City Kota Solok 2019",
            "start_year": 2020,
            "end_year": 2029,
            "status": "draft",
            "previous_year": None,
            "vision": VISION,
            "vision_keywords": ["beras", "perdagangan", "jasa", "melayani", "terhubung"],
            "rpjmd_period": "2016–2021",
            "quick_win_limit": 6,
            "rpjmd_min_share": 60,
        },
        "taxonomy": {"code": "kominfo-6", "version": 1},
        "sections": [
            {"key": k, "book": 1 if k.startswith("b1") else 2, "title": "", "body": v, "review_state": "endorsed"}
            for k, v in data["sections"].items()
        ],
        "swot": [{"component": s["component"], "kind": s["kind"], "text": s["text"]} for s in data["swot"]],
        "missions": [{"number": m["number"], "text": m["text"], "rpjmd_mission": m["rpjmd"]} for m in data["missions"]],
        "goals": [{"code": f"G-{d}", "mission": g["mission"], "text": g["text"]} for d, g in goals.items()],
        "strategies": [
            {
                "code": f"S-{d}",
                "dimension": d,
                "element": None,
                "goal": f"G-{d}",
                "text": f"Strategi {d}: digitalisasi layanan dan penguatan kelembagaan (contoh).",
            }
            for d in goals
        ],
        "waivers": [],
        "programmes": [_programme_doc(spec, n) for n, spec in enumerate(data["programmes_2019"])],
        "dispositions": [],
    }


def _entry(edition: Edition, code: str) -> FrameworkEntry:
    return FrameworkEntry.objects.get(framework_id=edition.taxonomy_id, code=code)


def _move_carried(review: Edition, row: dict[str, Any], spec: dict[str, Any], opds: dict[str, OPD]) -> None:
    """Move a carried programme into the review period with budgets and targets for its new years."""
    programme = Programme.objects.get(edition=review, code=row["code"])
    start, end = row["years"]
    length = end - start + 1
    horizon = "short" if length <= 2 else "medium" if length <= 5 else "long"
    changes: dict[str, Any] = {"start_year": start, "end_year": end, "horizon": horizon, "status": "planned"}
    if "new_lead" in row:
        changes["lead_opd"] = opds[row["new_lead"]]
    if row["disposition"] == "revise":
        changes["name"] = f"{spec['name']} (revisi)"
    programme = services.update_programme(
        actor=None, programme=programme, data=changes, expected_version=stored_version(programme)
    )
    amount = Decimal(spec["millions"] * 1_000_000)
    lines = [{"year": y, "source": "apbd", "amount": amount, "note": ""} for y in range(start, end + 1)]
    programme = services.set_budgets(
        actor=None, programme=programme, lines=lines, expected_version=stored_version(programme)
    )
    # The review plans the carried programme's actions in its new years (the plan check flags
    # action plans left in the old period, rule PC023).
    lead = row.get("new_lead", spec["lead"])
    items = [
        {
            **item,
            "starts_on": datetime.date.fromisoformat(item["starts_on"]),
            "ends_on": datetime.date.fromisoformat(item["ends_on"]),
            "opd": opds[lead],
        }
        for item in _programme_doc(
            {**spec, "years": [start, end], "lead": lead, **{k: row[k] for k in ("actions_end",) if k in row}}, 0
        )["action_items"]
    ]
    programme = services.set_action_items(
        actor=None, programme=programme, items=items, expected_version=stored_version(programme)
    )
    ind = spec["indicator"]
    sign = -1 if ind["direction"] == "lower" else 1
    achieved = max(0, ind["baseline"] + sign * ind["step"] * 4)
    targets = _targets(ind, range(start, end + 1), achieved)
    if row["code"] == "ECO-06":
        targets[end] = achieved  # sample finding: the last target falls back to the baseline
    indicator = {
        "name": ind["name"],
        "kind": "outcome",
        "unit": ind["unit"],
        "direction": ind["direction"],
        "baseline": achieved,
        "baseline_year": 2024,
        "data_producer": opds.get(row.get("new_lead", spec["lead"])),
        "targets": targets,
    }
    services.set_indicators(
        actor=None, programme=programme, indicators=[indicator], expected_version=stored_version(programme)
    )


def _adopt_2019(original: Edition) -> None:
    for step, day, reference in [
        ("team_final", datetime.date(2019, 11, 29), "Berita acara Bimtek IV (contoh)"),
        ("dewan_endorsed", datetime.date(2019, 12, 16), "Notulen rapat Dewan Smart City (contoh)"),
        ("head_approved", datetime.date(2020, 1, 20), "Disposisi Wali Kota (contoh)"),
    ]:
        services.record_approval(
            actor=None,
            edition=original,
            step=step,
            decided_on=day,
            reference=reference,
            expected_version=stored_version(original),
            is_sample=True,
            acknowledge_errors=True,  # the 2019 plan went ahead with its findings (see the plan check)
        )
    services.record_approval(
        actor=None,
        edition=original,
        step="adopted",
        decided_on=datetime.date(2020, 2, 14),
        expected_version=stored_version(original),
        is_sample=True,
        acknowledge_errors=True,
        adoption={
            "adoption_instrument": "perwal",
            "adoption_number": "Perwal Nomor 5 Tahun 2020 (contoh)",
            "adoption_date": datetime.date(2020, 2, 14),
        },
    )


def _new_programme(review: Edition, spec: dict[str, Any], n: int, opds: dict[str, OPD]) -> None:
    doc = _programme_doc(spec, n)
    data = {
        **{k: doc[k] for k in ("code", "name", "description", "problem", "innovation_kind", "horizon", "start_year")},
        **{k: doc[k] for k in ("end_year", "rpjmd_programme", "permendagri_code", "spbe_indicator")},
        "dimension": _entry(review, doc["dimension"]),
        "element": _entry(review, doc["element"]),
        "lead_opd": opds[doc["lead_opd"]],
        "supporting_opds": [opds[o] for o in doc["supporting_opds"]],
        "strategy": review.strategies.get(code=f"S-{doc['dimension']}"),
    }
    programme = services.create_programme(actor=None, edition=review, data=data, is_sample=True)
    programme = services.set_budgets(
        actor=None, programme=programme, lines=doc["budgets"], expected_version=stored_version(programme)
    )
    if spec["code"] != "ENV-07":  # sample finding: a new programme still without an indicator
        indicators = [
            {**i, "data_producer": opds[i["data_producer"]], "targets": {t["year"]: t["value"] for t in i["targets"]}}
            for i in doc["indicators"]
        ]
        programme = services.set_indicators(
            actor=None, programme=programme, indicators=indicators, expected_version=stored_version(programme)
        )
    if doc["quick_win_years"]:
        services.set_quick_win_years(
            actor=None, programme=programme, years=doc["quick_win_years"], expected_version=stored_version(programme)
        )


def _comments(review: Edition, data: dict[str, Any]) -> None:
    sections = {s.key: s for s in review.sections.all()}
    for key in ("b1-introduction", "b1-concept", "b2-vision"):
        services.set_section_state(
            actor=None,
            section=sections[key],
            state="reviewed",
            as_reviewer=True,
            expected_version=stored_version(sections[key]),
        )
    services.set_section_state(
        actor=None,
        section=sections["b2-vision"],
        state="endorsed",
        as_reviewer=True,
        expected_version=stored_version(sections["b2-vision"]),
    )
    for row in data["comments"]:
        kind, key = row["anchor"].split(":")
        anchor: dict[str, Any] = (
            {"section": sections[key]}
            if kind == "section"
            else {"programme": Programme.objects.get(edition=review, code=key)}
        )
        thread = services.open_thread(
            actor=None, edition=review, body=row["text"], is_sample=True, author_name=MENTOR, **anchor
        )
        if row["answer"]:
            comment = services.reply(actor=None, thread=thread, body=row["answer"], is_sample=True)
            comment.author_name = EDITOR  # the demo has no accounts yet when this runs
            comment.save(update_fields=["author_name"])
        if row["resolved"]:
            services.set_thread_status(
                actor=None, thread=thread, status="resolved", expected_version=stored_version(thread)
            )


def load(solok: Region) -> None:
    """Add this capability's demo data to a freshly created Kota Solok (called once, atomically)."""
    data = _data()
    opds = {o.abbreviation: o for o in OPD.objects.filter(region=solok)}
    original = import_document(actor=None, region=solok, doc=document_2019(solok, data), is_sample=True)
    _adopt_2019(original)

    review = services.start_review_edition(
        actor=None,
        previous=original,
        is_sample=True,
        data={
            "year": 2024,
            "title": "Kajian Ulang Masterplan Smart City Kota Solok 2024",
            "start_year": 2025,
            "end_year": 2034,
            "rpjmd_period": "2021–2026",
        },
    )
    for n, spec in enumerate(data["programmes_2024"], start=len(data["programmes_2019"])):
        _new_programme(review, spec, n, opds)
    specs = {s["code"]: s for s in data["programmes_2019"]}
    dispositions = {
        d.previous_programme.code: d
        for d in Disposition.objects.filter(edition=review).select_related("previous_programme")
        if d.previous_programme is not None
    }
    for row in data["review"]:
        changes: dict[str, Any] = {
            "kind": row["disposition"],
            "implementation_status": row["implementation"],
            "rationale": row["rationale"],
        }
        if "merged_into" in row:
            changes["merged_into"] = Programme.objects.get(edition=review, code=row["merged_into"])
        services.set_disposition(
            actor=None,
            disposition=dispositions[row["code"]],
            data=changes,
            expected_version=stored_version(dispositions[row["code"]]),
        )
        if "years" in row:
            _move_carried(review, row, specs[row["code"]], opds)
    gov_07 = Programme.objects.get(edition=review, code="GOV-07")
    services.update_programme(
        actor=None,
        programme=gov_07,
        data={"dependencies": [Programme.objects.get(edition=review, code="GOV-05")]},
        expected_version=gov_07.version,
    )
    _comments(review, data)
