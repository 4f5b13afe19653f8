"""Fixtures for the narratives tests: PolNeAR gold content spans as claims, and the gold pairs."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from narrativegraph.graph.narratives import ClaimRow


def read_gold_claims(polnear: Path, splits=("train", "dev")) -> list[ClaimRow]:
    """Every gold Content span as a claim ``<article>:<start>-<end>`` (first annotator's file per article)."""
    with open(polnear / "metadata.tsv", encoding="utf-8") as f:
        meta = {r["filename"]: r for r in csv.DictReader(f, delimiter="\t")}
    rows, done = [], set()
    for split in splits:
        for ann in sorted((polnear / split / "attributions").glob("*.ann")):
            aid = ann.stem.rsplit("_", 1)[0]
            if aid in done:
                continue
            done.add(aid)
            text = (polnear / split / "text" / f"{aid}.txt").read_text(encoding="utf-8")
            m = meta.get(aid, {})
            day = (date.fromisoformat(m["publication_date"]) - date(1970, 1, 1)).days
            seen = set()
            for line in ann.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) < 3 or not parts[1].startswith("Content "):
                    continue
                nums = [int(x) for x in parts[1].split(" ", 1)[1].replace(";", " ").split()]
                s, e = min(nums), max(nums)
                cid = f"{aid}:{s}-{e}"
                if cid not in seen:
                    seen.add(cid)
                    rows.append(ClaimRow(cid, text[s:e], aid, m.get("publisher"), day))
    return rows


@pytest.fixture(scope="session")
def gold_claims(polnear_dir: Path) -> list[ClaimRow]:
    return read_gold_claims(polnear_dir)


@pytest.fixture(scope="session")
def gold_pairs(shared_dir: Path) -> dict[str, list[tuple]]:
    out = {}
    for split in ("train", "dev"):
        path = shared_dir / "eval" / "narrative_pairs" / f"{split}.tsv"
        if not path.exists():
            pytest.skip(f"narrative pairs not found at {path}")
        with open(path, encoding="utf-8") as f:
            out[split] = [(r[0], int(r[1]), int(r[2]), r[3], int(r[4]), int(r[5])) for r in csv.reader(f, delimiter="\t")]
    return out


def _open_store(**kwargs):
    try:
        from narrativegraph.graph import open_store
    except ImportError:
        pytest.skip("narrativegraph.graph.open_store is not available yet")
    return open_store(**kwargs)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    """An empty store of each kind: embedded always, Neo4j when NEO4J_URI is set (wiped first)."""
    import os

    if request.param == "embedded":
        s = _open_store(path=str(tmp_path / "db"))
    else:
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("NEO4J_URI not set: start Neo4j with tools/neo4j/start")
        s = _open_store(neo4j_uri=uri, user=os.environ.get("NEO4J_USER", "neo4j"),
                        password=os.environ.get("NEO4J_PASSWORD"), database=os.environ.get("NEO4J_DATABASE"))
        s.run("MATCH (n) DETACH DELETE n", write=True)
    try:
        yield s
    finally:
        s.close()
