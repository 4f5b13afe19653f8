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
"""
from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Sequence

from narrativegraph.graph.similarity import (LshParams, band_keys, content_words, jaccard, shingles, signature,
                                             words)
from narrativegraph.graph.store import Store

__all__ = [
    "ClaimRow",
    "LinkParams",
    "Fingerprint",
    "NarrativeGroup",
    "ClaimIndex",
    "fingerprint",
    "link_claims",
    "narrative_id",
    "choose_label",
    "link_new",
    "rebuild",
    "top_narratives",
    "stored_params",
    "link_store",
    "LinkReport",
]

logger = logging.getLogger(__name__)

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """What linking needs to know about one claim."""

    id: str
    text: str
    article_id: str
    outlet: str | None = None
    day: int | None = None  # days since 1970-01-01


@dataclass(frozen=True, slots=True)
class LinkParams:
    """Linking thresholds; defaults measured on PolNeAR (docs/narratives.md).

    ``threshold``: minimum Jaccard of the two claims' word sets.
    ``min_words``: claims with fewer distinct content words (not `STOPWORDS`) are not
    linked at all: too generic ("the former secretary of state", "he will vote for Clinton").
    ``ngram``: the compared sets hold every 1..ngram word sequence; 2 makes word order count.
    """

    threshold: float = 0.4
    min_words: int = 4
    ngram: int = 2  # shingles are all 1..ngram word sequences
    lsh: LshParams = field(default_factory=LshParams)

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A claim's word set and LSH band keys."""

    words: frozenset[str]
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NarrativeGroup:
    """One narrative as the core computes it: its claim ids, earliest first."""

    id: str
    label: str
    claim_ids: tuple[str, ...]


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
            fp = fingerprint(row.text, self.params)
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


def link_claims(rows: Iterable[ClaimRow], params: LinkParams = LinkParams()) -> list[NarrativeGroup]:
    """Narratives of a set of claims: connected components of the linked pairs, 2+ claims each.

    Sorted by size (largest first), then id. Pure: no store involved.
    """
    idx = ClaimIndex(params)
    uf = _UnionFind()
    for a, b, _ in idx.add(rows):
        uf.union(a, b)
    return _groups(uf.groups(), idx.rows, idx.fps)


def _groups(components: Iterable[Sequence[str]], rows: Mapping[str, ClaimRow],
            fps: Mapping[str, Fingerprint]) -> list[NarrativeGroup]:
    out = []
    for comp in components:
        if len(comp) < 2:
            continue
        members = sorted((rows[c] for c in comp), key=_sort_key)
        out.append(NarrativeGroup(narrative_id(members), choose_label(members, fps), tuple(m.id for m in members)))
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


_READ_CLAIMS = """
UNWIND $ids AS aid
MATCH (a:Article {id: aid})-[:REPORTS]->(c:Claim)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN c.id AS id, c.text AS text, a.id AS article_id, o.name AS outlet, a.day AS day
"""

_READ_ALL_ARTICLES = "MATCH (a:Article) RETURN a.id AS id ORDER BY id"

_CANDIDATES = """
UNWIND $keys AS k
MATCH (:Band {key: k})<-[:IN_BAND]-(c:Claim)
MATCH (a:Article)-[:REPORTS]->(c)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN DISTINCT c.id AS id, c.text AS text, a.id AS article_id, o.name AS outlet, a.day AS day
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
RETURN n.id AS narrative, c.id AS id, c.text AS text, a.id AS article_id, o.name AS outlet, a.day AS day
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
    n.first_seen = row.first_seen, n.last_seen = row.last_seen
"""

_UNLINK = "UNWIND $rows AS row MATCH (:Claim {id: row.id})-[r:PART_OF]->() DELETE r"

_WRITE_PART_OF = """
UNWIND $rows AS row
MATCH (c:Claim {id: row.claim}), (n:Narrative {id: row.narrative})
MERGE (c)-[:PART_OF]->(n)
"""


def _row(d: Mapping[str, Any]) -> ClaimRow:
    day = d.get("day")
    return ClaimRow(str(d["id"]), str(d.get("text") or ""), str(d["article_id"]), d.get("outlet"),
                    int(day) if day is not None else None)


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


_READ_SETTINGS = "MATCH (s:LinkSettings {id: 'narratives'}) RETURN s.threshold AS threshold, s.min_words AS min_words, s.ngram AS ngram"
_WRITE_SETTINGS = ("MERGE (s:LinkSettings {id: 'narratives'}) "
                   "SET s.threshold = $threshold, s.min_words = $min_words, s.ngram = $ngram")


def stored_params(store: Store) -> LinkParams:
    """The thresholds the store's narratives were built with (`rebuild` records them), else the defaults."""
    rows = store.run(_READ_SETTINGS)
    if not rows or rows[0]["threshold"] is None:
        return LinkParams()
    r = rows[0]
    return LinkParams(threshold=float(r["threshold"]), min_words=int(r["min_words"]), ngram=int(r["ngram"]))


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
    groups = _groups(uf.groups(), rows, fps)
    written = _write_groups(store, groups, rows, batch_size=batch_size)
    removed = sorted(touched - {g.id for g in groups})
    store.write_batches(_DELETE_NARRATIVES, [{"id": n} for n in removed], batch_size=batch_size)
    # a claim belongs to one narrative: unlink every claim relinked here, then link the groups
    store.write_batches(_UNLINK, [{"id": c} for c in sorted(rows)], batch_size=batch_size)
    store.write_batches(_WRITE_PART_OF, [{"claim": c, "narrative": g.id} for g in groups for c in g.claim_ids],
                        batch_size=batch_size)
    logger.info("linked %d claims: %d pairs, %d narratives written, %d merged away",
                len(new_rows), len(new_pairs) + len(old_pairs), written, len(removed))
    return LinkReport(len(new_rows), len(new_pairs) + len(old_pairs), written, len(removed))


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
            "first_seen": _iso(first_day), "last_seen": _iso(last_day),
        })
    store.write_batches(_WRITE_NARRATIVES, out, batch_size=batch_size)
    return len(out)


def rebuild(store: Store, *, params: LinkParams = LinkParams(), batch_size: int = 1000) -> LinkReport:
    """Forget every narrative and band key, then link all claims in the store from scratch."""
    _ensure_schema(store)
    removed = store.run("MATCH (n:Narrative) RETURN count(n) AS n")[0]["n"]
    store.run("MATCH (n:Narrative) DETACH DELETE n", write=True)
    store.run("MATCH (b:Band) DETACH DELETE b", write=True)
    store.run(_WRITE_SETTINGS, {"threshold": params.threshold, "min_words": params.min_words, "ngram": params.ngram},
              write=True)
    ids = [d["id"] for d in store.run(_READ_ALL_ARTICLES)]
    report = link_new(store, ids, params=params, batch_size=batch_size)
    return LinkReport(report.claims, report.pairs, report.narratives_written, int(removed))


def link_store(store: Store, *, rebuild_all: bool = False, params: LinkParams | None = None,
               batch_size: int = 1000) -> tuple[LinkReport, Any]:
    """Link the store's claims and recompute spread: from scratch, or catching up on unlinked articles.

    Without ``rebuild_all``, every article goes through `link_new` (idempotent: already linked
    claims keep their narratives) with the stored thresholds; ``params`` other than the
    stored ones rebuild everything, since narratives built with two thresholds would disagree.
    """
    from narrativegraph.graph.spread import compute_spread

    if params is not None and params != stored_params(store):
        logger.info("thresholds differ from the store's: rebuilding all narratives")
        rebuild_all = True
    if rebuild_all:
        report = rebuild(store, params=params or LinkParams(), batch_size=batch_size)
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
