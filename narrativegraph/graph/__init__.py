"""The graph stage: open a `Store` (embedded FalkorDB by default, or Neo4j) and load records into it."""
from __future__ import annotations

import os

from narrativegraph.graph.store import Store

__all__ = ["open_store", "Store", "DEFAULT_DB"]

DEFAULT_DB = "narrativegraph.db"


def open_store(
    *,
    path: str | os.PathLike[str] | None = None,
    neo4j_uri: str | None = None,
    user: str = "neo4j",
    password: str | None = None,
    database: str | None = None,
    create: bool = True,
) -> Store:
    """Neo4j at ``neo4j_uri`` if given, else the embedded FalkorDB in the db folder ``path``.

    ``create=False`` refuses to start a new embedded store where there is none yet.

    Raises `StoreUnavailable` (one line, within seconds) when the store cannot be
    reached or started. Use it as a context manager so the store is closed:

    >>> with open_store(path="news.db") as store:                                 # doctest: +SKIP
    ...     store.run("MATCH (c:Claim) RETURN count(c) AS claims")
    [{'claims': 0}]
    """
    if neo4j_uri:
        from narrativegraph.graph.neo4j_store import open_neo4j

        return open_neo4j(neo4j_uri, user=user, password=password, database=database)
    from narrativegraph.graph.falkor import open_falkor

    return open_falkor(path if path is not None else DEFAULT_DB, create=create)
