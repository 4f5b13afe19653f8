"""Real stores for every graph, query, narrative and viz test: embedded FalkorDB always, Neo4j when NEO4J_URI is set.

``store`` runs a test on both (ids "falkordb" and "neo4j"); the Neo4j one is cleared
before each test. Without NEO4J_URI the Neo4j tests skip, except in CI where they fail.
"""
from __future__ import annotations

import os

import pytest

from narrativegraph.graph import open_store

START_HINT = 'start one with: eval "$(tools/neo4j/start)"'


@pytest.fixture
def embedded_store(tmp_path):
    with open_store(path=str(tmp_path / "test.db")) as store:
        yield store


@pytest.fixture(scope="session")
def _neo4j_session():
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but NEO4J_URI is not set; {START_HINT}")
        pytest.skip(f"NEO4J_URI is not set; {START_HINT}")
    store = open_store(
        neo4j_uri=uri,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD"),
        database=os.environ.get("NEO4J_DATABASE") or None,
    )
    yield store
    store.close()


@pytest.fixture
def neo4j_store(_neo4j_session):
    _neo4j_session.clear()
    return _neo4j_session


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request):
    if request.param == "neo4j":
        return request.getfixturevalue("neo4j_store")
    return request.getfixturevalue("embedded_store")
