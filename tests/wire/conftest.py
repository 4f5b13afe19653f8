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
