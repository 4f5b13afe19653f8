"""The HTML pages as files: offline, escaped, and the notebook objects behind them."""
from __future__ import annotations

import re

import pytest

from pyvis.network import Network

from narrativegraph.queries.subgraph import fetch_spread, fetch_subgraph
from narrativegraph.viz import GraphPage, SpreadPage, graph_page, spread_page, write_graph_page, write_spread_page

HOSTILE = ("<script>alert(", "<img src=x onerror", "<b onmouseover", "href=\"javascript")


def _remote_refs(html: str) -> list[str]:
    """Markup that would make the browser fetch something: external scripts, styles, frames, images."""
    pats = [r"<script\b[^>]*\bsrc\s*=", r"<link\b", r"<iframe\b", r"<img\b", r"@import",
            r"url\(\s*[\"']?(?:https?:)?//"]
    return [m for p in pats for m in re.findall(p, html, flags=re.I)]


def test_graph_page_is_one_offline_file(seed_store, tmp_path):
    out = write_graph_page(fetch_subgraph(seed_store), tmp_path / "seed.html", title="seed")
    html = out.read_text(encoding="utf-8")
    assert _remote_refs(html) == []
    assert "vis.Network" in html and 'stabilizationIterationsDone' in html
    assert "Hediye Levent" in html and "Sputnik International" in html
    assert 200_000 < out.stat().st_size < 2_000_000  # vis-network is inlined, nothing else is big


def test_article_text_is_never_markup_in_the_page(seed_store, tmp_path, hostile):
    page = graph_page(fetch_subgraph(seed_store), title="<script>alert(7)</script>")
    html = page.generate_html()
    # the hostile strings are there, but only escaped (script JSON uses \u003c, markup uses &lt;)
    for needle in HOSTILE + ("<script>alert(7)",):
        assert needle not in html, needle
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e Aleppo headline" in html
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in html


def test_cut_pages_say_what_was_cut(seed_store):
    sub = fetch_subgraph(seed_store, limit=4)
    html = graph_page(sub).generate_html()
    assert f"showing 4 of {sub.total_nodes:,} nodes" in html


def test_notebook_objects(seed_store):
    page = graph_page(fetch_subgraph(seed_store, speaker="Sergei Lavrov"))
    assert isinstance(page, GraphPage) and isinstance(page, Network)
    assert {n["type"] for n in page.nodes} >= {"Person", "Claim", "Article", "Outlet"}
    assert all(e["label"] for e in page.edges)
    frame = page._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "&lt;script" in frame and "<script" not in frame[:200]
    sizes = {n["label"]: n["size"] for n in page.nodes}
    assert sizes["Sputnik International"] >= min(sizes.values())


def test_spread_page_escapes_and_marks_the_first_mover(seed_store, tmp_path):
    spread = fetch_spread(seed_store, speaker="<img src=x onerror=alert(4)>")
    page = spread_page(spread)
    assert isinstance(page, SpreadPage)
    for needle in HOSTILE:
        assert needle not in page.html, needle
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Aleppo headline" in page.html
    assert page.html.count('class="ng-mark ng-first"') == 1
    assert _remote_refs(page.html) == []  # javascript: URLs are not made links
    out = write_spread_page(fetch_spread(seed_store, speaker="Hediye Levent"), tmp_path / "levent.html")
    html = out.read_text(encoding="utf-8")
    assert "first: Sputnik International" in html and "Claims by Hediye Levent" in html


def test_a_spread_in_one_outlet_says_it_did_not_spread(seed_store):
    html = spread_page(fetch_spread(seed_store, speaker="Hediye Levent")).html
    assert "only Sputnik International carried it: it did not spread to another outlet" in html
    assert 'class="ng-arrow"' not in html and "next outlet to pick it up" not in html  # no arrows to explain
    assert ">Dec 14, 2016<" in html and ">Dec 15<" in html  # days, written without the platform-only %-d


@pytest.mark.slow
def test_polnear_speaker_spread_and_cut_page(polnear_store, tmp_path):
    top = polnear_store.run("MATCH (s:Person)-[:ASSERTS]->(c:Claim)<-[:REPORTS]-(:Article)<-[:PUBLISHED]-(o:Outlet) "
                            "RETURN s.name AS name, count(DISTINCT o) AS outlets ORDER BY outlets DESC, name LIMIT 1")[0]
    assert top["outlets"] >= 3, top
    spread = fetch_spread(polnear_store, speaker=top["name"])
    assert len(spread.outlets) == top["outlets"]
    days = [c.day for c in spread.carriers]
    assert days == sorted(days) and all(d and d.startswith("2016-") for d in days)
    html = spread_page(spread).html
    assert html.count('class="ng-mark ng-first"') == 1
    assert html.count('class="ng-arrow"') == len(spread.outlets) - 1
    assert f"first: {spread.carriers[0].outlet}" in html
    sub = fetch_subgraph(polnear_store, limit=60)
    assert len(sub.nodes) == 60 and sub.total_nodes > 60
    assert f"showing 60 of {sub.total_nodes:,} nodes" in graph_page(sub).generate_html()


def test_a_page_in_a_missing_folder_is_one_clear_error(seed_store, tmp_path):
    from narrativegraph.errors import NarrativegraphError

    missing = tmp_path / "no-such-folder"
    with pytest.raises(NarrativegraphError, match="does not exist; create it first"):
        write_graph_page(fetch_subgraph(seed_store, speaker="Sergei Lavrov"), missing / "g.html")
    with pytest.raises(NarrativegraphError, match="cannot write the page"):
        write_spread_page(fetch_spread(seed_store, speaker="Sergei Lavrov"), missing / "s.html")
    assert not missing.exists()


def test_notebooks_show_pages_and_plots_inline(seed_store):
    """What Jupyter displays for each object, through IPython's own display formatter (no pyplot, no %matplotlib)."""
    from IPython.core.interactiveshell import InteractiveShell

    from narrativegraph.queries.subgraph import fetch_timeline
    from narrativegraph.viz import plot_timeline

    shell = InteractiveShell.instance()
    data, _ = shell.display_formatter.format(plot_timeline(fetch_timeline(seed_store)))
    assert data.get("image/png", b"")[:8] == b"\x89PNG\r\n\x1a\n", sorted(data)  # was only text/plain
    data, _ = shell.display_formatter.format(graph_page(fetch_subgraph(seed_store, speaker="Sergei Lavrov")))
    assert data["text/html"].startswith("<iframe srcdoc=") and "Sergei Lavrov" in data["text/html"]
    data, _ = shell.display_formatter.format(spread_page(fetch_spread(seed_store, speaker="Sergei Lavrov")))
    assert data["text/html"].startswith("<iframe srcdoc=") and "Claims by Sergei Lavrov" in data["text/html"]


def _page_data(html: str) -> dict:
    import json

    raw = html.split("var DATA = ", 1)[1].split(";\n", 1)[0]
    return json.loads(raw)


def test_pyvis_calls_work_on_the_page(seed_store):
    """A notebook user treats the page as the pyvis Network it is: its own calls must not break it."""
    page = graph_page(fetch_subgraph(seed_store, speaker="Sergei Lavrov"))
    lavrov = next(n["id"] for n in page.nodes if n["label"] == "Sergei Lavrov")
    page.add_node("note", label="A note added in the notebook")  # was: KeyError 'type' on render
    page.add_edge("note", lavrov)
    page.toggle_physics(False)  # was: AttributeError, the options were a plain dict
    data = _page_data(page.generate_html())
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["physics"]["solver"] == "forceAtlas2Based"  # our other settings stay
    note = next(n for n in data["nodes"] if n["id"] == "note")
    assert note["type"] == "Other" and note["search"] == "a note added in the notebook"
    assert any(item["type"] == "Other" for item in page.legend())
    page = graph_page(fetch_subgraph(seed_store, speaker="Sergei Lavrov"))
    page.barnes_hut(gravity=-3000)
    assert _page_data(page.generate_html())["options"]["physics"]["solver"] == "barnesHut"
    page.set_options('{"interaction": {"hover": false}}')
    opts = _page_data(page.generate_html())["options"]
    assert opts["interaction"]["hover"] is False and opts["layout"]["randomSeed"] == 7


def test_spread_marks_of_one_day_stay_on_that_day():
    """Three articles of one outlet on Sep 8: stacked in the row, not drawn on Sep 8, 9 and 10."""
    from narrativegraph.queries.subgraph import Carrier, Spread
    from narrativegraph.viz import spread_svg

    carriers = tuple(Carrier("usa-today", f"a{i}", "2016-09-08") for i in range(3)) + (
        Carrier("nyt", "b", "2016-09-12"), Carrier("nyt", "c", "2016-10-04"))
    svg = spread_svg(Spread("speaker", "x", "x", carriers))
    found = re.findall(r'<circle class="ng-mark[^"]*" cx="([\d.]+)" cy="([\d.]+)"', svg)
    marks = [(float(cx), float(cy)) for cx, cy in found]
    sep8 = marks[:3]
    assert len({cx for cx, _ in sep8}) == 1, sep8  # one day, one x
    assert len({cy for _, cy in sep8}) == 3, sep8  # but each mark visible
