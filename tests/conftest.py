"""Shared fixtures: where the real text lives (../shared), and real stores.

``store`` runs a test on both stores (ids "falkordb" and "neo4j"); the Neo4j one is cleared
before each test. Without NEO4J_URI the Neo4j tests skip, except in CI where they fail.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from narrativegraph.graph import open_store

REPO = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    return Path(os.environ.get("NARRATIVEGRAPH_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = _shared()
    if not (path / "corpus").is_dir():
        message = f"shared corpus not found at {path} (set NARRATIVEGRAPH_SHARED)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)  # CI always has ../shared: a skip here would hide every real-text test
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seed_path(shared_dir: Path) -> Path:
    files = sorted((shared_dir / "corpus" / "seed").glob("*.txt"))
    if not files:
        pytest.skip(f"no seed article under {shared_dir / 'corpus' / 'seed'}")
    return files[0]


@pytest.fixture(scope="session")
def polnear_dir(shared_dir: Path) -> Path:
    path = shared_dir / "corpus" / "polnear"
    if not (path / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {path}")
    return path


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
