"""Named Cypher queries: one ``.cypher`` file each, with a header the runner checks parameters against.

A query file starts with::

    // name: speaker-claims
    // description: Every claim a speaker made, with article, outlet and offsets.
    // params: speaker (entity), limit (int, default 100)

Parameter types: ``str``, ``int``, ``float``, ``bool``; ``entity`` and ``outlet`` are
names resolved to an id before the query runs (case-insensitively, by alias, or by a
surname or part of a name when only one candidate has it); ``narrative`` is a narrative
id, or the start of one that only one narrative has (an id that matches none is an
error, not an empty answer: ids are copied, and a typo should not look like "no spread");
``words`` is free text
reduced to plain words of two or more letters (for full-text search, whose syntax
differs per store). A
parameter is required unless it has a default or is marked ``optional``.

A query may have a per-store variant, ``NAME.falkordb.cypher`` or ``NAME.neo4j.cypher``,
used instead of ``NAME.cypher`` on that store.
"""
from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from narrativegraph.errors import QueryError, StoreError, StoreUnavailable, UnknownQuery
from narrativegraph.graph.store import Store
from narrativegraph.records import outlet_id

__all__ = ["Param", "QuerySpec", "list_queries", "get_query", "run_query", "run_cypher", "resolve_name",
           "cypher_value", "resolve_narrative"]

logger = logging.getLogger(__name__)

TYPES = ("str", "int", "float", "bool", "entity", "outlet", "narrative", "words")
_HEADER = re.compile(r"^\s*//\s*(name|description|params)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*([a-z]+)\s*(?:,\s*(.*?))?\s*\)\s*$")


@dataclass(frozen=True, slots=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str
    default: Any = None
    required: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "default": self.default, "required": self.required}


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """A named query: its header and the Cypher text per store kind ("" = any store)."""

    name: str
    description: str
    params: tuple[Param, ...]
    texts: tuple[tuple[str, str], ...]  # (store kind or "", cypher)

    def cypher_for(self, kind: str) -> str:
        texts = dict(self.texts)
        text = texts.get(kind) or texts.get("")
        if text is None:
            raise QueryError(f"query {self.name!r} has no variant for {kind} (only {', '.join(sorted(texts))})")
        return text

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "params": [p.to_json() for p in self.params]}


def _split_params(text: str) -> list[str]:
    """Split "a (int, default 1), b (str)" at the commas between parameters."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def _literal(value: str, type_: str, where: str) -> Any:
    value = value.strip()
    if value.lower() in ("null", "none"):
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return _coerce(value, type_, where)


def parse_header(text: str, where: str) -> tuple[str, str, tuple[Param, ...]]:
    """(name, description, params) of a query file's header; `QueryError` naming the file if malformed.

    >>> parse_header("// name: q\\n// description: D.\\n// params: n (int, default 5), s (str)\\nRETURN 1", "q")
    ('q', 'D.', (Param(name='n', type='int', default=5, required=False), Param(name='s', type='str', default=None, required=True)))
    """
    fields: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            fields[m.group(1)] = m.group(2)
        elif line.strip() and not line.strip().startswith("//"):
            break
    if "name" not in fields or "description" not in fields:
        raise QueryError(f"{where}: query header needs '// name:' and '// description:' lines")
    params = []
    for part in _split_params(fields.get("params", "")):
        if part.lower() == "none":
            continue
        m = _PARAM.match(part)
        if not m or m.group(2) not in TYPES:
            raise QueryError(f"{where}: cannot read parameter {part!r}; write 'name (type[, default V][, optional])' "
                             f"with type one of {', '.join(TYPES)}")
        pname, ptype, rest = m.group(1), m.group(2), m.group(3) or ""
        default, required = None, True
        for opt in (o.strip() for o in rest.split(",") if o.strip()):
            if opt == "optional":
                required = False
            elif opt.startswith("default"):
                default, required = _literal(opt[len("default"):], ptype, where), False
            else:
                raise QueryError(f"{where}: unknown option {opt!r} of parameter {pname!r}")
        params.append(Param(pname, ptype, default, required))
    return fields["name"], fields["description"], tuple(params)


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, QuerySpec]:
    files = sorted((f for f in resources.files("narrativegraph.queries").iterdir() if f.name.endswith(".cypher")),
                   key=lambda f: f.name)
    found: dict[str, dict[str, Any]] = {}
    for f in files:
        stem = f.name[: -len(".cypher")]
        base, _, kind = stem.partition(".")
        text = f.read_text(encoding="utf-8")
        name, description, params = parse_header(text, f.name)
        if name != base:
            raise QueryError(f"{f.name}: header name {name!r} differs from the file name {base!r}")
        entry = found.setdefault(name, {"description": description, "params": params, "texts": []})
        if kind == "":
            entry.update(description=description, params=params)
        entry["texts"].append((kind, text))
    return {n: QuerySpec(n, e["description"], e["params"], tuple(e["texts"])) for n, e in sorted(found.items())}


def list_queries() -> list[QuerySpec]:
    """Every named query, sorted by name."""
    return list(_catalogue().values())


def get_query(name: str) -> QuerySpec:
    """The named query; `UnknownQuery` lists the available ones and the closest name."""
    catalogue = _catalogue()
    key = name.strip().lower().replace("_", "-")
    if key in catalogue:
        return catalogue[key]
    close = difflib.get_close_matches(key, list(catalogue), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UnknownQuery(f"Unknown query {name!r}.{hint} Available: {', '.join(catalogue)}")


def _coerce(value: Any, type_: str, where: str) -> Any:
    try:
        if type_ == "int":
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if type_ == "float":
            return float(value)
        if type_ == "bool":
            if isinstance(value, bool):
                return value
            s = str(value).strip().lower()
            if s in ("1", "true", "yes", "y", "on"):
                return True
            if s in ("0", "false", "no", "n", "off"):
                return False
            raise ValueError(value)
        if type_ == "words":  # letters and digits only: no engine's query syntax gets through
            words = [w for w in re.findall(r"[^\W_]+", str(value).lower()) if len(w) > 1]
            if not words:
                raise QueryError(f"{where}: {value!r} has no word of two or more letters or digits to search for")
            return " ".join(words)
        return str(value)
    except (TypeError, ValueError):
        raise QueryError(f"{where}: {value!r} is not a valid {type_}") from None


_RESOLVE_ENTITY = (
    "MATCH (e:Entity) WHERE e.id = $raw OR toLower(e.name) CONTAINS $q "
    "OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) CONTAINS $q) "
    "RETURN e.id AS id, e.name AS name, e.aliases AS aliases, coalesce(e.ambiguous, false) AS ambiguous ORDER BY id"
)
_RESOLVE_OUTLET = (
    "MATCH (o:Outlet) WHERE o.id = $raw OR o.id = $slug OR toLower(o.name) CONTAINS $q "
    "OR toLower(coalesce(o.profile_name, '')) = $q OR any(a IN coalesce(o.aliases, []) WHERE toLower(a) = $q) "
    "OPTIONAL MATCH (o)-[p:PUBLISHED]->() "
    "WITH o, count(p) AS articles "
    "RETURN o.id AS id, o.name AS name, [x IN coalesce(o.aliases, []) + [o.profile_name] WHERE x IS NOT NULL] AS aliases, "
    "false AS ambiguous, articles ORDER BY id"
)


def resolve_name(store: Store, value: str, type_: str = "entity") -> str | None:
    """The id of the entity or outlet ``value`` names; None when nothing matches.

    An id, or a name equal case-insensitively, wins; failing that, the one candidate
    with ``value`` as an alias or as a word of its name or an alias (a surname); failing
    that, the one candidate whose name contains it. Among equally good candidates a
    single person wins (the person "Trump" over an organisation "Trump"); otherwise
    `QueryError` lists them. A bare surname that identity kept apart as ``ambiguous``
    (the "Trump" of an article that also names Ivanka Trump) gives way to the one person
    who has that name as an alias: asking for "Trump" means Donald Trump, not the leftover.
    An outlet named by an outlet profile's name or alias ("The Washington Post" for
    ``wash-post``) is the one outlet of that profile that publishes articles.
    """
    raw = str(value).strip()
    q = raw.lower()
    if not q:
        return None
    cypher = _RESOLVE_OUTLET if type_ == "outlet" else _RESOLVE_ENTITY
    rows = store.run(cypher, {"raw": raw, "q": q, "slug": outlet_id(raw)})
    if not rows:
        return None

    def names(r: Mapping[str, Any]) -> list[str]:
        return [str(n).lower() for n in [r["name"], *(r.get("aliases") or [])] if n]

    tiers = [
        [r for r in rows if r["id"] == raw or r["id"] == outlet_id(raw) and type_ == "outlet"],
        [r for r in rows if str(r["name"] or "").lower() == q],
        [r for r in rows if q in names(r) or any(q in re.split(r"[\s\-]+", n) for n in names(r))],
        rows,
    ]
    if type_ == "outlet":  # a profile's name or alias: the outlet that publishes, not a node only credited
        named = [r for r in rows if q in names(r)]
        publishers = {r["id"] for r in named if r.get("articles")}
        if len({r["id"] for r in named}) > 1 and len(publishers) == 1:
            return publishers.pop()
    exact = [r for r in tiers[1] if r["id"].startswith("person/")] if type_ == "entity" else []
    if len(exact) == 1 and exact[0]["ambiguous"]:
        aliased = {r["id"] for r in rows if r["id"].startswith("person/") and r["id"] != exact[0]["id"]
                   and not r["ambiguous"] and q in [str(a).lower() for a in r.get("aliases") or []]}
        if len(aliased) == 1:
            return aliased.pop()
    for tier in tiers:
        ids = sorted({r["id"] for r in tier})
        people = [i for i in ids if i.startswith("person/")]
        if len(ids) == 1 or len(people) == 1 and type_ == "entity":
            return people[0] if len(ids) > 1 else ids[0]
        if len(ids) > 1:
            shown = ", ".join(f"{r['name']} ({r['id']})" for r in sorted(tier, key=lambda r: r["id"])[:8])
            raise QueryError(f"{type_} {raw!r} is ambiguous: {shown}; give a full name or an id")
    return None


_RESOLVE_NARRATIVE = (
    "MATCH (n:Narrative) WHERE n.id = $raw OR n.id STARTS WITH $raw "
    "RETURN n.id AS id, n.label AS label ORDER BY id LIMIT 6"
)


def resolve_narrative(store: Store, value: str) -> str:
    """The narrative id ``value`` is, or starts (``n-fbc45`` for ``n-fbc45ab761bd1642``).

    `QueryError` when no narrative has it, or when several start with it (they are listed).
    """
    raw = str(value).strip()
    rows = store.run(_RESOLVE_NARRATIVE, {"raw": raw}) if raw else []
    exact = [r for r in rows if r["id"] == raw]
    if exact or len(rows) == 1:
        return (exact or rows)[0]["id"]
    if not rows:
        raise QueryError(f"no narrative with id {raw!r}; `narrativegraph narratives` lists them")
    shown = ", ".join(r["id"] for r in rows[:5])
    raise QueryError(f"narrative {raw!r} is ambiguous: {shown}{', ...' if len(rows) > 5 else ''}; give more of the id")


def _check_params(spec: QuerySpec, store: Store, given: Mapping[str, Any]) -> dict[str, Any]:
    declared = {p.name: p for p in spec.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise QueryError(f"query {spec.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                         f"its parameters: {', '.join(declared) or 'none'}")
    out: dict[str, Any] = {}
    for p in spec.params:
        value = given.get(p.name)
        if isinstance(value, str) and not value.strip():
            if p.required:  # "speaker=" would otherwise match nothing and look like "no claims"
                raise QueryError(f"query {spec.name!r} parameter {p.name!r} is empty; give a value ({p.type})")
            value = None
        if value is None:
            if p.required:
                raise QueryError(f"query {spec.name!r} needs --param {p.name}=... ({p.type})")
            out[p.name] = p.default
            continue
        value = _coerce(value, p.type, f"query {spec.name!r} parameter {p.name!r}")
        if p.name == "limit" and value < 0:  # the engines' own messages for LIMIT -1 differ
            raise QueryError(f"query {spec.name!r} parameter 'limit' must be 0 or more, not {value}")
        if p.type in ("entity", "outlet"):
            value = resolve_name(store, value, p.type) or f"?no {p.type} named {value}"  # matches no id
        elif p.type == "narrative":
            value = resolve_narrative(store, value)
        out[p.name] = value
    return out


def run_query(store: Store, name: str, /, **params: Any) -> list[dict[str, Any]]:
    """Rows of the named query with ``params`` checked and coerced against its header.

    Raises `UnknownQuery` for an unknown name and `QueryError` for missing or invalid
    parameters. An ``entity``/``outlet`` parameter that names nothing gives no rows.
    """
    spec = get_query(name)
    values = _check_params(spec, store, params)
    return run_cypher(store, spec.cypher_for(store.kind), values)


def cypher_value(text: str) -> Any:
    """An ad-hoc Cypher parameter from the command line: a JSON value if it reads as one, else the text.

    Named queries type their parameters in the header; ``--cypher`` has no header, and a
    number passed as a string compares false with every number (``c.start > "100"``).

    >>> cypher_value("100"), cypher_value("2.5"), cypher_value("true"), cypher_value('["a", 1]')
    (100, 2.5, True, ['a', 1])
    >>> cypher_value("Hediye Levent"), cypher_value('"100"'), cypher_value("null")
    ('Hediye Levent', '100', None)
    """
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*")
_WRITES = re.compile(r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|LOAD\s+CSV|FOREACH)\b", re.I)


def run_cypher(store: Store, cypher: str, params: Mapping[str, Any] | None = None, *,
               write: bool = False) -> list[dict[str, Any]]:
    """Run Cypher with parameters; read-only unless ``write``. Store errors become `QueryError`."""
    if not write:
        m = _WRITES.search(_LITERALS.sub("''", cypher))
        if m:
            raise QueryError(f"the Cypher writes ({m.group(1).upper()}); pass --write to allow writes")
    try:
        return store.run(cypher, dict(params or {}), write=write)
    except StoreUnavailable:
        raise
    except StoreError as e:
        raise QueryError(f"Cypher failed on {store.kind}: {e}") from None
