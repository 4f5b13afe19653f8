"""Fixtures for the wire/copies/outlets tests: PolNeAR metadata rows with their text."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest


def gold_wire(value: str) -> str | None:
    """PolNeAR's `wire` column as a canonical agency name (None/NA mean no agency)."""
    if value in ("None", "NA", ""):
        return None
    return {"reuters": "Reuters"}.get(value, value)


@pytest.fixture(scope="session")
def polnear_rows(polnear_dir: Path) -> list[dict]:
    """Every metadata row with its text, `gold` agency and publisher."""
    with open(polnear_dir / "metadata.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = []
    for r in rows:
        path = polnear_dir / r["compartment"] / "text" / f"{r['filename']}.txt"
        out.append({**r, "text": path.read_text(encoding="utf-8"), "gold": gold_wire(r["wire"])})
    return out


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    """An empty store of each kind: embedded always, Neo4j when NEO4J_URI is set."""
    try:
        from narrativegraph.graph import open_store
    except ImportError:
        pytest.skip("narrativegraph.graph.open_store is not available")
    if request.param == "neo4j":
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("no Neo4j: start one with tools/neo4j/start and set NEO4J_URI")
        s = open_store(neo4j_uri=uri, user=os.environ.get("NEO4J_USER", "neo4j"),
                       password=os.environ.get("NEO4J_PASSWORD"))
        s.run("MATCH (n) DETACH DELETE n", write=True)
    else:
        s = open_store(path=str(tmp_path / "db"))
    try:
        yield s
    finally:
        s.close()
