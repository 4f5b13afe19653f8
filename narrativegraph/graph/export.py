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

__all__ = ["FORMATS", "INTERNAL_LABELS", "INTERNAL_TYPES", "INTERNAL_PROPERTIES", "to_networkx", "export_graph"]

logger = logging.getLogger(__name__)

FORMATS = ("graphml", "gexf", "json")
# bookkeeping of the loader and the linkers, not facts: LSH band keys (tens of thousands of
# nodes without ids), link settings, load fingerprints, MinHash signatures, claim vectors
INTERNAL_LABELS = ("Band", "CopyBand", "LinkSettings")
INTERNAL_TYPES = ("IN_BAND", "IN_COPY_BAND")
INTERNAL_PROPERTIES = ("fingerprint", "postload_pending", "copy_n", "copy_sig", "embedding", "embedding_of")

_NODES = (
    "MATCH (n) WHERE $internal OR none(l IN labels(n) WHERE l IN $labels) "
    "RETURN coalesce(n.id, 'node/' + toString(id(n))) AS key, labels(n) AS labels, "
    "properties(n) AS props ORDER BY key"
)
_EDGES = (
    "MATCH (a)-[r]->(b) WHERE $internal OR (NOT type(r) IN $types "
    "AND none(l IN labels(a) + labels(b) WHERE l IN $labels)) "
    "RETURN coalesce(a.id, 'node/' + toString(id(a))) AS source, "
    "coalesce(b.id, 'node/' + toString(id(b))) AS target, type(r) AS type, properties(r) AS props "
    "ORDER BY source, target, type"
)


def _attributes(props: dict[str, Any], computed: dict[str, Any], owner: str, internal: bool) -> dict[str, Any]:
    """``props`` plus ``computed``; a property named like a computed attribute is kept as ``<owner>_<name>``.

    >>> _attributes({"kind": "agency", "name": "AP"}, {"kind": "Outlet"}, "Outlet", False)
    {'outlet_kind': 'agency', 'name': 'AP', 'kind': 'Outlet'}
    """
    out = {}
    for k, v in props.items():
        if not internal and k in INTERNAL_PROPERTIES:
            continue
        if k in computed and computed[k] != v:
            k = f"{owner.lower()}_{k}"
        out[k] = v
    return {**out, **computed}


def to_networkx(store: Store, *, internal: bool = False) -> nx.MultiDiGraph:
    """The store's graph as a MultiDiGraph keyed by node ``id``; ``internal`` adds the bookkeeping.

    Node attributes are the node's properties plus ``labels`` (sorted, ":"-joined),
    ``kind`` (the most specific label) and ``label`` (the node's own ``label`` property,
    else its name, title or id); edge attributes are the properties plus ``type`` and
    ``label`` (both the relationship type: GEXF keeps only ``label``). A property that
    shares a name with one of these is kept as ``<kind>_<name>`` (an agency's
    ``Outlet.kind`` as ``outlet_kind``).

    Notes
    -----
    Without ``internal``, the nodes, relationships and properties that only serve loading
    and linking (`INTERNAL_LABELS`, `INTERNAL_TYPES`, `INTERNAL_PROPERTIES`) are left out:
    on PolNeAR, band keys alone are over 80% of the nodes, and they have no stable id, so
    exports of the same graph from the two stores would differ.
    """
    params = {"internal": internal, "labels": list(INTERNAL_LABELS), "types": list(INTERNAL_TYPES)}
    g = nx.MultiDiGraph()
    for row in store.run(_NODES, params):
        labels = sorted(row["labels"] or [])
        kind = next((lb for lb in labels if lb != "Entity"), labels[0] if labels else "")
        props = dict(row["props"] or {})
        label = props.get("label") or props.get("name") or props.get("title") or row["key"]
        g.add_node(row["key"], **_attributes(props, {"labels": ":".join(labels), "kind": kind, "label": str(label)},
                                              kind or "node", internal))
    for row in store.run(_EDGES, params):
        g.add_edge(row["source"], row["target"], key=row["type"] + str(g.number_of_edges(row["source"], row["target"])),
                   **_attributes(dict(row["props"] or {}), {"type": row["type"], "label": row["type"]},
                                 row["type"], internal))
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


def export_graph(store: Store, path: str | Path, *, format: str = "graphml",
                 internal: bool = False) -> tuple[int, int]:
    """Write the store's graph to ``path`` as graphml, gexf or json; (nodes, edges) written."""
    if format not in FORMATS:
        raise NarrativegraphError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    g = to_networkx(store, internal=internal)
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
