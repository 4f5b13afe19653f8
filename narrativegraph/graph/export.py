"""Export the whole graph through networkx, for Gephi (GEXF), Cytoscape (GraphML) and scripts (JSON).

GraphML and GEXF only take strings and numbers as attributes, so lists are joined
with "; " and nulls dropped there; the JSON export (networkx node-link) keeps lists.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import networkx as nx

from narrativegraph.errors import NarrativegraphError
from narrativegraph.graph.store import Store

__all__ = ["FORMATS", "to_networkx", "export_graph"]

logger = logging.getLogger(__name__)

FORMATS = ("graphml", "gexf", "json")

_NODES = (
    "MATCH (n) RETURN coalesce(n.id, 'node/' + toString(id(n))) AS key, labels(n) AS labels, "
    "properties(n) AS props ORDER BY key"
)
_EDGES = (
    "MATCH (a)-[r]->(b) RETURN coalesce(a.id, 'node/' + toString(id(a))) AS source, "
    "coalesce(b.id, 'node/' + toString(id(b))) AS target, type(r) AS type, properties(r) AS props "
    "ORDER BY source, target, type"
)


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """Every node and relationship of the store as a MultiDiGraph keyed by node ``id``.

    Node attributes are the node's properties plus ``labels`` (sorted, ":"-joined) and
    ``kind`` (the most specific label); edge attributes are the properties plus ``type``
    and ``label`` (both the relationship type: GEXF keeps only ``label``).
    """
    g = nx.MultiDiGraph()
    for row in store.run(_NODES):
        labels = sorted(row["labels"] or [])
        kind = next((lb for lb in labels if lb != "Entity"), labels[0] if labels else "")
        props = dict(row["props"] or {})
        props.pop("fingerprint", None)
        props.pop("postload_pending", None)
        label = props.get("name") or props.get("title") or row["key"]
        g.add_node(row["key"], **{**props, "labels": ":".join(labels), "kind": kind, "label": str(label)})
    for row in store.run(_EDGES):
        g.add_edge(row["source"], row["target"], key=row["type"] + str(g.number_of_edges(row["source"], row["target"])),
                   **{**(row["props"] or {}), "type": row["type"], "label": row["type"]})
    logger.info("exporting %d nodes, %d edges", g.number_of_nodes(), g.number_of_edges())
    return g


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _flattened(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    h = nx.MultiDiGraph()
    for n, attrs in g.nodes(data=True):
        h.add_node(n, **{k: _flat(v) for k, v in attrs.items() if v is not None})
    for u, v, k, attrs in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **{a: _flat(x) for a, x in attrs.items() if x is not None})
    return h


def export_graph(store: Store, path: str | Path, *, format: str = "graphml") -> tuple[int, int]:
    """Write the store's graph to ``path`` as graphml, gexf or json; (nodes, edges) written."""
    if format not in FORMATS:
        raise NarrativegraphError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    g = to_networkx(store)
    path = Path(path)
    try:
        if format == "json":
            data = nx.node_link_data(g, edges="links")
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        elif format == "graphml":
            nx.write_graphml(_flattened(g), path)
        else:
            nx.write_gexf(_flattened(g), path)
    except OSError as e:
        raise NarrativegraphError(f"{path}: cannot write the export ({e.strerror or e})") from None
    return g.number_of_nodes(), g.number_of_edges()
