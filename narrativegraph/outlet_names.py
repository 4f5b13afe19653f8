"""Canonical spellings of outlet names, shared by extraction and the graph.

Both stages must spell an outlet the same way, or "Sputnik" in a record and in the graph
become two nodes; this module sits beside `records` so neither stage imports the other.
"""
from __future__ import annotations

__all__ = ["OUTLET_NAMES", "canonical_outlet"]

# Outlets that are mentioned as organisations, never as persons (canonical spelling).
OUTLET_NAMES = {
    "sputnik": "Sputnik",
    "sputnik international": "Sputnik International",
    "sputnik turkey": "Sputnik Turkey",
    "sputnik france": "Sputnik France",
    "sputnik news": "Sputnik",
    "rt": "RT",
}


def canonical_outlet(name: str) -> str | None:
    """The canonical spelling of an outlet name, or None if it is not a known outlet.

    >>> canonical_outlet("sputnik  turkey"), canonical_outlet("Levent")
    ('Sputnik Turkey', None)
    """
    key = " ".join(name.lower().replace("the ", "", 1).split()) if name else ""
    return OUTLET_NAMES.get(key)
