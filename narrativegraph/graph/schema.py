"""Constraints and indexes of the graph model, created once through the Store helpers.

Every MERGE in `load` matches on an ``id``; without these indexes each MERGE would scan
its label and loading would slow down with the square of the corpus.
"""
from __future__ import annotations

import logging

from narrativegraph.graph.model import ENTITY_LABELS
from narrativegraph.graph.store import Store

__all__ = ["UNIQUE", "INDEXES", "FULLTEXT", "ensure_schema"]

logger = logging.getLogger(__name__)

UNIQUE = (("Outlet", "id"), ("Article", "id"), ("Claim", "id"), ("Entity", "id"))
INDEXES = (
    *((label, "id") for label in ENTITY_LABELS),
    ("Entity", "name"),
    ("Claim", "article_id"),
    ("Article", "day"),
    ("Outlet", "name"),
)
FULLTEXT = (("Claim", ("text",)),)


def ensure_schema(store: Store) -> None:
    """Create the model's constraints and indexes if missing (idempotent)."""
    for label, prop in UNIQUE:
        store.ensure_unique(label, prop)
    for label, prop in INDEXES:
        store.ensure_index(label, prop)
    for label, props in FULLTEXT:
        store.ensure_fulltext(label, list(props))
    logger.debug("schema ensured on %s", store.kind)
