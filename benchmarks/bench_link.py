"""Benchmark: link 100,000 claims (PolNeAR gold contents repeated with perturbations) with the pure core.

Reports wall time, claims/s and peak memory (ru_maxrss of this process, imports included).
Target for the near-verbatim level: < 2 minutes and < 2 GB on the 2-core build machine.

    python benchmarks/bench_link.py                 # 100,000 claims
    python benchmarks/bench_link.py --claims 20000  # quicker
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter

from eval_link import gold_claims

from narrativegraph.graph.narratives import ClaimRow, LinkParams, link_claims


def perturb(text: str, rnd: random.Random) -> str:
    """Re-reporting noise: drop a word, swap two neighbours, or cut the head or tail."""
    ws = text.split()
    if len(ws) < 4:
        return text
    op = rnd.randrange(4)
    i = rnd.randrange(len(ws) - 1)
    if op == 0:
        del ws[i]
    elif op == 1:
        ws[i], ws[i + 1] = ws[i + 1], ws[i]
    elif op == 2:
        ws = ws[rnd.randrange(1, 3):]
    else:
        ws = ws[:len(ws) - rnd.randrange(1, 3)]
    return " ".join(ws)


def corpus(n: int, seed: int = 1) -> list[ClaimRow]:
    """``n`` claims: the gold claims, then perturbed copies in new articles of rotating outlets."""
    base = gold_claims()
    rnd = random.Random(seed)
    rows = list(base[:n])
    copy = 0
    while len(rows) < n:
        copy += 1
        for r in base:
            if len(rows) >= n:
                break
            rows.append(ClaimRow(f"{r.id}#{copy}", perturb(r.text, rnd), f"{r.article_id}#{copy}",
                                 f"{r.outlet}-{copy % 3}", (r.day or 0) + rnd.randrange(0, 5)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    args = ap.parse_args()
    rows = corpus(args.claims)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    groups = link_claims(rows, LinkParams())
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sizes = Counter(len(g.claim_ids) for g in groups)
    biggest = max(sizes, default=0)
    print(f"claims={len(rows)} narratives={len(groups)} linked_claims={sum(k * v for k, v in sizes.items())} "
          f"largest={biggest} ({biggest / len(rows):.2%})")
    print(f"time={elapsed:.1f}s wall, {cpu:.1f}s cpu ({len(rows) / elapsed:,.0f} claims/s) peak_rss={rss / 1024:.0f} MB "
          f"(before linking {rss0 / 1024:.0f} MB)")
    sys.exit(0 if elapsed < 120 and rss < 2 * 1024 * 1024 else 1)


if __name__ == "__main__":
    main()
