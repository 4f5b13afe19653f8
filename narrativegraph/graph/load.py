"""Load records into a store: batched ``UNWIND $rows ... MERGE``, idempotent and restartable.

How it stays correct:

* every write is a MERGE on a stable id, so writing the same rows twice changes nothing;
* each article carries a ``fingerprint`` of all its rows (persons already resolved across
  the corpus). An article whose stored fingerprint equals the new one is skipped;
  any other article has its old subgraph (claims, REPORTS, ASSERTS, MENTIONS, PUBLISHED,
  SPOKE_TO, AFFILIATED_WITH from it) deleted and is written again;
* the fingerprint is cleared before an article is rewritten and set only after all its
  rows are in, so a load interrupted half-way leaves those articles without a matching
  fingerprint and the next load rewrites them: the end state equals one clean load;
* entities nothing points to any more are deleted at the end;
* articles written with hooks also get ``postload_pending``, removed only once the
  post-load hooks (copies, narratives, spread) have run for them: a load killed after its
  rows were in but before the hooks finished leaves the flag, and the next load runs the
  orphan clean-up and the hooks for those articles, although their fingerprints match.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from narrativegraph.errors import RecordsError
from narrativegraph.graph.identity import Identity, resolve
from narrativegraph.graph.model import ENTITY_LABELS, ArticleRows, article_rows
from narrativegraph.graph.outlets import DELETE_CREDITS, MERGE_CREDITS, credit_rows
from narrativegraph.graph.schema import ensure_schema
from narrativegraph.graph.store import Store
from narrativegraph.records import Record

__all__ = ["LoadStats", "load_records", "load_files", "read_records", "build", "naive_load"]

logger = logging.getLogger(__name__)

ARTICLES_PER_CHUNK = 200

# ----------------------------------------------------------------- statements
DELETE_ARTICLE = (
    "UNWIND $rows AS row MATCH (a:Article {id: row.id}) SET a.fingerprint = null",
    "UNWIND $rows AS row MATCH (c:Claim {article_id: row.id}) DETACH DELETE c",
    "UNWIND $rows AS row MATCH (a:Article {id: row.id})-[r:MENTIONS]->() DELETE r",
    "UNWIND $rows AS row MATCH (a:Article {id: row.id})<-[r:PUBLISHED]-() DELETE r",
    "UNWIND $rows AS row MATCH (:Entity)-[r:SPOKE_TO]->(:Outlet) WHERE r.article_id = row.id DELETE r",
    "UNWIND $rows AS row MATCH (:Entity)-[r:AFFILIATED_WITH]->(:Entity) WHERE r.article_id = row.id DELETE r",
    DELETE_CREDITS,
)
MERGE_OUTLET = "UNWIND $rows AS row MERGE (o:Outlet {id: row.id}) SET o.name = row.name"
MERGE_ENTITY = (
    "UNWIND $rows AS row MERGE (e:Entity:{label} {{id: row.id}}) "
    "SET e.name = row.name, e.type = row.type, e.aliases = row.aliases, e.ambiguous = row.ambiguous"
)
MERGE_ARTICLE = (
    "UNWIND $rows AS row MERGE (a:Article {id: row.id}) "
    "SET a.title = row.title, a.published = row.published, a.day = row.day, a.url = row.url, "
    "a.author = row.author, a.sha256 = row.sha256, a.language = row.language, a.place = row.place, "
    "a.wire = row.wire, a.source = row.source, a.length = row.length, a.outlet = row.outlet_name, "
    "a.copy_n = row.copy_n, a.copy_sig = row.copy_sig"
)
MERGE_PUBLISHED = (
    "UNWIND $rows AS row MATCH (o:Outlet {id: row.outlet_id}) MATCH (a:Article {id: row.id}) "
    "MERGE (o)-[:PUBLISHED]->(a)"
)
MERGE_CLAIM = (
    "UNWIND $rows AS row MATCH (a:Article {id: row.article_id}) "
    "MERGE (c:Claim {id: row.id}) "
    "SET c.text = row.text, c.article_id = row.article_id, c.start = row.start, c.end = row.end, "
    "c.kind = row.kind, c.form = row.form "
    "MERGE (a)-[:REPORTS]->(c)"
)
MERGE_ASSERTS = (
    "UNWIND $rows AS row MATCH (s:Entity {id: row.speaker_id}) MATCH (c:Claim {id: row.claim_id}) "
    "MERGE (s)-[r:ASSERTS]->(c) "
    "SET r.article_id = row.article_id, r.cue = row.cue, r.cue_lemma = row.cue_lemma, "
    "r.cue_start = row.cue_start, r.cue_end = row.cue_end, r.mention = row.mention, "
    "r.mention_start = row.mention_start, r.mention_end = row.mention_end, r.kind = row.kind, "
    "r.confidence = row.confidence, r.start = row.start, r.end = row.end"
)
MERGE_MENTIONS = (
    "UNWIND $rows AS row MATCH (a:Article {id: row.article_id}) MATCH (e:Entity {id: row.entity_id}) "
    "MERGE (a)-[r:MENTIONS]->(e) SET r.count = row.count"
)
MERGE_SPOKE_TO = (
    "UNWIND $rows AS row MATCH (p:Entity {id: row.person_id}) "
    "MERGE (o:Outlet {id: row.outlet_id}) ON CREATE SET o.name = row.outlet_name "
    "MERGE (p)-[:SPOKE_TO {article_id: row.article_id}]->(o)"
)
MERGE_AFFILIATED = (
    "UNWIND $rows AS row MATCH (p:Entity {id: row.person_id}) MATCH (g:Entity {id: row.org_id}) "
    "MERGE (p)-[r:AFFILIATED_WITH {article_id: row.article_id}]->(g) SET r.role = row.role"
)
SET_FINGERPRINT = (
    "UNWIND $rows AS row MATCH (a:Article {id: row.id}) "
    "SET a.fingerprint = row.fingerprint, a.postload_pending = row.pending"
)
PENDING = "MATCH (a:Article) WHERE a.postload_pending = true RETURN a.id AS id ORDER BY id"
CLEAR_PENDING = "UNWIND $rows AS row MATCH (a:Article {id: row.id}) SET a.postload_pending = null"
ORPHANS = (
    "MATCH (e:Entity) OPTIONAL MATCH (e)-[r]-() WITH e, count(r) AS n WHERE n = 0 DELETE e",
    "MATCH (o:Outlet) OPTIONAL MATCH (o)-[r]-() WITH o, count(r) AS n WHERE n = 0 DELETE o",
)


@dataclass(frozen=True, slots=True)
class LoadStats:
    """What one load did."""

    articles: int  # distinct articles in the input
    written: int  # articles (re)written
    skipped: int  # articles already in the store unchanged
    nodes: int  # node rows sent (entities, articles, claims, outlets)
    relationships: int  # relationship rows sent
    seconds: float
    persons_before: int = 0  # record-level person ids
    persons_after: int = 0  # persons after cross-article identity
    errors: tuple[str, ...] = ()  # one line per unreadable records line

    @property
    def rels_per_second(self) -> float:
        return self.relationships / self.seconds if self.seconds > 0 else 0.0


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _entity_rows(all_rows: Sequence[ArticleRows], ident: Identity, store: Store) -> dict[str, list[dict]]:
    """Entity rows per label, aliases merged over the articles and what the store holds."""
    merged: dict[str, dict[str, Any]] = {}
    for rows in all_rows:
        for e in rows.entities:
            m = merged.get(e["id"])
            if m is None:
                merged[e["id"]] = {**e, "aliases": set(e["aliases"])}
            else:
                m["aliases"].update(e["aliases"])
    existing = {r["id"]: r["aliases"] for r in store.run(
        "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id, e.aliases AS aliases",
        {"ids": sorted(merged)})}
    by_label: dict[str, list[dict]] = {label: [] for label in ENTITY_LABELS}
    for eid in sorted(merged):
        m = merged[eid]
        aliases = set(m["aliases"]) | set(ident.aliases.get(eid, ())) | set(existing.get(eid) or ())
        by_label[m["label"]].append({
            "id": eid,
            "name": ident.names.get(eid, m["name"]),
            "type": m["type"],
            "aliases": sorted(aliases),
            "ambiguous": eid in ident.ambiguous,
        })
    return by_label


def load_records(store: Store, records: Iterable[Record], *, batch_size: int = 1000,
                 progress: Callable[[int], None] | None = None, hooks: bool = True) -> LoadStats:
    """Write ``records`` into ``store``; loading the same records again changes nothing.

    ``progress`` is called with the number of articles finished after each chunk.
    ``hooks=False`` skips `postload.after_load` (copy, narrative and spread updates).

    Notes
    -----
    Records are held in memory: person identity is decided over the whole input
    (plus the persons already stored), see `narrativegraph.graph.identity`.
    """
    t0 = time.perf_counter()
    by_id: dict[str, Record] = {}
    for r in records:
        by_id[r.article.id] = r  # a later line for the same article wins
    recs = list(by_id.values())
    ensure_schema(store)
    known = [r["name"] for r in store.run("MATCH (p:Person) RETURN p.name AS name") if r["name"]]
    ident = resolve(recs, known=known)
    all_rows = [article_rows(r, ident.for_article(r.article.id)) for r in recs]
    stored = {r["id"]: r["fingerprint"] for r in store.run(
        "UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN a.id AS id, a.fingerprint AS fingerprint",
        {"ids": [r.article_id for r in all_rows]})}
    todo = [r for r in all_rows if stored.get(r.article_id) != r.fingerprint]
    skipped = len(all_rows) - len(todo)
    # articles an earlier load wrote but whose hooks it did not finish (killed, interrupted)
    pending = [r["id"] for r in store.run(PENDING)] if hooks else []
    if skipped and progress:
        progress(skipped)

    nodes = rels = 0
    if todo:
        for label, rows in _entity_rows(all_rows, ident, store).items():
            nodes += store.write_batches(MERGE_ENTITY.format(label=label), rows, batch_size=batch_size)
        outlets = {r.outlet["id"]: r.outlet for r in all_rows if r.outlet}
        nodes += store.write_batches(MERGE_OUTLET, [outlets[k] for k in sorted(outlets)], batch_size=batch_size)
    for chunk in _chunks(todo, ARTICLES_PER_CHUNK):
        ids = [{"id": r.article_id} for r in chunk if r.article_id in stored]
        for cypher in DELETE_ARTICLE:
            if ids:
                store.write_batches(cypher, ids, batch_size=batch_size)
        articles = [{**r.article, "outlet_name": r.outlet["name"] if r.outlet else None} for r in chunk]
        nodes += store.write_batches(MERGE_ARTICLE, articles, batch_size=batch_size)
        rels += store.write_batches(MERGE_PUBLISHED, [a for a in articles if a["outlet_id"]],
                                    batch_size=batch_size)
        for cypher, attr in ((MERGE_CLAIM, "claims"), (MERGE_ASSERTS, "asserts"), (MERGE_MENTIONS, "mentions"),
                             (MERGE_SPOKE_TO, "spoke_to"), (MERGE_AFFILIATED, "affiliated")):
            sent = store.write_batches(cypher, [row for r in chunk for row in getattr(r, attr)],
                                       batch_size=batch_size)
            rels += sent
            if attr == "claims":
                nodes += sent
        rels += store.write_batches(MERGE_CREDITS, [row for r in chunk for row in credit_rows(by_id[r.article_id])],
                                    batch_size=batch_size)  # CREDITS: graph/outlets.py
        store.write_batches(SET_FINGERPRINT, [{"id": r.article_id, "fingerprint": r.fingerprint,
                                               "pending": True if hooks else None} for r in chunk],
                            batch_size=batch_size)
        if progress:
            progress(len(chunk))
    if todo or pending:
        for cypher in ORPHANS:
            store.run(cypher, write=True)
        if hooks:
            from narrativegraph.graph.postload import after_load

            ids = sorted({r.article_id for r in todo} | set(pending))
            if pending:
                logger.info("finishing the post-load stage of %d articles an earlier load left unfinished",
                            len(pending))
            after_load(store, ids)
            store.write_batches(CLEAR_PENDING, [{"id": i} for i in ids], batch_size=batch_size)
    stats = LoadStats(articles=len(all_rows), written=len(todo), skipped=skipped, nodes=nodes,
                      relationships=rels, seconds=time.perf_counter() - t0,
                      persons_before=ident.before, persons_after=ident.after)
    logger.info("loaded %d articles (%d written, %d unchanged): %d nodes, %d relationships in %.1fs",
                stats.articles, stats.written, stats.skipped, nodes, rels, stats.seconds)
    return stats


def read_records(paths: Iterable[str | Path]) -> Iterator[Record | RecordsError]:
    """Records of JSONL files in order; an unreadable line yields a `RecordsError` naming file:line."""
    for path in paths:
        path = Path(path)
        try:
            fh = path.open("rb")
        except OSError as e:
            yield RecordsError(f"{path}: cannot read records file ({e.strerror or e})")
            continue
        with fh:
            if b"\0" in fh.read(65536):
                yield RecordsError(f"{path}: binary file, not a records file; "
                                   "records files are what `narrativegraph extract` writes")
                continue
            fh.seek(0)
            for lineno, raw in enumerate(fh, 1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    yield RecordsError(f"{path}:{lineno}: not UTF-8 ({e.reason} at byte {e.start}); "
                                       "records files are what `narrativegraph extract` writes")
                    continue
                if not line.strip():
                    continue
                try:
                    record = Record.loads(line)
                except (ValueError, KeyError, TypeError, AttributeError) as e:
                    detail = f"missing field {e}" if isinstance(e, KeyError) else str(e).splitlines()[0]
                    yield RecordsError(f"{path}:{lineno}: not a narrativegraph record ({detail}); "
                                       "records files are what `narrativegraph extract` writes")
                    continue
                problem = record.provenance_problem()  # a hand-edited line must not load facts without provenance
                if problem:
                    yield RecordsError(f"{path}:{lineno}: article {record.article.id!r}: {problem}; "
                                       "extract it again")
                else:
                    yield record


def load_files(store: Store, paths: Iterable[str | Path], *, batch_size: int = 1000,
               progress: Callable[[int], None] | None = None, hooks: bool = True) -> LoadStats:
    """`load_records` over JSONL files; unreadable lines are reported in ``stats.errors``, the rest loaded."""
    records: list[Record] = []
    errors: list[str] = []
    for item in read_records(paths):
        if isinstance(item, RecordsError):
            logger.info("%s", item)  # returned in stats.errors; the caller reports it
            errors.append(str(item))
        else:
            records.append(item)
    stats = load_records(store, records, batch_size=batch_size, progress=progress, hooks=hooks)
    return dataclasses.replace(stats, errors=tuple(errors))


def build(store: Store, inputs: Sequence[str], *, records_out: str | Path | None = None,
          batch_size: int = 1000, on_error: Callable[[Exception], None] | None = None,
          progress: Callable[[int], None] | None = None, hooks: bool = True, **extract_options: Any) -> LoadStats:
    """Extract ``inputs`` (any `extract` option as keyword) and load the records; optionally keep them.

    Inputs that cannot be read go to ``on_error`` (and the log) and are skipped.
    """
    from narrativegraph.extract import extract

    records: list[Record] = []
    try:
        out = Path(records_out).open("w", encoding="utf-8") if records_out else None
    except OSError as e:
        raise RecordsError(f"{records_out}: cannot write the records file ({e.strerror or e})") from None
    try:
        for item in extract(inputs, **extract_options):
            if isinstance(item, Exception):
                logger.info("%s", item)  # on_error reports it
                if on_error:
                    on_error(item)
                continue
            records.append(item)
            if out:
                out.write(item.dumps() + "\n")
            if progress:
                progress(1)
    finally:
        if out:
            out.close()
    return load_records(store, records, batch_size=batch_size, hooks=hooks)


def naive_load(store: Store, records: Iterable[Record]) -> LoadStats:
    """The baseline for benchmarks: one statement (one transaction) per row, no identity, no batching."""
    t0 = time.perf_counter()
    ensure_schema(store)
    nodes = rels = n = 0

    def one(cypher: str, row: dict) -> None:
        store.run(cypher, {"rows": [row]}, write=True)

    for rec in records:
        n += 1
        r = article_rows(rec)
        for e in r.entities:
            one(MERGE_ENTITY.format(label=e["label"]), {**e, "ambiguous": False})
            nodes += 1
        art = {**r.article, "outlet_name": r.outlet["name"] if r.outlet else None}
        if r.outlet:
            one(MERGE_OUTLET, r.outlet)
            nodes += 1
        one(MERGE_ARTICLE, art)
        nodes += 1
        if r.outlet:
            one(MERGE_PUBLISHED, art)
            rels += 1
        for cypher, attr in ((MERGE_CLAIM, "claims"), (MERGE_ASSERTS, "asserts"), (MERGE_MENTIONS, "mentions"),
                             (MERGE_SPOKE_TO, "spoke_to"), (MERGE_AFFILIATED, "affiliated")):
            for row in getattr(r, attr):
                one(cypher, row)
                rels += 1
    return LoadStats(articles=n, written=n, skipped=0, nodes=nodes, relationships=rels,
                     seconds=time.perf_counter() - t0)
