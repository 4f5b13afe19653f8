"""The interactive graph page: a pyvis Network rendered through our own offline template.

pyvis 0.3.2's template links Bootstrap and vis from CDNs even with in-line resources, so the
page uses `templates/graph.html` with vis-network's JS and CSS pasted in: it opens from a
file with no network at all. Tooltips are built in the browser from plain text (textContent).
"""
from __future__ import annotations

import copy
import json
import logging
import math
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

from narrativegraph.queries.subgraph import Subgraph
from narrativegraph.viz.files import write_text
from narrativegraph.viz.html import iframe, script_json, static_text

__all__ = ["STYLE", "GraphPage", "graph_page", "write_graph_page", "cut_text"]

logger = logging.getLogger(__name__)

# type -> (colour, vis shape); shapes that scale with `size`, so size can show degree
STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "Organization": ("#59a14f", "diamond"),
    "Group": ("#b07aa1", "hexagon"),
    "Place": ("#edc948", "triangleDown"),
    "Unknown": ("#bab0ac", "dot"),
    "Other": ("#9d9d9d", "dot"),
    "Entity": ("#9d9d9d", "dot"),
    "Claim": ("#a0cbe8", "dot"),
    "Article": ("#f28e2b", "triangle"),
    "Outlet": ("#e15759", "square"),
    "Narrative": ("#ff9da7", "star"),
}
_DEFAULT_STYLE = ("#bab0ac", "dot")
BIG = 300  # above this many nodes the layout trades polish for speed
# The busiest who and where (not claims or article titles) are "hubs": the page keeps their labels
# readable at any zoom, so a big page fitted to the window (zoom 0.2-0.4, where a 13px label is too
# small to draw) still names its main speakers and outlets.
_NAMED = ("Person", "Organization", "Group", "Place", "Unknown", "Other", "Entity")
HUBS = 16  # named nodes, plus up to as many outlets
HUGE = 3000  # and above this, settles in fewer steps

_env = Environment(loader=PackageLoader("narrativegraph.viz", "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def cut_text(shown: int, total: int) -> str:
    """What the page says about what it left out.

    >>> cut_text(500, 4210)
    'showing 500 of 4,210 nodes (the most connected part; filter or raise --limit for more)'
    >>> cut_text(12, 12)
    '12 nodes'
    """
    if shown < total:
        return f"showing {shown:,} of {total:,} nodes (the most connected part; filter or raise --limit for more)"
    return f"{shown:,} node{'s' if shown != 1 else ''}"


def _options(n_nodes: int) -> dict[str, Any]:
    big = n_nodes > BIG
    return {
        "autoResize": True,
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60 if big else -110, "centralGravity": 0.012,
                                 "springLength": 90 if big else 130, "springConstant": 0.08,
                                 "avoidOverlap": 0.2 if big else 0.6},
            "stabilization": {"enabled": True, "iterations": 600 if not big else 250 if n_nodes <= HUGE else 100,
                              "updateInterval": 25,
                              "fit": True},
            "adaptiveTimestep": True,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "multiselect": True},
        "nodes": {"font": {"size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1, "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.45}}, "smooth": False,
                  "color": {"color": "#b8b8b8", "highlight": "#555555", "hover": "#777777"},
                  "font": {"size": 9, "color": "#777777", "strokeWidth": 2, "align": "middle"},
                  "width": 1},
    }


def _changed(before: Any, after: Any) -> dict[str, Any]:
    """The leaves of ``after`` that differ from ``before`` (both parsed JSON objects).

    >>> _changed({"physics": {"enabled": True, "solver": "x"}}, {"physics": {"enabled": False, "solver": "x"}})
    {'physics': {'enabled': False}}
    """
    out: dict[str, Any] = {}
    for k, v in after.items():
        b = before.get(k) if isinstance(before, dict) else None
        if isinstance(v, dict) and isinstance(b, dict):
            sub = _changed(b, v)
            if sub:
                out[k] = sub
        elif v != b:
            out[k] = v
    return out


def _merge(base: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    for k, v in changes.items():
        if isinstance(v, Mapping) and isinstance(base.get(k), dict):
            _merge(base[k], v)
        else:
            base[k] = v
    return base


class GraphPage(Network):
    """A pyvis `Network` that renders to one self-contained, offline HTML page.

    Jupyter shows it inline (``_repr_html_``); ``write_html(path)`` saves it; ``html`` is the text.
    pyvis' own calls still work on it: ``add_node``, ``add_edge``, ``toggle_physics``,
    ``barnes_hut``, ``set_options`` and the like change the page's tuned defaults, not replace them.
    """

    def __init__(self, *, title: str = "narrativegraph", cut: str = "",
                 filters: tuple[tuple[str, str], ...] = (), height: str = "100vh"):
        super().__init__(height=height, width="100%", directed=True, heading=title, cdn_resources="in_line")
        self.page_title = title
        self.cut = cut
        self.filters = filters
        self.page_options: dict[str, Any] | None = None  # ours; pyvis' `options` holds what the user changes
        self._pyvis_defaults = json.loads(self.options.to_json())

    def user_options(self) -> dict[str, Any]:
        """What was changed through pyvis since the page was made (all of it after ``set_options``)."""
        if isinstance(self.options, dict):
            return self.options
        changes = _changed(self._pyvis_defaults, json.loads(self.options.to_json()))
        physics = changes.get("physics", {})
        if "barnesHut" in physics and "solver" not in physics:
            physics["solver"] = "barnesHut"  # pyvis' barnes_hut() leaves the solver to its default
        return changes

    def _page_nodes(self) -> list[dict[str, Any]]:
        """Nodes as the template needs them; ones added with pyvis' ``add_node`` get a type, tooltip and search text."""
        out = []
        for n in self.nodes:
            if "type" not in n or "search" not in n or "tip" not in n:
                n = dict(n)
                n.setdefault("type", "Other")
                label = str(n.get("label", n.get("id", "")))
                if "tip" not in n and not n.get("title"):
                    n["tip"] = [[n["type"].lower(), label]]
                n.setdefault("search", label.lower())
            out.append(n)
        return out

    def legend(self) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for n in self.nodes:
            t = n.get("type", "Other")
            counts[t] = counts.get(t, 0) + 1
        order = [t for t in STYLE if t in counts] + sorted(t for t in counts if t not in STYLE)
        return [{"type": t, "color": STYLE.get(t, _DEFAULT_STYLE)[0], "shape": STYLE.get(t, _DEFAULT_STYLE)[1],
                 "count": counts[t]} for t in order]

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        opts = _merge(copy.deepcopy(self.page_options or _options(len(self.nodes))), self.user_options())
        data = {"nodes": self._page_nodes(), "edges": self.edges, "options": opts}
        self.html = _env.get_template("graph.html").render(
            title=self.page_title, cut_text=self.cut, filters=self.filters, legend=self.legend(),
            node_count=len(self.nodes), data=script_json(data),
            vis_js=static_text("vis-network.min.js"), vis_css=static_text("vis-network.css"))
        return self.html

    def write_html(self, name: str | Path, local: bool = True, notebook: bool = False,
                   open_browser: bool = False) -> None:
        write_text(name, self.generate_html(), "page")

    def _repr_html_(self) -> str:
        return iframe(self.generate_html())


def _hubs(nodes: list[dict[str, Any]], subgraph: Subgraph) -> list[dict[str, Any]]:
    """The nodes whose labels the page keeps readable when zoomed out: the busiest outlets and named entities."""
    degree = {n.key: n.degree for n in subgraph.nodes}
    out = []
    for types in (("Outlet",), _NAMED):
        ranked = sorted((n for n in nodes if n["type"] in types), key=lambda n: (-degree.get(n["id"], 0), n["id"]))
        out += [n for n in ranked[:HUBS] if degree.get(n["id"], 0) > 1]
    return out


def graph_page(subgraph: Subgraph, *, title: str = "narrativegraph") -> GraphPage:
    """The page for a fetched `Subgraph`: typed, coloured nodes sized by degree, labelled edges.

    >>> from narrativegraph.queries.subgraph import GraphNode, GraphEdge, Subgraph
    >>> sg = Subgraph((GraphNode("Outlet:Sputnik", "Outlet", "Sputnik", 1), GraphNode("Article:a", "Article", "A", 1)),
    ...               (GraphEdge("Outlet:Sputnik", "Article:a", "PUBLISHED"),), 2, 1)
    >>> page = graph_page(sg)
    >>> [n["label"] for n in page.nodes], page.edges[0]["label"]
    (['Sputnik', 'A'], 'PUBLISHED')
    """
    page = GraphPage(title=title, cut=cut_text(len(subgraph.nodes), subgraph.total_nodes), filters=subgraph.filters)
    for n in subgraph.nodes:
        color, shape = STYLE.get(n.type, _DEFAULT_STYLE)
        size = 7 + 4.5 * math.sqrt(max(n.degree, 0)) if n.type != "Claim" else 6 + 2.5 * math.sqrt(max(n.degree, 0))
        tip = [[k, v] for k, v in n.info] or [[n.type.lower(), n.label]]
        search = " ".join([n.label] + [v for _, v in n.info]).lower()
        # appended directly: pyvis' add_node/add_edge scan every existing item (quadratic on big pages)
        page.node_ids.append(n.key)
        page.node_map[n.key] = node = {
            "id": n.key, "label": n.label, "type": n.type, "shape": shape, "size": round(min(size, 60), 1),
            "color": color, "tip": tip, "search": search,
        }
        page.nodes.append(node)
    hubs = _hubs(page.nodes, subgraph)
    top = max((n["size"] for n in hubs), default=1)
    for node in hubs:  # the label's height on screen, in pixels: 12 to 17, the busiest biggest
        node["hub"] = round(12 + 5 * node["size"] / top)
    for e in subgraph.edges:
        page.edges.append({"from": e.source, "to": e.target, "label": e.type, "type": e.type,
                           "tip": [["relationship", e.type]] + [[k, v] for k, v in e.info]})
    page.page_options = _options(len(page.nodes))
    return page


def write_graph_page(subgraph: Subgraph, path: str | Path, *, title: str = "narrativegraph") -> Path:
    """Write the page for ``subgraph`` to ``path`` (one self-contained HTML file); the path written."""
    path = Path(path)
    page = graph_page(subgraph, title=title)
    page.write_html(path)
    logger.info("wrote %s (%d nodes, %d edges, %.1f MB)", path, len(page.nodes), len(page.edges),
                path.stat().st_size / 1e6)
    return path
