"""Screenshot a narrativegraph page in headless Chromium, offline, the way the README pictures were made.

    python docs/images/shoot.py seed.html docs/images/seed-graph.png --hover "Hediye Levent"
    python docs/images/shoot.py spread.html docs/images/spread.png --width 1200 --height 700
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--hover", default=None, help="hover the node whose label starts with this, to show a tooltip")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=800)
    ap.add_argument("--full", action="store_true", help="the whole page, not just the window")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        page.goto(args.page.resolve().as_uri())
        if page.evaluate("!!document.getElementById('ng-network')"):
            page.wait_for_function("document.body.dataset.ready === 'true'", timeout=300_000)
            if args.hover:
                xy = page.evaluate("""label => {
                  const net = window.ngNetwork, hit = window.ngNodes.get({filter: n => n.label.startsWith(label)})[0];
                  if (!hit) return null;
                  const p = net.canvasToDOM(net.getPositions([hit.id])[hit.id]);
                  const box = document.getElementById('ng-network').getBoundingClientRect();
                  return {x: box.left + p.x, y: box.top + p.y};
                }""", args.hover)
                if xy is None:
                    print(f"no node labelled {args.hover!r}", file=sys.stderr)
                    return 1
                page.mouse.move(xy["x"] + 30, xy["y"] + 30)
                page.mouse.move(xy["x"], xy["y"], steps=3)
                page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
        page.screenshot(path=str(args.png), full_page=args.full)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
