"""Shared fixtures: where the real text lives (../shared), found once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    return Path(os.environ.get("NARRATIVEGRAPH_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = _shared()
    if not (path / "corpus").is_dir():
        pytest.skip(f"shared corpus not found at {path} (set NARRATIVEGRAPH_SHARED)")
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
