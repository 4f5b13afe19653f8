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


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "HTTPS://example.invalid:7473"])
def test_http_uri_is_refused_with_the_bolt_hint(uri):
    with pytest.raises(StoreUnavailable) as info:
        open_store(neo4j_uri=uri, password="x")
    assert "over Bolt, not HTTP" in str(info.value) and "bolt://" in str(info.value)


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", f"neo4j://127.0.0.1:{free_port()}"])
def test_cli_connection_errors_are_one_line(uri):
    """Neither a traceback nor the driver's own log lines: only our error, on one line."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "narrativegraph", "query", "top-speakers", "--neo4j", uri,
                          "--neo4j-password", "x"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr


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
def test_call_in_transactions_needs_write(neo4j_store):
    neo4j_store.run("UNWIND range(1, 5) AS i CREATE (:Claim {i: i})", write=True)
    neo4j_store.run("MATCH (c:Claim) CALL { WITH c DETACH DELETE c } IN TRANSACTIONS OF 2 ROWS", write=True)
    assert neo4j_store.run("MATCH (c:Claim) RETURN count(c) AS n") == [{"n": 0}]


@pytest.mark.neo4j
def test_start_again_reports_the_running_server(neo4j_store):
    """`eval "$(tools/neo4j/start)"` twice: the second call finds ours running and prints the same settings."""
    import subprocess
    from pathlib import Path

    tools = Path(__file__).resolve().parents[2] / "tools" / "neo4j"
    if not (tools / "data" / "neo4j.pid").exists():
        pytest.skip("this Neo4j was not started by tools/neo4j/start")
    run = subprocess.run([str(tools / "start")], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "NEO4J_PORT": os.environ["NEO4J_URI"].rsplit(":", 1)[1]})
    assert run.returncode == 0, run.stderr
    assert run.stdout == (f"export NEO4J_URI={os.environ['NEO4J_URI']} NEO4J_USER=neo4j "
                          f"NEO4J_PASSWORD={os.environ['NEO4J_PASSWORD']}\n")
    assert "already running" in run.stderr
