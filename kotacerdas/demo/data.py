"""Demo content. ``sample=True`` marks what was invented rather than taken from public sources."""

from __future__ import annotations

import datetime
from typing import Any

D = datetime.date

SOLOK: dict[str, Any] = {
    "region": {
        "code": "13.72",
        "name": "Solok",
        "kind": "kota",
        "province": "Sumatera Barat",
        "time_zone": "WIB",
        "area_km2": "57.64",
        "motto": "Kota Beras (Bersih, Elok, Rapi, Aman, Sejahtera)",
        "vision": "Solok yang diberkahi, maju, dan sejahtera melalui perdagangan dan jasa modern (visi daerah 2021).",
        "is_published": True,
    },
    "population": [
        (2010, 59396, "Sensus Penduduk 2010", False),
        (2020, 73438, "Sensus Penduduk 2020", False),
        (2022, 76000, "Perkiraan 2021–2022 (dibulatkan)", True),
    ],
    "kecamatan": {
        "Lubuk Sikarah": [
            "VI Suku",
            "IX Korong",
            "Aro IV Korong",
            "Kampai Tabu Karambia",
            "Simpang Rumbio",
            "Sinapa Piliang",
            "Tanah Garam",
        ],
        "Tanjung Harapan": [
            "Kampung Jawa",
            "Koto Panjang",
            "Laing",
            "Nan Balimo",
            "Pasar Pandan Air Mati",
            "Tanjung Paku",
        ],
    },
    # (abbreviation, name, kind, valid_from, valid_to, sample)
    "opds": [
        ("Diskominfo", "Dinas Komunikasi dan Informatika", "dinas", D(2017, 1, 1), None, False),
        ("Bappeda", "Badan Perencanaan Pembangunan Daerah", "badan", D(2017, 1, 1), None, False),
        ("Balitbang", "Badan Penelitian dan Pengembangan", "badan", D(2017, 1, 1), None, False),
        ("Dinkes", "Dinas Kesehatan", "dinas", D(2017, 1, 1), None, False),
        ("Perkim", "Dinas Perumahan dan Kawasan Permukiman", "dinas", D(2017, 1, 1), D(2024, 12, 31), False),
        ("DLH", "Dinas Lingkungan Hidup", "dinas", D(2017, 1, 1), D(2024, 12, 31), False),
        ("Kec. Lubuk Sikarah", "Kecamatan Lubuk Sikarah", "kecamatan", D(2017, 1, 1), None, False),
        ("Kec. Tanjung Harapan", "Kecamatan Tanjung Harapan", "kecamatan", D(2017, 1, 1), None, False),
        ("Setda", "Sekretariat Daerah", "sekretariat", D(2017, 1, 1), None, True),
        ("Setwan", "Sekretariat DPRD", "sekretariat", D(2017, 1, 1), None, True),
        ("Inspektorat", "Inspektorat Daerah", "inspektorat", D(2017, 1, 1), None, True),
        ("Disdikbud", "Dinas Pendidikan dan Kebudayaan", "dinas", D(2017, 1, 1), None, True),
        ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", D(2017, 1, 1), None, True),
        ("Dishub", "Dinas Perhubungan", "dinas", D(2017, 1, 1), None, True),
        ("Dinsos", "Dinas Sosial", "dinas", D(2017, 1, 1), None, True),
        ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", D(2017, 1, 1), None, True),
        ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas", D(2017, 1, 1), None, True),
        ("Diskopdag", "Dinas Koperasi, UKM dan Perdagangan", "dinas", D(2017, 1, 1), None, True),
        ("Disnaker", "Dinas Tenaga Kerja dan Perindustrian", "dinas", D(2017, 1, 1), None, True),
        ("Dispar", "Dinas Pariwisata, Pemuda dan Olahraga", "dinas", D(2017, 1, 1), None, True),
        ("Dispertan", "Dinas Pertanian dan Ketahanan Pangan", "dinas", D(2017, 1, 1), None, True),
        (
            "DP3AP2KB",
            "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB",
            "dinas",
            D(2017, 1, 1),
            None,
            True,
        ),
        ("Dispusip", "Dinas Perpustakaan dan Kearsipan", "dinas", D(2017, 1, 1), None, True),
        ("Satpol PP", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", "dinas", D(2017, 1, 1), None, True),
        ("BPKD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan", D(2017, 1, 1), None, True),
        ("Bapenda", "Badan Pendapatan Daerah", "badan", D(2017, 1, 1), None, True),
        ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", D(2017, 1, 1), None, True),
        ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan", D(2017, 1, 1), None, True),
        ("Kesbangpol", "Badan Kesatuan Bangsa dan Politik", "badan", D(2017, 1, 1), None, True),
        ("Bag. Organisasi", "Bagian Organisasi Setda", "bagian", D(2017, 1, 1), None, True),
        ("Bag. Hukum", "Bagian Hukum Setda", "bagian", D(2017, 1, 1), None, True),
        # The 2025 regional regulation merged Perkim and DLH (the start date is approximate).
        ("PerkimLH", "Dinas Perumahan, Kawasan Permukiman dan Lingkungan Hidup", "dinas", D(2025, 1, 1), None, False),
    ],
    "merges": {"PerkimLH": ["Perkim", "DLH"]},
    "bodies": [
        {
            "kind": "dewan",
            "name": "Dewan Smart City Kota Solok",
            "decree_number": "188.45-123 Tahun 2024",
            "decree_date": D(2024, 5, 20),
            # (person, position, opd abbreviation, role)
            "members": [
                ("Wali Kota Solok", "Wali Kota", None, "pembina"),
                ("Wakil Wali Kota Solok", "Wakil Wali Kota", None, "pengarah"),
                ("Sekretaris Daerah", "Sekretaris Daerah", "Setda", "ketua"),
                ("Kepala Diskominfo", "Kepala Dinas", "Diskominfo", "sekretaris"),
                ("Kepala Bappeda", "Kepala Badan", "Bappeda", "anggota"),
                ("Kepala Balitbang", "Kepala Badan", "Balitbang", "anggota"),
                ("Kepala Dinas Kesehatan", "Kepala Dinas", "Dinkes", "anggota"),
                ("Kepala Dinas Perkim", "Kepala Dinas", "Perkim", "anggota"),
                ("Kepala DLH", "Kepala Dinas", "DLH", "anggota"),
                ("Camat Lubuk Sikarah", "Camat", "Kec. Lubuk Sikarah", "anggota"),
                ("Camat Tanjung Harapan", "Camat", "Kec. Tanjung Harapan", "anggota"),
            ],
        },
        {
            "kind": "tim_pelaksana",
            "name": "Tim Pelaksana Smart City Kota Solok",
            "decree_number": "188.45-124 Tahun 2024",
            "decree_date": D(2024, 5, 20),
            "members": [
                ("Kepala Diskominfo", "Kepala Dinas", "Diskominfo", "ketua"),
                ("Sekretaris Diskominfo", "Sekretaris Dinas", "Diskominfo", "sekretaris"),
                ("Kabid Perencanaan Bappeda", "Kepala Bidang", "Bappeda", "anggota"),
                ("Kabid Pelayanan Kesehatan", "Kepala Bidang", "Dinkes", "anggota"),
                ("Kabid Permukiman", "Kepala Bidang", "Perkim", "anggota"),
                ("Kabid Pengelolaan Sampah", "Kepala Bidang", "DLH", "anggota"),
                ("Kabid Inovasi", "Kepala Bidang", "Balitbang", "anggota"),
            ],
        },
    ],
    "cohorts": [
        {
            "year": 2019,
            "name": "Gerakan Menuju 100 Smart City 2019",
            "ministry_name": "Kementerian Komunikasi dan Informatika",
            "purpose": "Penyusunan Masterplan Smart City Kota Solok (angkatan 2019).",
            # (stage, title, start, end, venue, status, sample)
            "sessions": [
                (1, "Bimtek I: analisis", D(2019, 9, 9), D(2019, 9, 10), "", "closed", False),
                (3, "Bimtek III: inovasi dan roadmap", D(2019, 11, 11), D(2019, 11, 12), "", "closed", False),
            ],
        },
        {
            "year": 2024,
            "name": "Pendampingan Masterplan Smart City 2024",
            "ministry_name": "Kementerian Komunikasi dan Informatika",
            "purpose": "Reviu Masterplan Smart City 2019 beserta quick win-nya, bersama tim UGM dan kementerian.",
            "sessions": [
                (
                    1,
                    "Bimtek I: analisis dan reviu masterplan",
                    D(2024, 6, 10),
                    D(2024, 6, 11),
                    "Aula Dinas Kesehatan",
                    "planned",
                    False,
                ),
                (2, "Bimtek II: strategi", D(2024, 7, 8), D(2024, 7, 9), "Aula Bappeda", "planned", True),
                (3, "Bimtek III: forum quick win", D(2024, 8, 7), D(2024, 8, 7), "", "planned", False),
                (4, "Bimtek IV: finalisasi", D(2024, 9, 9), D(2024, 9, 10), "Aula Balai Kota", "planned", True),
            ],
        },
    ],
}

# Everything about the second region is sample data: it exists to show that regions are isolated.
SAWAHLUNTO: dict[str, Any] = {
    "region": {
        "code": "13.73",
        "name": "Sawahlunto",
        "kind": "kota",
        "province": "Sumatera Barat",
        "time_zone": "WIB",
        "area_km2": "273.45",
        "motto": "",
        "vision": "",
        "is_published": False,
    },
    "population": [(2020, 65138, "Sensus Penduduk 2020", False)],
    "kecamatan": {"Barangin": [], "Lembah Segar": [], "Silungkang": [], "Talawi": []},
    "opds": [
        ("Diskominfo", "Dinas Komunikasi dan Informatika", "dinas", D(2017, 1, 1), None, True),
        ("Bappeda", "Badan Perencanaan Pembangunan Daerah", "badan", D(2017, 1, 1), None, True),
        ("Dispar", "Dinas Pariwisata", "dinas", D(2017, 1, 1), None, True),
    ],
    "merges": {},
    "bodies": [],
    "cohorts": [],
}

PASSWORD = "kotacerdas-demo"  # noqa: S105 (the published demo password, printed by `make run`)

# (username, full name, institution, ministry, region code, role, opd abbreviation)
USERS = [
    ("kementerian", "Staf Program Kementerian", "Ditjen Aptika", True, None, None, None),
    ("solok.admin", "Admin Diskominfo Solok", "Diskominfo Kota Solok", False, "13.72", "admin", None),
    ("solok.editor", "Editor Tim Pelaksana Solok", "Diskominfo Kota Solok", False, "13.72", "editor", "Diskominfo"),
    ("solok.dewan", "Anggota Dewan Smart City Solok", "Pemerintah Kota Solok", False, "13.72", "viewer", None),
    ("mentor.ugm", "Tenaga Ahli UGM", "Universitas Gadjah Mada", False, "13.72", "mentor", None),
    ("sawahlunto.admin", "Admin Diskominfo Sawahlunto", "Diskominfo Kota Sawahlunto", False, "13.73", "admin", None),
]
