"""Outlet profiles: who owns an outlet, where it sits, whether a state runs it, put on :Outlet nodes.

Researchers group outlets by owner, country or state affiliation; the articles do not
say any of that, so it comes from tables the user keeps (``--outlets TABLE.csv``,
format in docs/outlets.md):

    name, aliases, url_domain, country, language, owner, state_affiliated, lean, credibility, collections

A profile matches an :Outlet by name, by alias (``|`` between aliases, case and a
leading "The" ignored) or by URL domain (the host of any of its articles' URLs, or a
subdomain of it). Profile fields are added as properties; the outlet's own ``name``
and ``id`` (what the articles say) never change. Later tables win over earlier ones
for the same field.
"""
from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from narrativegraph.errors import InputError
from narrativegraph.graph.store import Store
from narrativegraph.records import Record, outlet_id

__all__ = [
    "PROFILE_FIELDS",
    "GROUP_FIELDS",
    "OutletProfile",
    "read_outlet_tables",
    "match_profile",
    "apply_outlet_profiles",
    "outlet_profiles",
    "credit_rows",
    "MERGE_CREDITS",
    "DELETE_CREDITS",
]

logger = logging.getLogger(__name__)

PROFILE_FIELDS = ("name", "aliases", "url_domain", "country", "language", "owner",
                  "state_affiliated", "lean", "credibility", "collections")
# Fields a query can be grouped by (`narrativegraph.queries.grouping`).
GROUP_FIELDS = ("country", "language", "owner", "state_affiliated", "lean", "collection")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


@dataclass(frozen=True, slots=True)
class OutletProfile:
    """One row of an outlet table; empty fields are None (unknown), never guessed."""

    name: str
    aliases: tuple[str, ...] = ()
    url_domains: tuple[str, ...] = ()
    country: str | None = None
    language: str | None = None
    owner: str | None = None
    state_affiliated: bool | None = None
    lean: str | None = None
    credibility: str | None = None
    collections: tuple[str, ...] = ()
    source: str = ""  # "table.csv:3"
    extra: tuple[tuple[str, str], ...] = field(default=())

    def properties(self) -> dict[str, Any]:
        """The properties this profile puts on an :Outlet node (known fields only)."""
        props: dict[str, Any] = {
            "aliases": list(self.aliases) or None,
            "url_domain": self.url_domains[0] if self.url_domains else None,
            "country": self.country,
            "language": self.language,
            "owner": self.owner,
            "state_affiliated": self.state_affiliated,
            "lean": self.lean,
            "credibility": self.credibility,
            "collections": list(self.collections) or None,
            "profile": self.source,
            "profile_name": self.name,
        }
        for k, v in self.extra:  # other columns (source, notes, ...) kept as they are
            key = re.sub(r"\W+", "_", k).strip("_")
            if key and key not in props and key not in ("id", "name", "kind"):
                props[key] = v
        return {k: v for k, v in props.items() if v is not None}


def _key(name: str) -> str:
    s = re.sub(r"\s+", " ", name.strip().lower())
    return s[4:] if s.startswith("the ") else s


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split("|") if p.strip())


def _domain(value: str) -> str:
    """A bare lower-case host from a domain or URL.

    >>> _domain("https://www.Breitbart.com/politics/"), _domain("sputniknews.com")
    ('breitbart.com', 'sputniknews.com')
    """
    v = value.strip().lower()
    host = urlsplit(v if "//" in v else "//" + v).hostname or ""
    return host[4:] if host.startswith("www.") else host


def _bool(value: str, where: str) -> bool | None:
    v = value.strip().lower()
    if not v:
        return None
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise InputError(where, f"state_affiliated must be yes/no/true/false or empty, not {value!r}")


def _csv_rows(path: Path | str) -> Iterable[tuple[int, list[str]]]:
    """``(line, cells)`` of each non-empty row of a UTF-8 CSV file, the header first.

    ``line`` is where the row starts (a quoted cell may span lines). `InputError` naming
    the file and line for an unreadable file, bytes that are not UTF-8 or broken quoting.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read outlet table ({e.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}", f"outlet table is not UTF-8 (byte 0x{data[e.start]:02x}); "
                                          "save it as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise InputError(f"{path}:{start}", f"cannot read this CSV row ({e}); check its quotes") from None
        if any(c.strip() for c in cells):
            yield start, cells
        start = reader.line_num + 1


def read_outlet_tables(paths: Sequence[Path | str]) -> tuple[OutletProfile, ...]:
    """Profiles from CSV tables (UTF-8, header row with at least ``name``).

    Raises `InputError` naming file and line for a file that is not UTF-8 CSV, a missing
    name column, a row with more cells than the header, an empty name or a bad
    ``state_affiliated`` value.
    """
    out: list[OutletProfile] = []
    for path in paths:
        rows = iter(_csv_rows(path))
        _, header = next(rows, (1, []))
        cols = [c.strip() for c in header]
        if "name" not in cols:
            raise InputError(str(path), f"outlet table needs a 'name' column; columns are {cols}; "
                                        f"expected {', '.join(PROFILE_FIELDS)}")
        for lineno, cells in rows:
            where = f"{path}:{lineno}"
            if len(cells) > len(cols):
                raise InputError(where, f"row has {len(cells)} cells but the header has {len(cols)}; "
                                        "quote cells that contain a comma")
            row = {k: v.strip() for k, v in zip(cols, cells) if k}
            if not row.get("name"):
                raise InputError(where, "outlet row has an empty 'name'")
            extra = tuple(sorted((k, v) for k, v in row.items() if k not in PROFILE_FIELDS and v))
            out.append(OutletProfile(
                name=row["name"],
                aliases=_split(row.get("aliases")),
                url_domains=tuple(_domain(d) for d in _split(row.get("url_domain"))),
                country=row.get("country") or None,
                language=row.get("language") or None,
                owner=row.get("owner") or None,
                state_affiliated=_bool(row.get("state_affiliated", ""), where),
                lean=row.get("lean") or None,
                credibility=row.get("credibility") or None,
                collections=_split(row.get("collections")),
                source=f"{Path(path).name}:{lineno}",
                extra=extra,
            ))
    return tuple(out)


def match_profile(name: str | None, hosts: Iterable[str], profiles: Sequence[OutletProfile]) -> OutletProfile | None:
    """The last profile matching an outlet by name or alias, else by the domain of one of its URLs.

    >>> p = OutletProfile("Sputnik", aliases=("Sputnik International",), url_domains=("sputniknews.com",))
    >>> match_profile("sputnik international", [], [p]).name, match_profile("X", ["www.sputniknews.com"], [p]).name
    ('Sputnik', 'Sputnik')
    >>> match_profile("RT", ["rt.com"], [p]) is None
    True
    """
    key = _key(name) if name else None
    by_name = [p for p in profiles if key and key in {_key(n) for n in (p.name, *p.aliases)}]
    if by_name:
        return by_name[-1]
    doms = {_domain(h) for h in hosts if h}
    by_domain = [p for p in profiles
                 if any(d == pd or d.endswith("." + pd) for d in doms for pd in p.url_domains)]
    return by_domain[-1] if by_domain else None


def apply_outlet_profiles(store: Store, tables: Sequence[Path | str | OutletProfile]) -> int:
    """Put the profile fields of matching tables on every :Outlet node; returns outlets profiled.

    ``tables`` are CSV paths or already-read profiles. Idempotent; call it after each
    load so outlets that arrived later are profiled too. CREDITS from an article to an
    outlet with the same profile as its publisher are removed: that is self-citation
    (and the echo network, which counts credits, is recomputed).
    """
    profiles = [t for t in tables if isinstance(t, OutletProfile)]
    profiles += read_outlet_tables([t for t in tables if not isinstance(t, OutletProfile)])
    if not profiles:
        return 0
    outlets = store.run(
        "MATCH (o:Outlet) OPTIONAL MATCH (o)-[:PUBLISHED]->(a:Article) WHERE a.url IS NOT NULL "
        "RETURN o.id AS id, o.name AS name, collect(DISTINCT a.url) AS urls ORDER BY id"
    )
    rows = []
    for o in outlets:
        hosts = [urlsplit(u).hostname or "" for u in o.get("urls") or () if isinstance(u, str)]
        p = match_profile(o.get("name"), hosts, profiles)
        if p is not None:
            rows.append({"id": o["id"], "props": p.properties()})
    if rows:
        store.write_batches("UNWIND $rows AS row MATCH (o:Outlet {id: row.id}) SET o += row.props", rows)
        # an article naming its own outlet under another name ("wash-post" citing The Washington Post)
        self_credits = store.run(
            "MATCH (o1:Outlet)-[:PUBLISHED]->(:Article)-[r:CREDITS]->(o2:Outlet) "
            "WHERE o1.profile_name IS NOT NULL AND o1.profile_name = o2.profile_name RETURN count(r) AS n")[0]["n"]
        if self_credits:
            store.run("MATCH (o1:Outlet)-[:PUBLISHED]->(:Article)-[r:CREDITS]->(o2:Outlet) "
                      "WHERE o1.profile_name IS NOT NULL AND o1.profile_name = o2.profile_name DELETE r", write=True)
            from narrativegraph.graph.spread import compute_echoes

            compute_echoes(store)  # credits are part of the echo network
    logger.info("outlet profiles: %d of %d outlets matched", len(rows), len(outlets))
    return len(rows)


def outlet_profiles(store: Store, field_name: str) -> Mapping[str, Any]:
    """Outlet name -> value of one profile property (``collection`` reads ``collections``)."""
    prop = "collections" if field_name == "collection" else field_name
    rows = store.run("MATCH (o:Outlet) RETURN o.name AS name, o.id AS id, properties(o) AS props")
    out: dict[str, Any] = {}
    for r in rows:
        for k in (r.get("name"), r.get("id")):
            if k is not None:
                out[k] = (r.get("props") or {}).get(prop)
    return out


# ------------------------------------------------------------------ credits
MERGE_CREDITS = (
    "UNWIND $rows AS row MATCH (a:Article {id: row.article_id}) "
    "MERGE (o:Outlet {id: row.outlet_id}) ON CREATE SET o.name = row.name "
    "MERGE (a)-[r:CREDITS]->(o) "
    "SET r.cue = row.cue, r.count = row.count, r.start = row.start, r.end = row.end, r.evidence = row.evidence"
)
DELETE_CREDITS = "UNWIND $rows AS row MATCH (a:Article {id: row.id})-[r:CREDITS]->() DELETE r"


def credit_rows(record: Record) -> list[dict[str, Any]]:
    """Rows for `MERGE_CREDITS`: the record's CREDITS triples (extraction finds them)."""
    triples = [t for t in record.triples if t.predicate.upper() == "CREDITS"]
    rows = []
    for t in triples:
        props = dict(t.properties)
        oid = t.object if t.object.startswith("outlet/") else outlet_id(t.object)
        rows.append({
            "article_id": record.article.id,
            "outlet_id": oid,
            "name": props.get("name") or (t.object if not t.object.startswith("outlet/") else oid.split("/", 1)[1]),
            "cue": props.get("cue"),
            "count": int(props.get("count") or 1),
            "start": t.evidence.start if t.evidence else None,
            "end": t.evidence.end if t.evidence else None,
            "evidence": t.evidence.text if t.evidence else None,
        })
    return rows
