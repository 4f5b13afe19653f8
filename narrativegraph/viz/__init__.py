"""Pictures of the graph: an interactive offline page, a spread view, and matplotlib plots.

Everything here takes the plain rows and dataclasses `narrativegraph.queries.subgraph`
fetches, never a store, and returns an object Jupyter shows inline:

    >>> from narrativegraph.graph import open_store                    # doctest: +SKIP
    >>> from narrativegraph.queries.subgraph import fetch_subgraph     # doctest: +SKIP
    >>> graph_page(fetch_subgraph(open_store(path="narrativegraph.db"), speaker="Hediye Levent"))  # doctest: +SKIP
"""
from narrativegraph.viz.network import GraphPage, graph_page, write_graph_page
from narrativegraph.viz.plots import PLOTS, plot_echo, plot_speakers, plot_spread, plot_timeline, save_figure
from narrativegraph.viz.spread import SpreadPage, spread_page, spread_svg, write_spread_page

__all__ = [
    "GraphPage",
    "graph_page",
    "write_graph_page",
    "SpreadPage",
    "spread_page",
    "spread_svg",
    "write_spread_page",
    "PLOTS",
    "plot_timeline",
    "plot_speakers",
    "plot_spread",
    "plot_echo",
    "save_figure",
]
