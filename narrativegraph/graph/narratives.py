"""Claim linking: claims that state the same thing, across articles, become one Narrative.

Near-verbatim level: each claim's normalised words are MinHashed; claims that share an
LSH band key are candidates, and a candidate pair is linked when the exact Jaccard of
the word sets reaches ``threshold``. Narratives are the connected components of the
linked pairs (claims of one article are never linked to each other).

The core (`ClaimIndex`, `link_claims`) is a pure function of ``ClaimRow`` values, so it
can be benchmarked and tested without a store. The store part (`link_new`, `rebuild`)
reads claims, keeps each claim's band keys in the graph as
``(:Claim)-[:IN_BAND]->(:Band {key})`` and writes ``(:Claim)-[:PART_OF]->(:Narrative)``.
Because candidates come from the stored band keys, linking new articles
incrementally finds exactly the pairs a rebuild finds, so both give the same narratives.

Paraphrase level (optional, ``LinkParams.paraphrase``): claims are embedded with
all-MiniLM-L6-v2 (`embed`), and pairs whose cosine reaches the threshold are linked too,
into the same union-find. Candidates are exact: blocked matrix products of the new
claims' vectors against every stored one (``Claim.embedding``: the 384 float32 values,
little-endian, base64 — a 2 KB string, cheap to write and read on both stores).
``Narrative.level`` and ``PART_OF.level`` say whether a narrative (a claim) is held
together by near-verbatim links alone or needs a paraphrase link.
"""
from __future__ import annotations

import base64
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from narrativegraph.graph.similarity import (LshParams, band_keys, content_words, jaccard, shingles, signature,
                                             words)
from narrativegraph.graph.store import Store, delete_all

__all__ = [
    "ClaimRow",
    "LinkParams",
    "Fingerprint",
    "NarrativeGroup",
    "ClaimIndex",
    "fingerprint",
    "link_claims",
    "linkable",
    "narrative_id",
    "choose_label",
    "link_new",
    "rebuild",
    "top_narratives",
    "stored_params",
    "link_store",
    "LinkReport",
    "PARAPHRASE_THRESHOLD",
    "NEAR_VERBATIM",
    "PARAPHRASE",
    "cosine_pairs",
    "paraphrase_pairs",
    "link_params",
]

logger = logging.getLogger(__name__)

EPOCH = date(1970, 1, 1)

NEAR_VERBATIM = "near-verbatim"
PARAPHRASE = "paraphrase"
# cosine of two claims' all-MiniLM-L6-v2 vectors; chosen on PolNeAR train (docs/narratives.md)
PARAPHRASE_THRESHOLD = 0.8


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """What linking needs to know about one claim."""

    id: str
    text: str
    article_id: str
    outlet: str | None = None
    day: int | None = None  # days since 1970-01-01
    linkable: bool = True  # False for an unquoted noun-phrase content: an attitude, not a statement


@dataclass(frozen=True, slots=True)
class LinkParams:
    """Linking thresholds; defaults measured on PolNeAR (docs/narratives.md).

    ``threshold``: minimum Jaccard of the two claims' word sets.
    ``min_words``: claims with fewer distinct content words (not `STOPWORDS`) are not
    linked at all: too generic ("the former secretary of state", "he will vote for Clinton").
    ``ngram``: the compared sets hold every 1..ngram word sequence; 2 makes word order count.
    ``paraphrase``: minimum cosine of two claims' sentence vectors for the paraphrase level
    (`PARAPHRASE_THRESHOLD` is the measured default); None (the default) turns it off.
    ``paraphrase_min_words``: the paraphrase level only links claims with at least this many
    distinct content words (short noun phrases such as "Senator Ted Cruz of Texas" are
    close in meaning to every other mention of the person). It needs the ``paraphrase``
    extra (`narrativegraph.graph.embed`).
    """

    threshold: float = 0.4
    min_words: int = 4
    ngram: int = 2  # shingles are all 1..ngram word sequences
    lsh: LshParams = field(default_factory=LshParams)
    paraphrase: float | None = None
    paraphrase_min_words: int = 6

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if self.paraphrase is not None and not 0.0 < self.paraphrase <= 1.0:
            raise ValueError(f"paraphrase threshold must be in (0, 1], got {self.paraphrase}")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A claim's word set and LSH band keys."""

    words: frozenset[str]
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NarrativeGroup:
    """One narrative as the core computes it: its claim ids, earliest first.

    ``level``: `NEAR_VERBATIM` when near-verbatim links alone connect it, else `PARAPHRASE`;
    ``paraphrased``: the claims that have no near-verbatim link to another member.
    """

    id: str
    label: str
    claim_ids: tuple[str, ...]
    level: str = NEAR_VERBATIM
    paraphrased: tuple[str, ...] = ()


def fingerprint(text: str, params: LinkParams = LinkParams()) -> Fingerprint | None:
    """The claim's word set and band keys, or None when it is too short to link.

    >>> fp = fingerprint("a ban on Muslims entering the United States")
    >>> sorted(fp.words)[:4], len(fp.keys)
    (['a', 'a ban', 'ban', 'ban on'], 21)
    >>> fingerprint("the former secretary of state") is None
    True
    """
    toks = words(text)
    if len(set(content_words(toks))) < params.min_words:
        return None
    ws = frozenset().union(*(shingles(toks, k) for k in range(1, params.ngram + 1)))
    return Fingerprint(ws, tuple(band_keys(signature(ws, params.lsh), params.lsh)))


def _sort_key(row: ClaimRow) -> tuple[bool, int, str]:
    return (row.day is None, row.day if row.day is not None else 0, row.id)


def narrative_id(rows: Iterable[ClaimRow]) -> str:
    """Stable id of a narrative: a hash of its earliest claim (by day, then claim id).

    >>> narrative_id([ClaimRow("b", "", "x", day=3), ClaimRow("a", "", "y", day=5)])
    'n-8472c2e34d854f75'
    """
    first = min(rows, key=_sort_key)
    return "n-" + hashlib.blake2b(first.id.encode("utf-8"), digest_size=8).hexdigest()


def choose_label(rows: Sequence[ClaimRow], fps: Mapping[str, Fingerprint]) -> str:
    """A readable representative: the claim most similar to all the others (the medoid).

    Ties go to the earliest claim. Large narratives use their first 200 claims.
    """
    ordered = sorted(rows, key=_sort_key)[:200]
    best, best_score = ordered[0], -1.0
    for r in ordered:
        fp = fps.get(r.id)
        if fp is None:
            continue
        score = sum(jaccard(fp.words, fps[o.id].words) for o in ordered if o.id != r.id and o.id in fps)
        if score > best_score + 1e-12:
            best, best_score = r, score
    return " ".join(best.text.split())


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for x in list(self.parent):
            out[self.find(x)].append(x)
        return list(out.values())


class ClaimIndex:
    """In-memory LSH index over claims: add rows, get verified linked pairs.

    >>> idx = ClaimIndex()
    >>> idx.add([ClaimRow("c1", "a ban on Muslims entering the United States", "art1"),
    ...          ClaimRow("c2", "a temporary ban on Muslims entering the United States", "art2"),
    ...          ClaimRow("c3", "the economy is growing faster than expected", "art3")])
    [('c1', 'c2', 0.778)]
    """

    def __init__(self, params: LinkParams = LinkParams()) -> None:
        self.params = params
        self.rows: dict[str, ClaimRow] = {}
        self.fps: dict[str, Fingerprint] = {}
        self.buckets: dict[str, list[str]] = defaultdict(list)

    def add(self, rows: Iterable[ClaimRow]) -> list[tuple[str, str, float]]:
        """Index the rows; return the new verified pairs (a < b, Jaccard rounded to 3 places)."""
        pairs: list[tuple[str, str, float]] = []
        for row in rows:
            if row.id in self.rows:
                continue
            self.rows[row.id] = row
            fp = fingerprint(row.text, self.params) if row.linkable else None
            if fp is None:
                continue
            self.fps[row.id] = fp
            seen: set[str] = set()
            for key in fp.keys:
                bucket = self.buckets[key]
                for other in bucket:
                    if other in seen:
                        continue
                    seen.add(other)
                    sim = self.verify(row, fp, self.rows[other], self.fps[other])
                    if sim is not None:
                        a, b = sorted((row.id, other))
                        pairs.append((a, b, round(sim, 3)))
                bucket.append(row.id)
        return pairs

    def verify(self, a: ClaimRow, fa: Fingerprint, b: ClaimRow, fb: Fingerprint) -> float | None:
        """The pair's Jaccard when it links, else None (same-article pairs never link)."""
        if a.article_id == b.article_id:
            return None
        la, lb = len(fa.words), len(fb.words)
        if min(la, lb) < self.params.threshold * max(la, lb):  # Jaccard <= min/max: cannot reach it
            return None
        sim = jaccard(fa.words, fb.words)
        return sim if sim >= self.params.threshold else None


def link_claims(rows: Iterable[ClaimRow], params: LinkParams = LinkParams(), *,
                vectors: Mapping[str, np.ndarray] | None = None) -> list[NarrativeGroup]:
    """Narratives of a set of claims: connected components of the linked pairs, 2+ claims each.

    Sorted by size (largest first), then id. Pure: no store involved. With
    ``params.paraphrase``, claims are also linked by the cosine of their sentence vectors:
    taken from ``vectors`` (claim id -> unit vector) when given, else computed (`embed`).
    """
    idx = ClaimIndex(params)
    uf = _UnionFind()
    for a, b, _ in idx.add(rows):
        uf.union(a, b)
    verbatim = None
    if params.paraphrase is not None:
        verbatim = _copy_uf(uf)
        ids = _paraphrase_ids(idx.fps, idx.rows, params)
        vecs = _vectors_for(ids, idx.rows, vectors)
        for a, b, _ in paraphrase_pairs([idx.rows[i] for i in ids], vecs, params.paraphrase):
            uf.union(a, b)
    return _groups(uf.groups(), idx.rows, idx.fps, verbatim)


def _paraphrase_ids(fps: Mapping[str, Fingerprint], rows: Mapping[str, ClaimRow], params: LinkParams) -> list[str]:
    """The claims the paraphrase level links: near-verbatim candidates with enough content words."""
    return sorted(c for c in fps if len(set(content_words(words(rows[c].text)))) >= params.paraphrase_min_words)


def _copy_uf(uf: _UnionFind) -> _UnionFind:
    out = _UnionFind()
    out.parent = dict(uf.parent)
    return out


def _vectors_for(ids: Sequence[str], rows: Mapping[str, ClaimRow],
                 given: Mapping[str, np.ndarray] | None) -> np.ndarray:
    """Unit vectors of the claims ``ids``: the given ones, the rest embedded now."""
    from narrativegraph.graph.embed import DIM, embed

    out = np.zeros((len(ids), DIM), dtype=np.float32)
    missing = []
    for k, cid in enumerate(ids):
        v = given.get(cid) if given is not None else None
        if v is None:
            missing.append(k)
        else:
            out[k] = v
    if missing:
        out[missing] = embed([rows[ids[k]].text for k in missing])
    return out


_BLOCK_FLOATS = 8_000_000  # one block of similarities: 32 MB


def cosine_pairs(a: np.ndarray, b: np.ndarray | None, threshold: float, *,
                 block: int = 2048) -> list[tuple[int, int, float]]:
    """Index pairs ``(i, j, cosine)`` of unit vectors with cosine >= ``threshold``.

    ``a`` against ``b``, or ``a`` against itself (``b`` None: pairs ``i < j`` only), in
    blocks of ``block`` rows: exact, memory ``block * len(b)`` floats, time quadratic
    (about 1e9 vector pairs a minute on one core; blocks shrink so one block of
    similarities stays under 32 MB). Cosines are rounded to 4 places first,
    so a pair compared in another block shape links the same way.

    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], dtype=np.float32)
    >>> cosine_pairs(v, None, 0.75)
    [(0, 1, 0.8)]
    """
    out: list[tuple[int, int, float]] = []
    other = a if b is None else b
    if len(a) == 0 or len(other) == 0:
        return out
    block = max(1, min(block, _BLOCK_FLOATS // len(other)))
    for s in range(0, len(a), block):
        sims = np.round(a[s:s + block] @ other.T, 4)
        ii, jj = np.nonzero(sims >= threshold)
        for i, j in zip(ii.tolist(), jj.tolist()):
            if b is None and s + i >= j:
                continue
            out.append((s + i, j, round(float(sims[i, j]), 4)))
    return out


def paraphrase_pairs(rows: Sequence[ClaimRow], vectors: np.ndarray, threshold: float,
                     others: Sequence[ClaimRow] | None = None,
                     other_vectors: np.ndarray | None = None) -> list[tuple[str, str, float]]:
    """Claim pairs of different articles whose vectors reach ``threshold``: within ``rows``,
    or between ``rows`` and ``others``. As ``(row id, other id, cosine)``; within rows, a < b."""
    out = []
    if others is None:
        for i, j, sim in cosine_pairs(vectors, None, threshold):
            x, y = rows[i], rows[j]
            if x.article_id != y.article_id:
                a, b = sorted((x.id, y.id))
                out.append((a, b, sim))
    else:
        for i, j, sim in cosine_pairs(vectors, other_vectors, threshold):
            x, y = rows[i], others[j]
            if x.article_id != y.article_id and x.id != y.id:
                out.append((x.id, y.id, sim))
    return out


def _groups(components: Iterable[Sequence[str]], rows: Mapping[str, ClaimRow],
            fps: Mapping[str, Fingerprint], verbatim: _UnionFind | None = None) -> list[NarrativeGroup]:
    """Narratives of the components; ``verbatim``: the union-find of near-verbatim links alone."""
    sizes: dict[str, int] = defaultdict(int)
    if verbatim is not None:
        for x in verbatim.parent:
            sizes[verbatim.find(x)] += 1
    out = []
    for comp in components:
        if len(comp) < 2:
            continue
        members = sorted((rows[c] for c in comp), key=_sort_key)
        level, para = NEAR_VERBATIM, ()
        if verbatim is not None:
            if len({verbatim.find(c) for c in comp}) > 1:
                level = PARAPHRASE
            para = tuple(m.id for m in members if sizes.get(verbatim.find(m.id), 1) < 2)
        out.append(NarrativeGroup(narrative_id(members), choose_label(members, fps), tuple(m.id for m in members),
                                  level, para))
    out.sort(key=lambda g: (-len(g.claim_ids), g.id))
    return out


# ---------------------------------------------------------------------- the store part
@dataclass(frozen=True, slots=True)
class LinkReport:
    """What one linking run did."""

    claims: int  # claims read
    pairs: int  # verified pairs found
    narratives_written: int
    narratives_removed: int
    paraphrase_pairs: int = 0  # of ``pairs``, those the paraphrase level found (a pair may be found by both)


_READ_CLAIMS = """
UNWIND $ids AS aid
MATCH (a:Article {id: aid})-[:REPORTS]->(c:Claim)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN c.id AS id, c.text AS text, a.id AS article_id, o.name AS outlet, a.day AS day, c.form AS form, c.kind AS kind
"""

_READ_ALL_ARTICLES = "MATCH (a:Article) RETURN a.id AS id ORDER BY id"

_CANDIDATES = """
UNWIND $keys AS k
MATCH (:Band {key: k})<-[:IN_BAND]-(c:Claim)
MATCH (a:Article)-[:REPORTS]->(c)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN DISTINCT c.id AS id, c.text AS text, a.id AS article_id, o.name AS outlet, a.day AS day, c.form AS form, c.kind AS kind
"""

_WRITE_BANDS = """
UNWIND $rows AS row
MATCH (c:Claim {id: row.claim})
MERGE (b:Band {key: row.key})
MERGE (c)-[:IN_BAND]->(b)
"""

_NARRATIVES_OF = """
UNWIND $ids AS cid
MATCH (c:Claim {id: cid})-[:PART_OF]->(n:Narrative)
RETURN DISTINCT n.id AS id
"""

_MEMBERS_OF = """
UNWIND $ids AS nid
MATCH (n:Narrative {id: nid})<-[:PART_OF]-(c:Claim)
MATCH (a:Article)-[:REPORTS]->(c)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN n.id AS narrative, c.id AS id, c.text AS text, a.id AS article_id, o.name AS outlet, a.day AS day, c.form AS form, c.kind AS kind
"""

# narratives that lost claims (an article re-loaded with changed text drops its old claims)
_STALE = """
MATCH (n:Narrative)
OPTIONAL MATCH (c:Claim)-[:PART_OF]->(n)
WITH n, count(c) AS k
WHERE k <> n.claims
RETURN n.id AS id
"""

_DELETE_NARRATIVES = "UNWIND $rows AS row MATCH (n:Narrative {id: row.id}) DETACH DELETE n"

_WRITE_NARRATIVES = """
UNWIND $rows AS row
MERGE (n:Narrative {id: row.id})
SET n.label = row.label, n.claims = row.claims, n.articles = row.articles, n.outlets = row.outlets,
    n.first_day = row.first_day, n.last_day = row.last_day,
    n.first_seen = row.first_seen, n.last_seen = row.last_seen, n.level = row.level
"""

_READ_VECTORS = "MATCH (c:Claim) WHERE c.embedding IS NOT NULL RETURN c.id AS id, c.embedding AS v"

_VECTORS_OF = """
UNWIND $ids AS cid
MATCH (c:Claim {id: cid})
WHERE c.embedding IS NOT NULL
RETURN c.id AS id, c.embedding AS v, c.embedding_of AS of
"""

# embedding_of: a hash of the embedded text, so a claim whose text changed is embedded again
_WRITE_VECTORS = "UNWIND $rows AS row MATCH (c:Claim {id: row.claim}) SET c.embedding = row.v, c.embedding_of = row.of"

_CLAIMS_BY_ID = """
UNWIND $ids AS cid
MATCH (a:Article)-[:REPORTS]->(c:Claim {id: cid})
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN c.id AS id, c.text AS text, a.id AS article_id, o.name AS outlet, a.day AS day, c.form AS form, c.kind AS kind
"""

_UNLINK = "UNWIND $rows AS row MATCH (:Claim {id: row.id})-[r:PART_OF]->() DELETE r"

_WRITE_PART_OF = """
UNWIND $rows AS row
MATCH (c:Claim {id: row.claim}), (n:Narrative {id: row.narrative})
MERGE (c)-[r:PART_OF]->(n)
SET r.level = row.level
"""


def _row(d: Mapping[str, Any]) -> ClaimRow:
    day = d.get("day")
    return ClaimRow(str(d["id"]), str(d.get("text") or ""), str(d["article_id"]), d.get("outlet"),
                    int(day) if day is not None else None, linkable(d.get("form"), d.get("kind")))


def linkable(form: str | None, kind: str | None) -> bool:
    """Whether a claim of this form and kind takes part in narratives: a statement (a clause),
    or a quote; not an unquoted noun phrase ("denounced him", "praised the Republican nominee
    Donald Trump"), which shares words with every other mention of the same name.

    >>> linkable("clause", "indirect"), linkable("phrase", "indirect"), linkable("phrase", "direct"), linkable(None, None)
    (True, False, True, True)
    """
    return form != "phrase" or kind in ("direct", "mixed")


def _iso(day: int | None) -> str | None:
    return (EPOCH + timedelta(days=day)).isoformat() if day is not None else None


def _ensure_schema(store: Store) -> None:
    for label, prop in (("Band", "key"), ("Narrative", "id"), ("Claim", "id")):
        ensure = getattr(store, "ensure_index", None)
        if ensure is not None:
            ensure(label, prop)


def _chunks(seq: Sequence[Any], n: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


_READ_SETTINGS = ("MATCH (s:LinkSettings {id: 'narratives'}) RETURN s.threshold AS threshold, "
                  "s.min_words AS min_words, s.ngram AS ngram, s.paraphrase AS paraphrase, "
                  "s.paraphrase_min_words AS paraphrase_min_words")
_WRITE_SETTINGS = ("MERGE (s:LinkSettings {id: 'narratives'}) "
                   "SET s.threshold = $threshold, s.min_words = $min_words, s.ngram = $ngram, "
                   "s.paraphrase = $paraphrase, s.paraphrase_min_words = $paraphrase_min_words")


def stored_params(store: Store) -> LinkParams:
    """The thresholds the store's narratives were built with (`rebuild` records them), else the defaults."""
    rows = store.run(_READ_SETTINGS)
    if not rows or rows[0]["threshold"] is None:
        return LinkParams()
    r = rows[0]
    para, para_words = r.get("paraphrase"), r.get("paraphrase_min_words")
    return LinkParams(threshold=float(r["threshold"]), min_words=int(r["min_words"]), ngram=int(r["ngram"]),
                      paraphrase=float(para) if para is not None else None,
                      paraphrase_min_words=int(para_words) if para_words is not None else 6)


def link_params(store: Store, *, threshold: float | None = None, min_words: int | None = None,
                paraphrase: bool | None = None, paraphrase_threshold: float | None = None) -> LinkParams | None:
    """The store's thresholds with the given ones changed (None: nothing given, keep the store's).

    ``paraphrase`` True turns the paraphrase level on at `PARAPHRASE_THRESHOLD` (or the
    store's, or ``paraphrase_threshold``), False turns it off.
    """
    if threshold is None and min_words is None and paraphrase is None and paraphrase_threshold is None:
        return None
    base = stored_params(store)
    para = base.paraphrase
    if paraphrase is False:
        para = None
    elif paraphrase_threshold is not None:
        para = paraphrase_threshold
    elif paraphrase:
        para = para if para is not None else PARAPHRASE_THRESHOLD
    return replace(base, threshold=threshold if threshold is not None else base.threshold,
                   min_words=min_words if min_words is not None else base.min_words, paraphrase=para)


def _require_model(params: LinkParams) -> None:
    if params.paraphrase is not None:
        from narrativegraph.graph.embed import require

        require()


def link_new(store: Store, article_ids: Sequence[str], *, params: LinkParams | None = None,
             batch_size: int = 1000) -> LinkReport:
    """Link the claims of just-loaded articles into existing or new narratives.

    Candidates among the new claims come from an in-memory index, candidates among the
    stored claims from their stored band keys. The narratives these candidates belong to
    are relinked together with them and rewritten; a narrative's id is that of its
    earliest claim, so an unchanged narrative keeps its id. Loading the same articles
    again changes nothing. Without ``params``, the thresholds the store was built with.
    """
    _ensure_schema(store)
    if params is None:
        params = stored_params(store)
    _require_model(params)
    new_rows: list[ClaimRow] = []
    for chunk in _chunks(list(dict.fromkeys(article_ids)), batch_size):
        new_rows.extend(_row(d) for d in store.run(_READ_CLAIMS, {"ids": list(chunk)}))
    if not new_rows:
        return LinkReport(0, 0, 0, 0)
    idx = ClaimIndex(params)
    new_pairs = idx.add(sorted(new_rows, key=lambda r: r.id))
    new_ids = set(idx.rows)

    # candidates among stored claims, through their band keys
    all_keys = sorted({k for fp in idx.fps.values() for k in fp.keys})
    stored: dict[str, ClaimRow] = {}
    for chunk in _chunks(all_keys, batch_size):
        for d in store.run(_CANDIDATES, {"keys": list(chunk)}):
            r = _row(d)
            if r.id not in new_ids:
                stored[r.id] = r
    stored_fps = {cid: fp for cid, r in stored.items() if (fp := fingerprint(r.text, params)) is not None}
    by_key: dict[str, list[str]] = defaultdict(list)
    for cid, fp in stored_fps.items():
        for k in fp.keys:
            by_key[k].append(cid)
    old_pairs: list[tuple[str, str, float]] = []
    for cid, fp in idx.fps.items():
        seen: set[str] = set()
        for k in fp.keys:
            for other in by_key.get(k, ()):
                if other in seen:
                    continue
                seen.add(other)
                sim = idx.verify(idx.rows[cid], fp, stored[other], stored_fps[other])
                if sim is not None:
                    old_pairs.append((cid, other, sim))

    store.write_batches(_WRITE_BANDS, [{"claim": cid, "key": k} for cid, fp in sorted(idx.fps.items())
                                       for k in fp.keys], batch_size=batch_size)

    # paraphrase level: new claims' vectors against every stored claim's vector
    para_old: list[tuple[str, str, float]] = []
    vecs: dict[str, np.ndarray] = {}
    if params.paraphrase is not None:
        vecs = _ensure_vectors(store, _paraphrase_ids(idx.fps, idx.rows, params), idx.rows, batch_size=batch_size)
        para_old, para_rows = _stored_paraphrase_pairs(store, idx, vecs, params.paraphrase, batch_size=batch_size)
        for cid, r in para_rows.items():
            stored.setdefault(cid, r)
    level1_pairs = len(new_pairs) + len(old_pairs)
    old_pairs = old_pairs + para_old

    # narratives the new claims join, plus those whose claims a re-load deleted: relink all their
    # members together with the new and matched claims (a component is always wholly inside)
    touched_claims = sorted({b for _, b, _ in old_pairs} | new_ids)
    touched: set[str] = {d["id"] for d in store.run(_STALE)}
    for chunk in _chunks(touched_claims, batch_size):
        touched.update(d["id"] for d in store.run(_NARRATIVES_OF, {"ids": list(chunk)}))
    rows: dict[str, ClaimRow] = dict(idx.rows)
    # only the stored claims a new claim links to: an unlinked candidate keeps its narrative as it is
    rows.update({b: stored[b] for _, b, _ in old_pairs})
    for nchunk in _chunks(sorted(touched), batch_size):
        for d in store.run(_MEMBERS_OF, {"ids": list(nchunk)}):
            rows.setdefault(str(d["id"]), _row(d))
    full = ClaimIndex(params)
    uf = _UnionFind()
    for a, b, _ in full.add(sorted(rows.values(), key=lambda r: r.id)):
        uf.union(a, b)
    fps = full.fps
    verbatim = None
    para_found = 0  # paraphrase pairs with a new claim
    if params.paraphrase is not None:
        verbatim = _copy_uf(uf)
        ids = _paraphrase_ids(fps, rows, params)
        vecs.update(_ensure_vectors(store, [c for c in ids if c not in vecs], rows, batch_size=batch_size))
        mat = np.stack([vecs[c] for c in ids]) if ids else np.zeros((0, 1), dtype=np.float32)
        for a, b, _ in paraphrase_pairs([rows[c] for c in ids], mat, params.paraphrase):
            uf.union(a, b)
            para_found += a in new_ids or b in new_ids
    groups = _groups(uf.groups(), rows, fps, verbatim)
    written = _write_groups(store, groups, rows, batch_size=batch_size)
    removed = sorted(touched - {g.id for g in groups})
    store.write_batches(_DELETE_NARRATIVES, [{"id": n} for n in removed], batch_size=batch_size)
    # a claim belongs to one narrative: unlink every claim relinked here, then link the groups
    store.write_batches(_UNLINK, [{"id": c} for c in sorted(rows)], batch_size=batch_size)
    para_claims = {c for g in groups for c in g.paraphrased}
    store.write_batches(_WRITE_PART_OF, [{"claim": c, "narrative": g.id,
                                          "level": PARAPHRASE if c in para_claims else NEAR_VERBATIM}
                                         for g in groups for c in g.claim_ids], batch_size=batch_size)
    logger.info("linked %d claims: %d pairs (%d paraphrase), %d narratives written, %d merged away",
                len(new_rows), level1_pairs + para_found, para_found, written, len(removed))
    return LinkReport(len(new_rows), level1_pairs + para_found, written, len(removed), para_found)


def _encode(vec: np.ndarray) -> str:
    """A vector as a property: its float32 values, little-endian, base64 (exact round trip)."""
    return base64.b64encode(np.asarray(vec, dtype="<f4").tobytes()).decode("ascii")


def _decode(value: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(value), dtype="<f4").astype(np.float32)


def _text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _ensure_vectors(store: Store, ids: Sequence[str], rows: Mapping[str, ClaimRow], *,
                    batch_size: int) -> dict[str, np.ndarray]:
    """Vectors of the claims ``ids``: stored ones read back, the others embedded now and stored."""
    have: dict[str, np.ndarray] = {}
    for chunk in _chunks(list(ids), batch_size):
        for d in store.run(_VECTORS_OF, {"ids": list(chunk)}):
            if d["of"] == _text_key(rows[str(d["id"])].text):
                have[str(d["id"])] = _decode(d["v"])
    missing = [c for c in ids if c not in have]
    if missing:
        from narrativegraph.graph.embed import embed

        mat = embed([rows[c].text for c in missing])
        store.write_batches(_WRITE_VECTORS, [{"claim": c, "v": _encode(v), "of": _text_key(rows[c].text)}
                                             for c, v in zip(missing, mat)], batch_size=batch_size)
        have.update(zip(missing, mat))
    return have


def _stored_paraphrase_pairs(store: Store, idx: ClaimIndex, vecs: Mapping[str, np.ndarray], threshold: float, *,
                             batch_size: int) -> tuple[list[tuple[str, str, float]], dict[str, ClaimRow]]:
    """Paraphrase pairs (new claim, stored claim) and the stored claims' rows."""
    new_ids = sorted(vecs)
    stored_ids, stored_vecs = [], []
    for d in store.run(_READ_VECTORS):
        cid = str(d["id"])
        if cid not in idx.rows:
            stored_ids.append(cid)
            stored_vecs.append(_decode(d["v"]))
    if not new_ids or not stored_ids:
        return [], {}
    hits = cosine_pairs(np.stack([vecs[c] for c in new_ids]), np.stack(stored_vecs), threshold)
    matched = sorted({stored_ids[j] for _, j, _ in hits})
    found: dict[str, ClaimRow] = {}
    for chunk in _chunks(matched, batch_size):
        found.update((str(d["id"]), _row(d)) for d in store.run(_CLAIMS_BY_ID, {"ids": list(chunk)}))
    pairs = []
    for i, j, sim in hits:
        a, b = idx.rows[new_ids[i]], found.get(stored_ids[j])
        if b is not None and a.article_id != b.article_id:
            pairs.append((a.id, b.id, sim))
    return pairs, found


def _write_groups(store: Store, groups: Sequence[NarrativeGroup], rows: Mapping[str, ClaimRow], *,
                  batch_size: int) -> int:
    out = []
    for g in groups:
        members = [rows[c] for c in g.claim_ids]
        days = [m.day for m in members if m.day is not None]
        first_day, last_day = (min(days), max(days)) if days else (None, None)
        out.append({
            "id": g.id, "label": g.label, "claims": len(members),
            "articles": len({m.article_id for m in members}),
            "outlets": len({m.outlet for m in members if m.outlet}),
            "first_day": first_day, "last_day": last_day,
            "first_seen": _iso(first_day), "last_seen": _iso(last_day), "level": g.level,
        })
    store.write_batches(_WRITE_NARRATIVES, out, batch_size=batch_size)
    return len(out)


def rebuild(store: Store, *, params: LinkParams = LinkParams(), batch_size: int = 1000) -> LinkReport:
    """Forget every narrative and band key, then link all claims in the store from scratch.

    Stored claim vectors (paraphrase level) are kept: they depend on the claim text only.
    """
    _ensure_schema(store)
    _require_model(params)
    removed = delete_all(store, "Narrative")
    delete_all(store, "Band")  # hundreds of thousands on a large corpus: in batches
    store.run(_WRITE_SETTINGS, {"threshold": params.threshold, "min_words": params.min_words, "ngram": params.ngram,
                                "paraphrase": params.paraphrase,
                                "paraphrase_min_words": params.paraphrase_min_words}, write=True)
    ids = [d["id"] for d in store.run(_READ_ALL_ARTICLES)]
    report = link_new(store, ids, params=params, batch_size=batch_size)
    return LinkReport(report.claims, report.pairs, report.narratives_written, int(removed))


def link_store(store: Store, *, rebuild_all: bool = False, params: LinkParams | None = None,
               batch_size: int = 1000) -> tuple[LinkReport, Any]:
    """Link the store's claims and recompute spread: from scratch, or catching up on unlinked articles.

    Without ``rebuild_all``, every article goes through `link_new` (idempotent: already linked
    claims keep their narratives) with the stored thresholds; ``params`` other than the
    stored ones rebuild everything, since narratives built with two thresholds would disagree.
    A rebuild without ``params`` keeps the stored thresholds.
    """
    from narrativegraph.graph.spread import compute_spread

    if params is not None and params != stored_params(store):
        logger.info("thresholds differ from the store's: rebuilding all narratives")
        rebuild_all = True
    if rebuild_all:
        report = rebuild(store, params=params or stored_params(store), batch_size=batch_size)
        return report, compute_spread(store, [], everything=True)
    ids = [d["id"] for d in store.run(_READ_ALL_ARTICLES)]
    report = link_new(store, ids, params=params, batch_size=batch_size)
    return report, compute_spread(store, ids)


# ---------------------------------------------------------------------- listing
_TOP_FILTERS = {
    "outlet": ("MATCH (o:Outlet)-[:CARRIED]->(n:Narrative) "
               "WHERE toLower(o.name) = toLower($outlet) OR o.id = $outlet WITH DISTINCT n"),
    "speaker": ("MATCH (s:Entity)-[:ASSERTS]->(:Claim)-[:PART_OF]->(n:Narrative) "
                "WHERE toLower(s.name) = toLower($speaker) OR s.id = $speaker WITH DISTINCT n"),
}

_TOP_RETURN = """
WHERE coalesce(n.outlets, 0) >= $min_outlets
RETURN n.id AS id, n.label AS label, n.claims AS claims, n.articles AS articles, n.outlets AS outlets,
       n.outlets_independent AS independent_outlets, n.first_outlet AS first_outlet,
       n.first_seen AS first_seen, n.last_seen AS last_seen, n.spread_days AS spread_days
ORDER BY outlets DESC, claims DESC, id
LIMIT $top
"""

_CARRIERS = """
UNWIND $ids AS nid
MATCH (o:Outlet)-[r:CARRIED]->(:Narrative {id: nid})
RETURN nid AS id, o.name AS outlet, o.id AS outlet_id, r.rank AS rank, r.lag_days AS lag_days
ORDER BY id, coalesce(rank, 1000000000), outlet, outlet_id
"""


def top_narratives(store: Store, *, top: int = 20, outlet: str | None = None, speaker: str | None = None,
                   min_outlets: int = 2) -> list[dict[str, Any]]:
    """The widest narratives: most outlets, then most claims; optionally those an outlet carried
    or a speaker's claims belong to (name, case-insensitive, or id).

    Each row also has ``spread``: the outlets in the order they carried it with their lag,
    e.g. ``"politico, west-journal +0d, breitbart +2d"``.
    """
    head = "MATCH (n:Narrative) WITH n"
    parts = [head]
    if outlet:
        parts.append(_TOP_FILTERS["outlet"])
    if speaker:
        parts.append(_TOP_FILTERS["speaker"])
    # a filter starts its own MATCH: the plain one is only needed without filters
    cypher = "\n".join(parts[1:] if len(parts) > 1 else parts) + _TOP_RETURN
    rows = store.run(cypher, {"outlet": outlet, "speaker": speaker, "top": int(top),
                              "min_outlets": int(min_outlets)})
    spread: dict[str, list[str]] = defaultdict(list)
    for d in store.run(_CARRIERS, {"ids": [r["id"] for r in rows]}):
        lag = d["lag_days"]
        name = d["outlet"] or d["outlet_id"]
        spread[d["id"]].append(name if d["rank"] == 1 or lag is None else f"{name} +{lag}d")
    for r in rows:
        r["spread"] = ", ".join(spread.get(r["id"], []))
    return rows
