"""The `Store` protocol: what every graph store (embedded FalkorDB, Neo4j) offers.

Everything above this layer (loading, queries, narratives, viz) talks to a
`Store` and never to a driver, so the same code and the same tests run on both.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Protocol, runtime_checkable

__all__ = ["Store", "Row"]

Row = dict[str, Any]


@runtime_checkable
class Store(Protocol):
    """A Cypher graph store.

    ``kind`` is ``"falkordb"`` or ``"neo4j"``: a query file may carry a variant per kind
    where the dialects force one. Values returned by `run` are plain Python values
    (str, int, float, bool, None, list, dict), never driver types.
    """

    kind: str

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        """Run one statement with parameters; rows as dicts in RETURN order."""
        ...

    def write_batches(self, cypher: str, rows: Iterable[Mapping[str, Any]], *, batch_size: int = 1000) -> int:
        """Run ``UNWIND $rows AS row ...`` over ``rows`` in batches, each its own transaction; rows sent."""
        ...

    def ensure_schema(self) -> None:
        """Create constraints and indexes once (idempotent)."""
        ...

    def close(self) -> None:
        ...

    def __enter__(self) -> "Store": ...

    def __exit__(self, *exc: object) -> None: ...
