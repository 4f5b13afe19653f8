"""What the pictures need from a store, fetched with parameterised Cypher and returned as plain values.

`narrativegraph.viz` draws these dataclasses and never sees a store or a driver. Every
pattern here is written without relationship direction where the model allows it, so it
answers the same on the embedded store and on Neo4j; user input only travels as parameters.
"""
from __future__ import annotations

import heapq
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Sequence

from narrativegraph.errors import QueryError
from narrativegraph.graph.store import Store

__all__ = [
    "NODE_TYPES",
    "EDGE_TYPES",
    "GraphNode",
    "GraphEdge",
    "Subgraph",
    "Carrier",
    "Spread",
    "fetch_subgraph",
    "fetch_spread",
    "fetch_timeline",
    "fetch_speakers_by_outlet",
    "fetch_echo",
    "most_connected",
    "day_number",
    "day_range",
    "iso_day",
]

logger = logging.getLogger(__name__)

# Primary label of a node, most specific first (an entity is also :Entity).
NODE_TYPES = ("Outlet", "Article", "Claim", "Person", "Organization", "Group", "Place", "Unknown", "Other",
              "Narrative", "Entity")
EDGE_TYPES = ("PUBLISHED", "REPORTS", "ASSERTS", "MENTIONS", "SPOKE_TO", "AFFILIATED_WITH", "PART_OF", "CARRIED",
              "ECHOES", "COPY_OF")
_ENTITY_TYPES = ("Person", "Organization", "Group", "Place", "Unknown", "Other", "Entity")

# A speaker or entity named by the user: its name (any case), one of its aliases, or its id.
# names are resolved to ids first, by the same rules as the named queries (runner.resolve_name)
_NAME_MATCH = "s.id = $name"


def _entity_id(store: Store, name: str) -> str:
    """The id ``name`` means (case-insensitive, alias or unambiguous surname), or ``name`` itself."""
    from narrativegraph.queries.runner import resolve_name

    return resolve_name(store, name, "entity") or name


def _outlet_id(store: Store, name: str) -> str:
    from narrativegraph.queries.runner import resolve_name

    return resolve_name(store, name, "outlet") or name


def _narrative_id(store: Store, value: str) -> str:
    """The narrative id ``value`` is or starts, as in the named queries; `QueryError` if none."""
    from narrativegraph.queries.runner import resolve_narrative

    return resolve_narrative(store, value)


@dataclass(frozen=True)
class GraphNode:
    """One node to draw: ``key`` is unique in the page (``"Claim:claim/a1@3-40"``)."""

    key: str
    type: str
    label: str
    degree: int = 0
    info: tuple[tuple[str, str], ...] = ()  # tooltip lines (field, value), plain text


@dataclass(frozen=True)
class GraphEdge:
    """One relationship to draw, between two `GraphNode.key` values."""

    source: str
    target: str
    type: str
    info: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Subgraph:
    """The part of the graph a page shows, and how much of the whole it is."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    total_nodes: int
    total_edges: int
    filters: tuple[tuple[str, str], ...] = ()

    @property
    def cut(self) -> bool:
        return len(self.nodes) < self.total_nodes


@dataclass(frozen=True)
class Carrier:
    """One article that carried a narrative (or a speaker's claims), with the claim it carried."""

    outlet: str
    article_id: str
    day: str | None
    title: str | None = None
    url: str | None = None
    claim_id: str | None = None
    claim: str | None = None
    speaker: str | None = None


@dataclass(frozen=True)
class Spread:
    """How a narrative or a speaker's claims travelled: every carrier, earliest first."""

    subject: str  # "narrative" or "speaker"
    key: str  # the narrative id or speaker name asked for
    label: str  # what to call it on the page
    carriers: tuple[Carrier, ...] = field(default_factory=tuple)

    @property
    def outlets(self) -> list[str]:
        """Outlets in the order they first carried it.

        >>> s = Spread("speaker", "x", "x", (Carrier("B", "2", "2016-09-02"), Carrier("A", "1", "2016-09-01")))
        >>> s.outlets
        ['A', 'B']
        """
        first: dict[str, str] = {}
        for c in self.carriers:
            if c.day and (c.outlet not in first or c.day < first[c.outlet]):
                first[c.outlet] = c.day
        return sorted(first, key=lambda o: (first[o], o))


# ------------------------------------------------------------------ helpers
def _primary(labels: Sequence[str]) -> str:
    for t in NODE_TYPES:
        if t in labels:
            return t
    return labels[0] if labels else "Node"


def _key(type_: str, ident: Any) -> str:
    return f"{type_}:{ident}"


def _ident(key: str) -> str:
    return key.split(":", 1)[1]


def _s(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_s(x) for x in v)
    return str(v)


def _short(text: str, n: int = 48) -> str:
    """A label short enough to draw.

    >>> _short("There is no such thing as carnage in Aleppo", 20)
    'There is no such th…'
    """
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


_EPOCH = date(1970, 1, 1)


def day_number(value: str | None, what: str = "date") -> int | None:
    """Days since 1970-01-01 of an ISO date (how the graph stores ``Article.day``).

    >>> day_number("2016-12-14"), day_number(None)
    (17149, None)
    """
    if not value:
        return None
    try:
        return (date.fromisoformat(str(value)[:10]) - _EPOCH).days
    except ValueError:
        raise QueryError(f"{what} {value!r} is not a date; use YYYY-MM-DD") from None


def day_range(since: str | None, until: str | None) -> tuple[int | None, int | None]:
    """``--since`` and ``--until`` as day numbers; a range that ends before it starts is a user error.

    >>> day_range("2016-09-01", None)
    (17045, None)
    >>> day_range("2016-12-31", "2016-01-01")
    Traceback (most recent call last):
    ...
    narrativegraph.errors.QueryError: --since 2016-12-31 is after --until 2016-01-01: nothing can match; swap them
    """
    lo, hi = day_number(since, "--since"), day_number(until, "--until")
    if lo is not None and hi is not None and lo > hi:
        raise QueryError(f"--since {since} is after --until {until}: nothing can match; swap them")
    return lo, hi


def iso_day(day: Any, published: Any = None) -> str | None:
    """The ISO day of an article from its stored day number, else its published string.

    >>> iso_day(17149), iso_day(None, "2016-12-14T10:00:00"), iso_day(None)
    ('2016-12-14', '2016-12-14', None)
    """
    if isinstance(day, (int, float)) and not isinstance(day, bool):
        return (_EPOCH + timedelta(days=int(day))).isoformat()
    if isinstance(day, str) and day:
        return day[:10]
    return str(published)[:10] if published else None


def _info(*pairs: tuple[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((k, _s(v)) for k, v in pairs if v not in (None, "", []))


def most_connected(adjacency: Mapping[str, set[str]], limit: int, *, fanout: int | None = None) -> list[str]:
    """Up to ``limit`` nodes grown greedily from the best-connected node, through its busiest neighbours.

    Plain top-degree picks give hubs with nothing between them; growing along edges keeps
    what is shown connected. When a part is used up, the next best-connected node starts another.
    With ``fanout``, a node lets in only its ``fanout`` busiest neighbours, so one hub cannot fill the page.

    >>> adj = {"a": {"b", "c"}, "b": {"a"}, "c": {"a", "d"}, "d": {"c"}, "x": {"y"}, "y": {"x"}}
    >>> most_connected(adj, 3)
    ['a', 'c', 'b']
    """
    deg = {k: len(v) for k, v in adjacency.items()}
    order = sorted(adjacency, key=lambda k: (-deg[k], k))
    chosen: list[str] = []
    seen: set[str] = set()
    starts = iter(order)
    heap: list[tuple[int, str]] = []
    while len(chosen) < limit:
        while heap and heap[0][1] in seen:
            heapq.heappop(heap)
        if not heap:
            nxt = next((k for k in starts if k not in seen), None)
            if nxt is None:
                break
            heapq.heappush(heap, (-deg[nxt], nxt))
            continue
        _, k = heapq.heappop(heap)
        seen.add(k)
        chosen.append(k)
        for n in sorted((n for n in adjacency[k] if n not in seen), key=lambda n: (-deg[n], n))[:fanout]:
            heapq.heappush(heap, (-deg[n], n))
    return chosen


# ------------------------------------------------------------------ the graph page
# One statement per relationship type (a type scan, not a scan of every edge, bands included);
# the type comes from EDGE_TYPES, never from the user.
_EDGES = """
MATCH (a)-[r:{type}]->(b)
RETURN labels(a) AS la, coalesce(a.id, a.name) AS ka, type(r) AS t, properties(r) AS p,
       labels(b) AS lb, coalesce(b.id, b.name) AS kb
"""
_NODES = "MATCH (n:{label}) RETURN labels(n) AS l, coalesce(n.id, n.name) AS k"


def _seed_claims_articles(store: Store, *, speaker: str | None, outlet: str | None, entity: str | None,
                          narrative: str | None, since: str | None, until: str | None,
                          ) -> tuple[list[set[str]], list[set[str]], set[str]]:
    """Claim-id and article-id sets each filter allows (to intersect), and the keys it names."""
    claim_sets: list[set[str]] = []
    article_sets: list[set[str]] = []
    named: set[str] = set()

    def ids(cypher: str, **params: Any) -> list[dict]:
        return store.run(cypher, params)

    if speaker:
        rows = ids(f"MATCH (s:Entity) WHERE {_NAME_MATCH} "
                   "OPTIONAL MATCH (s)-[:ASSERTS]-(c:Claim) OPTIONAL MATCH (c)-[:REPORTS]-(a:Article) "
                   "RETURN labels(s) AS l, s.id AS sid, c.id AS cid, a.id AS aid", name=_entity_id(store, speaker))
        if not rows:
            raise QueryError(f"no speaker named {speaker!r} in the graph; "
                             "try `narrativegraph query top-speakers` for names")
        named |= {_key(_primary(r["l"]), r["sid"]) for r in rows}
        claim_sets.append({r["cid"] for r in rows if r["cid"]})
        article_sets.append({r["aid"] for r in rows if r["aid"]})
    if outlet:
        rows = ids("MATCH (o:Outlet) WHERE o.id = $name "
                   "OPTIONAL MATCH (o)-[:PUBLISHED]-(a:Article) OPTIONAL MATCH (a)-[:REPORTS]-(c:Claim) "
                   "RETURN coalesce(o.id, o.name) AS oid, a.id AS aid, c.id AS cid", name=_outlet_id(store, outlet))
        if not rows:
            raise QueryError(f"no outlet named {outlet!r} in the graph")
        named |= {_key("Outlet", r["oid"]) for r in rows}
        article_sets.append({r["aid"] for r in rows if r["aid"]})
        claim_sets.append({r["cid"] for r in rows if r["cid"]})
    if entity:
        rows = ids(f"MATCH (s:Entity) WHERE {_NAME_MATCH} "
                   "OPTIONAL MATCH (s)-[:MENTIONS]-(a:Article) OPTIONAL MATCH (a)-[:REPORTS]-(c:Claim) "
                   "RETURN labels(s) AS l, s.id AS sid, a.id AS aid, c.id AS cid "
                   "UNION "
                   f"MATCH (s:Entity) WHERE {_NAME_MATCH} "
                   "MATCH (s)-[:ASSERTS]-(c:Claim)-[:REPORTS]-(a:Article) "
                   "RETURN labels(s) AS l, s.id AS sid, a.id AS aid, c.id AS cid", name=_entity_id(store, entity))
        if not rows:
            raise QueryError(f"no entity named {entity!r} in the graph")
        named |= {_key(_primary(r["l"]), r["sid"]) for r in rows}
        article_sets.append({r["aid"] for r in rows if r["aid"]})
        claim_sets.append({r["cid"] for r in rows if r["cid"]})
    if narrative:
        narrative = _narrative_id(store, narrative)
        rows = ids("MATCH (n:Narrative) WHERE n.id = $id "
                   "OPTIONAL MATCH (n)-[:PART_OF]-(c:Claim) OPTIONAL MATCH (c)-[:REPORTS]-(a:Article) "
                   "RETURN n.id AS nid, c.id AS cid, a.id AS aid", id=narrative)
        if not rows:
            raise QueryError(f"no narrative with id {narrative!r}; `narrativegraph narratives` lists them")
        named |= {_key("Narrative", narrative)}
        claim_sets.append({r["cid"] for r in rows if r["cid"]})
        article_sets.append({r["aid"] for r in rows if r["aid"]})
    if since or until:
        lo, hi = day_range(since, until)
        rows = ids("MATCH (a:Article) WHERE a.day IS NOT NULL "
                   "AND ($since IS NULL OR a.day >= $since) AND ($until IS NULL OR a.day <= $until) "
                   "OPTIONAL MATCH (a)-[:REPORTS]-(c:Claim) RETURN a.id AS aid, c.id AS cid",
                   since=lo, until=hi)
        article_sets.append({r["aid"] for r in rows if r["aid"]})
        claim_sets.append({r["cid"] for r in rows if r["cid"]})
    return claim_sets, article_sets, named


def fetch_subgraph(store: Store, *, speaker: str | None = None, outlet: str | None = None,
                   entity: str | None = None, narrative: str | None = None, since: str | None = None,
                   until: str | None = None, limit: int = 500) -> Subgraph:
    """The part of the graph to draw: filtered, or else the most connected part, at most ``limit`` nodes.

    Filters combine (a speaker's claims in one outlet's articles between two days). A filtered
    view holds the claims, their speakers, articles, outlets and narratives, and the named nodes.
    Raises `QueryError` when a name matches nothing, naming it.
    """
    if limit < 1:
        raise QueryError(f"--limit must be at least 1, not {limit}")
    day_range(since, until)  # a bad day fails before the whole graph is read
    rows = [r for t in EDGE_TYPES for r in store.run(_EDGES.format(type=t))]
    adj: dict[str, set[str]] = defaultdict(set)
    edges: dict[tuple[str, str, str], dict] = {}
    for r in rows:
        if r["ka"] is None or r["kb"] is None:
            continue
        a, b = _key(_primary(r["la"]), r["ka"]), _key(_primary(r["lb"]), r["kb"])
        edges[(a, b, r["t"])] = r.get("p") or {}
        adj[a].add(b)
        adj[b].add(a)
    # nodes without relationships still count (and show) in an unfiltered view
    for r in (r for label in NODE_TYPES if label != "Entity" for r in store.run(_NODES.format(label=label))):
        t = _primary(r["l"])
        if r["k"] is not None and t in NODE_TYPES:
            adj.setdefault(_key(t, r["k"]), set())
    total_nodes, total_edges = len(adj), len(edges)

    filters = tuple((k, v) for k, v in (("speaker", speaker), ("outlet", outlet), ("entity", entity),
                                         ("narrative", narrative), ("since", since), ("until", until)) if v)
    if filters:
        claim_sets, article_sets, named = _seed_claims_articles(
            store, speaker=speaker, outlet=outlet, entity=entity, narrative=narrative, since=since, until=until)
        articles = set.intersection(*article_sets) if article_sets else set()
        claims = set.intersection(*claim_sets) if claim_sets else set()
        keep = {k for k in named if k in adj}
        keep |= {_key("Claim", c) for c in claims}
        keep |= {_key("Article", a) for a in articles}
        for k in list(keep):
            t = k.split(":", 1)[0]
            for n in adj.get(k, ()):
                nt = n.split(":", 1)[0]
                if t == "Claim" and (nt in _ENTITY_TYPES or nt in ("Narrative", "Article")) and _is_speaker_or_part(k, n, edges):
                    keep.add(n)
                elif t == "Article" and nt == "Outlet":
                    keep.add(n)
                elif k in named and nt in _ENTITY_TYPES + ("Outlet",) and t in _ENTITY_TYPES:
                    keep.add(n)  # a named person's SPOKE_TO / AFFILIATED_WITH neighbours
        # a claim's article must be in the view's articles when an article filter applies
        sub = {k: adj[k] & keep for k in keep if k in adj}
        chosen = most_connected(sub, limit)
    else:
        sub = adj
        # who said what first: grow along claims, articles and outlets, not the MENTIONS hairball
        core: dict[str, set[str]] = defaultdict(set)
        for (a, b, t) in edges:
            if t != "MENTIONS":
                core[a].add(b)
                core[b].add(a)
        chosen = most_connected(core, limit, fanout=max(4, limit // 40))
        if len(chosen) < limit:  # then the rest, mentions and all
            have = set(chosen)
            chosen += [k for k in most_connected(adj, len(adj)) if k not in have][: limit - len(chosen)]
    chosen_set = set(chosen)
    if len(chosen) < len(sub):
        logger.info("showing %d of %d nodes", len(chosen), len(sub))
    drawn_edges = [(a, b, t, p) for (a, b, t), p in edges.items() if a in chosen_set and b in chosen_set]
    degree = {k: len(adj[k] & chosen_set) for k in chosen}
    nodes = _describe(store, chosen, degree, edges)
    gedges = tuple(GraphEdge(a, b, t, _edge_info(t, p)) for a, b, t, p in drawn_edges)
    return Subgraph(nodes=nodes, edges=gedges, total_nodes=total_nodes if not filters else len(sub),
                    total_edges=total_edges if not filters else sum(len(v) for v in sub.values()) // 2,
                    filters=filters)


def _is_speaker_or_part(claim: str, other: str, edges: Mapping[tuple[str, str, str], dict]) -> bool:
    for t in ("ASSERTS", "PART_OF", "REPORTS"):
        if (other, claim, t) in edges or (claim, other, t) in edges:
            return True
    return False


def _edge_info(type_: str, props: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    keep = {"ASSERTS": ("cue", "kind", "confidence"), "MENTIONS": ("count",), "AFFILIATED_WITH": ("role",),
            "ECHOES": ("narratives", "median_lag_days", "credits")}.get(type_, ())
    return _info(*((k, props.get(k)) for k in keep))


def _describe(store: Store, keys: Iterable[str], degree: Mapping[str, int],
              edges: Mapping[tuple[str, str, str], dict]) -> tuple[GraphNode, ...]:
    """Labels and tooltip lines for the chosen nodes, a few parameterised lookups per type."""
    by_type: dict[str, list[str]] = defaultdict(list)
    keys = list(keys)
    for k in keys:
        t, ident = k.split(":", 1)
        by_type[t].append(ident)
    outlet_of: dict[str, str] = {}
    asserted: dict[str, int] = defaultdict(int)
    for (a, b, t) in edges:
        if t == "ASSERTS":
            asserted[a] += 1
        if t == "PUBLISHED":
            o, art = (a, b) if a.startswith("Outlet:") else (b, a)
            outlet_of[_ident(art)] = _ident(o)

    claims: dict[str, dict] = {}
    outlets: dict[str, str] = {}
    if by_type.get("Outlet"):
        for r in store.run("MATCH (o:Outlet) WHERE o.id IN $ids OR o.name IN $ids "
                           "RETURN coalesce(o.id, o.name) AS id, o.name AS name", {"ids": by_type["Outlet"]}):
            outlets[r["id"]] = r["name"] or r["id"]
    if by_type.get("Claim"):
        for r in store.run("MATCH (c:Claim) WHERE c.id IN $ids OPTIONAL MATCH (s)-[r:ASSERTS]-(c) "
                           "RETURN c.id AS id, c.text AS text, c.article_id AS article_id, c.start AS start, "
                           "c.end AS end, coalesce(r.kind, c.kind) AS kind, s.name AS speaker, r.cue AS cue, "
                           "r.confidence AS confidence", {"ids": by_type["Claim"]}):
            d = claims.setdefault(r["id"], dict(r, speakers=[]))
            if r["speaker"] and r["speaker"] not in d["speakers"]:
                d["speakers"].append(r["speaker"])
    article_ids = set(by_type.get("Article", ())) | {c["article_id"] for c in claims.values() if c["article_id"]}
    articles: dict[str, dict] = {}
    if article_ids:
        for r in store.run("MATCH (a:Article) WHERE a.id IN $ids RETURN a.id AS id, a.title AS title, "
                           "a.published AS published, a.day AS day, a.url AS url, a.author AS author",
                           {"ids": sorted(article_ids)}):
            articles[r["id"]] = r
    entities: dict[str, dict] = {}
    ent_ids = [i for t in _ENTITY_TYPES for i in by_type.get(t, ())]
    if ent_ids:
        for r in store.run("MATCH (e:Entity) WHERE e.id IN $ids RETURN e.id AS id, e.name AS name, e.type AS type, "
                           "e.aliases AS aliases", {"ids": ent_ids}):
            entities[r["id"]] = r
    narratives: dict[str, dict] = {}
    if by_type.get("Narrative"):
        for r in store.run("MATCH (n:Narrative) WHERE n.id IN $ids RETURN n.id AS id, n.label AS label, "
                           "n.first_day AS first_day, n.outlets AS outlets", {"ids": by_type["Narrative"]}):
            narratives[r["id"]] = r

    names = {r["id"]: r["name"] for r in store.run(
        "MATCH (o:Outlet) WHERE o.id IN $ids RETURN o.id AS id, o.name AS name",
        {"ids": sorted(set(outlet_of.values()))})} if outlet_of else {}

    def outlet_name(oid: str | None) -> str | None:
        return names.get(oid or "", oid) if oid else None

    out = []
    for k in keys:
        t, ident = k.split(":", 1)
        deg = degree.get(k, 0)
        if t == "Claim":
            c = claims.get(ident, {})
            a = articles.get(c.get("article_id") or "", {})
            label = _short(c.get("text") or ident)
            info = _info(("claim", c.get("text")), ("speaker", c.get("speakers")), ("cue", c.get("cue")),
                         ("kind", c.get("kind")), ("confidence", c.get("confidence")),
                         ("article", a.get("title")), ("outlet", outlet_name(outlet_of.get(c.get("article_id") or ""))),
                         ("date", iso_day(a.get("day"), a.get("published"))),
                         ("provenance", f"{c.get('article_id')} [{c.get('start')}:{c.get('end')}]"
                          if c.get("article_id") else None))
        elif t == "Article":
            a = articles.get(ident, {})
            label = _short(a.get("title") or ident, 40)
            info = _info(("article", a.get("title")), ("outlet", outlet_name(outlet_of.get(ident))),
                         ("date", iso_day(a.get("day"), a.get("published"))), ("url", a.get("url")),
                         ("author", a.get("author")), ("id", ident))
        elif t == "Outlet":
            label = outlets.get(ident, ident)
            info = _info(("outlet", label), ("id", ident), ("connections", deg))
        elif t == "Narrative":
            n = narratives.get(ident, {})
            label = _short(n.get("label") or ident, 40)
            info = _info(("narrative", n.get("label")), ("id", ident), ("first day", iso_day(n.get("first_day"))),
                         ("outlets", n.get("outlets")))
        else:
            e = entities.get(ident, {})
            label = e.get("name") or ident
            info = _info((t.lower(), e.get("name") or ident), ("type", e.get("type")),
                         ("aliases", [x for x in (e.get("aliases") or []) if x != e.get("name")]),
                         ("claims", asserted.get(k) or None), ("id", ident))
        out.append(GraphNode(key=k, type=t, label=label, degree=deg, info=info))
    return tuple(out)


# ------------------------------------------------------------------ spread
def fetch_spread(store: Store, *, narrative: str | None = None, speaker: str | None = None) -> Spread:
    """Every article that carried a narrative (or a speaker's claims), with outlet and day, earliest first."""
    if bool(narrative) == bool(speaker):
        raise QueryError("give exactly one of --narrative ID or --speaker NAME for a spread view")
    tail = ("MATCH (a:Article)-[:REPORTS]-(c) OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]-(a) "
            "OPTIONAL MATCH (sp)-[:ASSERTS]-(c) "
            "RETURN o.name AS outlet, a.id AS article_id, a.day AS day, a.published AS published, "
            "a.title AS title, a.url AS url, c.id AS claim_id, c.text AS claim, sp.name AS speaker, "
            "{label} AS label")
    if narrative:
        narrative = _narrative_id(store, narrative)
        rows = store.run("MATCH (n:Narrative) WHERE n.id = $id OPTIONAL MATCH (n)-[:PART_OF]-(c:Claim) WITH n, c "
                         + tail.format(label="coalesce(n.label, n.id)"), {"id": narrative})
        if not rows:
            raise QueryError(f"no narrative with id {narrative!r} carried by any article; "
                             "`narrativegraph narratives` lists them")
        subject, key = "narrative", narrative
    else:
        rows = store.run(f"MATCH (s:Entity) WHERE {_NAME_MATCH} MATCH (s)-[:ASSERTS]-(c:Claim) WITH s, c "
                         + tail.format(label="s.name"), {"name": _entity_id(store, speaker or "")})
        if not rows:
            raise QueryError(f"no claims by a speaker named {speaker!r}; "
                             "try `narrativegraph query top-speakers` for names")
        subject, key = "speaker", speaker or ""
    label = next((r["label"] for r in rows if r.get("label")), key)
    seen: dict[tuple[str, str], Carrier] = {}
    for r in rows:
        if r["article_id"] is None:
            continue
        day = iso_day(r["day"], r["published"])
        c = Carrier(outlet=r["outlet"] or "(unknown outlet)", article_id=r["article_id"], day=day,
                    title=r["title"], url=r["url"], claim_id=r["claim_id"], claim=r["claim"], speaker=r["speaker"])
        seen.setdefault((c.article_id, c.claim_id or ""), c)
    carriers = sorted(seen.values(), key=lambda c: (c.day or "9999", c.outlet, c.article_id, c.claim_id or ""))
    return Spread(subject=subject, key=key, label=str(label), carriers=tuple(carriers))


# ------------------------------------------------------------------ plots
def fetch_timeline(store: Store, *, by: str = "outlet", since: str | None = None,
                   until: str | None = None) -> list[dict]:
    """Claims per day per outlet (or per speaker): rows ``{day, key, claims}`` (speakers add ``label``, their name)."""
    where = "a.day IS NOT NULL AND ($since IS NULL OR a.day >= $since) AND ($until IS NULL OR a.day <= $until)"
    lo, hi = day_range(since, until)
    params = {"since": lo, "until": hi}
    if by == "outlet":
        q = (f"MATCH (o:Outlet)-[:PUBLISHED]-(a:Article)-[:REPORTS]-(c:Claim) WHERE {where} "
             "RETURN a.day AS day, o.name AS key, count(DISTINCT c) AS claims")
    elif by == "speaker":  # by id: twelve articles' unresolved "I" are twelve speakers, not one
        q = (f"MATCH (s:Entity)-[:ASSERTS]-(c:Claim)-[:REPORTS]-(a:Article) WHERE {where} "
             "RETURN a.day AS day, s.id AS key, s.name AS label, count(DISTINCT c) AS claims")
    else:
        raise QueryError(f"timeline by {by!r}: use 'outlet' or 'speaker'")
    rows = [dict(r, day=iso_day(r["day"])) for r in store.run(q, params)]
    return sorted(rows, key=lambda r: (r["day"] or "", str(r["key"])))


def fetch_speakers_by_outlet(store: Store) -> list[dict]:
    """Claims per speaker per outlet: rows ``{speaker, speaker_id, outlet, claims}``, busiest first.

    Speakers are counted by id, as `top-speakers` counts them: unresolved speakers that share
    a name ("I", "unknown") are each scoped to their article and never add up to one.
    """
    return store.run("MATCH (s:Entity)-[:ASSERTS]-(c:Claim)-[:REPORTS]-(a:Article)-[:PUBLISHED]-(o:Outlet) "
                     "RETURN s.name AS speaker, s.id AS speaker_id, o.name AS outlet, count(DISTINCT c) AS claims "
                     "ORDER BY claims DESC, speaker_id, outlet")


def fetch_echo(store: Store) -> list[dict]:
    """Outlet-to-outlet echoes: rows ``{source, target, narratives, median_lag_days}``.

    Uses the ECHOES relationships the spread analytics write; when there are none, counts
    them here from narratives (source first carried a narrative that target carried later).
    """
    # (later)-[:ECHOES]->(earlier): the later outlet echoes the earlier one
    rows = store.run("MATCH (later:Outlet)-[e:ECHOES]->(earlier:Outlet) WHERE e.narratives > 0 "
                     "RETURN earlier.name AS source, later.name AS target, e.narratives AS narratives, "
                     "e.median_lag_days AS median_lag_days")  # echoes by credits alone carry no narrative
    if rows:
        for r in rows:
            if isinstance(r["narratives"], list):
                r["narratives"] = len(r["narratives"])
        return rows
    firsts: dict[str, dict[str, str]] = defaultdict(dict)
    for r in store.run("MATCH (n:Narrative)-[:PART_OF]-(c:Claim)-[:REPORTS]-(a:Article)-[:PUBLISHED]-(o:Outlet) "
                       "WHERE a.day IS NOT NULL RETURN n.id AS n, o.name AS outlet, min(a.day) AS first"):
        firsts[r["n"]][r["outlet"]] = iso_day(r["first"]) or ""
    counts: dict[tuple[str, str], list[int]] = defaultdict(list)
    for outlets in firsts.values():
        for a, da in outlets.items():
            for b, db in outlets.items():
                if a != b and da < db:
                    counts[(a, b)].append((date.fromisoformat(db[:10]) - date.fromisoformat(da[:10])).days)
    out = []
    for (a, b), lags in sorted(counts.items()):
        lags.sort()
        mid = len(lags) // 2
        median = lags[mid] if len(lags) % 2 else (lags[mid - 1] + lags[mid]) / 2
        out.append({"source": a, "target": b, "narratives": len(lags), "median_lag_days": median})
    return out
