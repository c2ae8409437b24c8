"""Demo data of the assessment capability (issue 3) for Kota Solok. Invented content is stored with is_sample=True.

Public fact (solok.md): the ministry assessed Solok in February 2019 before it joined the 2019
cohort, and Solok was reviewed with a mentor team in 2024. The answers, scores, SWOT statements
and evidence links below are invented to make the comparison views show something: a 2019 and
a 2024 maturity self-assessment (both accepted) and a 2024 readiness analysis with SWOT.
"""

from __future__ import annotations

from typing import Any

from kotacerdas.assessments.loader import load_templates
from kotacerdas.assessments.models import Answer, Item, Run, Section, Template
from kotacerdas.assessments.selectors import region_slot
from kotacerdas.assessments.services import runs as services
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.regions.models import Region

EVIDENCE = "https://example.org/contoh/solok/{year}/{code}.pdf"  # invented placeholder evidence

# Level per maturity item (sample values): 2019 mostly initial, 2024 a step further in places.
MATURITY = {
    2019: {"GOV-1.1": 2, "GOV-2.1": 2, "GOV-3.1": 1, "BRD-1.1": 2, "BRD-2.1": 1, "BRD-3.1": 2, "ECO-1.1": 1,
           "ECO-2.1": 2, "ECO-3.1": 1, "LIV-1.1": 1, "LIV-2.1": 2, "LIV-3.1": 1, "SOC-1.1": 2, "SOC-2.1": 1,
           "SOC-3.1": 1, "ENV-1.1": 1, "ENV-2.1": 2, "ENV-3.1": None},
    2024: {"GOV-1.1": 3, "GOV-2.1": 3, "GOV-3.1": 2, "BRD-1.1": 3, "BRD-2.1": 2, "BRD-3.1": 2, "ECO-1.1": 2,
           "ECO-2.1": 2, "ECO-3.1": 3, "LIV-1.1": 2, "LIV-2.1": 3, "LIV-3.1": 1, "SOC-1.1": 3, "SOC-2.1": 2,
           "SOC-3.1": 2, "ENV-1.1": 1, "ENV-2.1": 2, "ENV-3.1": None},
}  # fmt: skip
READINESS = {"NAT-1": "S", "NAT-2": "B", "NAT-3": "S", "STR-1": "S", "STR-2": "K", "STR-3": "K", "INF-1": "B",
             "INF-2": "S", "INF-3": "B", "SUP-1": "S", "SUP-2": "B", "SUP-3": "B", "CUL-1": "B", "CUL-2": "B",
             "CUL-3": "S"}  # fmt: skip
SWOT = {
    "NAT": [
        ("S", "Lahan sawah produktif dan citra 'Kota Beras' (contoh)"),
        ("T", "Risiko banjir di kawasan rendah (contoh)"),
    ],
    "STR": [
        ("W", "Jumlah aparatur TIK di Diskominfo terbatas (contoh)"),
        ("O", "Pendampingan tenaga ahli 2024 (contoh)"),
    ],
    "INF": [
        ("S", "Ruang pemantauan e-government tersedia (contoh)"),
        ("W", "Jaringan antar-OPD belum menjangkau kelurahan (contoh)"),
    ],
    "SUP": [("S", "Tim SPBE dan PPID sudah dibentuk (contoh)"), ("W", "Perwal smart city belum diperbarui (contoh)")],
    "CUL": [("S", "Budaya gotong royong kuat (contoh)"), ("O", "Komunitas muda aktif di media sosial (contoh)")],
}


def _answer(run: Run, item: Item, data: dict[str, Any]) -> None:
    slot = region_slot(run)
    if item.evidence_required:
        data["evidence_link"] = EVIDENCE.format(year=run.year, code=item.code)
    data.setdefault("comment", "Contoh jawaban (data demo).")
    services.save_answer(
        actor=None, run=run, assessor=slot, item=item, data=data, expected_version=None, is_sample=True
    )


def _accept(run: Run) -> None:
    run = services.submit_run(actor=None, run=run, expected_version=stored_version(run))
    for answer in Answer.objects.filter(run=run, assessor__is_region=True).order_by("item__order"):
        services.review_answer(actor=None, answer=answer, accept=True, expected_version=answer.version)


def load(solok: Region) -> None:
    """Add this capability's demo data to a freshly created Kota Solok (called once, atomically)."""
    load_templates()
    maturity = Template.objects.get(code="kematangan-kominfo-6", version=1)
    readiness = Template.objects.get(code="kesiapan-5-komponen", version=1)
    for year, levels in MATURITY.items():
        run = services.start_run(
            actor=None,
            region=solok,
            template=maturity,
            year=year,
            title=f"Penilaian mandiri kematangan {year} (contoh)",
            is_sample=True,
        )
        for item in Item.objects.filter(template=maturity).order_by("order"):
            level = levels.get(item.code)
            _answer(run, item, {"not_applicable": True} if level is None else {"value": level})
        _accept(run)
    run = services.start_run(
        actor=None,
        region=solok,
        template=readiness,
        year=2024,
        title="Analisis kesiapan daerah 2024 (contoh)",
        is_sample=True,
    )
    for item in Item.objects.filter(template=readiness).order_by("order"):
        if item.answer_type == "text":
            _answer(run, item, {"text": "Contoh catatan kultur."})
        else:
            _answer(run, item, {"choice": READINESS[item.code]})
    for section in Section.objects.filter(template=readiness, has_swot=True):
        for quadrant, text in SWOT.get(section.code, []):
            services.add_swot(
                actor=None,
                run=run,
                section=section,
                data={"quadrant": quadrant, "text": text, "evidence_note": "Dokumen Buku 1 (contoh)"},
                is_sample=True,
            )
    _accept(run)
