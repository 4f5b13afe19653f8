"""What runs after articles are loaded: copy detection, narrative linking, spread analytics.

Each hook takes ``(store, article_ids)`` (the ids just loaded) and updates the graph
incrementally. Order matters: copies before narratives before spread.
"""
from __future__ import annotations

import importlib
import logging
from typing import Sequence

from narrativegraph.graph.store import Store

__all__ = ["HOOKS", "after_load"]

logger = logging.getLogger(__name__)

HOOKS = (
    "narrativegraph.graph.copies:link_copies",
    "narrativegraph.graph.narratives:link_new",
    "narrativegraph.graph.spread:compute_spread",
)


def after_load(store: Store, article_ids: Sequence[str]) -> None:
    for dotted in HOOKS:
        module, _, func = dotted.partition(":")
        try:
            fn = getattr(importlib.import_module(module), func)
        except (ImportError, AttributeError):  # transitional while the hook is being written
            logger.debug("post-load hook %s not available", dotted)
            continue
        fn(store, article_ids)
