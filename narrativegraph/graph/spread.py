"""Spread analytics: who carried each narrative first, who followed and how fast, stored back in the graph.

Per narrative (from its claims' articles and their outlets)::

    (:Outlet)-[:CARRIED {rank, first_day, first_seen, lag_days, articles, first_article, independent}]->(:Narrative)
    Narrative.first_outlet, first_article, outlets, outlets_independent, spread_days

``rank`` is the competition rank of the outlet's first day (same day, same rank);
``lag_days`` counts days after the narrative's first day. Independent counts fold
copies and wire stories: an article that is a ``COPY_OF`` another counts as its origin,
an article with ``wire`` set counts as that agency, so seven outlets running one AP story
count once.

Across narratives (networkx over the CARRIED edges and the articles' CREDITS)::

    (:Outlet)-[:ECHOES {narratives, median_lag_days, credits}]->(:Outlet)
        B echoes A: B carried a narrative on a later day than A, or an article of B credits A
    Outlet.narratives_carried, narratives_first, first_mover_score, amplifier_score, echo_influence

and per speaker (any node that ``ASSERTS`` claims): ``outlets_reached`` (outlets whose
articles report the speaker's claims), ``narratives`` and ``narrative_outlets`` (outlets
carrying the narratives the speaker's claims belong to).
"""
from __future__ import annotations

import logging
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Sequence

import networkx as nx

from narrativegraph.graph.store import Store
from narrativegraph.records import outlet_id

__all__ = ["OutletCarry", "SpreadReport", "narrative_spread", "echo_graph", "outlet_scores", "compute_spread",
           "compute_echoes"]

logger = logging.getLogger(__name__)

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class OutletCarry:
    """One outlet's part in one narrative."""

    outlet_id: str
    outlet: str
    rank: int | None
    first_day: int | None
    lag_days: int | None
    articles: int
    first_article: str
    independent: bool


@dataclass(frozen=True, slots=True)
class SpreadReport:
    """What one spread run wrote."""

    narratives: int
    carried: int
    echoes: int
    outlets: int
    speakers: int


def _origin_key(row: Mapping[str, Any]) -> str:
    """What an article counts as when counting independent voices: the outlet whose newsroom wrote it.

    A wire story counts as its agency's outlet (the node ``WIRE_FROM`` points to), so the
    agency's own articles and other outlets' runs of them are one voice.
    """
    wire = row.get("wire") or row.get("origin_wire")
    if wire:
        return outlet_id(str(wire))
    return str(row.get("origin_outlet_id") or row.get("outlet_id") or "article:" + str(row["article_id"]))


def narrative_spread(rows: Iterable[Mapping[str, Any]]) -> tuple[list[OutletCarry], int]:
    """Outlets of one narrative in the order they carried it, and the count of independent origins.

    ``rows``: one per (claim, article) with article_id, day, outlet_id, outlet, wire and,
    when the article is a copy, origin_outlet_id / origin_wire.

    >>> rows = [dict(article_id="a1", day=10, outlet_id="outlet/ap", outlet="AP", wire="AP"),
    ...         dict(article_id="b1", day=12, outlet_id="outlet/b", outlet="B", wire="AP"),
    ...         dict(article_id="c1", day=12, outlet_id="outlet/c", outlet="C")]
    >>> carries, independent = narrative_spread(rows)
    >>> [(c.outlet, c.rank, c.lag_days, c.independent) for c in carries], independent
    ([('AP', 1, 0, True), ('B', 2, 2, False), ('C', 2, 2, True)], 2)
    """
    by_outlet: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        by_outlet[str(r.get("outlet_id") or "")].append(r)
    by_outlet.pop("", None)
    firsts = []
    for oid, rs in by_outlet.items():
        ordered = sorted(rs, key=lambda r: (r.get("day") is None, r.get("day") or 0, str(r["article_id"])))
        first = ordered[0]
        keys = {_origin_key(r) for r in rs}
        firsts.append((first.get("day"), oid, str(first.get("outlet") or oid), first, len({r["article_id"] for r in rs}),
                       oid in keys))
    days = sorted(d for d, *_ in firsts if d is not None)
    start = days[0] if days else None
    carries = []
    for day, oid, name, first, n_articles, independent in sorted(
            firsts, key=lambda f: (f[0] is None, f[0] or 0, f[2], f[1])):
        rank = 1 + sum(1 for d in days if d < day) if day is not None else None
        carries.append(OutletCarry(oid, name, rank, day, day - start if day is not None else None,
                                   n_articles, str(first["article_id"]), independent))
    all_rows = [r for rs in by_outlet.values() for r in rs]
    independent_count = len({_origin_key(r) for r in all_rows})
    return carries, independent_count


def echo_graph(carried: Iterable[tuple[str, str, int | None]],
               credits: Iterable[tuple[str, str, int]] = ()) -> nx.DiGraph:
    """The echo network from (narrative, outlet, first_day) rows: edge B -> A when B followed A.

    Edge attributes: ``narratives`` (how many narratives B carried after A),
    ``median_lag_days`` and ``credits``: how many of B's articles credit A, from
    ``credits`` rows (B, A, articles). A credit alone makes an edge too (no narratives,
    no lag): "told CNN" says B relied on A as much as carrying A's narrative later does.

    >>> g = echo_graph([("n1", "A", 1), ("n1", "B", 3), ("n2", "A", 5), ("n2", "B", 6), ("n2", "C", 5)],
    ...                [("B", "A", 1), ("C", "D", 2)])
    >>> sorted((u, v, d["narratives"], d["median_lag_days"], d["credits"]) for u, v, d in g.edges(data=True))
    [('B', 'A', 2, 1.5, 1), ('B', 'C', 1, 1.0, 0), ('C', 'D', 0, None, 2)]
    """
    per_narrative: dict[str, list[tuple[str, int]]] = defaultdict(list)
    g = nx.DiGraph()
    for nid, oid, day in carried:
        g.add_node(oid)
        if day is not None:
            per_narrative[nid].append((oid, int(day)))
    lags: dict[tuple[str, str], list[int]] = defaultdict(list)
    for members in per_narrative.values():
        for b, db in members:
            for a, da in members:
                if db > da:
                    lags[(b, a)].append(db - da)
    for (b, a), ls in lags.items():
        g.add_edge(b, a, narratives=len(ls), median_lag_days=float(statistics.median(ls)), credits=0)
    for b, a, k in credits:
        if b == a or not k:
            continue
        if g.has_edge(b, a):
            g[b][a]["credits"] = int(k)
        else:
            g.add_edge(b, a, narratives=0, median_lag_days=None, credits=int(k))
    for _, _, d in g.edges(data=True):
        d["weight"] = d["narratives"] + d["credits"]
    return g


def outlet_scores(carried: Iterable[tuple[str, str, int | None, int | None]], g: nx.DiGraph) -> dict[str, dict[str, Any]]:
    """First-mover and amplifier scores from (narrative, outlet, first_day, rank) rows and the echo graph.

    * ``first_mover_score``: share of the outlet's narratives it carried first (rank 1);
    * ``amplifier_score``: share it carried on a later day than another outlet;
    * ``echo_influence``: PageRank on the echo network (echoes pass credit to the echoed),
      each edge weighted by its narratives plus credits.

    >>> rows = [("n1", "A", 1, 1), ("n1", "B", 3, 2), ("n2", "B", 6, 1)]
    >>> s = outlet_scores(rows, echo_graph((n, o, d) for n, o, d, _ in rows))
    >>> s["A"]["first_mover_score"], s["B"]["first_mover_score"], s["B"]["amplifier_score"]
    (1.0, 0.5, 0.5)
    """
    carried_n: dict[str, int] = defaultdict(int)
    first_n: dict[str, int] = defaultdict(int)
    later_n: dict[str, int] = defaultdict(int)
    for _, oid, _, rank in carried:
        carried_n[oid] += 1
        if rank == 1:
            first_n[oid] += 1
        elif rank is not None:
            later_n[oid] += 1
    pr = nx.pagerank(g, weight="weight") if g.number_of_edges() else {n: 0.0 for n in g}
    out = {}
    for oid, n in carried_n.items():
        out[oid] = {
            "id": oid,
            "narratives_carried": n,
            "narratives_first": first_n[oid],
            "first_mover_score": round(first_n[oid] / n, 4),
            "amplifier_score": round(later_n[oid] / n, 4),
            "echo_influence": round(float(pr.get(oid, 0.0)), 6),
        }
    return out


def _iso(day: int | None) -> str | None:
    return (EPOCH + timedelta(days=int(day))).isoformat() if day is not None else None


def _chunks(seq: Sequence[Any], n: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


_NARRATIVES_OF_ARTICLES = """
UNWIND $ids AS aid
MATCH (:Article {id: aid})-[:REPORTS]->(:Claim)-[:PART_OF]->(n:Narrative)
RETURN DISTINCT n.id AS id
"""

_DIRTY = "MATCH (n:Narrative) WHERE n.spread_claims IS NULL OR n.spread_claims <> n.claims RETURN n.id AS id"

_SPREAD_ROWS = """
UNWIND $ids AS nid
MATCH (n:Narrative {id: nid})<-[:PART_OF]-(c:Claim)<-[:REPORTS]-(a:Article)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
OPTIONAL MATCH (a)-[:COPY_OF]->(orig:Article)
OPTIONAL MATCH (oo:Outlet)-[:PUBLISHED]->(orig)
RETURN n.id AS narrative, a.id AS article_id, a.day AS day, o.id AS outlet_id, o.name AS outlet,
       a.wire AS wire, oo.id AS origin_outlet_id, orig.wire AS origin_wire
"""

_CLEAR_CARRIED = "UNWIND $rows AS row MATCH (:Outlet)-[r:CARRIED]->(:Narrative {id: row.id}) DELETE r"

_WRITE_CARRIED = """
UNWIND $rows AS row
MATCH (o:Outlet {id: row.outlet_id}), (n:Narrative {id: row.narrative})
MERGE (o)-[r:CARRIED]->(n)
SET r.rank = row.rank, r.first_day = row.first_day, r.first_seen = row.first_seen, r.lag_days = row.lag_days,
    r.articles = row.articles, r.first_article = row.first_article, r.independent = row.independent
"""

_WRITE_NARRATIVE = """
UNWIND $rows AS row
MATCH (n:Narrative {id: row.id})
SET n.first_outlet = row.first_outlet, n.first_article = row.first_article, n.outlets = row.outlets,
    n.outlets_independent = row.outlets_independent, n.spread_days = row.spread_days,
    n.spread_claims = n.claims
"""

_ALL_CARRIED = """
MATCH (o:Outlet)-[r:CARRIED]->(n:Narrative)
RETURN n.id AS narrative, o.id AS outlet, r.first_day AS day, r.rank AS rank
"""

_WRITE_ECHOES = """
UNWIND $rows AS row
MATCH (b:Outlet {id: row.b}), (a:Outlet {id: row.a})
MERGE (b)-[r:ECHOES]->(a)
SET r.narratives = row.narratives, r.median_lag_days = row.median_lag_days, r.credits = row.credits
"""

# B's articles that credit A (graph/outlets.py writes CREDITS at load)
_CREDIT_PAIRS = """
MATCH (b:Outlet)-[:PUBLISHED]->(art:Article)-[:CREDITS]->(o:Outlet)
WHERE b.id <> o.id
RETURN b.id AS b, o.id AS a, count(DISTINCT art) AS articles
"""

_CLEAR_SCORES = """
MATCH (o:Outlet) WHERE o.narratives_carried IS NOT NULL
SET o.narratives_carried = null, o.narratives_first = null, o.first_mover_score = null,
    o.amplifier_score = null, o.echo_influence = null
"""

_WRITE_SCORES = """
UNWIND $rows AS row
MATCH (o:Outlet {id: row.id})
SET o.narratives_carried = row.narratives_carried, o.narratives_first = row.narratives_first,
    o.first_mover_score = row.first_mover_score, o.amplifier_score = row.amplifier_score,
    o.echo_influence = row.echo_influence
"""

_SPEAKERS_OF = """
UNWIND $ids AS aid
MATCH (:Article {id: aid})-[:REPORTS]->(:Claim)<-[:ASSERTS]-(s)
RETURN DISTINCT s.id AS id
"""

_SPEAKERS_OF_NARRATIVES = """
UNWIND $ids AS nid
MATCH (:Narrative {id: nid})<-[:PART_OF]-(:Claim)<-[:ASSERTS]-(s)
RETURN DISTINCT s.id AS id
"""

_WRITE_SPEAKERS = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.id})-[:ASSERTS]->(c:Claim)<-[:REPORTS]-(a:Article)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
OPTIONAL MATCH (c)-[:PART_OF]->(n:Narrative)
OPTIONAL MATCH (no:Outlet)-[:CARRIED]->(n)
WITH s, count(DISTINCT o) AS reached, count(DISTINCT n) AS narratives, count(DISTINCT no) AS narrative_outlets
SET s.outlets_reached = reached, s.narratives = narratives, s.narrative_outlets = narrative_outlets
"""


def compute_spread(store: Store, article_ids: Sequence[str], *, batch_size: int = 500,
                   everything: bool = False) -> SpreadReport:
    """Recompute the spread of the narratives the articles touch, then the echo network and scores.

    Narrative-level results are recomputed only for the narratives of ``article_ids`` and
    those linking changed since (``spread_claims`` differs from ``claims``), or for all
    with ``everything=True``; the echo network and outlet scores are recomputed from all
    stored CARRIED and CREDITS edges (`compute_echoes`), which is cheap.
    """
    if everything:
        nids = [d["id"] for d in store.run("MATCH (n:Narrative) RETURN n.id AS id")]
    else:
        found: set[str] = {d["id"] for d in store.run(_DIRTY)}
        for chunk in _chunks(list(dict.fromkeys(article_ids)), batch_size):
            found.update(d["id"] for d in store.run(_NARRATIVES_OF_ARTICLES, {"ids": list(chunk)}))
        nids = sorted(found)
    carried_rows: list[dict[str, Any]] = []
    narrative_rows: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(nids), batch_size):
        per: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for d in store.run(_SPREAD_ROWS, {"ids": list(chunk)}):
            per[d["narrative"]].append(d)
        for nid in chunk:
            rows = per.get(nid, [])
            carries, independent = narrative_spread(rows)
            days = [c.first_day for c in carries if c.first_day is not None]
            first = carries[0] if carries else None
            narrative_rows.append({
                "id": nid,
                "first_outlet": first.outlet if first else None,
                "first_article": first.first_article if first else
                (min(r["article_id"] for r in rows) if rows else None),
                "outlets": len(carries),
                "outlets_independent": independent,
                "spread_days": (max(days) - min(days)) if days else None,
            })
            carried_rows.extend({
                "narrative": nid, "outlet_id": c.outlet_id, "rank": c.rank, "first_day": c.first_day,
                "first_seen": _iso(c.first_day), "lag_days": c.lag_days, "articles": c.articles,
                "first_article": c.first_article, "independent": c.independent,
            } for c in carries)
    store.write_batches(_CLEAR_CARRIED, [{"id": n} for n in nids], batch_size=batch_size)
    store.write_batches(_WRITE_CARRIED, carried_rows, batch_size=batch_size)
    store.write_batches(_WRITE_NARRATIVE, narrative_rows, batch_size=batch_size)

    echoes = compute_echoes(store, batch_size=batch_size)

    # speakers whose claims these articles report or whose narratives changed
    speakers: set[str] = set()
    if everything:
        speakers.update(d["id"] for d in store.run("MATCH (s)-[:ASSERTS]->(:Claim) RETURN DISTINCT s.id AS id"))
    else:
        for chunk in _chunks(list(dict.fromkeys(article_ids)), batch_size):
            speakers.update(d["id"] for d in store.run(_SPEAKERS_OF, {"ids": list(chunk)}))
        for chunk in _chunks(nids, batch_size):
            speakers.update(d["id"] for d in store.run(_SPEAKERS_OF_NARRATIVES, {"ids": list(chunk)}))
    store.write_batches(_WRITE_SPEAKERS, [{"id": s} for s in sorted(speakers) if s is not None],
                        batch_size=batch_size)
    logger.info("spread: %d narratives, %d CARRIED, %d ECHOES, %d outlets scored, %d speakers",
                len(nids), len(carried_rows), echoes.echoes, echoes.outlets, len(speakers))
    return SpreadReport(len(nids), len(carried_rows), echoes.echoes, echoes.outlets, len(speakers))


def compute_echoes(store: Store, *, batch_size: int = 500) -> SpreadReport:
    """Rewrite the echo network and the outlet scores from every CARRIED edge and every CREDITS.

    Cheap (one row per narrative and outlet, one per crediting outlet pair), so it always
    runs whole; call it after anything that changes CARRIED or CREDITS.
    """
    all_carried = [(d["narrative"], d["outlet"], d["day"], d["rank"]) for d in store.run(_ALL_CARRIED)]
    credits = [(d["b"], d["a"], d["articles"]) for d in store.run(_CREDIT_PAIRS)]
    g = echo_graph(((n, o, d) for n, o, d, _ in all_carried), credits)
    store.run("MATCH (:Outlet)-[r:ECHOES]->(:Outlet) DELETE r", write=True)
    echoes = [{"b": b, "a": a, "narratives": d["narratives"], "median_lag_days": d["median_lag_days"],
               "credits": d["credits"]} for b, a, d in sorted(g.edges(data=True))]
    store.write_batches(_WRITE_ECHOES, echoes, batch_size=batch_size)
    store.run(_CLEAR_SCORES, write=True)
    scores = outlet_scores(all_carried, g)
    store.write_batches(_WRITE_SCORES, [scores[k] for k in sorted(scores)], batch_size=batch_size)
    return SpreadReport(0, len(all_carried), len(echoes), len(scores), 0)
