"""How big and how slow the graph page gets on PolNeAR train+dev: file size, fetch time, time until idle in Chromium.

    python benchmarks/bench_viz.py                       # extract PolNeAR train+dev first (slow)
    python benchmarks/bench_viz.py --records a.jsonl b.jsonl --limits all 2000 500
    python benchmarks/bench_viz.py --db polnear.db       # an already built store

For each limit it fetches the subgraph, writes the page, opens it from file:// in Debian's
chromium (no network), waits until vis-network's stabilisation is done and physics is off
(``body[data-ready=true]``), then times ten redraws (what a zoom or drag costs) and hovers a node.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NARRATIVEGRAPH_SHARED", REPO.parent / "shared"))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

params = (500, 2000, "all")


def extract_polnear(out_dir: Path) -> list[Path]:
    polnear = SHARED / "corpus" / "polnear"
    outs = []
    for split in ("train", "dev"):
        out = out_dir / f"polnear-{split}.jsonl"
        subprocess.run([sys.executable, "-m", "narrativegraph", "extract", str(polnear / split / "text"),
                        "--metadata", str(polnear / "metadata.tsv"), "--metadata-id", "filename", "-q",
                        "-o", str(out)], check=True)
        outs.append(out)
    return outs


def build_store(store, records: list[Path]) -> None:
    from narrativegraph.graph.load import load_files

    load_files(store, records)


def time_page(browser, path: Path, timeout_s: float) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
               else (requests.append(r.request.url), r.abort()))
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri(), timeout=timeout_s * 1000)
    loaded = time.perf_counter() - t0
    try:
        page.wait_for_function("document.body.dataset.ready === 'true'", timeout=timeout_s * 1000, polling=200)
        idle = time.perf_counter() - t0
    except Exception:  # playwright's TimeoutError
        idle = None
    # one frame at the settled, fitted view; and one zoomed in to 1:1 on the centre
    redraw_ms = page.evaluate("""() => { const n = window.ngNetwork; n.fit({animation: false});
        let t = performance.now(); for (let i = 0; i < 5; i++) n.redraw(); const fit = (performance.now() - t) / 5;
        n.moveTo({scale: 1, animation: false});
        t = performance.now(); for (let i = 0; i < 5; i++) n.redraw(); const near = (performance.now() - t) / 5;
        return [fit, near]; }""") if idle else None
    page.close()
    return {"load_s": round(loaded, 2), "idle_s": round(idle, 2) if idle else f">{timeout_s:.0f}",
            "frame_ms_fit": round(redraw_ms[0], 1) if redraw_ms else None,
            "frame_ms_1to1": round(redraw_ms[1], 1) if redraw_ms else None, "js_errors": len(errors),
            "requests": len(requests)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", nargs="*", type=Path, help="records files (default: extract PolNeAR train+dev)")
    ap.add_argument("--db", type=Path, help="an existing embedded store folder to draw from")
    ap.add_argument("--limits", nargs="*", default=[str(p) for p in params])
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for a page to settle")
    ap.add_argument("--out", type=Path, default=None, help="keep the pages in this folder")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from narrativegraph.graph import open_store
    from narrativegraph.queries.subgraph import fetch_subgraph
    from narrativegraph.viz import write_graph_page

    work = Path(tempfile.mkdtemp(prefix="bench-viz-"))
    out_dir = args.out or work
    out_dir.mkdir(parents=True, exist_ok=True)
    # one open for everything: reopening a big embedded store reloads it from disk, which is slow
    t = time.perf_counter()
    store = open_store(path=str(args.db or work / "polnear.db"))
    print(f"opened the store in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    results = []
    with store, sync_playwright() as p:
        if args.db is None:
            records = args.records or extract_polnear(work)
            t = time.perf_counter()
            build_store(store, records)
            print(f"loaded {', '.join(x.name for x in records)} in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for limit in args.limits:
            n = 10**9 if limit == "all" else int(limit)
            t = time.perf_counter()
            sub = fetch_subgraph(store, limit=n)
            fetch_s = time.perf_counter() - t
            path = out_dir / f"polnear-{limit}.html"
            t = time.perf_counter()
            write_graph_page(sub, path, title=f"PolNeAR train+dev, limit {limit}")
            write_s = time.perf_counter() - t
            row = {"limit": limit, "nodes": len(sub.nodes), "edges": len(sub.edges), "total_nodes": sub.total_nodes,
                   "fetch_s": round(fetch_s, 2), "write_s": round(write_s, 2),
                   "size_mb": round(path.stat().st_size / 1e6, 2), **time_page(browser, path, args.timeout)}
            results.append(row)
            print(json.dumps(row), flush=True)
        browser.close()
    print(f"{'limit':>6} {'nodes':>7} {'edges':>7} {'MB':>6} {'fetch s':>8} {'idle s':>8} {'frame ms':>9} {'1:1 ms':>7}")
    for r in results:
        print(f"{r['limit']:>6} {r['nodes']:>7} {r['edges']:>7} {r['size_mb']:>6} {r['fetch_s']:>8} "
              f"{r['idle_s']:>8} {str(r['frame_ms_fit']):>9} {str(r['frame_ms_1to1']):>7}")


if __name__ == "__main__":
    main()
