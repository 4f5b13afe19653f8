"""Load speed: batched UNWIND/MERGE loading against a naive one-transaction-per-row loader.

    python benchmarks/bench_load.py RECORDS.jsonl... [--stores embedded,neo4j] [--scale 1,10]
                                    [--naive-articles 100]

Loads the records (and a synthetic copy scaled 10x with renamed article and claim ids)
into each store from empty and prints relationships per second. The naive loader runs
on the first ``--naive-articles`` articles only (it is slow) and is reported per second
too, so the ratio is the speed-up. Neo4j needs NEO4J_URI (and NEO4J_USER/NEO4J_PASSWORD);
its database is wiped.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile

from narrativegraph.graph import open_store
from narrativegraph.graph.load import load_records, naive_load, read_records
from narrativegraph.records import Record, claim_id


def scaled(records: list[Record], factor: int) -> list[Record]:
    """``factor`` copies of every record, each copy under new article and claim ids."""
    if factor == 1:
        return records
    out = []
    for k in range(factor):
        for r in records:
            aid = f"{r.article.id}~{k}"
            asserts = tuple(dataclasses.replace(a, id=claim_id(aid, a.content.start, a.content.end))
                            for a in r.assertions)
            out.append(dataclasses.replace(r, article=dataclasses.replace(r.article, id=aid), assertions=asserts))
    return out


def open_kind(kind: str, folder: str):
    if kind == "embedded":
        return open_store(path=os.path.join(folder, "bench.db"))
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        sys.exit("NEO4J_URI is not set: start Neo4j with tools/neo4j/start or drop neo4j from --stores")
    return open_store(neo4j_uri=uri, user=os.environ.get("NEO4J_USER", "neo4j"),
                      password=os.environ.get("NEO4J_PASSWORD"), database=os.environ.get("NEO4J_DATABASE"))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("records", nargs="+")
    ap.add_argument("--stores", default="embedded,neo4j")
    ap.add_argument("--scale", default="1,10")
    ap.add_argument("--naive-articles", type=int, default=100)
    ap.add_argument("--batch-size", type=int, default=1000)
    args = ap.parse_args(argv)
    records = [r for r in read_records(args.records) if isinstance(r, Record)]
    print(f"{len(records)} articles, {sum(len(r.assertions) for r in records)} assertions", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.stores.split(","):
            with open_kind(kind, folder) as store:
                store.clear()
                naive = naive_load(store, records[: args.naive_articles])
                naive_rate = naive.rels_per_second
                rows.append((kind, f"naive, {naive.articles} articles", naive.articles, naive.relationships,
                             naive.seconds, naive_rate, 1.0))
                for factor in (int(x) for x in args.scale.split(",")):
                    store.clear()
                    recs = scaled(records, factor)
                    stats = load_records(store, recs, batch_size=args.batch_size, hooks=False)
                    rows.append((kind, f"batched, {factor}x", stats.articles, stats.relationships, stats.seconds,
                                 stats.rels_per_second, stats.rels_per_second / naive_rate if naive_rate else 0))
                    if factor == 1:
                        again = load_records(store, recs, batch_size=args.batch_size, hooks=False)
                        rows.append((kind, "reload unchanged, 1x", again.articles, 0, again.seconds, 0.0, 0.0))
                store.clear()
    print(f"| store | loader | articles | relationships | seconds | rels/s | vs naive |")
    print("|---|---|---|---|---|---|---|")
    for kind, what, n, rels, secs, rate, ratio in rows:
        print(f"| {kind} | {what} | {n} | {rels} | {secs:.2f} | {rate:,.0f} | {ratio:.1f}x |")


if __name__ == "__main__":
    main()
