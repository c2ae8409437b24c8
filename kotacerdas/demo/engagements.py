"""Demo data of the assistance capability (issue 7) for Kota Solok. Invented content is stored with is_sample=True.

Public facts (solok.md): Solok was one of ten regions of the 2024 assistance; Bimtek I took place
on 10–11 June 2024 in the health office hall with all heads of OPD and the technical team; the
mentor team was three people from UGM and one from the ministry, monthly for four months; the
session of 7 August 2024 focused on quick wins. Everything else (names, the agreement number,
attendance, minutes, actions, obstacles) is invented and flagged as sample data.

The four sessions already exist (the foundation schedules them); this module runs them through
the services as a mentor would in the browser: open, agenda, attendance, minutes, outcomes,
obstacles, close, so the audit trail and the carried-over actions are what real use produces.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kotacerdas.engagements import services
from kotacerdas.engagements.models import Action, Engagement, Obstacle, Session
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.regions.models import OPD, Region

D = datetime.date
MENTORS = [
    ("Dr. Ir. Bambang Santoso (contoh)", "Universitas Gadjah Mada", "lead"),
    ("Rina Wulandari, M.T. (contoh)", "Universitas Gadjah Mada", "expert"),
    ("Andi Pratama, M.Sc. (contoh)", "Universitas Gadjah Mada", "expert"),
    ("Siti Rahmawati (contoh)", "Kementerian Komunikasi dan Informatika", "ministry"),
]
# Who came, per session: agencies whose head came in person; the rest of ATTENDING sent a delegate.
HEADS = {
    1: {"Diskominfo", "Bappeda", "Dinkes", "Balitbang", "Perkim", "DLH", "Setda"},
    2: {"Diskominfo", "Bappeda", "Balitbang"},
    3: {"Diskominfo", "Bappeda", "Dinkes", "DPUPR", "Dishub"},
    4: {"Diskominfo", "Bappeda", "Setda", "Inspektorat", "BPKD"},
}
ABSENT = {1: {"Setwan", "Dispusip"}, 2: {"Dispar", "Dispertan", "Satpol PP"}, 3: {"Setwan"}, 4: {"Dinsos"}}
AGENDA = {
    1: [
        ("Pembukaan", "Sambutan Wali Kota dan pengantar tim pendamping"),
        ("Materi", "Reviu Masterplan Smart City 2019: capaian dan kesenjangan"),
        ("Kerja kelompok", "Analisis kesiapan dan SWOT per komponen"),
        ("Pleno", "Kata kunci visi smart city"),
    ],
    2: [
        ("Materi", "Visi, misi dan strategi per dimensi"),
        ("Kerja kelompok", "Pemetaan program RPJMD dan Renstra OPD"),
    ],
    3: [
        ("Materi", "Kriteria pemilihan quick win"),
        ("Forum quick win", "Penilaian kandidat quick win per dimensi"),
    ],
    4: [
        ("Pleno", "Reviu bab demi bab dokumen kajian ulang"),
        ("Penutup", "Penandatanganan lembar komitmen"),
    ],
}
MINUTES = {
    1: "Wali Kota membuka Bimtek I dan menegaskan komitmen Pemerintah Kota Solok. Tim pendamping "
    "memaparkan hasil reviu awal Masterplan 2019: sebagian program belum masuk RKPD. Kelompok kerja "
    "menyusun SWOT per komponen kesiapan. (Notulen contoh.)",
    2: "Pembahasan rancangan visi dan misi smart city. Bappeda memaparkan pemetaan program RPJMD; "
    "beberapa OPD belum menyerahkan Renstra. (Notulen contoh.)",
    3: "Forum quick win: kandidat dinilai dengan kriteria yang disepakati; daftar sementara disepakati "
    "untuk diusulkan ke RKPD 2025. (Notulen contoh.)",
    4: "Reviu akhir dokumen. OPD menandatangani lembar komitmen. Satu kendala regulasi diteruskan ke "
    "kementerian. (Notulen contoh.)",
}


def _opds(solok: Region) -> dict[str, OPD]:
    return {o.abbreviation: o for o in OPD.objects.filter(region=solok)}


def _run(session: Session, n: int, opds: dict[str, OPD], programmes: list[Any]) -> None:
    services.start_session(actor=None, session=session)
    for order, (section, title) in enumerate(AGENDA[n], start=1):
        programme = programmes[n - 1] if programmes and section.startswith("Forum") else None
        services.add_agenda_item(
            actor=None,
            session=session,
            data={"section": section, "title": title, "order": order, "programme": programme},
            is_sample=True,
        )
    day = session.starts_on
    for abbr, opd in opds.items():
        if not opd.is_valid_on(day):
            continue
        status = "absent" if abbr in ABSENT[n] else ("head" if abbr in HEADS[n] else "delegate")
        services.record_attendance(
            actor=None,
            session=session,
            opd=opd,
            data={
                "status": status,
                "person_name": "" if status == "absent" else f"Perwakilan {abbr} (contoh)",
                "position": {"head": "Kepala", "delegate": "Kepala Bidang", "absent": ""}[status],
                "signed": status != "absent",
            },
            is_sample=True,
        )
    services.save_minutes(
        actor=None,
        session=session,
        data={"minutes": MINUTES[n], "chair": "Sekretaris Daerah (contoh)", "minute_taker": "Diskominfo (contoh)"},
        expected_version=stored_version(session),
    )


def _action(session: Session, text: str, opd: OPD, due: datetime.date, programme: Any = None) -> Action:
    outcome = services.add_outcome(
        actor=None,
        session=session,
        data={
            "kind": "action",
            "text": text,
            "owner_opd": opd,
            "owner_name": f"Kepala {opd.abbreviation} (contoh)",
            "due_on": due,
            "programme": programme,
        },
        is_sample=True,
    )
    return Action.objects.get(outcome=outcome)


def _note(session: Session, kind: str, text: str) -> None:
    services.add_outcome(actor=None, session=session, data={"kind": kind, "text": text}, is_sample=True)


def _obstacle(session: Session, text: str, category: str, opd: OPD, solution: str, programme: Any = None) -> Obstacle:
    return services.raise_obstacle(
        actor=None,
        session=session,
        data={
            "description": text,
            "category": category,
            "opd": opd,
            "owner_name": f"Kepala {opd.abbreviation} (contoh)",
            "proposed_solution": solution,
            "programme": programme,
        },
        is_sample=True,
    )


def _close(session: Session) -> None:
    evening = datetime.datetime.combine(session.ends_on, datetime.time(16, 0), tzinfo=timezone.get_current_timezone())
    services.close_session(actor=None, session=session, at=evening)


def _done(action: Action, day: datetime.date) -> None:
    action.refresh_from_db()
    services.update_action(
        actor=None, action=action, data={"status": "done"}, expected_version=stored_version(action), today=day
    )


def load(solok: Region) -> None:
    """Add this capability's demo data to a freshly created Kota Solok (called once, atomically)."""
    engagement = Engagement.objects.filter(region=solok, cohort__year=2024).select_related("cohort").first()
    if engagement is None:
        return
    engagement = services.update_engagement(
        actor=None,
        engagement=engagement,
        data={
            "starts_on": D(2024, 6, 1),
            "ends_on": D(2024, 9, 30),
            "agreement_number": "NK.001/SC/2024 (contoh)",
            "agreement_date": D(2024, 5, 27),
        },
        expected_version=stored_version(engagement),
    )
    for name, institution, role in MENTORS:
        services.add_mentor(
            actor=None,
            engagement=engagement,
            data={"person_name": name, "institution": institution, "role": role},
            is_sample=True,
        )
    opds = _opds(solok)
    from kotacerdas.plans.models import Programme

    programmes = list(Programme.objects.filter(region=solok, edition__year=2024).order_by("code")[:4])
    first = programmes[0] if programmes else None
    s1, s2, s3, s4 = list(Session.objects.filter(engagement=engagement).order_by("starts_on"))

    # Bimtek I: analysis. Two actions, one obstacle resolved later, one escalated in the end.
    _run(s1, 1, opds, programmes)
    _note(s1, "information", "Masterplan 2019 telah ditetapkan dengan Perwal pada Februari 2020.")
    _note(s1, "decision", "Kajian ulang mencakup seluruh enam dimensi dan quick win-nya.")
    swot = _action(s1, "Lengkapi data SWOT komponen infrastruktur", opds["Diskominfo"], D(2024, 7, 1))
    renstra = _action(s1, "Serahkan Renstra OPD terbaru ke Bappeda", opds["Bappeda"], D(2024, 7, 5))
    data_gap = _obstacle(
        s1, "Data sektoral antar-OPD belum terintegrasi", "data", opds["Diskominfo"], "Bentuk forum Satu Data"
    )
    regulation = _obstacle(
        s1,
        "Belum ada regulasi daerah tentang berbagi pakai data lintas OPD",
        "regulation",
        opds["Setda"],
        "Minta pendampingan kementerian untuk rancangan Perwal",
    )
    _close(s1)

    # Bimtek II: strategy. The SWOT action is done; the Renstra one carries over.
    _run(s2, 2, opds, programmes)
    _done(swot, D(2024, 7, 8))
    _note(s2, "decision", "Rancangan visi smart city disepakati untuk dibahas di Bimtek III.")
    mapping = _action(s2, "Petakan program RPJMD ke misi smart city", opds["Bappeda"], D(2024, 8, 5), first)
    budget = _obstacle(
        s2, "Anggaran perubahan 2024 belum memuat kegiatan smart city", "budget", opds["BPKD"], "Usulkan di RKPD 2025"
    )
    services.update_obstacle(
        actor=None,
        obstacle=regulation,
        data={"status": "in_progress"},
        expected_version=stored_version(regulation),
        today=D(2024, 7, 9),
    )
    _close(s2)

    # Bimtek III: quick-win forum (7 August 2024).
    _run(s3, 3, opds, programmes)
    _done(renstra, D(2024, 8, 7))
    _done(mapping, D(2024, 8, 7))
    _note(s3, "decision", "Daftar sementara quick win 2025 disepakati.")
    _action(s3, "Susun KAK quick win layanan kesehatan digital", opds["Dinkes"], D(2024, 9, 2), first)
    _action(s3, "Siapkan usulan anggaran quick win di RKPD 2025", opds["Bappeda"], D(2024, 10, 15))
    data_gap.refresh_from_db()
    services.update_obstacle(
        actor=None,
        obstacle=data_gap,
        data={"status": "resolved", "resolved_in": s3},
        expected_version=stored_version(data_gap),
        today=D(2024, 8, 7),
    )
    _obstacle(s3, "Tenaga pengelola aplikasi di OPD terbatas", "hr", opds["Dinkes"], "Pelatihan bersama Diskominfo")
    # Monitoring of the plan in force showed this programme slipping to "at risk" (demo/monitoring.py).
    at_risk = Programme.objects.filter(region=solok, edition__year=2019, code="ECO-02").first()
    if at_risk is not None and at_risk.lead_opd is not None:
        _obstacle(
            s3,
            f"{at_risk.code} berisiko terlambat: pengadaan tertunda revisi anggaran (contoh)",
            "budget",
            at_risk.lead_opd,
            "Percepat revisi DPA dan jadwal ulang uji coba",
            at_risk,
        )
    _close(s3)

    # Bimtek IV: finalisation. Budget obstacle resolved; the regulation one escalated to the ministry.
    _run(s4, 4, opds, programmes)
    budget.refresh_from_db()
    services.update_obstacle(
        actor=None,
        obstacle=budget,
        data={"status": "resolved", "resolved_in": s4},
        expected_version=stored_version(budget),
        today=D(2024, 9, 9),
    )
    regulation.refresh_from_db()
    services.update_obstacle(
        actor=None,
        obstacle=regulation,
        data={"status": "escalated"},
        expected_version=stored_version(regulation),
        today=D(2024, 9, 10),
    )
    _note(s4, "decision", "Dokumen kajian ulang disampaikan ke kementerian dan Wali Kota.")
    _action(s4, "Finalisasi lampiran roadmap per dimensi", opds["Diskominfo"], D(2024, 9, 30))
    _close(s4)

    services.prepare_signatories(actor=None, engagement=engagement, on=s4.starts_on, is_sample=True)
    from kotacerdas.engagements.models import CommitmentSignatory

    for signatory in CommitmentSignatory.objects.filter(engagement=engagement).select_related("opd"):
        if signatory.opd is None or signatory.opd.abbreviation not in ABSENT[4]:
            services.record_signature(
                actor=None,
                signatory=signatory,
                data={
                    "person_name": signatory.person_name or f"Kepala {signatory.opd or 'Daerah'} (contoh)",
                    "signed_on": s4.ends_on,
                },
                expected_version=stored_version(signatory),
            )
