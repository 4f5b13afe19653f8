"""Measure claim linking on PolNeAR: recall of the cross-outlet gold pairs, largest narrative, sample for precision.

Claims are the gold content spans of PolNeAR train+dev (linking quality apart from extraction).

    python benchmarks/eval_link.py --split train --threshold 0.5 --min-words 5
    python benchmarks/eval_link.py --split dev --sample 50 --seed 7   # prints 50 linked cross-outlet pairs
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from narrativegraph.graph.narratives import ClaimIndex, ClaimRow, LinkParams, _UnionFind, link_claims, linkable
from narrativegraph.graph.similarity import LshParams

SHARED = Path(os.environ.get("NARRATIVEGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
POLNEAR = SHARED / "corpus" / "polnear"


def gold_claims(splits=("train", "dev")) -> list[ClaimRow]:
    """Every gold Content span of the splits as a claim: id ``<article>:<start>-<end>``."""
    meta = {}
    with open(POLNEAR / "metadata.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            meta[row["filename"]] = row
    rows = []
    done = set()
    for split in splits:
        for ann in sorted((POLNEAR / split / "attributions").glob("*.ann")):
            aid = ann.stem.rsplit("_", 1)[0]
            if aid in done:  # a few articles have two annotators' files: keep the first
                continue
            done.add(aid)
            text = (POLNEAR / split / "text" / f"{aid}.txt").read_text(encoding="utf-8")
            m = meta.get(aid, {})
            day = (date.fromisoformat(m["publication_date"]) - date(1970, 1, 1)).days if m.get("publication_date") else None
            seen = set()
            for line in ann.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) < 3 or not parts[1].startswith("Content "):
                    continue
                offs = parts[1].split(" ", 1)[1]
                # discontinuous spans "s e;s e": take the whole extent
                nums = [int(x) for x in offs.replace(";", " ").split()]
                s, e = min(nums), max(nums)
                cid = f"{aid}:{s}-{e}"
                if cid in seen:
                    continue
                seen.add(cid)
                rows.append(ClaimRow(cid, text[s:e], aid, m.get("publisher"), day))
    return rows


def _article_text(article) -> str:
    if article.get("text"):
        return article["text"]
    for split in ("train", "dev", "test"):
        p = POLNEAR / split / "text" / f"{article['id']}.txt"
        if p.exists():
            return p.read_text(encoding="utf-8")
    return ""


def record_claims(paths) -> list[ClaimRow]:
    """Claims as extraction produced them: each assertion's content span in records (JSONL) files.

    Outlet and day come from PolNeAR's metadata (records of plain text files carry neither).
    """
    import json

    meta = {}
    with open(POLNEAR / "metadata.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            meta[row["filename"]] = row
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                aid = d["article"]["id"]
                m = meta.get(aid, {})
                day = (date.fromisoformat(m["publication_date"]) - date(1970, 1, 1)).days if m.get("publication_date") else None
                for a in d.get("assertions", []):
                    c = a["content"]
                    text = c.get("text") or _article_text(d["article"])[c["start"]:c["end"]]
                    rows.append(ClaimRow(f"{aid}:{c['start']}-{c['end']}", text, aid,
                                         m.get("publisher") or d["article"].get("outlet"), day,
                                         linkable(a.get("form"), a.get("kind"))))
    return rows


def gold_pairs(split: str) -> list[tuple[str, int, int, str, int, int, float]]:
    out = []
    with open(SHARED / "eval" / "narrative_pairs" / f"{split}.tsv", encoding="utf-8") as f:
        for r in csv.reader(f, delimiter="\t"):
            out.append((r[0], int(r[1]), int(r[2]), r[3], int(r[4]), int(r[5]), float(r[6])))
    return out


def claim_at(rows_by_article, aid, s, e):
    """The claim ids overlapping [s, e) in article aid."""
    out = []
    for r in rows_by_article.get(aid, ()):
        rs, re_ = (int(x) for x in r.id.rsplit(":", 1)[1].split("-"))
        if rs < e and s < re_:
            out.append(r.id)
    return out


def evaluate(rows, pairs, params):
    groups = link_claims(rows, params)
    of = {c: g.id for g in groups for c in g.claim_ids}
    by_article = {}
    for r in rows:
        by_article.setdefault(r.article_id, []).append(r)
    hit = 0
    misses = []
    for a, s1, e1, b, s2, e2, sim in pairs:
        ca, cb = claim_at(by_article, a, s1, e1), claim_at(by_article, b, s2, e2)
        if any(of.get(x) is not None and of.get(x) == of.get(y) for x in ca for y in cb):
            hit += 1
        else:
            misses.append((a, s1, e1, b, s2, e2, sim))
    biggest = max((len(g.claim_ids) for g in groups), default=0)
    return hit, len(pairs), groups, biggest, misses


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--threshold", type=float, default=LinkParams().threshold)
    ap.add_argument("--min-words", type=int, default=LinkParams().min_words)
    ap.add_argument("--ngram", type=int, default=LinkParams().ngram)
    ap.add_argument("--records", nargs="*", default=None,
                    help="records files: evaluate the claims extraction produced instead of the gold spans")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    rows = record_claims(args.records) if args.records else gold_claims()
    params = LinkParams(threshold=args.threshold, min_words=args.min_words, ngram=args.ngram)
    hit, n, groups, biggest, misses = evaluate(rows, gold_pairs(args.split), params)
    linked = sum(len(g.claim_ids) for g in groups)
    cross = [g for g in groups if len({r.outlet for r in rows if r.id in set(g.claim_ids)}) > 1]
    print(f"split={args.split} threshold={args.threshold} min_words={args.min_words} ngram={args.ngram}: claims={len(rows)} "
          f"narratives={len(groups)} (cross-outlet {len(cross)}) linked_claims={linked} "
          f"recall={hit}/{n}={hit / max(n, 1):.3f} largest={biggest} ({biggest / len(rows):.2%} of claims)")
    if args.show_misses:
        text = {r.id: r for r in rows}
        for m in misses:
            print("MISS", m)
    if args.sample:
        byid = {r.id: r for r in rows}
        cand = []
        for g in groups:
            ms = [byid[c] for c in g.claim_ids]
            for i, x in enumerate(ms):
                for y in ms[i + 1:]:
                    if x.outlet != y.outlet:
                        cand.append((x, y))
        rnd = random.Random(args.seed)
        for k, (x, y) in enumerate(sorted(rnd.sample(cand, min(args.sample, len(cand))), key=lambda p: p[0].id), 1):
            print(f"{k}\t{x.id}\t{x.text!r}\t{y.id}\t{y.text!r}")
        print(f"({len(cand)} linked cross-outlet pairs in all)", file=sys.stderr)


if __name__ == "__main__":
    main()
