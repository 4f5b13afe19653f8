"""The `Store` protocol: what every graph store (embedded FalkorDB, Neo4j) offers.

Everything above this layer (loading, queries, narratives, viz) talks to a
`Store` and never to a driver, so the same code and the same tests run on both.
"""
from __future__ import annotations

import itertools
import re
from typing import Any, Iterable, Iterator, Mapping, Protocol, Sequence, runtime_checkable

from narrativegraph.errors import QueryError

__all__ = ["Store", "Row", "identifier", "batched", "one_line", "delete_all"]

Row = dict[str, Any]


@runtime_checkable
class Store(Protocol):
    """A Cypher graph store.

    ``kind`` is ``"falkordb"`` or ``"neo4j"``: a query file may carry a variant per kind
    where the dialects force one. Values returned by `run` are plain Python values
    (str, int, float, bool, None, list, dict), never driver types: see
    `narrativegraph.graph.convert` (nodes -> properties + ``_labels``, relationships ->
    properties + ``_type``, dates -> ISO strings, no internal ids).

    ``run(..., write=False)`` is read-only (FalkorDB ``GRAPH.RO_QUERY``, Neo4j read
    transaction): a statement that writes raises `QueryError`. Cypher errors raise
    `QueryError` with the engine's message on one line; a store that cannot be reached
    raises `StoreUnavailable`.
    """

    kind: str

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        """Run one statement with parameters; rows as dicts in RETURN order."""
        ...

    def write_batches(self, cypher: str, rows: Iterable[Mapping[str, Any]], *, batch_size: int = 1000) -> int:
        """Run ``UNWIND $rows AS row ...`` over ``rows`` in batches, each its own transaction; rows sent."""
        ...

    def ensure_unique(self, label: str, prop: str) -> None:
        """A uniqueness constraint on ``(label, prop)`` (with its index); idempotent."""
        ...

    def ensure_index(self, label: str, prop: str) -> None:
        """An exact-match index on ``(label, prop)``; idempotent."""
        ...

    def ensure_fulltext(self, label: str, props: Sequence[str], *, name: str | None = None) -> str:
        """A full-text index over ``props`` of ``label``; idempotent; returns the name to query it by.

        FalkorDB names a full-text index by its label (``db.idx.fulltext.queryNodes('Claim', $q)``);
        Neo4j by ``name``, default the label lower-cased plus "s"
        (``db.index.fulltext.queryNodes('claims', $q)``).
        """
        ...

    def clear(self) -> None:
        """Delete every node, relationship, constraint and index (tests, ``--rebuild``)."""
        ...

    def close(self) -> None:
        ...

    def __enter__(self) -> "Store": ...

    def __exit__(self, *exc: object) -> None: ...


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def identifier(name: str) -> str:
    """A label or property name, checked, backticked for Cypher (schema commands take no parameters).

    >>> identifier("Claim")
    '`Claim`'
    """
    if not _IDENT.match(name):
        raise QueryError(f"not a valid label or property name: {name!r} (letters, digits and _ only)")
    return f"`{name}`"


def batched(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Rows in lists of at most ``size``.

    >>> [len(b) for b in batched(({"i": i} for i in range(5)), 2)]
    [2, 2, 1]
    """
    if size < 1:
        raise ValueError(f"batch_size must be at least 1, not {size}")
    it = iter(rows)
    while chunk := [dict(r) for r in itertools.islice(it, size)]:
        yield chunk


def delete_all(store: Store, label: str | None = None, *, batch_size: int = 10_000) -> int:
    """Delete every ``label`` node (every node without one) and its relationships, in
    transactions of ``batch_size`` deletions; returns the nodes deleted.

    One ``DETACH DELETE`` of a whole label holds every deletion in one transaction: on
    Neo4j a few hundred thousand band keys exceed ``dbms.memory.transaction.total.max``
    (about 700 MB with a 1 GB heap) and the statement fails. A batch of nodes is no cure
    when one of them is a hub (an outlet with every article's PUBLISHED), so the
    relationships go first, ``batch_size`` at a time, then the bare nodes.
    """
    node = f"(n:{identifier(label)})" if label else "(n)"
    while store.run(f"MATCH {node}-[r]-() WITH DISTINCT r LIMIT $n DELETE r RETURN count(*) AS n",
                    {"n": batch_size}, write=True)[0]["n"]:
        pass
    total = 0
    while deleted := store.run(f"MATCH {node} WITH n LIMIT $n DELETE n RETURN count(*) AS n",
                               {"n": batch_size}, write=True)[0]["n"]:
        total += deleted
    return total


def one_line(message: object) -> str:
    """An engine's message on one line.

    >>> one_line("Invalid input\\n  RETURN foo(\\n  ^")
    'Invalid input | RETURN foo( | ^'
    """
    return " | ".join(part.strip() for part in str(message).splitlines() if part.strip())
