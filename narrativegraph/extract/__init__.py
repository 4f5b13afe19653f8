"""The extract stage: articles in, one Record (who said what, with offsets) per article out.

Imports are lazy so that ``import narrativegraph.extract`` does not load spaCy.
"""
from __future__ import annotations

from typing import Any

__all__ = ["extract", "extract_to_file", "iter_sources", "ExtractStats", "RawArticle"]

_HOME = {
    "extract": "narrativegraph.extract.pipeline",
    "extract_to_file": "narrativegraph.extract.pipeline",
    "ExtractStats": "narrativegraph.extract.pipeline",
    "iter_sources": "narrativegraph.extract.sources",
    "RawArticle": "narrativegraph.extract.sources",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        import importlib

        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
