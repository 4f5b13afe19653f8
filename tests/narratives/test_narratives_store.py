"""Narratives and spread in a real store: incremental loading equals a rebuild, spread and queries."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from narrativegraph.graph.narratives import ClaimRow, link_claims, link_new, link_store, rebuild, top_narratives
from narrativegraph.graph.spread import compute_spread

TOPICS = ("Muslim", "email", "Russia, if you", "unfairness of the tax", "stupid wall", "coal miners",
          "Bibi", "very charming", "minimum wage")


def subset(gold_claims: list[ClaimRow]) -> list[ClaimRow]:
    """Claims on a few recurring topics, plus two other claims of each of their articles: ~1,000 real claims."""
    topic = [r for r in gold_claims if any(t in r.text for t in TOPICS)]
    arts = {r.article_id for r in topic}
    taken = {r.id for r in topic}
    other: dict[str, list[ClaimRow]] = {}
    for r in gold_claims:
        if r.article_id in arts and r.id not in taken and len(other.setdefault(r.article_id, [])) < 2:
            other[r.article_id].append(r)
    return topic + [r for v in other.values() for r in v]


def write_model(store, claims: list[ClaimRow], *, wire: dict[str, str] | None = None,
                copies: dict[str, str] | None = None, speakers: bool = True) -> list[str]:
    """Write claims in the graph model's shape (Outlet, Article, Claim, PUBLISHED, REPORTS, ASSERTS)."""
    wire = wire or {}
    arts = {}
    for r in claims:
        arts.setdefault(r.article_id, r)
    store.write_batches("UNWIND $rows AS row MERGE (o:Outlet {id: row.id}) SET o.name = row.name",
                        [{"id": f"outlet/{r.outlet}", "name": r.outlet} for r in
                         {r.outlet: r for r in arts.values()}.values()])
    store.write_batches(
        "UNWIND $rows AS row MERGE (a:Article {id: row.id}) SET a.day = row.day, a.published = row.published, "
        "a.wire = row.wire, a.outlet_id = row.outlet_id "
        "WITH a, row MATCH (o:Outlet {id: row.outlet_id}) MERGE (o)-[:PUBLISHED]->(a)",
        [{"id": a, "day": r.day, "published": (date(1970, 1, 1) + timedelta(days=r.day)).isoformat(),
          "wire": wire.get(a), "outlet_id": f"outlet/{r.outlet}"} for a, r in sorted(arts.items())])
    store.write_batches(
        "UNWIND $rows AS row MATCH (a:Article {id: row.article_id}) MERGE (c:Claim {id: row.id}) "
        "SET c.text = row.text, c.article_id = row.article_id, c.start = row.start, c.end = row.end "
        "MERGE (a)-[:REPORTS]->(c)",
        [{"id": r.id, "text": r.text, "article_id": r.article_id,
          "start": int(r.id.rsplit(":", 1)[1].split("-")[0]), "end": int(r.id.rsplit("-", 1)[1])} for r in claims])
    if speakers:  # one speaker per outlet, so speaker reach is checkable
        store.write_batches(
            "UNWIND $rows AS row MERGE (s:Entity:Person {id: row.sid}) SET s.name = row.name "
            "WITH s, row MATCH (c:Claim {id: row.cid}) MERGE (s)-[:ASSERTS]->(c)",
            [{"sid": f"person/{r.outlet}-voice", "name": f"{r.outlet} voice", "cid": r.id} for r in claims])
    for a, b in (copies or {}).items():
        store.run("MATCH (a:Article {id: $a}), (b:Article {id: $b}) MERGE (a)-[:COPY_OF]->(b)", {"a": a, "b": b},
                  write=True)
    return sorted(arts)


def snapshot(store) -> dict:
    narratives = store.run("MATCH (c:Claim)-[:PART_OF]->(n:Narrative) WITH n, c ORDER BY c.id "
                           "RETURN n.id AS id, n.label AS label, n.claims AS claims, collect(c.id) AS members "
                           "ORDER BY id")
    carried = store.run("MATCH (o:Outlet)-[r:CARRIED]->(n:Narrative) RETURN n.id AS n, o.id AS o, r.rank AS rank, "
                        "r.lag_days AS lag ORDER BY n, o")
    echoes = store.run("MATCH (b:Outlet)-[e:ECHOES]->(a:Outlet) RETURN b.id AS b, a.id AS a, "
                       "e.narratives AS k, e.median_lag_days AS lag ORDER BY b, a")
    return {"narratives": narratives, "carried": carried, "echoes": echoes}


def test_incremental_halves_equal_rebuild(store, gold_claims):
    claims = subset(gold_claims)
    arts = sorted({r.article_id for r in claims})
    first, second = set(arts[::2]), set(arts[1::2])
    a_ids = write_model(store, [r for r in claims if r.article_id in first])
    link_new(store, a_ids)
    compute_spread(store, a_ids)
    b_ids = write_model(store, [r for r in claims if r.article_id in second])
    link_new(store, b_ids)
    compute_spread(store, b_ids)
    incremental = snapshot(store)

    expected = link_claims(claims)
    assert len(expected) >= 10
    assert [(n["id"], n["members"]) for n in incremental["narratives"]] == \
        sorted((g.id, sorted(g.claim_ids)) for g in expected)

    link_store(store, rebuild_all=True)
    assert snapshot(store) == incremental
    # loading the same articles again changes nothing
    link_new(store, b_ids)
    compute_spread(store, b_ids)
    assert snapshot(store) == incremental


def test_spread_order_lags_and_echoes(store, gold_claims):
    claims = subset(gold_claims)
    ids = write_model(store, claims)
    link_new(store, ids)
    compute_spread(store, ids)
    russia = [r for r in claims if "Russia, if you" in r.text]
    nid = store.run("MATCH (c:Claim {id: $c})-[:PART_OF]->(n:Narrative) RETURN n.id AS id", {"c": russia[0].id})[0]["id"]
    rows = store.run("MATCH (o:Outlet)-[r:CARRIED]->(n:Narrative {id: $id}) RETURN o.name AS outlet, r.rank AS rank, "
                     "r.first_day AS day, r.lag_days AS lag ORDER BY rank, outlet", {"id": nid})
    first_day = min(r.day for r in russia)
    assert rows[0]["rank"] == 1 and rows[0]["lag"] == 0 and rows[0]["day"] == first_day
    assert {r["outlet"] for r in rows} == {r.outlet for r in russia}
    for row in rows:
        assert row["lag"] == row["day"] - first_day
    n = store.run("MATCH (n:Narrative {id: $id}) RETURN n.first_outlet AS fo, n.outlets AS k, "
                  "n.outlets_independent AS ind", {"id": nid})[0]
    assert n["fo"] == rows[0]["outlet"] and n["k"] == len(rows) == n["ind"]
    # echoes point from later to earlier outlets and count narratives
    for e in store.run("MATCH (b:Outlet)-[e:ECHOES]->(a:Outlet) RETURN e.narratives AS k, e.median_lag_days AS lag"):
        assert e["k"] >= 1 and e["lag"] > 0
    scores = store.run("MATCH (o:Outlet) WHERE o.narratives_carried > 0 RETURN o.first_mover_score AS f, "
                       "o.amplifier_score AS a")
    assert scores and all(0 <= s["f"] <= 1 and 0 <= s["a"] <= 1 for s in scores)
    reach = store.run("MATCH (s:Entity)-[:ASSERTS]->() WITH DISTINCT s RETURN min(s.outlets_reached) AS lo")
    assert reach[0]["lo"] == 1  # each test speaker speaks through one outlet


def test_independent_counts_fold_copies_and_wire(store, gold_claims):
    claims = [r for r in gold_claims if "Russia, if you" in r.text]
    arts = sorted({r.article_id for r in claims}, key=lambda a: ({r.article_id: r.day for r in claims}[a], a))
    assert len(arts) >= 2
    ids = write_model(store, claims, copies={arts[1]: arts[0]})
    link_new(store, ids)
    compute_spread(store, ids)
    n = store.run("MATCH (n:Narrative) RETURN n.outlets AS k, n.outlets_independent AS ind")[0]
    assert n["ind"] == n["k"] - 1


def test_an_agency_and_the_outlets_running_its_story_are_one_voice(store, gold_claims):
    claims = [r for r in gold_claims if "Russia, if you" in r.text]
    first = min(claims, key=lambda r: (r.day, r.id)).article_id
    # the earliest article is the agency's own (outlet/ap, wire AP); every other outlet runs that AP story
    claims = [replace(r, outlet="ap") if r.article_id == first else r for r in claims]
    ids = write_model(store, claims, wire={r.article_id: "AP" for r in claims})
    link_new(store, ids)
    compute_spread(store, ids)
    narratives = store.run("MATCH (n:Narrative) RETURN n.outlets AS k, n.outlets_independent AS ind")
    assert narratives and all(n["k"] >= 2 and n["ind"] == 1 for n in narratives)
    carried = store.run("MATCH (o:Outlet)-[r:CARRIED]->(:Narrative) RETURN o.id AS o, r.independent AS ind")
    assert {r["o"] for r in carried if r["ind"]} == {"outlet/ap"}


def test_top_narratives_filters(store, gold_claims):
    claims = subset(gold_claims)
    ids = write_model(store, claims)
    link_new(store, ids)
    compute_spread(store, ids)
    rows = top_narratives(store, top=5)
    assert 0 < len(rows) <= 5 and all(r["outlets"] >= 2 for r in rows)
    assert [r["outlets"] for r in rows] == sorted((r["outlets"] for r in rows), reverse=True)
    assert rows[0]["spread"].count(",") == rows[0]["outlets"] - 1
    outlet = rows[0]["first_outlet"]
    only = top_narratives(store, top=50, outlet=outlet.upper())
    assert only and all(outlet in r["spread"] for r in only)
    spoke = top_narratives(store, top=50, speaker=f"{outlet} voice")
    assert {r["id"] for r in spoke} == {r["id"] for r in only}
    assert top_narratives(store, outlet="no such outlet") == []


def test_rebuild_with_other_threshold(store, gold_claims):
    claims = subset(gold_claims)
    ids = write_model(store, claims)
    link_new(store, ids)
    loose = store.run("MATCH (n:Narrative) RETURN count(n) AS k")[0]["k"]
    from narrativegraph.graph.narratives import LinkParams
    rebuild(store, params=LinkParams(threshold=0.9))
    strict = store.run("MATCH (n:Narrative) RETURN count(n) AS k")[0]["k"]
    assert strict < loose
    assert store.run("MATCH (s:LinkSettings) RETURN s.threshold AS t")[0]["t"] == 0.9


def test_cli_link_and_narratives(tmp_path, gold_claims):
    import csv
    import io
    import json

    from click.testing import CliRunner

    from narrativegraph.cli import cli
    from narrativegraph.graph import open_store

    db = str(tmp_path / "db")
    # a small graph: each command reopens the embedded store
    claims = [r for r in gold_claims if any(t in r.text for t in ("Muslim", "Russia, if you", "tax law"))]
    with open_store(path=db) as s:
        write_model(s, claims)
    runner = CliRunner()
    res = runner.invoke(cli, ["link", "--db", db])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["narratives", "--db", db, "--top", "5", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert 0 < len(rows) <= 5 and all(r["outlets"] >= 2 and r["first_outlet"] for r in rows)
    res = runner.invoke(cli, ["narratives", "--db", db, "--format", "csv", "--speaker", "politico voice"])
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert table and all("politico" in r["spread"] for r in table)
    # names resolve as in the named queries: a word of the name, an id; an ambiguous one is one line
    res = runner.invoke(cli, ["narratives", "--db", db, "--format", "csv", "--speaker", "POLITICO"])
    assert list(csv.DictReader(io.StringIO(res.stdout))) == table
    res = runner.invoke(cli, ["narratives", "--db", db, "--format", "csv", "--speaker", "person/politico-voice"])
    assert list(csv.DictReader(io.StringIO(res.stdout))) == table
    res = runner.invoke(cli, ["narratives", "--db", db, "--speaker", "voice"])
    assert res.exit_code == 1 and res.output.startswith("error: entity 'voice' is ambiguous") \
        and len(res.output.strip().splitlines()) == 1
    # the table never cuts an id: it is what `query narrative-spread -p id=...` takes
    res = runner.invoke(cli, ["narratives", "--db", db, "--top", "5"])
    assert res.exit_code == 0 and all(f"| {r['id']}" in res.stdout for r in rows), res.stdout
    res = runner.invoke(cli, ["link", "--db", db, "--rebuild", "--threshold", "0.9"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["narratives", "--db", db, "--top", "50", "--format", "json"])
    assert len(json.loads(res.stdout)) < len(table) + len(rows) + 50  # ran; stricter narratives
    with open_store(path=db) as s:
        assert s.run("MATCH (x:LinkSettings) RETURN x.threshold AS t")[0]["t"] == 0.9


def _query_rows(s, gold_claims):
    from narrativegraph.queries.runner import run_query

    claims = [r for r in gold_claims if any(t in r.text for t in ("Muslim", "Russia, if you", "tax law", "email"))]
    ids = write_model(s, claims)
    link_new(s, ids)
    compute_spread(s, ids)
    top = top_narratives(s, top=3)
    out = {"top": top}
    for n in top:
        out[f"spread {n['id']}"] = run_query(s, "narrative-spread", id=n["id"])
        out[f"claims {n['id']}"] = run_query(s, "narrative-claims", id=n["id"])
    out["first-movers"] = run_query(s, "first-movers")
    out["outlet-echo"] = run_query(s, "outlet-echo")
    out["outlet-echo huff-post"] = run_query(s, "outlet-echo", outlet="huff-post")
    out["speaker-narratives"] = run_query(s, "speaker-narratives", speaker="breitbart voice")
    return out


def test_named_queries_answer(store, gold_claims):
    rows = _query_rows(store, gold_claims)
    assert rows["top"] and all(rows[k] for k in rows), [k for k in rows if not rows[k]]
    for n in rows["top"]:
        spread = rows[f"spread {n['id']}"]
        assert [r["outlet"] for r in spread][0] == n["first_outlet"]
        assert [r["lag_days"] for r in spread] == sorted(r["lag_days"] for r in spread)
        assert len(rows[f"claims {n['id']}"]) == n["claims"]
    assert all("huff-post" in (r["outlet"], r["echoes"]) for r in rows["outlet-echo huff-post"])


@pytest.mark.neo4j
def test_named_queries_same_on_both_stores(tmp_path, gold_claims):
    import os

    from narrativegraph.graph import open_store

    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("NEO4J_URI not set: start Neo4j with tools/neo4j/start")
    with open_store(path=str(tmp_path / "db")) as s:
        embedded = _query_rows(s, gold_claims)
    with open_store(neo4j_uri=uri, user=os.environ.get("NEO4J_USER", "neo4j"),
                    password=os.environ.get("NEO4J_PASSWORD"), database=os.environ.get("NEO4J_DATABASE")) as s:
        s.run("MATCH (n) DETACH DELETE n", write=True)
        neo = _query_rows(s, gold_claims)
    assert neo == embedded


def test_unlinked_candidate_keeps_its_narrative(store):
    """A new claim that shares an LSH band with a stored claim but does not link to it
    must leave that claim's narrative alone (regression: it used to be unlinked)."""
    first = [
        ClaimRow("b:1-2", "“I can say with confidence there has never been a man or a woman more qualified than "
                 "Hillary Clinton to serve as President of the United States of America.”", "b", "breitbart", 17009),
        ClaimRow("n:1-2", "that ''there has never been a man or a woman - not me, not Bill, nobody - more qualified "
                 "than Hillary Clinton'' to serve as president", "n", "nyt", 17011),
    ]
    ids = write_model(store, first)
    link_new(store, ids)
    before = snapshot(store)["narratives"]
    assert len(before) == 1 and before[0]["members"] == ["b:1-2", "n:1-2"]
    later = [ClaimRow("w:1-2", "First and foremost, she told Hewitt, I would never, ever want to wish a Gold Star "
                      "status on anyone. But I truly believe it should never be used as an excuse or a shield "
                      "when we hear something", "w", "west-journal", 17020)]
    ids = write_model(store, later)
    link_new(store, ids)
    assert snapshot(store)["narratives"] == before


@pytest.mark.neo4j
@pytest.mark.slow
def test_rebuild_of_many_band_keys_fits_in_neo4j_transaction_memory(neo4j_store):
    """A rebuild forgets every band key first: 300,000 of them (PolNeAR train+dev has 271,541) in one
    DETACH DELETE exceeded the transaction memory of a 1 GB Neo4j, and left the store without narratives."""
    s = neo4j_store
    s.run("UNWIND range(0, 999) AS i CREATE (:Claim {id: 'claim/x@' + toString(i)})", write=True)
    for lo in range(0, 300_000, 50_000):  # made server-side: the test sends no 300,000 rows
        s.run("MATCH (c:Claim) WITH collect(c) AS cs UNWIND range($lo, $lo + 49999) AS i "
              "WITH cs[i % 1000] AS c, i CREATE (c)-[:IN_BAND]->(:Band {key: 'k' + toString(i)})", {"lo": lo}, write=True)
    report = rebuild(s)
    assert report.claims == 0
    assert s.run("MATCH (b:Band) RETURN count(b) AS n") == [{"n": 0}]
    assert s.run("MATCH ()-[r:IN_BAND]->() RETURN count(r) AS n") == [{"n": 0}]
