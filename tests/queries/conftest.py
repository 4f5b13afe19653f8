"""Fixtures for the query tests: stores of both kinds, and records of real articles.

`seed_records` is a hand-checked record of the seed article (tests/data); `dev_records`
is the real extraction of PolNeAR dev, done once and kept in pytest's cache until the
extraction code changes.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from narrativegraph.records import Record

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="session")
def seed_records() -> list[Record]:
    lines = (DATA / "seed_records.jsonl").read_text(encoding="utf-8").splitlines()
    return [Record.loads(line) for line in lines if line.strip()]


def _extract_cached(request, inputs: list[Path], metadata: list[Path], metadata_id: str, tag: str) -> list[Record]:
    """Records of ``inputs`` by the real extractor, cached in pytest's cache per extraction code version."""
    import narrativegraph.extract as ex

    code = hashlib.sha256()
    pkg = Path(ex.__file__).parent
    for f in [*sorted(pkg.rglob("*")), pkg.parent / "records.py", pkg.parent / "outlet_names.py"]:
        if f.is_file() and f.suffix in (".py", ".json", ".txt", ".tsv", ".csv", ".cfg", ".bin", ".npy", ".crfsuite"):
            code.update(f.name.encode())
            code.update(f.read_bytes())
    folder = Path(request.config.cache.mkdir("narrativegraph-records"))
    path = folder / f"{tag}-{code.hexdigest()[:16]}.jsonl"
    if not path.exists():
        from narrativegraph.extract import extract

        tmp = path.with_suffix(".part")
        with tmp.open("w", encoding="utf-8") as out:
            for item in extract([str(p) for p in inputs], metadata=[str(m) for m in metadata],
                                metadata_id=metadata_id):
                if isinstance(item, Record):
                    out.write(item.dumps() + "\n")
        tmp.replace(path)
    return [Record.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def dev_records(request, polnear_dir: Path) -> list[Record]:
    """The real extraction of PolNeAR dev (84 articles), with the corpus metadata."""
    return _extract_cached(request, [polnear_dir / "dev" / "text"], [polnear_dir / "metadata.tsv"],
                           "filename", "polnear-dev")


@pytest.fixture
def neo4j_only(neo4j_store):
    """An empty Neo4j store (skips without NEO4J_URI, fails in CI)."""
    return neo4j_store
