"""Every named query gives the same rows on the embedded store and on Neo4j (seed + PolNeAR dev)."""
from __future__ import annotations

import pytest

from narrativegraph.graph.load import load_records
from narrativegraph.queries.runner import list_queries, run_cypher, run_query

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _one(store, cypher: str):
    rows = run_cypher(store, cypher)
    return rows[0]["v"] if rows else None


def _cases(store) -> list[tuple[str, dict]]:
    """(query, params) pairs covering every query, parameters taken from the loaded data."""
    speakers = [r["v"] for r in run_cypher(store, "MATCH (s:Person)-[:ASSERTS]->(c) WITH s, count(c) AS n "
                                                  "RETURN s.id AS v ORDER BY n DESC, v LIMIT 3")]
    outlets = [r["v"] for r in run_cypher(store, "MATCH (o:Outlet)-[:PUBLISHED]->() RETURN DISTINCT o.id AS v "
                                                 "ORDER BY v")]
    values = {
        "speaker": [*speakers, "Hediye Levent", "levent", "Trump"],
        "outlet": [*outlets, "Sputnik Turkey"],
        "entity": [_one(store, "MATCH (e:Entity)<-[m:MENTIONS]-() WITH e, count(m) AS n "
                               "RETURN e.id AS v ORDER BY n DESC, v LIMIT 1"), "Aleppo"],
        "text": ["said", "mass murder", "Clinton campaign", "emails"],
        "id": ["000_24d1b39d5706461e", _one(store, "MATCH (a:Article) RETURN a.id AS v ORDER BY v LIMIT 1")],
        "narrative": [r["v"] for r in run_cypher(store, "MATCH (n:Narrative) RETURN n.id AS v "
                                                        "ORDER BY n.outlets DESC, n.claims DESC, v LIMIT 3")] + ["n-nope"],
    }
    cases = []
    for spec in list_queries():
        required = [p for p in spec.params if p.required]
        if not required:
            cases.append((spec.name, {}))
        for p in required[:1]:
            for v in values.get("narrative" if p.type == "narrative" else p.name, []):
                cases.append((spec.name, {p.name: v}))
    return cases


def test_named_queries_agree_across_stores(tmp_path, neo4j_only, seed_records, dev_records):
    from narrativegraph.graph import open_store

    records = [*seed_records, *dev_records]
    neo = neo4j_only
    with open_store(path=str(tmp_path / "db")) as embedded:
        for s in (embedded, neo):
            load_records(s, records)
        cases = _cases(embedded)
        assert len(cases) >= 20
        disagree = []
        nonempty = 0
        for name, params in cases:
            try:
                a = run_query(embedded, name, **params)
            except Exception as e:  # the same error on both stores is agreement too
                a = type(e).__name__
            try:
                b = run_query(neo, name, **params)
            except Exception as e:
                b = type(e).__name__
            nonempty += bool(a) and isinstance(a, list)
            if a != b:
                disagree.append((name, params, a if isinstance(a, str) else a[:2],
                                 b if isinstance(b, str) else b[:2]))
        assert not disagree, disagree[:3]
        assert nonempty >= len(cases) * 0.6
