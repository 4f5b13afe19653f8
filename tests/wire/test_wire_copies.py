"""Copy detection without a store: fingerprints, LSH candidates and the copy test on real article pairs."""
from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest

from narrativegraph.graph.copies import DEFAULT, article_fingerprint, article_shingles, estimated_copy, is_copy
from narrativegraph.graph.similarity import band_keys

# The PolNeAR pairs whose 5-shingle Jaccard is >= 0.5 (exact, all pairs): versions of one story.
PAIRS = [
    ("breitbart_2016-03-15_the-latest-kasich-scores-all-del", "breitbart_2016-03-15_the-latest-sanders-declares-revo"),
    ("nyt_2015-11-25_golf-courses-forced-to-reach-int", "nyt_2015-11-26_with-fewer-golfers-in-u-s-course"),
    ("nyt_2016-03-04_republicans-have-stake-in-a-deal", "nyt_2016-03-05_polls-suggest-possibility-of-dea"),
    ("nyt_2016-03-15_sanders-advances-agenda-via-side", "nyt_2016-03-16_via-legislative-side-doors-sande"),
    ("usa-today_2016-04-06_sanders-says-he-s-riding-momentu", "usa-today_2016-04-06_sanders-winning-streak-continues"),
    ("wash-post_2015-12-12_misinformation-enters-mainstream", "wash-post_2015-12-13_misinformation-enters-mainstream"),
    ("wash-post_2015-12-22_as-spotlight-shines-on-trump-and", "wash-post_2015-12-23_as-spotlight-shines-on-trump-and"),
]
# Highest-overlap pair that is not a copy: two HuffPost pieces sharing a long embedded transcript part.
NOT_A_COPY = ("huff-post_2015-11-11_a-meaningful-exchange-actually-h", "huff-post_2015-11-11_watch-the-best-moments-from-the-")


def _texts(rows):
    return {r["filename"]: r["text"] for r in rows}


def _fp(text):
    fp = article_fingerprint(text)
    return fp["copy_n"], fp["copy_sig"]


@pytest.mark.parametrize("a, b", PAIRS)
def test_versions_of_one_story_are_copies(polnear_rows, a, b):
    t = _texts(polnear_rows)
    assert is_copy(article_shingles(t[a]), article_shingles(t[b])) is not None
    assert estimated_copy(_fp(t[a]), _fp(t[b])) is not None


def test_partial_overlap_is_not_a_copy(polnear_rows):
    t = _texts(polnear_rows)
    a, b = NOT_A_COPY
    assert is_copy(article_shingles(t[a]), article_shingles(t[b])) is None
    assert estimated_copy(_fp(t[a]), _fp(t[b])) is None


def test_cut_short_copy_is_found_by_containment(polnear_rows):
    text = _texts(polnear_rows)["breitbart_2016-02-20_the-latest-hillary-clinton-tells"]
    half = text[: len(text) // 3]
    full, part = article_shingles(text), article_shingles(half)
    assert is_copy(full, part) is not None  # Jaccard about 1/3, containment 1.0
    assert estimated_copy(_fp(text), _fp(half)) is not None


def test_fingerprint_is_stable_and_plain():
    fp = article_fingerprint("The same words in the same order give the same fingerprint every time.")
    assert fp == article_fingerprint("The same words in the same order give the same fingerprint every time.")
    assert all(isinstance(v, int) and 0 <= v < 2**63 for v in fp["copy_sig"])  # fits a Neo4j integer
    assert article_fingerprint("") == {"copy_n": 0, "copy_sig": None}


@pytest.mark.slow
def test_lsh_candidates_over_polnear_find_exactly_the_pairs(polnear_rows):
    t = _texts(polnear_rows)
    fps = {k: _fp(v) for k, v in t.items()}
    buckets = defaultdict(set)
    for k, (n, sig) in fps.items():
        if n:
            for key in band_keys(np.asarray(sig, dtype=np.uint64), DEFAULT.lsh):
                buckets[key].add(k)
    candidates = {p for ids in buckets.values() for p in itertools.combinations(sorted(ids), 2)}
    assert len(candidates) < 50  # a handful of candidates, not 426,000 pairs
    linked = sorted(p for p in candidates if estimated_copy(fps[p[0]], fps[p[1]]) is not None)
    assert linked == PAIRS
