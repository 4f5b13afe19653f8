"""The pages as a person sees them, in headless Chromium: drawn, quiet, offline, tooltips, no injected script."""
from __future__ import annotations

import pytest

from narrativegraph.queries.subgraph import fetch_spread, fetch_subgraph
from narrativegraph.viz import write_graph_page, write_spread_page

pytestmark = pytest.mark.browser

_NODE_XY = """label => {
  const net = window.ngNetwork, nodes = window.ngNodes;
  const hit = nodes.get({filter: n => n.label === label})[0];
  if (!hit) return null;
  const p = net.canvasToDOM(net.getPositions([hit.id])[hit.id]);
  const box = document.getElementById('ng-network').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}"""

_CANVAS = """() => {
  const c = document.querySelector('#ng-network canvas');
  if (!c) return null;
  const ctx = c.getContext('2d'), d = ctx.getImageData(0, 0, c.width, c.height).data;
  let inked = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) inked++;
  return {w: c.width, h: c.height, inked};
}"""


def _hover_tooltip(run, label: str) -> str:
    xy = run.page.evaluate(_NODE_XY, label)
    assert xy, f"node {label!r} is not on the page"
    run.page.mouse.move(xy["x"] + 40, xy["y"] + 40)
    run.page.mouse.move(xy["x"], xy["y"], steps=4)
    tip = run.page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    return tip.inner_text()


def test_seed_page_renders_offline_with_tooltips(seed_store, tmp_path, open_page):
    path = write_graph_page(fetch_subgraph(seed_store), tmp_path / "seed.html", title="seed")
    run = open_page(path)
    run.wait_ready()
    canvas = run.page.evaluate(_CANVAS)
    assert canvas and canvas["w"] > 300 and canvas["h"] > 300
    assert canvas["inked"] > 2000, "the canvas is blank"
    assert run.page.evaluate("window.ngNetwork.physics.physicsEnabled") is False  # settled, then stopped

    tip = _hover_tooltip(run, "Hediye Levent")
    assert "Hediye Levent" in tip and "person" in tip
    claim = next(n for n in run.page.evaluate("window.ngNodes.get()") if n["type"] == "Claim"
                 and dict(n["tip"]).get("speaker") == "Sergei Lavrov")
    tip = _hover_tooltip(run, claim["label"])
    for part in ("Sergei Lavrov", "underscored", "Aleppo Residents Heaved", "Sputnik International",
                 "2016-12", "provenance: 000_24d1b39d5706461e ["):
        assert part in tip, (part, tip)

    run.page.fill("#ng-search", "lavrov")
    assert run.page.inner_text("#ng-search-status").startswith(("1 match", "2 matches", "3 matches"))
    run.screenshot("viz-seed-graph.png")
    assert run.errors == [] and run.requests == [] and run.dialogs == []


def test_hostile_article_shows_as_text_and_runs_nothing(seed_store, tmp_path, open_page):
    path = write_graph_page(fetch_subgraph(seed_store, since="2016-12-16"), tmp_path / "xss.html")
    run = open_page(path)
    run.wait_ready()
    article = run.page.evaluate("window.ngNodes.get({filter: n => n.type === 'Article'})[0].label")
    assert article.startswith("<script>alert(1)</script>")
    tip = _hover_tooltip(run, article)
    assert "<script>alert(1)</script> Aleppo headline" in tip
    claim = run.page.evaluate("window.ngNodes.get({filter: n => n.type === 'Claim'})[0].label")
    tip = _hover_tooltip(run, claim)
    assert "<img src=x onerror=alert(2)>" in tip and "<img src=x onerror=alert(4)>" in tip
    assert run.page.locator("img").count() == 0 and run.page.locator("script").count() == 2
    run.page.wait_for_timeout(300)
    run.screenshot("viz-hostile.png")
    assert run.dialogs == [] and run.errors == [] and run.requests == []


def test_spread_page_in_the_browser(seed_store, tmp_path, open_page):
    path = write_spread_page(fetch_spread(seed_store, speaker="<img src=x onerror=alert(4)>"), tmp_path / "s.html")
    run = open_page(path, height=500)
    assert run.page.locator("svg.ng-spread circle.ng-first").count() == 1
    assert "<script>alert(1)</script> Aleppo headline" in run.page.inner_text("table")
    assert run.page.locator("img").count() == 0
    run.screenshot("viz-spread.png")
    assert run.dialogs == [] and run.errors == [] and run.requests == []


def test_page_changed_through_pyvis_still_opens(seed_store, tmp_path, open_page):
    from narrativegraph.viz import graph_page

    page = graph_page(fetch_subgraph(seed_store, speaker="Sergei Lavrov"))
    page.add_node("note", label="A note added in the notebook")
    page.add_edge("note", next(n["id"] for n in page.nodes if n["label"] == "Sergei Lavrov"))
    page.toggle_physics(False)
    page.write_html(tmp_path / "pyvis.html")
    run = open_page(tmp_path / "pyvis.html")
    run.wait_ready(10_000)  # with physics off there is no stabilization to wait for
    assert _hover_tooltip(run, "A note added in the notebook") == "other: A note added in the notebook"
    run.page.fill("#ng-search", "note added")  # pyvis nodes have no search text of their own
    assert run.page.inner_text("#ng-search-status").startswith("1 match")
    assert run.errors == [] and run.requests == []

_LABEL_INK = """key => {
  const net = window.ngNetwork, c = document.querySelector('#ng-network canvas');
  const p = net.canvasToDOM(net.getPositions([key])[key]), r = window.devicePixelRatio || 1;
  const box = net.getBoundingBox(key), h = net.canvasToDOM({x: box.right, y: box.bottom}).y - p.y;
  // the label sits under the node: count inked pixels in a band there
  const d = c.getContext('2d').getImageData((p.x - 60) * r, (p.y + h) * r, 120 * r, 30 * r).data;
  let inked = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] < 120 && d[i + 1] < 120 && d[i + 2] < 120) inked++;
  return inked;
}"""


@pytest.mark.slow
def test_a_big_page_fitted_to_the_window_still_names_its_main_speakers(polnear_store, tmp_path, open_page):
    sub = fetch_subgraph(polnear_store)
    assert len(sub.nodes) > 300
    top = max((n for n in sub.nodes if n.type == "Person"), key=lambda n: n.degree)
    run = open_page(write_graph_page(sub, tmp_path / "big.html"))
    run.wait_ready(120_000)
    assert run.page.evaluate("window.ngNetwork.getScale()") < 0.6  # zoomed out: a 13px label would be under 6px
    with_label = run.page.evaluate(_LABEL_INK, top.key)
    run.page.evaluate("key => window.ngNodes.update({id: key, label: ' '})", top.key)
    run.page.wait_for_timeout(300)
    without = run.page.evaluate(_LABEL_INK, top.key)
    assert with_label - without > 40, (top.label, with_label, without)  # its name is drawn (was not at all)
    run.screenshot("viz-polnear-fitted.png")
    assert run.errors == [] and run.requests == []
