"""What programme texts are about: normalised tokens and their similarity (pure Python).

Used by the rules that read the plan as a mentor does (:mod:`.mentor`): two programmes whose
descriptions say the same thing in different words (PC034), and the vision's keywords that no
programme takes up (PC036).

A token is a word in lower case, without stopwords (Indonesian and English function words, and
the words every programme text carries), mapped to one Indonesian form when it has a common
synonym or English equivalent ("staff", "ASN", "aparatur" → "pegawai"), then cut to a rough
stem by a light affix stripper (``pelayanan`` and ``layanan`` → ``layan``). It is deliberately
small: the same text always gives the same tokens, and both sides of a comparison go through it.

Similarity is the cosine of TF-IDF vectors over the texts compared together: a word that every
programme uses ("sistem", "aplikasi") weighs little, a word two programmes share and the others
do not ("kinerja") weighs much. Identical texts score 1, texts with no token in common 0, and
the score does not depend on the order of the two texts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    # Indonesian function words
    "yang dan di ke dari untuk dengan pada dalam oleh atau ini itu adalah sebagai secara serta bagi "
    "akan agar melalui terhadap para setiap seluruh semua tersebut juga sudah belum tidak bisa dapat "
    "lebih antara hingga sampai karena maka jika bila tiap baik masih telah sehingga guna atas "
    # words every programme text of a plan carries
    "kota kabupaten kab daerah pemerintah pemkot pemkab program kegiatan contoh tahun "
    # English function words
    "the a an and or of to in on for with by from at as is are be this that its into via linked based "
    "city regency government programme program project"
)

# One form for words plans use interchangeably, English ones included (a mentor reads them as
# the same function). Kept short on purpose: every entry must be a true equivalence in plans.
SYNONYMS = {
    "staff": "pegawai",
    "staf": "pegawai",
    "employee": "pegawai",
    "employees": "pegawai",
    "asn": "pegawai",
    "pns": "pegawai",
    "aparatur": "pegawai",
    "aparat": "pegawai",
    "karyawan": "pegawai",
    "kepegawaian": "pegawai",
    "servant": "pegawai",
    "servants": "pegawai",
    "performance": "kinerja",
    "prestasi": "kinerja",
    "tunjangan": "tpp",
    "allowance": "tpp",
    "allowances": "tpp",
    "management": "manajemen",
    "information": "informasi",
    "electronic": "elektronik",
    "system": "sistem",
    "systems": "sistem",
    "application": "aplikasi",
    "applications": "aplikasi",
    "app": "aplikasi",
    "apps": "aplikasi",
    "service": "layanan",
    "services": "layanan",
    "complaint": "aduan",
    "complaints": "aduan",
    "pengaduan": "aduan",
    "waste": "sampah",
    "tourism": "wisata",
    "pariwisata": "wisata",
    "health": "sehat",
    "kesehatan": "sehat",
    "education": "didik",
    "pendidikan": "didik",
    "budget": "anggaran",
    "penganggaran": "anggaran",
    "evaluation": "nilai",
    "penilaian": "nilai",
    "assessment": "nilai",
    "monitoring": "pantau",
    "pemantauan": "pantau",
}

PREFIXES = ("meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "per", "pe", "ber", "ter", "di", "ke")
SUFFIXES = ("kan", "an")
PARTICLES = ("nya", "lah", "kah")
SHORTEST_STEM = 4


def stem(word: str) -> str:
    """A rough Indonesian stem: particles, one suffix, then up to two prefixes, never below four
    letters (``kepegawaian`` → ``gawai``, ``pelayanan`` → ``layan``, ``melayani`` → ``layan``)."""
    for ending in PARTICLES:
        if word.endswith(ending) and len(word) - len(ending) >= SHORTEST_STEM:
            word = word[: -len(ending)]
            break
    for ending in SUFFIXES:
        if word.endswith(ending) and len(word) - len(ending) >= SHORTEST_STEM:
            word = word[: -len(ending)]
            break
    else:
        # me-…-i, di-…-i (melayani): only long words, so pegawai and nilai keep their i.
        if word.endswith("i") and len(word) >= 8 and word.startswith(("me", "di", "pe")):
            word = word[:-1]
    for _round in range(2):
        for start in PREFIXES:
            if word.startswith(start) and len(word) - len(start) >= SHORTEST_STEM:
                word = word[len(start) :]
                break
        else:
            break
    return word


def tokens(text: str | None) -> list[str]:
    """The text's content words, normalised (see the module docstring); [] for None."""
    if not text:
        return []
    words = WORD.findall(text.lower())
    out = []
    for word in words:
        if word in STOPWORDS or len(word) < 2 or word.isdigit():
            continue
        out.append(stem(SYNONYMS.get(word, word)))
    return out


def vectors(texts: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """TF-IDF vectors with a smoothed IDF (log((1+n)/(1+df)) + 1: never zero, so a word every
    text shares still counts a little and two identical texts score exactly 1)."""
    n = len(texts)
    df: Counter[str] = Counter()
    for words in texts:
        df.update(set(words))
    idf = {word: math.log((1 + n) / (1 + count)) + 1 for word, count in df.items()}
    return [{w: c * idf[w] for w, c in Counter(words).items()} for words in texts]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b[word] for word, weight in a.items() if word in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    # Clamped: rounding may put identical texts a hair above 1.
    return min(1.0, dot / norm) if norm else 0.0


def similarity_matrix(texts: Sequence[str | None]) -> list[list[float]]:
    """Pairwise similarity of ``texts`` (TF-IDF cosine over these texts), a symmetric matrix."""
    vectors_ = vectors([tokens(t) for t in texts])
    size = len(vectors_)
    matrix = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i, size):
            score = 1.0 if i == j and vectors_[i] else cosine(vectors_[i], vectors_[j])
            matrix[i][j] = matrix[j][i] = score
    return matrix


def similarity(a: str | None, b: str | None) -> float:
    """How much two texts say the same thing, 0 to 1 (TF-IDF cosine over the two)."""
    return similarity_matrix([a, b])[0][1]


def mentions(text_tokens: set[str], phrase: str) -> bool:
    """Whether every content word of ``phrase`` (a vision keyword) occurs among ``text_tokens``,
    as the same stem or inside a longer one (``dagang`` in ``perdagang``)."""
    wanted = tokens(phrase)
    return bool(wanted) and all(any(w in t for t in text_tokens) for w in wanted)
