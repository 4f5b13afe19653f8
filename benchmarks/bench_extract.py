"""Speed of `extract` against a bare spaCy parse (`nlp.pipe`) of the same articles, same model.

Target (issue 2): extract takes at most 1.2x the bare parse in one process, and gains
near-linearly with --jobs. Both sides use the loaded model (load time excluded for one
process; worker start-up, model load included, is part of the --jobs figures), after one
untimed parse of the same texts (a text's first parse also fills the vocabulary, which
would otherwise count against whichever side runs first). The --jobs > 1 runs start
fresh processes, so they pay that first-parse cost again.

    python benchmarks/bench_extract.py                      # PolNeAR dev, then a train subset
    python benchmarks/bench_extract.py --train 0 --jobs 1,2  # dev only

Prints, per corpus: articles, bare parse seconds, extract seconds and articles/s for
each --jobs value, and the ratio extract / bare.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NARRATIVEGRAPH_SHARED", REPO.parent / "shared"))


def bare_parse(paths: list[Path], model: str | None, batch_size: int) -> float:
    """Seconds for nlp.pipe over the texts as read (the model already loaded)."""
    from narrativegraph.extract.nlp import load_model

    nlp = load_model(model)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def run_extract(paths: list[Path], model: str | None, batch_size: int, jobs: int, metadata: list[Path]) -> float:
    """Seconds for extract_to_file over the files (reading, masking, parsing, annotating, writing)."""
    from narrativegraph.extract import extract_to_file

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        stats = extract_to_file([str(p) for p in paths], Path(tmp) / "out.jsonl", model=model, jobs=jobs,
                                batch_size=batch_size, metadata=metadata, metadata_id="filename")
        seconds = time.perf_counter() - start
    if stats.failed or stats.articles != len(paths):
        sys.exit(f"extract failed on {stats.failed} of {len(paths)} inputs")
    return seconds


def reading_and_preparing(paths: list[Path], metadata: list[Path]) -> float:
    """Seconds for this package's own steps before the parse: read, mask, infer, detect wire."""
    from narrativegraph.extract.pipeline import prepare
    from narrativegraph.extract.sources import iter_sources

    start = time.perf_counter()
    for raw in iter_sources([str(p) for p in paths], metadata=metadata, metadata_id="filename"):
        prepare(raw)
    return time.perf_counter() - start


def bench(name: str, paths: list[Path], args: argparse.Namespace, metadata: list[Path]) -> None:
    from narrativegraph.extract.nlp import load_model

    load_model(args.model)  # load outside the timings
    run_extract(paths[:2], args.model, args.batch_size, 1, metadata)  # warm caches and lazy imports
    # one untimed pass: the first parse of a text also fills the vocabulary with its words
    # (about 20% slower on PolNeAR dev), and both timed runs should find them there
    bare_parse(paths, args.model, args.batch_size)
    bare = bare_parse(paths, args.model, args.batch_size)
    print(f"\n{name}: {len(paths)} articles, {sum(p.stat().st_size for p in paths) / 1e6:.2f} MB")
    print(f"  bare nlp.pipe          {bare:7.2f} s  {len(paths) / bare:6.1f} articles/s")
    own = reading_and_preparing(paths, metadata)
    print(f"  read+mask+infer+wire   {own:7.2f} s  ({own / bare:.1%} of the bare parse)")
    one = None
    for jobs in args.jobs:
        seconds = run_extract(paths, args.model, args.batch_size, jobs, metadata)
        one = seconds if jobs == 1 else one
        speedup = f"  speed-up {one / seconds:.2f}x over --jobs 1" if one and jobs > 1 else ""
        print(f"  extract --jobs {jobs:<2}      {seconds:7.2f} s  {len(paths) / seconds:6.1f} articles/s"
              f"  ratio to bare {seconds / bare:.2f}x{speedup}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=SHARED / "corpus" / "polnear")
    parser.add_argument("--train", type=int, default=100, help="train articles to add as a second corpus (0: none)")
    parser.add_argument("--jobs", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    parser.add_argument("--model", default=None)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    if not (args.polnear / "dev" / "text").is_dir():
        sys.exit(f"PolNeAR not found at {args.polnear} (use --polnear or NARRATIVEGRAPH_SHARED)")
    metadata = [args.polnear / "metadata.tsv"] if (args.polnear / "metadata.tsv").is_file() else []
    print(f"cores: {os.cpu_count()}, model: {args.model or 'default'}, batch size: {args.batch_size}")
    bench("PolNeAR dev", sorted((args.polnear / "dev" / "text").glob("*.txt")), args, metadata)
    if args.train:
        bench(f"PolNeAR train (first {args.train})",
              sorted((args.polnear / "train" / "text").glob("*.txt"))[: args.train], args, metadata)


if __name__ == "__main__":
    main()
