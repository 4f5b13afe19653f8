"""What the pictures fetch from a real store holding the seed article (and a hostile article)."""
from __future__ import annotations

import doctest
import importlib

import pytest

from narrativegraph.errors import QueryError
from narrativegraph.queries.subgraph import fetch_echo, fetch_speakers_by_outlet, fetch_spread, fetch_subgraph, \
    fetch_timeline

SEED_ID = "000_24d1b39d5706461e"


def _by_label(sub):
    return {n.label: n for n in sub.nodes}


def test_seed_graph_shows_the_three_speakers_their_claims_outlet_and_article(seed_store, seed_records):
    sub = fetch_subgraph(seed_store)
    labels = _by_label(sub)
    for name in ("Hediye Levent", "Pierre Le Corf", "Sergei Lavrov", "Sputnik International"):
        assert name in labels, sorted(labels)
    assert labels["Hediye Levent"].type == "Person"
    assert labels["Sputnik International"].type == "Outlet"
    articles = [n for n in sub.nodes if n.type == "Article"]
    assert any(dict(a.info).get("article", "").startswith("Aleppo Residents Heaved a Sigh") for a in articles)
    assert not sub.cut and sub.total_nodes == len(sub.nodes)
    kinds = {e.type for e in sub.edges}
    assert {"PUBLISHED", "REPORTS", "ASSERTS", "MENTIONS"} <= kinds


def test_claim_tooltips_carry_provenance_that_points_at_the_text(seed_store, seed_records):
    text = seed_records[0].article.text
    sub = fetch_subgraph(seed_store, speaker="Sergei Lavrov")
    claims = [dict(n.info) for n in sub.nodes if n.type == "Claim"]
    assert claims, "Lavrov's claim is missing"
    for info in claims:
        assert info["speaker"] == "Sergei Lavrov"
        assert info["outlet"] == "Sputnik International"
        assert info["date"].startswith("2016-12")
        assert info["article"].startswith("Aleppo Residents")
        article_id, offsets = info["provenance"].split(" ")
        start, end = (int(x) for x in offsets.strip("[]").split(":"))
        assert article_id == SEED_ID
        assert text[start:end] == info["claim"]
        assert info["cue"]


def test_speaker_filter_keeps_only_that_speakers_claims(seed_store):
    sub = fetch_subgraph(seed_store, speaker="hediye levent")  # any case
    labels = _by_label(sub)
    assert "Hediye Levent" in labels
    assert "Pierre Le Corf" not in labels and "Sergei Lavrov" not in labels
    claims = [dict(n.info) for n in sub.nodes if n.type == "Claim"]
    assert len(claims) >= 2 and all(c["speaker"] == "Hediye Levent" for c in claims)
    assert ("speaker", "hediye levent") in sub.filters


def test_filters_by_outlet_entity_and_dates(seed_store):
    evil = fetch_subgraph(seed_store, outlet="<b onmouseover=alert(5)>Evil</b> Outlet")
    assert {n.type for n in evil.nodes} >= {"Outlet", "Article", "Claim"}
    assert "Hediye Levent" not in _by_label(evil)
    aleppo = fetch_subgraph(seed_store, entity="Aleppo")
    assert "Aleppo" in _by_label(aleppo) and "Sputnik International" in _by_label(aleppo)
    later = fetch_subgraph(seed_store, since="2016-12-16")
    assert all(dict(n.info).get("date", "2016-12-16") >= "2016-12-16" for n in later.nodes)
    assert "Hediye Levent" not in _by_label(later)
    assert fetch_subgraph(seed_store, until="2016-12-01").nodes == ()


def test_limit_keeps_the_most_connected_part_and_counts_what_was_cut(seed_store):
    full = fetch_subgraph(seed_store)
    sub = fetch_subgraph(seed_store, limit=5)
    assert len(sub.nodes) == 5 and sub.total_nodes == full.total_nodes > 5 and sub.cut
    keys = {n.key for n in sub.nodes}
    assert any(n.type == "Article" for n in sub.nodes)  # the hub of the seed graph
    assert all(e.source in keys and e.target in keys for e in sub.edges)


@pytest.mark.parametrize("kwargs, needle", [
    ({"speaker": "Nobody Atall"}, "Nobody Atall"),
    ({"outlet": "The Daily Nothing"}, "The Daily Nothing"),
    ({"narrative": "narrative/none"}, "narrative/none"),
    ({"since": "last tuesday"}, "last tuesday"),
    ({"since": "2016-12-31", "until": "2016-01-01"}, "--since 2016-12-31 is after --until 2016-01-01"),
    ({"limit": 0}, "limit"),
])
def test_bad_filters_name_the_problem(seed_store, kwargs, needle):
    with pytest.raises(QueryError, match=needle):
        fetch_subgraph(seed_store, **kwargs)


def test_user_text_is_only_ever_a_parameter(seed_store):
    # a name that would break (or inject into) Cypher if pasted into the query text
    with pytest.raises(QueryError):
        fetch_subgraph(seed_store, speaker="x' OR 1=1 //")
    assert fetch_subgraph(seed_store, speaker="<img src=x onerror=alert(4)>").nodes


def test_speaker_spread_and_plot_rows(seed_store):
    spread = fetch_spread(seed_store, speaker="Pierre Le Corf")
    assert spread.outlets == ["Sputnik International"]
    assert all(c.article_id == SEED_ID and c.speaker == "Pierre Le Corf" for c in spread.carriers)
    rows = fetch_timeline(seed_store)
    assert {"day": rows[0]["day"], "key": rows[0]["key"]} and rows[0]["day"].startswith("2016-12")
    by_speaker = fetch_timeline(seed_store, by="speaker")
    assert ("person/hediye-levent", "Hediye Levent") in {(r["key"], r["label"]) for r in by_speaker}
    top = fetch_speakers_by_outlet(seed_store)
    assert top[0]["speaker"] == "Hediye Levent" and top[0]["outlet"] == "Sputnik International"
    assert top[0]["speaker_id"] == "person/hediye-levent"
    assert fetch_echo(seed_store) == []  # one outlet carries nothing another echoes
    with pytest.raises(QueryError):
        fetch_spread(seed_store)


@pytest.mark.parametrize("module", ["narrativegraph.queries.subgraph", "narrativegraph.viz.html",
                                    "narrativegraph.viz.network", "narrativegraph.viz.spread",
                                    "narrativegraph.viz.plots"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


def _shape(sub):
    nodes = sorted((n.type, n.label, tuple(sorted((k, str(v)) for k, v in dict(n.info).items())))
                   for n in sub.nodes)
    edges = sorted(e.type for e in sub.edges)
    return nodes, edges, sub.total_nodes


@pytest.mark.neo4j
def test_pictures_fetch_the_same_on_both_stores(neo4j_store, embedded_store, seed_records, hostile):
    """`viz` and `plot` take store options: what they fetch must not depend on the store."""
    from narrativegraph.graph.load import load_records

    store = neo4j_store
    for s in (store, embedded_store):
        load_records(s, [*seed_records, hostile])
    assert _shape(fetch_subgraph(store)) == _shape(fetch_subgraph(embedded_store))
    assert _shape(fetch_subgraph(store, speaker="Levent")) == _shape(fetch_subgraph(embedded_store, speaker="Levent"))
    a, b = fetch_spread(store, speaker="Hediye Levent"), fetch_spread(embedded_store, speaker="Hediye Levent")
    assert a == b
    assert fetch_timeline(store) == fetch_timeline(embedded_store)
    assert fetch_speakers_by_outlet(store) == fetch_speakers_by_outlet(embedded_store)


def test_filters_resolve_names_like_the_named_queries(seed_store):
    """`viz --speaker levent` means Hediye Levent, as `query speaker-claims --param speaker=levent` does."""
    by_surname = fetch_subgraph(seed_store, speaker="levent")
    assert "Hediye Levent" in _by_label(by_surname)
    assert _shape(by_surname) == _shape(fetch_subgraph(seed_store, speaker="Hediye Levent"))
    assert "Sputnik International" in _by_label(fetch_subgraph(seed_store, outlet="sputnik international"))
    with pytest.raises(QueryError, match="no speaker named"):
        fetch_subgraph(seed_store, speaker="Nobody Atall")
