"""The Store contract on both real stores: values, batches, read-only, schema helpers, errors."""
from __future__ import annotations

import pytest

from narrativegraph.errors import QueryError
from narrativegraph.graph import Store

NASTY = [
    'He said "no" and \'yes\'',
    "C:\\path\\to\\file \\n not a newline",
    "line one\nline two\r\nline three\ttab",
    "Zürich – Лавров 拉夫罗夫 🙂",
    "x'}) DETACH DELETE n //",
    "",
]


def test_is_a_store(store):
    assert isinstance(store, Store)
    assert store.kind in ("falkordb", "neo4j")


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_strings_round_trip_as_parameters(store, text):
    store.run("CREATE (:Claim {id: 'c1', text: $text})", {"text": text}, write=True)
    assert store.run("MATCH (c:Claim {text: $text}) RETURN c.text AS text", {"text": text}) == [{"text": text}]


def test_plain_values_round_trip(store):
    params = {"i": -42, "f": 2.5, "t": True, "n": None, "l": ["a", 1, None], "m": {"k": 'v"\\', "n": [1, 2]}}
    row = store.run("RETURN $i AS i, $f AS f, $t AS t, $n AS n, $l AS l, $m AS m", params)
    assert row == [params]


def test_nodes_and_relationships_become_dicts(store):
    store.run("CREATE (:Entity:Person {id: 'p1', name: $name})-[:ASSERTS {cue: 'said', start: 3}]->"
              "(:Claim {id: 'c1'})", {"name": "Hediye Levent"}, write=True)
    rows = store.run("MATCH (p:Person)-[r:ASSERTS]->(c:Claim) RETURN p, r, c")
    assert rows == [{
        "p": {"id": "p1", "name": "Hediye Levent", "_labels": ["Entity", "Person"]},
        "r": {"cue": "said", "start": 3, "_type": "ASSERTS"},
        "c": {"id": "c1", "_labels": ["Claim"]},
    }]


def test_dates_are_iso_strings(store):
    assert store.run("RETURN date('2024-02-29') AS d") == [{"d": "2024-02-29"}]


def test_write_batches_merge_is_idempotent(store):
    rows = [{"id": f"a{i}", "title": f'title "{i}"'} for i in range(23)]
    cypher = "UNWIND $rows AS row MERGE (a:Article {id: row.id}) SET a.title = row.title"
    assert store.write_batches(cypher, rows, batch_size=5) == 23
    assert store.write_batches(cypher, iter(rows), batch_size=100) == 23
    assert store.run("MATCH (a:Article) RETURN count(a) AS n, min(a.title) AS t") == [{"n": 23, "t": 'title "0"'}]
    assert store.write_batches(cypher, []) == 0


def test_reads_cannot_write(store):
    with pytest.raises(QueryError, match="read-only"):
        store.run("CREATE (:Outlet {name: 'Sputnik'})")
    assert store.run("MATCH (o:Outlet) RETURN count(o) AS n") == [{"n": 0}]
    store.run("CREATE (:Outlet {name: 'Sputnik'})", write=True)
    assert store.run("MATCH (o:Outlet) RETURN o.name AS name") == [{"name": "Sputnik"}]


def test_cypher_error_is_one_line_query_error(store):
    with pytest.raises(QueryError) as info:
        store.run("MATCH (n RETURN n")
    assert "\n" not in str(info.value) and str(info.value)


def test_unique_constraint_is_idempotent_and_enforced(store):
    store.ensure_unique("Article", "id")
    store.ensure_unique("Article", "id")
    store.run("CREATE (:Article {id: 'a1'})", write=True)
    with pytest.raises(QueryError):
        store.run("CREATE (:Article {id: 'a1'})", write=True)
    assert store.run("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 1}]


def test_index_is_idempotent(store):
    store.ensure_index("Entity", "name")
    store.ensure_index("Entity", "name")
    store.run("CREATE (:Entity {name: 'Lavrov'})", write=True)
    assert store.run("MATCH (e:Entity {name: $n}) RETURN e.name AS n", {"n": "Lavrov"}) == [{"n": "Lavrov"}]


def test_fulltext_index_finds_words(store):
    name = store.ensure_fulltext("Claim", ["text"])
    assert name == store.ensure_fulltext("Claim", ["text"])
    store.write_batches("UNWIND $rows AS row CREATE (:Claim {id: row.id, text: row.text})",
                        [{"id": "c1", "text": "Turkey will not join the sanctions"},
                         {"id": "c2", "text": "The weather was fine"}])
    proc = "db.idx.fulltext.queryNodes" if store.kind == "falkordb" else "db.index.fulltext.queryNodes"
    rows = store.run(f"CALL {proc}($name, $q) YIELD node RETURN node.id AS id", {"name": name, "q": "sanctions"})
    assert rows == [{"id": "c1"}]


def test_schema_names_are_checked(store):
    with pytest.raises(QueryError, match="not a valid label"):
        store.ensure_index("Claim`) DETACH DELETE n //", "id")


def test_clear_deletes_everything(store):
    store.ensure_unique("Article", "id")
    store.run("CREATE (:Article {id: 'a1'})-[:REPORTS]->(:Claim {id: 'c1'})", write=True)
    store.clear()
    assert store.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    store.run("CREATE (:Article {id: 'a1'}), (:Article {id: 'a1'})", write=True)  # constraint gone too
    assert store.run("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 2}]


@pytest.mark.parametrize("expr, expected", [
    ("localdatetime('2020-01-01T10:00:00')", "2020-01-01T10:00:00"),
    ("localtime('10:30:00')", "10:30:00"),
    ("duration('P1DT2H')", "P1DT2H"),
    ("duration('P1Y2M3DT4H5M6S')", "P1Y2M3DT4H5M6S"),
    ("date('2020-02-28') + duration('P2D')", "2020-03-01"),
])
def test_temporal_values_read_the_same_on_both_stores(store, expr, expected):
    assert store.run(f"RETURN {expr} AS x") == [{"x": expected}]


def test_index_and_unique_on_one_property_in_either_order(store):
    store.ensure_unique("Outlet", "id")
    store.ensure_index("Outlet", "id")
    store.ensure_index("Claim", "id")
    store.ensure_unique("Claim", "id")
    for label in ("Outlet", "Claim"):
        store.run(f"CREATE (:{label} {{id: 'x'}})", write=True)
        with pytest.raises(QueryError):
            store.run(f"CREATE (:{label} {{id: 'x'}})", write=True)


def test_each_batch_is_atomic(store):
    """A failing batch rolls back alone: earlier batches stay, the failing one leaves nothing."""
    store.ensure_unique("Article", "id")
    rows = [{"id": f"a{i}"} for i in range(10)] + [{"id": "a10"}, {"id": "a11"}, {"id": "a0"}]
    with pytest.raises(QueryError):
        store.write_batches("UNWIND $rows AS row CREATE (:Article {id: row.id})", rows, batch_size=10)
    assert store.run("MATCH (a:Article) RETURN count(a) AS n, max(a.id) AS last") == [{"n": 10, "last": "a9"}]
