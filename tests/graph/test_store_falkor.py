"""The embedded FalkorDB launcher: persistence, one server per folder, sharing, crashes, errors."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from narrativegraph.errors import StoreUnavailable
from narrativegraph.graph import open_store


def servers(folder: Path) -> list[int]:
    """Pids of the live redis-server processes serving ``folder`` (their working folder).

    A server's own fork (the child that rewrites the append-only file or saves a snapshot)
    shows as a second redis-server in the folder until it renames itself: it is not counted.
    """
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"redis-server" not in (proc / "cmdline").read_bytes():
                continue
            if Path(os.readlink(proc / "cwd")) != folder.resolve():
                continue
            state, ppid = (proc / "stat").read_text().rsplit(")", 1)[1].split()[:2]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found[int(proc.name)] = int(ppid)
    return sorted(pid for pid, ppid in found.items() if ppid not in found)


def python(code: str, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True,
                          text=True, timeout=60, **kw)


def spawn_holder(db: Path) -> subprocess.Popen:
    """A process that opens ``db``, writes one node, says 'ready' and waits (for stdin to close, or a kill)."""
    code = """
        import sys
        from narrativegraph.graph import open_store
        store = open_store(path=sys.argv[1])
        store.run("CREATE (:Outlet {name: 'held'})", write=True)
        print("ready", flush=True)
        sys.stdin.read()
        store.close()
    """
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_data_persists_across_processes(tmp_path):
    db = tmp_path / "news.db"
    write = python("""
        import sys
        from narrativegraph.graph import open_store
        with open_store(path=sys.argv[1]) as s:
            s.ensure_unique("Article", "id")
            s.write_batches("UNWIND $rows AS row CREATE (:Article {id: row.id, title: row.t})",
                            [{"id": f"a{i}", "t": "Лавров \\"said\\""} for i in range(50)])
    """, str(db))
    assert write.returncode == 0, write.stderr
    assert servers(db) == []  # the last user stopped the server
    assert (db / "dump.rdb").exists()
    read = python("""
        import sys, json
        from narrativegraph.graph import open_store
        with open_store(path=sys.argv[1]) as s:
            print(json.dumps(s.run("MATCH (a:Article) RETURN count(a) AS n, max(a.title) AS t")))
    """, str(db))
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == '[{"n": 50, "t": "\\u041b\\u0430\\u0432\\u0440\\u043e\\u0432 \\"said\\""}]'


def test_second_process_shares_the_one_server(tmp_path):
    db = tmp_path / "shared.db"
    holder = spawn_holder(db)
    try:
        [pid] = servers(db)
        with open_store(path=str(db)) as store:
            assert servers(db) == [pid]
            assert store.run("MATCH (o:Outlet) RETURN o.name AS name") == [{"name": "held"}]
            store.run("CREATE (:Outlet {name: 'mine'})", write=True)
        assert servers(db) == [pid]  # the holder still uses it
    finally:
        holder.communicate("", timeout=60)
    assert holder.returncode == 0
    assert servers(db) == []
    with open_store(path=str(db)) as store:
        assert store.run("MATCH (o:Outlet) RETURN o.name AS n ORDER BY n") == [{"n": "held"}, {"n": "mine"}]


def test_two_stores_in_one_process_share(tmp_path):
    db = tmp_path / "twice.db"
    first = open_store(path=str(db))
    second = open_store(path=str(db))
    second.run("CREATE (:Claim {id: 'c'})", write=True)
    second.close()
    assert first.run("MATCH (c:Claim) RETURN c.id AS id") == [{"id": "c"}]
    assert len(servers(db)) == 1
    first.close()
    assert servers(db) == []


def test_concurrent_openers_start_one_server(tmp_path):
    db = tmp_path / "race.db"
    code = """
        import sys, time
        from narrativegraph.graph import open_store
        with open_store(path=sys.argv[1]) as s:
            s.run("CREATE (:Article {id: $id})", {"id": sys.argv[2]}, write=True)
            time.sleep(0.5)
    """
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), str(db), f"a{i}"]) for i in range(4)]
    seen = set()
    while any(p.poll() is None for p in procs):
        pids = servers(db)
        assert len(pids) <= 1
        seen.update(pids)
        time.sleep(0.02)
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    assert servers(db) == []
    with open_store(path=str(db)) as store:
        assert store.run("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 4}]


def test_a_killed_user_leaves_no_stale_lock(tmp_path):
    db = tmp_path / "killed.db"
    holder = spawn_holder(db)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    [pid] = servers(db)  # its server lives on, and is shared by the next opener
    with open_store(path=str(db)) as store:
        assert servers(db) == [pid]
        assert store.run("MATCH (o:Outlet) RETURN o.name AS name") == [{"name": "held"}]
    assert servers(db) == []  # ... whose close was the last, so it stopped it


def test_a_killed_server_is_replaced_and_keeps_its_data(tmp_path):
    db = tmp_path / "crash.db"
    store = open_store(path=str(db))
    store.run("CREATE (:Claim {id: 'before the crash'})", write=True)
    [pid] = servers(db)
    os.kill(pid, signal.SIGKILL)
    while servers(db):
        time.sleep(0.01)
    with pytest.raises(StoreUnavailable, match="lost the embedded FalkorDB"):
        store.run("MATCH (n) RETURN n")
    store.close()
    with open_store(path=str(db)) as again:  # stale socket and pid file cleaned up, data replayed from the AOF
        assert again.run("MATCH (c:Claim) RETURN c.id AS id") == [{"id": "before the crash"}]
        assert len(servers(db)) == 1


def test_deep_folder_puts_its_socket_in_a_short_place(tmp_path):
    db = tmp_path.joinpath(*(["a-rather-long-folder-name"] * 5), "news.db")
    assert len(os.fsencode(db / "redis.sock")) > 107
    with open_store(path=str(db)) as store:
        sock = Path((db / "socket.path").read_text().strip())
        assert sock.exists() and len(os.fsencode(sock)) <= 100
        store.run("CREATE (:Outlet {name: 'deep'})", write=True)
        other = python("""
            import sys
            from narrativegraph.graph import open_store
            with open_store(path=sys.argv[1]) as s:
                print(s.run("MATCH (o:Outlet) RETURN o.name AS n")[0]["n"])
        """, str(db))
        assert other.stdout.strip() == "deep", other.stderr
        assert len(servers(db)) == 1
    assert not (db / "socket.path").exists() and not sock.parent.exists()
    with open_store(path=str(db)) as store:
        assert store.run("MATCH (o:Outlet) RETURN o.name AS n") == [{"n": "deep"}]


def test_corrupt_data_fails_with_the_servers_reason(tmp_path):
    db = tmp_path / "corrupt.db"
    with open_store(path=str(db)) as store:
        store.run("CREATE (:Outlet {name: 'x'})", write=True)
    for f in (db / "appendonlydir").iterdir():
        if f.name.endswith(".rdb"):
            f.write_bytes(b"REDIS0011 this is not a database")
    with pytest.raises(StoreUnavailable) as info:
        open_store(path=str(db))
    message = str(info.value)
    assert "\n" not in message and str(db) in message and "redis.log" in message
    assert "load" in message.lower() or "rdb" in message.lower() or "aof" in message.lower(), message
    assert servers(db) == []


def test_a_file_is_not_a_db_folder(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text("{}\n")
    with pytest.raises(StoreUnavailable, match="not a folder"):
        open_store(path=str(path))


def test_a_db_folder_inside_a_file_cannot_be_created(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text("{}\n")
    with pytest.raises(StoreUnavailable, match="cannot create the db folder"):
        open_store(path=str(path / "news.db"))


def test_a_store_left_open_is_closed_at_exit(tmp_path):
    db = tmp_path / "forgot.db"
    run = python("""
        import sys
        from narrativegraph.graph import open_store
        open_store(path=sys.argv[1]).run("CREATE (:Outlet {name: 'kept'})", write=True)
    """, str(db))
    assert run.returncode == 0, run.stderr
    assert servers(db) == []
    with open_store(path=str(db)) as store:
        assert store.run("MATCH (o:Outlet) RETURN o.name AS n") == [{"n": "kept"}]


def test_a_folder_it_cannot_write_fails_clearly(tmp_path):
    db = tmp_path / "frozen.db"
    db.mkdir()
    if os.geteuid() == 0:  # root writes to any folder, but not to an immutable one
        if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
            pytest.skip("running as root and chattr +i is not available here")
    else:
        db.chmod(0o555)
    try:
        with pytest.raises(StoreUnavailable) as info:
            open_store(path=str(db))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(db)], check=True)
        db.chmod(0o755)
    assert str(info.value) == f"{db}: cannot write to the db folder: " + (
        "Operation not permitted" if os.geteuid() == 0 else "Permission denied")
    assert servers(db) == []


def test_a_server_whose_socket_was_deleted_is_replaced_not_doubled(tmp_path):
    db = tmp_path / "orphan.db"
    holder = spawn_holder(db)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    [orphan] = servers(db)
    (db / "redis.sock").unlink()  # e.g. a cleaner of temp files
    with open_store(path=str(db)) as store:
        [pid] = servers(db)
        assert pid != orphan
        assert store.run("MATCH (o:Outlet) RETURN o.name AS name") == [{"name": "held"}]
    assert servers(db) == []
