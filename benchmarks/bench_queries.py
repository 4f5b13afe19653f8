"""Time of each named query: median milliseconds over repeated runs, on each store.

    python benchmarks/bench_queries.py RECORDS.jsonl... [--stores embedded,neo4j] [--repeat 5]

Loads the records into an empty store (narratives, copies and spread analytics
included), picks parameters from the data (the most quoted speaker, the outlet with most
articles, the most mentioned entity, a word of a claim, the first article, the widest
narrative) and times every named query.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from narrativegraph.graph.load import load_records, read_records
from narrativegraph.queries.runner import list_queries, run_cypher, run_query
from narrativegraph.records import Record

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from bench_load import open_kind  # noqa: E402


def pick_params(store) -> dict[str, object]:
    one = lambda cypher: (run_cypher(store, cypher) or [{"v": None}])[0]["v"]  # noqa: E731
    return {
        "speaker": one("MATCH (s:Entity)-[:ASSERTS]->(c) WITH s, count(c) AS n RETURN s.id AS v ORDER BY n DESC, v LIMIT 1"),
        "outlet": one("MATCH (o:Outlet)-[:PUBLISHED]->(a) WITH o, count(a) AS n RETURN o.id AS v ORDER BY n DESC, v LIMIT 1"),
        "entity": one("MATCH (e:Entity)<-[m:MENTIONS]-() WITH e, count(m) AS n RETURN e.id AS v ORDER BY n DESC, v LIMIT 1"),
        "id": one("MATCH (a:Article) RETURN a.id AS v ORDER BY v LIMIT 1"),
        "narrative": one("MATCH (n:Narrative) RETURN n.id AS v ORDER BY n.outlets DESC, n.claims DESC, v LIMIT 1"),
        "text": "said",
    }


def _value(p, params):
    """The picked value for a parameter: a narrative id where the query takes one."""
    return params["narrative"] if p.type == "narrative" else params.get(p.name)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("records", nargs="+")
    ap.add_argument("--stores", default="embedded,neo4j")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    records = [r for r in read_records(args.records) if isinstance(r, Record)]
    results: dict[str, dict[str, tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.stores.split(","):
            with open_kind(kind, folder) as store:
                store.clear()
                load_records(store, records)  # with narratives, copies and spread: every query has data
                params = pick_params(store)
                for spec in list_queries():
                    if not all(_value(p, params) is not None or not p.required for p in spec.params):
                        continue
                    kw = {p.name: _value(p, params) for p in spec.params if p.required}
                    times, n = [], 0
                    for _ in range(args.repeat):
                        t0 = time.perf_counter()
                        n = len(run_query(store, spec.name, **kw))
                        times.append((time.perf_counter() - t0) * 1000)
                    results.setdefault(spec.name, {})[kind] = (statistics.median(times), n)
                store.clear()
    kinds = args.stores.split(",")
    print("| query | " + " | ".join(f"{k} ms (rows)" for k in kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for name, per in sorted(results.items()):
        cells = [f"{per[k][0]:.1f} ({per[k][1]})" if k in per else "-" for k in kinds]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
