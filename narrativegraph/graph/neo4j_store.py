"""The Neo4j store: the official driver behind the `Store` interface, for users' own Neo4j.

Reads run in managed read transactions (so ad-hoc Cypher cannot write by accident),
writes in managed write transactions that the driver retries on transient errors,
and `write_batches` sends ``UNWIND $rows`` in one transaction per batch.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable, Mapping, Sequence

from narrativegraph.errors import QueryError, StoreError, StoreUnavailable
from narrativegraph.graph.convert import plain
from narrativegraph.graph.store import Row, batched, delete_all, identifier, one_line

__all__ = ["Neo4jStore", "open_neo4j"]

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0  # seconds: an unreachable server fails fast
RETRY_TIME = 30.0  # seconds the driver retries a transaction on transient errors


def _error(exc: Exception) -> str:
    """A driver error on one line: the server's message, without the driver's decoration."""
    message = getattr(exc, "message", None) or str(exc)
    return one_line(message)


def _records(result: Any) -> list[Row]:
    keys = list(result.keys())
    return [{k: plain(v) for k, v in zip(keys, record.values())} for record in result]


class Neo4jStore:
    """A `Store` on a Neo4j database; open it with `open_neo4j`."""

    kind = "neo4j"

    def __init__(self, driver: Any, uri: str, database: str | None):
        self._driver = driver
        self.uri = uri
        self.database = database
        self._ensured: set[tuple] = set()  # schema made by this store: ask the engine once

    def _session(self) -> Any:
        return self._driver.session(database=self.database) if self.database else self._driver.session()

    def _call(self, work: Any, *, write: bool) -> Any:
        import neo4j.exceptions as ne

        if self._driver is None:
            raise StoreError(f"{self.uri}: the store is closed")
        try:
            with self._session() as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except (ne.ServiceUnavailable, ne.SessionExpired) as exc:
            raise StoreUnavailable(f"lost Neo4j at {self.uri}: {_error(exc)}") from None
        except ne.Neo4jError as exc:
            code = getattr(exc, "code", "") or ""
            if code.endswith("AccessMode") or "in read access mode" in str(exc):
                raise QueryError("this statement writes, but the query is read-only "
                                 "(use --write, or write=True, to allow writes)") from None
            if write and "implicit transaction" in str(exc):
                return self._autocommit(work)
            if isinstance(exc, ne.ClientError):
                raise QueryError(_error(exc)) from None
            raise StoreError(f"Neo4j at {self.uri}: {_error(exc)}") from None
        except ne.DriverError as exc:
            raise StoreError(f"Neo4j at {self.uri}: {_error(exc)}") from None

    def _autocommit(self, work: Any) -> Any:
        """For statements Neo4j only runs outside a managed transaction (``CALL {} IN TRANSACTIONS``)."""
        import neo4j.exceptions as ne

        try:
            with self._session() as session:
                return work(session)
        except ne.Neo4jError as exc:
            raise QueryError(_error(exc)) from None

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        args = dict(params or {})
        return self._call(lambda tx: _records(tx.run(cypher, args)), write=write)

    def write_batches(self, cypher: str, rows: Iterable[Mapping[str, Any]], *, batch_size: int = 1000) -> int:
        sent = 0
        for chunk in batched(rows, batch_size):
            self._call(lambda tx, chunk=chunk: tx.run(cypher, {"rows": chunk}).consume(), write=True)
            sent += len(chunk)
        return sent

    # -- schema ------------------------------------------------------------
    def ensure_index(self, label: str, prop: str) -> None:
        if ("index", label, prop) in self._ensured:
            return
        name = f"{label}_{prop}".lower()
        self.run(f"CREATE INDEX {identifier(name)} IF NOT EXISTS FOR (n:{identifier(label)}) "
                 f"ON (n.{identifier(prop)})", write=True)
        self._ensured.add(("index", label, prop))

    def ensure_unique(self, label: str, prop: str) -> None:
        if ("unique", label, prop) in self._ensured:
            return
        name = f"{label}_{prop}_unique".lower()
        create = (f"CREATE CONSTRAINT {identifier(name)} IF NOT EXISTS FOR (n:{identifier(label)}) "
                  f"REQUIRE n.{identifier(prop)} IS UNIQUE")
        try:
            self.run(create, write=True)
        except QueryError as exc:
            text = str(exc).lower()
            if "already exists an index" not in text and "equivalent index already exists" not in text:
                raise
            # a plain index on the same property blocks the constraint, whose own index replaces it
            for row in self.run("SHOW INDEXES YIELD name, labelsOrTypes, properties, owningConstraint "
                                "WHERE labelsOrTypes = [$label] AND properties = [$prop] "
                                "AND owningConstraint IS NULL RETURN name", {"label": label, "prop": prop}):
                self.run(f"DROP INDEX {identifier(row['name'])} IF EXISTS", write=True)
            self.run(create, write=True)
        self._ensured.add(("unique", label, prop))

    def ensure_fulltext(self, label: str, props: Sequence[str], *, name: str | None = None) -> str:
        name = name or f"{label.lower()}s"
        if ("fulltext", label, tuple(props), name) in self._ensured:
            return name
        on = ", ".join(f"n.{identifier(p)}" for p in props)
        self.run(f"CREATE FULLTEXT INDEX {identifier(name)} IF NOT EXISTS FOR (n:{identifier(label)}) ON EACH [{on}]",
                 write=True)
        self.run("CALL db.awaitIndexes(300)", write=True)
        self._ensured.add(("fulltext", label, tuple(props), name))
        return name

    def clear(self) -> None:
        self._ensured.clear()
        for row in self.run("SHOW CONSTRAINTS YIELD name RETURN name"):
            self.run(f"DROP CONSTRAINT {identifier(row['name'])} IF EXISTS", write=True)
        for row in self.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
            self.run(f"DROP INDEX {identifier(row['name'])} IF EXISTS", write=True)
        delete_all(self, batch_size=20_000)  # in batches: a whole graph does not fit one transaction

    # -- lifecycle ---------------------------------------------------------
    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"


def open_neo4j(uri: str, *, user: str = "neo4j", password: str | None = None,
               database: str | None = None) -> Neo4jStore:
    """Connect to Neo4j and check the server, the credentials and the database, within seconds.

    >>> store = open_neo4j("bolt://127.0.0.1:7687", password="secret")      # doctest: +SKIP
    """
    import neo4j
    import neo4j.exceptions as ne

    where = f"Neo4j at {uri}" + (f" (database {database!r})" if database else "")
    scheme = uri.partition("://")[0].lower() if "://" in uri else ""
    if scheme in ("http", "https"):  # the driver's HTTP support is a preview needing extra packages
        raise StoreUnavailable(f"{uri}: narrativegraph talks to Neo4j over Bolt, not HTTP; "
                               "give the Bolt URI, e.g. bolt://127.0.0.1:7687 or neo4j+s://xxxx.databases.neo4j.io")
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=(user, password or ""),
            connection_timeout=CONNECT_TIMEOUT,
            connection_acquisition_timeout=CONNECT_TIMEOUT * 2,
            max_transaction_retry_time=RETRY_TIME,
            notifications_min_severity="OFF",
        )
    except (ne.ConfigurationError, ValueError) as exc:
        raise StoreUnavailable(f"{uri}: not a Neo4j URI ({one_line(exc)}); e.g. bolt://127.0.0.1:7687") from None
    try:
        driver.verify_connectivity()
        with (driver.session(database=database) if database else driver.session()) as session:
            session.run("RETURN 1").consume()  # checks the database exists and is online
    except ne.AuthError as exc:
        driver.close()
        raise StoreUnavailable(f"{where}: wrong user or password for {user!r} ({_error(exc)}); "
                               "set --neo4j-password or NEO4J_PASSWORD") from None
    except (ne.ServiceUnavailable, ne.SessionExpired, OSError) as exc:
        driver.close()
        raise StoreUnavailable(f"Cannot reach {where}: {_error(exc)}; start it (tools/neo4j/start) "
                               "or leave out --neo4j to use the embedded store") from None
    except ne.Neo4jError as exc:
        driver.close()
        code = getattr(exc, "code", "") or ""
        if "DatabaseNotFound" in code or "database does not exist" in str(exc).lower():
            raise StoreUnavailable(f"{where}: no such database ({_error(exc)}); "
                                   "leave out --database for the default one") from None
        raise StoreUnavailable(f"{where}: {_error(exc)}") from None
    except ne.DriverError as exc:
        driver.close()
        raise StoreUnavailable(f"{where}: {_error(exc)}") from None
    logger.debug("connected to %s", where)
    return Neo4jStore(driver, uri, database)
