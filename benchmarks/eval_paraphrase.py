"""Measure the paraphrase level of claim linking on PolNeAR: pair recall, narrative sizes, precision sample, speed.

Same claims and gold pairs as `eval_link.py` (gold content spans of train+dev); the claims'
vectors are cached in a .npy file (embedding 22k claims takes minutes on this machine).

    python benchmarks/eval_paraphrase.py --sweep 0.7 0.75 0.8 0.85 0.9 --paraphrase-min-words 4  # train, per cosine
    python benchmarks/eval_paraphrase.py --split dev --paraphrase 0.8
    python benchmarks/eval_paraphrase.py --paraphrase 0.8 --sample 50 --seed 11  # pairs to judge by hand
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_link import claim_at, gold_claims, gold_pairs  # noqa: E402

from narrativegraph.graph.embed import embed  # noqa: E402
from narrativegraph.graph.narratives import LinkParams, link_claims  # noqa: E402


def vectors(rows, cache: Path) -> dict[str, np.ndarray]:
    ids = [r.id for r in rows]
    ids_file = cache.with_suffix(".ids")
    if cache.exists() and ids_file.exists() and ids_file.read_text(encoding="utf-8").split("\n") == ids:
        mat = np.load(cache)
    else:
        t0, c0 = time.time(), time.process_time()
        mat = embed([r.text for r in rows])
        print(f"embedded {len(rows)} claims: {time.time() - t0:.1f}s wall, {time.process_time() - c0:.1f}s cpu",
              file=sys.stderr)
        np.save(cache, mat)
        ids_file.write_text("\n".join(ids), encoding="utf-8")
    return dict(zip(ids, mat))


def evaluate(rows, pairs, params, vecs):
    t0 = time.process_time()
    groups = link_claims(rows, params, vectors=vecs)
    secs = time.process_time() - t0
    of = {c: g.id for g in groups for c in g.claim_ids}
    by_article: dict[str, list] = {}
    for r in rows:
        by_article.setdefault(r.article_id, []).append(r)
    hit = 0
    for a, s1, e1, b, s2, e2, _ in pairs:
        ca, cb = claim_at(by_article, a, s1, e1), claim_at(by_article, b, s2, e2)
        hit += any(of.get(x) is not None and of.get(x) == of.get(y) for x in ca for y in cb)
    return hit, groups, secs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--paraphrase", type=float, default=None, help="cosine threshold (default: level 1 only)")
    ap.add_argument("--sweep", type=float, nargs="*", default=None)
    ap.add_argument("--paraphrase-min-words", type=int, default=LinkParams().paraphrase_min_words)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/narrativegraph_gold_vectors.npy"))
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    rows = gold_claims()
    vecs = vectors(rows, args.cache)
    pairs = gold_pairs(args.split)
    for th in (args.sweep if args.sweep is not None else [args.paraphrase]):
        params = LinkParams(paraphrase=th, paraphrase_min_words=args.paraphrase_min_words)
        hit, groups, secs = evaluate(rows, pairs, params, vecs)
        biggest = max((len(g.claim_ids) for g in groups), default=0)
        linked = sum(len(g.claim_ids) for g in groups)
        para = sum(g.level == "paraphrase" for g in groups)
        print(f"split={args.split} paraphrase={th} paraphrase_min_words={args.paraphrase_min_words}: recall={hit}/{len(pairs)}={hit / max(len(pairs), 1):.3f} "
              f"narratives={len(groups)} (paraphrase level {para}) linked_claims={linked} "
              f"largest={biggest} ({biggest / len(rows):.2%}) link_cpu={secs:.1f}s")
    if args.sample:
        byid = {r.id: r for r in rows}
        cand = []
        for g in groups:
            ms = [byid[c] for c in g.claim_ids]
            for i, x in enumerate(ms):
                for y in ms[i + 1:]:
                    if x.outlet != y.outlet:
                        cand.append((x, y, g.level))
        rnd = random.Random(args.seed)
        for k, (x, y, lv) in enumerate(sorted(rnd.sample(cand, min(args.sample, len(cand))), key=lambda p: p[0].id), 1):
            cos = float(vecs[x.id] @ vecs[y.id])
            print(f"{k}\t{lv}\t{cos:.3f}\t{x.outlet}/{y.outlet}\t{x.text!r}\t{y.text!r}")
        print(f"({len(cand)} linked cross-outlet pairs in all)", file=sys.stderr)


if __name__ == "__main__":
    main()
