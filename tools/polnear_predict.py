#!/usr/bin/env python3
"""Run the attribution rules over PolNeAR text files and write records for the scorer.

usage: tools/polnear_predict.py SPLIT_DIR OUT.jsonl [--limit N] [--no-model] [--cache DOCBIN]

Nothing is masked (PolNeAR text is clean prose). Score with
  python ../shared/eval/score_attributions.py OUT.jsonl SPLIT_DIR
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from narrativegraph.extract.annotate import annotate
from narrativegraph.extract.nlp import load_model
from narrativegraph.records import Article, Record


def predict(split: Path, out: Path, *, limit: int | None = None, use_model: bool = True,
            cache: Path | None = None) -> tuple[int, float, float]:
    """Write one record per article; return (articles, parse seconds, annotate seconds)."""
    files = sorted((split / "text").glob("*.txt"))[:limit]
    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = load_model()
    t0 = time.perf_counter()
    if cache is not None and cache.exists():
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))[:len(files)]
    else:
        docs = list(nlp.pipe(texts, batch_size=32))
    t_parse = time.perf_counter() - t0
    t_ann = 0.0
    with out.open("w", encoding="utf-8") as fh:
        for f, text, doc in zip(files, texts, docs):
            art = Article(id=f.stem, text=text)
            t1 = time.perf_counter()
            assertions, entities, triples = annotate(doc, art, use_model=use_model)
            t_ann += time.perf_counter() - t1
            fh.write(Record(article=art, assertions=assertions, entities=entities,
                            triples=triples).dumps() + "\n")
    return len(files), t_parse, t_ann


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("split", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--cache", type=Path, help="a DocBin of the split's parses, in file order")
    a = ap.parse_args(argv)
    n, tp, ta = predict(a.split, a.out, limit=a.limit, use_model=not a.no_model, cache=a.cache)
    print(f"{n} articles; parse {tp:.1f}s, annotate {ta:.1f}s ({ta / max(tp, 1e-9):.2f}x parse)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
