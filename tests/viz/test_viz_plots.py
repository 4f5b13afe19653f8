"""matplotlib pictures from real stores: titled, labelled, dated, written as PNG and SVG."""
from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from narrativegraph.errors import NarrativegraphError
from narrativegraph.records import Article, Assertion, Cue, Record, Span, Speaker, claim_id
from narrativegraph.queries.subgraph import (Carrier, Spread, fetch_echo, fetch_speakers_by_outlet, fetch_spread,
                                             fetch_timeline)
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
    # two days of articles: ticks are the days around them, not the years 2015-2019 nor hours
    assert t["xticks"][0] == "Dec 14, 2016" and all(s.startswith("Dec ") for s in t["xticks"]), t["xticks"]
    assert all(s.lstrip("−-").isdigit() for s in t["yticks"]), t["yticks"]  # whole claims
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
    assert "Dec 15" in t["xticks"] and all(s.startswith("Dec ") for s in t["xticks"]), t["xticks"]  # one day
    assert t["yticks"] == ["0", "1", "2"]


def test_timeline_bars_do_not_invent_claims_between_days():
    rows = [{"day": "2016-09-01", "key": "nyt", "claims": 4}, {"day": "2016-09-05", "key": "nyt", "claims": 2},
            {"day": "2016-09-05", "key": "politico", "claims": 3}, {"day": "2016-09-03", "key": "fox", "claims": 1}]
    fig = plot_timeline(rows, top=2)
    ax = fig.axes[0]
    assert not ax.lines  # a line from Sep 1 to Sep 5 would claim about 3 claims on Sep 3
    totals: dict[float, float] = {}
    for bar in ax.patches:
        totals[round(bar.get_x() + bar.get_width() / 2, 3)] = totals.get(round(bar.get_x() + bar.get_width() / 2, 3),
                                                                         0) + bar.get_height()
    assert sorted(v for v in totals.values() if v) == [1, 4, 5]  # each day's true total, "other" included
    assert _texts(fig)["legend"] == ["nyt (6)", "politico (3)", "other 1 (1)"]


def test_spread_plot_title_fits_and_spans_the_whole_run():
    label = ("“Maybe I can, by speaking directly to white people, say, look, this is not who we are,” she "
             "continued. “We have got to do everything possible to improve policing, to go right at implicit bias.”")
    spread = Spread("narrative", "n-1", label, (Carrier("huff-post", "a1", "2016-09-20"),
                                                Carrier("west-journal", "a2", "2016-09-21"),
                                                Carrier("huff-post", "a3", "2016-09-27")))
    fig = plot_spread(spread)
    t = _texts(fig)
    box = fig.axes[0].title.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width, "the title runs off the picture"
    assert "““" not in t["title"] and "“Maybe I can" in t["title"]
    assert t["xticks"][0].startswith("Sep") and not any(":" in s for s in t["xticks"]), t["xticks"]  # days, not hours
    (line,) = [ln for ln in fig.axes[0].lines if len(ln.get_xdata()) > 1]
    assert max(line.get_xdata()).isoformat() == "2016-09-27"  # runs to the last carrier


def test_empty_echo_says_why(seed_store):
    fig = plot_echo(fetch_echo(seed_store))
    assert "link narratives first" in " ".join(t.get_text() for t in fig.axes[0].texts)


def test_echo_matrix_from_rows():
    rows = [{"source": "breitbart", "target": "foxnews", "narratives": 3, "median_lag_days": 1},
            {"source": "foxnews", "target": "breitbart", "narratives": 1, "median_lag_days": 2}]
    fig = plot_echo(rows)
    t = _texts(fig)
    assert t["x"] == "later carrier" and t["y"] == "earlier carrier"
    assert t["xticks"] == ["breitbart", "foxnews"]
    bar = [t.get_text() for t in fig.axes[1].get_yticklabels() if t.get_text()]
    assert bar and all(s.isdigit() for s in bar), bar  # whole narratives on the colour bar


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


def _unresolved_i(article_id: str, outlet: str, day: str, quotes: int) -> Record:
    """An article quoting an unresolved first-person speaker "I", scoped to the article as extraction scopes it."""
    text = " ".join(f'I said: "we will win number {k} of this race".' for k in range(quotes))
    claims = []
    for k in range(quotes):
        start = text.index(f'"we will win number {k} ') + 1
        end = text.index('"', start)
        at = text.rindex("I said", 0, start)
        claims.append(Assertion(id=claim_id(article_id, start, end), cue=Cue(at + 2, at + 6, "said", "say"),
                                speaker=Speaker(name="I", type="UNKNOWN", mention=Span.of(text, at, at + 1),
                                                entity_id=f"unknown/{article_id}-i"),
                                content=Span.of(text, start, end), kind="direct", confidence=0.9))
    return Record(article=Article(id=article_id, text=text, title=f"Race {article_id}", outlet=outlet, published=day),
                  assertions=tuple(claims))


def test_speakers_who_share_a_name_are_not_added_up(tmp_path, seed_records):
    """Twelve articles' unresolved "I" are twelve speakers (as top-speakers counts them), not one cross-outlet star."""
    from narrativegraph.graph import open_store
    from narrativegraph.graph.load import load_records

    with open_store(path=str(tmp_path / "i.db")) as store:
        load_records(store, [*seed_records, _unresolved_i("i1", "nyt", "2016-12-15", 2),
                             _unresolved_i("i2", "politico", "2016-12-16", 3)])
        rows = fetch_speakers_by_outlet(store)
        by_day = fetch_timeline(store, by="speaker")
    assert sorted((r["speaker"], r["speaker_id"], r["claims"]) for r in rows if r["speaker"] == "I") == [
        ("I", "unknown/i1-i", 2), ("I", "unknown/i2-i", 3)]
    t = _texts(plot_speakers(rows, top=4))
    assert t["yticks"][-1] == "Hediye Levent"
    # before: one "I" bar of 5 claims in two outlets, the busiest speaker of all
    assert "I" not in t["yticks"] and "I [unknown/i2-i]" in t["yticks"], t["yticks"]
    t = _texts(plot_timeline(by_day, by="speaker", top=3))
    assert not any(s.startswith("I (5)") for s in t["legend"]), t["legend"]
    assert "I [unknown/i2-i] (3)" in t["legend"], t["legend"]
