"""matplotlib pictures from real stores: titled, labelled, dated, written as PNG and SVG."""
from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from narrativegraph.errors import NarrativegraphError
from narrativegraph.queries.subgraph import fetch_echo, fetch_speakers_by_outlet, fetch_spread, fetch_timeline
from narrativegraph.viz import plot_echo, plot_speakers, plot_spread, plot_timeline, save_figure


def _texts(fig: Figure) -> dict[str, object]:
    fig.canvas.draw()  # tick labels exist only once drawn
    ax = fig.axes[0]
    return {"title": ax.get_title(), "x": ax.get_xlabel(), "y": ax.get_ylabel(),
            "legend": [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else [],
            "xticks": [t.get_text() for t in ax.get_xticklabels() if t.get_text()],
            "yticks": [t.get_text() for t in ax.get_yticklabels() if t.get_text()]}


def test_timeline_from_the_seed(seed_store, tmp_path):
    fig = plot_timeline(fetch_timeline(seed_store), by="outlet")
    t = _texts(fig)
    assert t["title"] == "Claims per day by outlet" and t["x"] == "day published" and t["y"] == "claims"
    assert any(s.startswith("Sputnik International (") for s in t["legend"])
    assert any("Dec" in s or "2016" in s for s in t["xticks"]), t["xticks"]
    png = save_figure(fig, tmp_path / "timeline.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = save_figure(plot_timeline(fetch_timeline(seed_store, by="speaker"), by="speaker"), tmp_path / "t.svg")
    assert "<svg" in svg.read_text()[:500] and "Hediye Levent" in svg.read_text()


def test_speakers_and_spread_from_the_seed(seed_store):
    t = _texts(plot_speakers(fetch_speakers_by_outlet(seed_store), top=3))
    assert t["yticks"][-1] == "Hediye Levent"  # busiest on top
    assert len(t["yticks"]) == 3 and "Sputnik International" in t["legend"]
    t = _texts(plot_spread(fetch_spread(seed_store, speaker="Hediye Levent")))
    assert "Hediye Levent" in t["title"] and t["y"] == "outlets (cumulative)"


def test_empty_echo_says_why(seed_store):
    fig = plot_echo(fetch_echo(seed_store))
    assert "link narratives first" in " ".join(t.get_text() for t in fig.axes[0].texts)


def test_echo_matrix_from_rows():
    rows = [{"source": "breitbart", "target": "foxnews", "narratives": 3, "median_lag_days": 1},
            {"source": "foxnews", "target": "breitbart", "narratives": 1, "median_lag_days": 2}]
    t = _texts(plot_echo(rows))
    assert t["x"] == "later carrier" and t["y"] == "earlier carrier"
    assert t["xticks"] == ["breitbart", "foxnews"]


def test_only_png_or_svg(tmp_path):
    with pytest.raises(NarrativegraphError, match="png or .svg"):
        save_figure(Figure(), tmp_path / "x.jpg")
    with pytest.raises(NarrativegraphError, match="cannot write the picture .folder .* does not exist"):
        save_figure(Figure(), tmp_path / "missing" / "x.png")


@pytest.mark.slow
def test_polnear_plots(polnear_store, tmp_path):
    rows = fetch_timeline(polnear_store)
    outlets = {r["key"] for r in rows}
    assert len(outlets) >= 5  # PolNeAR dev spans seven publishers
    t = _texts(plot_timeline(rows, top=8))
    assert len(t["legend"]) == min(8, len(outlets))
    top = fetch_speakers_by_outlet(polnear_store)
    t = _texts(plot_speakers(top, top=10))
    assert len(t["yticks"]) == 10 and len(t["legend"]) >= 3
    save_figure(plot_speakers(top, top=10), tmp_path / "speakers.png")
