"""Sample data of the annual evaluation for the demo (called by the demo loader, ``kotacerdas/demo``).

:func:`load_sample_evaluation` records a released evaluation of the demo region, marked as sample
data, through the same services as the ministry's pages (the operator acts, ``actor=None``).
The scores and notes are invented and plausible; the weights are those of the published scheme
(2022: the only scheme year shipped), named explicitly, never assumed.
"""

from __future__ import annotations

from decimal import Decimal

from kotacerdas.evaluation import services
from kotacerdas.evaluation.models import Evaluation
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.regions.models import Region

SCHEME_YEAR = 2022

SCORES = {
    "baseline": (
        "3.40",
        "Kondisi awal cukup baik: Dewan Smart City dan Tim Pelaksana telah terbentuk dan masterplan disusun.",
    ),
    "output": ("3.60", "Perwal masterplan telah ditetapkan; anggaran program tahun berjalan tercatat di APBD."),
    "outcome": ("3.10", "Sebagian besar program berjalan sesuai rencana; beberapa program infrastruktur tertunda."),
    "impact": ("2.90", "Manfaat layanan digital mulai dirasakan warga, namun belum merata di seluruh kecamatan."),
    "quick_win": ("3.50", "Quick win layanan pengaduan daring dan dasbor data kota telah diluncurkan."),
}
AREAS = {
    "GOV": ("3.50", 6),
    "BRD": ("3.00", 3),
    "ECO": ("3.20", 4),
    "SOC": ("3.10", 4),
    "LIV": ("2.90", 3),
    "ENV": ("2.80", 2),
}
CONCLUSION = (
    "Kota menunjukkan kemajuan dalam tata kelola dan peluncuran quick win. Disarankan memperkuat pemantauan "
    "capaian indikator dan memperluas manfaat layanan digital ke seluruh kecamatan."
)


def load_sample_evaluation(region: Region, year: int = 2025) -> Evaluation:
    """A released, sample evaluation of ``region`` for ``year`` (replaced if one exists)."""
    Evaluation.objects.filter(region=region, year=year).delete()
    evaluation = services.create_evaluation(
        actor=None,
        region=region,
        data={"year": year, "scheme_year": SCHEME_YEAR, "previous_index": "2.88", "panel": "Tim Evaluasi Kementerian"},
        is_sample=True,
    )
    areas = {}
    for area in evaluation.area_scores.select_related("dimension"):
        score, programmes = AREAS.get(area.dimension.code, ("3.00", 0))  # another taxonomy: a middle score
        areas[area.dimension_id] = {"score": Decimal(score), "programmes": programmes}
    data = {
        "scores": {name: {"score": score, "note": note} for name, (score, note) in SCORES.items()},
        "areas": areas,
        "conclusion": CONCLUSION,
    }
    evaluation = services.save_scores(actor=None, evaluation=evaluation, data=data, version=stored_version(evaluation))
    return services.release(actor=None, evaluation=evaluation, version=stored_version(evaluation))
