"""narrativegraph: who said what, where and when, as a graph.

The stages, left to right (each imports only from those on its left):

    narrativegraph.extract   articles -> records (`narrativegraph.records`)
    narrativegraph.graph     records -> a Store (embedded FalkorDB or Neo4j), narratives, spread
    narrativegraph.queries   named Cypher queries over a Store
    narrativegraph.viz       pages and plots from query results

The command line (`narrativegraph`) is a thin layer over these.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("narrativegraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
