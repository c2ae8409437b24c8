"""Near-duplicate programme names: trigram similarity with a prefix-filtered index (pure Python)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

NEAR_DUPLICATE = 0.8  # trigram Jaccard similarity from which two names count as near-duplicates


STOPWORDS = {"dan", "di", "ke", "the", "of", "and", "program", "kota", "yang", "untuk"}


def _trigrams(name: str) -> frozenset[str]:
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in STOPWORDS]
    text = " ".join(words)
    return frozenset(text[i : i + 3] for i in range(max(len(text) - 2, 1))) if text else frozenset()


def similarity(a: str, b: str) -> float:
    """Trigram Jaccard similarity of two programme names (0–1), ignoring case and filler words."""
    ta, tb = _trigrams(a), _trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def near_duplicate_pairs(names: list[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for every pair of names at least ``threshold`` alike, i < j.

    Prefix filtering keeps this near-linear for hundreds of names: with the trigrams of each
    name sorted rarest first, two sets can only reach the threshold if they share one of the
    first ``len - ceil(threshold × len) + 1`` trigrams, so only those are indexed.
    """
    grams = [_trigrams(name) for name in names]
    frequency: Counter[str] = Counter(g for gs in grams for g in gs)
    index: dict[str, list[int]] = defaultdict(list)
    pairs: list[tuple[int, int, float]] = []
    for j, tb in enumerate(grams):
        if not tb:
            continue
        ordered = sorted(tb, key=lambda g: (frequency[g], g))
        prefix = ordered[: len(tb) - math.ceil(threshold * len(tb)) + 1]
        candidates = {i for g in prefix for i in index[g]}
        for i in sorted(candidates):
            ta = grams[i]
            score = len(ta & tb) / len(ta | tb)
            if score >= threshold:
                pairs.append((i, j, score))
        for g in prefix:
            index[g].append(j)
    return pairs
