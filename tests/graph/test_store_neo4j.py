"""The Neo4j store's connection errors: one clear line within seconds, never a traceback."""
from __future__ import annotations

import os
import socket
import time

import pytest

from narrativegraph.errors import QueryError, StoreUnavailable
from narrativegraph.graph import open_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_fails_fast():
    uri = f"bolt://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as info:
        open_store(neo4j_uri=uri, password="whatever")
    assert time.monotonic() - started < 15
    message = str(info.value)
    assert message.startswith(f"Cannot reach Neo4j at {uri}") and "\n" not in message
    assert "tools/neo4j/start" in message


def test_not_a_uri():
    with pytest.raises(StoreUnavailable, match="not a Neo4j URI"):
        open_store(neo4j_uri="http//nowhere", password="x")


@pytest.mark.neo4j
def test_wrong_password(neo4j_store):
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as info:
        open_store(neo4j_uri=os.environ["NEO4J_URI"], user=os.environ.get("NEO4J_USER", "neo4j"),
                   password="not-the-password")
    assert time.monotonic() - started < 15
    assert "wrong user or password" in str(info.value) and "\n" not in str(info.value)
    assert neo4j_store.run("RETURN 1 AS one") == [{"one": 1}]  # the real user is not locked out


@pytest.mark.neo4j
def test_wrong_database(neo4j_store):
    with pytest.raises(StoreUnavailable) as info:
        open_store(neo4j_uri=os.environ["NEO4J_URI"], user=os.environ.get("NEO4J_USER", "neo4j"),
                   password=os.environ.get("NEO4J_PASSWORD"), database="nosuchdatabase")
    assert "no such database" in str(info.value) and "nosuchdatabase" in str(info.value)


@pytest.mark.neo4j
def test_batches_run_in_transactions(neo4j_store):
    """A failing batch rolls back alone: earlier batches stay, the failing one leaves nothing."""
    neo4j_store.ensure_unique("Article", "id")
    rows = [{"id": f"a{i}"} for i in range(10)] + [{"id": "a0"}]
    with pytest.raises(QueryError):
        neo4j_store.write_batches("UNWIND $rows AS row CREATE (:Article {id: row.id})", rows, batch_size=10)
    assert neo4j_store.run("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 10}]


@pytest.mark.neo4j
def test_call_in_transactions_needs_write(neo4j_store):
    neo4j_store.run("UNWIND range(1, 5) AS i CREATE (:Claim {i: i})", write=True)
    neo4j_store.run("MATCH (c:Claim) CALL { WITH c DETACH DELETE c } IN TRANSACTIONS OF 2 ROWS", write=True)
    assert neo4j_store.run("MATCH (c:Claim) RETURN count(c) AS n") == [{"n": 0}]
