"""Copies, wire links, credits, outlet profiles and grouping in a real store, on real article text."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from narrativegraph.errors import InputError, QueryError
from narrativegraph.extract.credits import credit_triples
from narrativegraph.extract.wire import detect_wire
from narrativegraph.graph.copies import link_copies, relink_all_copies
from narrativegraph.graph.load import load_records
from narrativegraph.graph.outlets import apply_outlet_profiles
from narrativegraph.queries.grouping import group_query_rows, group_rows
from narrativegraph.queries.runner import run_query
from narrativegraph.records import Article, Assertion, Cue, Record, Span, Speaker

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_OUTLETS = REPO / "examples" / "outlets.csv"
STEIN = "breitbart_2016-09-26_green-party-candidate-jill-stein"


def _text(rows, name):
    return next(r for r in rows if r["filename"] == name)["text"]


def _record(aid, text, outlet, published, url=None, assertions=()):
    """A record as extraction writes it, minus the NLP: wire fields and CREDITS triples."""
    wire, ev = detect_wire(text)
    article = Article(id=aid, text=text, outlet=outlet, published=published, url=url,
                      wire=wire, wire_evidence=ev)
    return Record(article, assertions=tuple(assertions), triples=credit_triples(article))


def _edit(text, every, word="indeed"):
    """A lightly edited copy: one word in ``every`` replaced, the last paragraph dropped."""
    paras = text.rstrip().split("\n\n")
    body = "\n\n".join(paras[:-1])
    n = [0]

    def sub(m):
        n[0] += 1
        return word if n[0] % every == 0 else m.group(0)

    return re.sub(r"\b[a-z]{4,}\b", sub, body)


def _copy_links(store):
    return sorted((r["a"], r["b"]) for r in store.run(
        "MATCH (a:Article)-[:COPY_OF]->(b:Article) RETURN a.id AS a, b.id AS b"))


def test_edited_copy_links_to_earliest_and_origin_moves(store, polnear_rows):
    a_text = _text(polnear_rows, STEIN)
    b_text = _edit(a_text.replace("Sept. 26 (UPI) —", "Sept. 26 —"), 25)
    d_text = _edit(a_text, 30, "surely")
    other = _text(polnear_rows, "politico_2016-04-17_rnc-rules-clash-erupts")
    a = _record("a", a_text, "breitbart", "2016-09-26")
    b = _record("b", b_text, "Sputnik International", "2016-09-27")
    c = _record("c", other, "politico", "2016-04-17")
    d = _record("d", d_text, "RT", "2016-09-25")
    assert a.article.wire == "UPI" and b.article.wire is None

    load_records(store, [a, c])
    assert _copy_links(store) == []
    load_records(store, [b])
    assert _copy_links(store) == [("b", "a")]  # no wire mark on b: copy found from the text alone
    sim = store.run("MATCH (:Article {id: 'b'})-[r:COPY_OF]->() RETURN r.similarity AS s")[0]["s"]
    assert 0.4 <= sim < 1.0
    load_records(store, [d])  # an earlier copy becomes the origin
    assert _copy_links(store) == [("a", "d"), ("b", "d")]
    assert link_copies(store, ["a", "b", "c", "d"]) == 2
    assert _copy_links(store) == [("a", "d"), ("b", "d")]

    wire = store.run("MATCH (a:Article)-[:WIRE_FROM]->(o:Outlet) "
                     "RETURN a.id AS id, o.name AS name, o.kind AS kind ORDER BY id")
    assert wire == [{"id": "a", "name": "UPI", "kind": "agency"}, {"id": "d", "name": "UPI", "kind": "agency"}]

    assert relink_all_copies(store) == 2 and _copy_links(store) == [("a", "d"), ("b", "d")]
    # the same articles loaded at once, in another order, give the same links
    store.run("MATCH (n) DETACH DELETE n", write=True)
    load_records(store, [d, c, b, a])
    assert _copy_links(store) == [("a", "d"), ("b", "d")]

    # reloading with new text undoes what no longer holds
    unrelated = _text(polnear_rows, "usa-today_2016-04-28_sanders-lays-off-more-than-campa")
    load_records(store, [_record("b", unrelated, "Sputnik International", "2016-09-27")])
    assert _copy_links(store) == [("a", "d")]
    load_records(store, [_record("d", other + "\n\nMore.", "RT", "2016-09-25")])
    assert _copy_links(store) == [("d", "c")]  # d now carries the text of c, published earlier
    wire = store.run("MATCH (a:Article)-[:WIRE_FROM]->(o:Outlet) RETURN a.id AS id ORDER BY id")
    assert wire == [{"id": "a"}]


@pytest.mark.slow
def test_polnear_copies_and_wire_share(store, polnear_rows):
    records = [_record(r["filename"], r["text"], r["publisher"], r["publication_date"]) for r in polnear_rows]
    load_records(store, records)
    # every one is two versions of one story from the same outlet (checked by hand)
    assert _copy_links(store) == [
        ("breitbart_2016-03-15_the-latest-sanders-declares-revo", "breitbart_2016-03-15_the-latest-kasich-scores-all-del"),
        ("nyt_2015-11-26_with-fewer-golfers-in-u-s-course", "nyt_2015-11-25_golf-courses-forced-to-reach-int"),
        ("nyt_2016-03-05_polls-suggest-possibility-of-dea", "nyt_2016-03-04_republicans-have-stake-in-a-deal"),
        ("nyt_2016-03-16_via-legislative-side-doors-sande", "nyt_2016-03-15_sanders-advances-agenda-via-side"),
        ("usa-today_2016-04-06_sanders-winning-streak-continues", "usa-today_2016-04-06_sanders-says-he-s-riding-momentu"),
        ("wash-post_2015-12-13_misinformation-enters-mainstream", "wash-post_2015-12-12_misinformation-enters-mainstream"),
        ("wash-post_2015-12-23_as-spotlight-shines-on-trump-and", "wash-post_2015-12-22_as-spotlight-shines-on-trump-and"),
    ]
    rows = {r["outlet"]: r for r in run_query(store, "wire-share")}
    assert rows["breitbart"]["articles"] == 132 and rows["breitbart"]["wire_articles"] == 62
    assert rows["huff-post"]["wire_articles"] == 10 and rows["nyt"]["wire_share"] == 0.0
    assert list(rows)[0] == "breitbart"  # ordered by share


def test_credits_are_loaded_with_evidence(store, polnear_rows):
    text = _text(polnear_rows, "politico_2016-04-17_rnc-rules-clash-erupts")
    wp = _text(polnear_rows, "wash-post_2016-01-13_democratic-tensions-escalate-ove")
    load_records(store, [_record("p", text, "politico", "2016-04-17"), _record("w", wp, "wash-post", "2016-01-13")])
    rows = store.run("MATCH (a:Article {id: 'p'})-[r:CREDITS]->(o:Outlet) "
                     "RETURN o.id AS id, r.start AS s, r.end AS e, r.evidence AS ev ORDER BY id")
    ap = [r for r in rows if r["id"] == "outlet/ap"]
    assert ap and ap[0]["ev"] == "first reported by The Associated Press" == text[ap[0]["s"]:ap[0]["e"]]
    # the Post citing itself ("first reported by The Washington Post") is no credit
    own = store.run("MATCH (:Article {id: 'w'})-[r:CREDITS]->(o:Outlet) RETURN o.id AS id")
    assert "outlet/the-washington-post" not in {r["id"] for r in own}


def _profile_corpus(store, polnear_rows, seed_path):
    seed = seed_path.read_text(encoding="utf-8")
    wp = _text(polnear_rows, "wash-post_2016-01-13_democratic-tensions-escalate-ove")
    bb = _text(polnear_rows, STEIN)
    load_records(store, [
        _record("wp", wp, "wash-post", "2016-01-13"),
        _record("sp", seed, "Sputnik International", "2016-12-15"),
        _record("sna", _edit(seed, 7), "SNA", "2016-12-16", url="https://www.sputniknews.com/world/x.html"),
        _record("bb", bb, "breitbart", "2016-09-26"),
        _record("blog", _text(polnear_rows, "politico_2016-04-17_rnc-rules-clash-erupts"), "Some Blog", "2016-04-17"),
    ])


def test_outlet_profiles_match_by_name_alias_and_domain(store, polnear_rows, seed_path):
    _profile_corpus(store, polnear_rows, seed_path)
    assert apply_outlet_profiles(store, [EXAMPLE_OUTLETS]) >= 4
    got = {r["id"]: r for r in store.run(
        "MATCH (o:Outlet) RETURN o.id AS id, o.name AS name, o.owner AS owner, o.country AS country, "
        "o.state_affiliated AS state, o.collections AS collections, o.lean AS lean")}
    assert got["outlet/wash-post"]["name"] == "wash-post"  # the article's name stays
    assert got["outlet/wash-post"]["owner"] == "Nash Holdings (Jeff Bezos)"  # by alias
    assert got["outlet/breitbart"]["country"] == "US"  # by name
    assert got["outlet/sputnik-international"]["state"] is True  # by alias
    assert got["outlet/sna"]["state"] is True and got["outlet/sna"]["country"] == "RU"  # by URL domain
    assert got["outlet/some-blog"]["owner"] is None and got["outlet/some-blog"]["state"] is None
    assert got["outlet/wash-post"]["lean"] is None  # empty cells stay unknown
    assert got["outlet/breitbart"]["collections"] == ["polnear", "us-national"]
    # idempotent
    apply_outlet_profiles(store, [EXAMPLE_OUTLETS])
    assert store.run("MATCH (o:Outlet {id: 'outlet/wash-post'}) RETURN o.owner AS owner")[0]["owner"] == \
        "Nash Holdings (Jeff Bezos)"


def test_bad_outlet_table(store, tmp_path):
    bad = tmp_path / "outlets.csv"
    bad.write_text("name,state_affiliated\nRT,yes\nBBC,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"outlets\.csv:3: state_affiliated"):
        apply_outlet_profiles(store, [bad])
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("outlet,country\nRT,RU\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a 'name' column"):
        apply_outlet_profiles(store, [nameless])


def test_group_by_changes_query_output(store, polnear_rows, seed_path):
    _profile_corpus(store, polnear_rows, seed_path)
    apply_outlet_profiles(store, [EXAMPLE_OUTLETS])
    rows = run_query(store, "wire-share")
    assert {r["outlet"] for r in rows} == {"wash-post", "Sputnik International", "SNA", "breitbart", "Some Blog"}
    by_state = group_query_rows(store, rows, "state_affiliated")
    assert [(g["state_affiliated"], g["outlets"], g["articles"]) for g in by_state] == [
        (False, ["breitbart", "wash-post"], 2), (True, ["SNA", "Sputnik International"], 2), (None, ["Some Blog"], 1)]
    assert by_state[0]["wire_articles"] == 1  # the UPI story on breitbart
    by_country = group_query_rows(store, rows, "country")
    assert [g["country"] for g in by_country] == ["RU", "US", None]
    by_collection = group_query_rows(store, rows, "collection")
    assert [(g["collection"], g["rows"]) for g in by_collection] == [
        ("polnear", 2), ("state-media", 2), ("us-national", 2), (None, 1)]
    with pytest.raises(QueryError, match="cannot group by 'colour'"):
        group_query_rows(store, rows, "colour")
    with pytest.raises(QueryError, match="needs a query with an outlet column"):
        group_query_rows(store, [{"speaker": "x", "claims": 1}], "country")


def _quote_record(aid, text, outlet, published, quote, speaker="Hediye Levent"):
    start = text.index(quote)
    content = Span.of(text, start, start + len(quote))
    cue_at = text.index("told", start)
    cue = Cue(cue_at, cue_at + 4, "told", "tell")
    name_at = text.index(speaker)
    sp = Speaker(speaker, "PERSON", Span.of(text, name_at, name_at + len(speaker)), "person/hediye-levent")
    wire, ev = detect_wire(text)
    return Record(Article(id=aid, text=text, outlet=outlet, published=published, wire=wire, wire_evidence=ev),
                  assertions=(Assertion(f"claim/{aid}@{start}-{start + len(quote)}", sp, cue, content, "direct", 0.9),))


def test_independent_spread_and_state_media_amplification(store, polnear_rows, seed_path):
    seed = seed_path.read_text(encoding="utf-8")
    quote = "There is no such thing as 'carnage' or 'mass murder' of civilians in Aleppo,"
    copy = _edit(seed, 40)
    assert quote in copy
    wp = (_text(polnear_rows, "wash-post_2016-01-13_democratic-tensions-escalate-ove").rstrip()
          + f"\n\n\"{quote}\" Hediye Levent told Sputnik.\n")
    load_records(store, [
        _quote_record("sp", seed, "Sputnik International", "2016-12-15", quote),
        _quote_record("bb", copy, "breitbart", "2016-12-16", quote),
        _quote_record("wp", wp, "wash-post", "2016-12-18", quote),
    ])
    apply_outlet_profiles(store, [EXAMPLE_OUTLETS])
    assert _copy_links(store) == [("bb", "sp")]
    narratives = store.run("MATCH (c:Claim)-[:PART_OF]->(n:Narrative) WITH n, count(c) AS k WHERE k = 3 "
                           "RETURN n.id AS id")
    assert len(narratives) == 1, "the three carriers of the quote should form one narrative"
    nid = narratives[0]["id"]
    spread = run_query(store, "independent-spread", id=nid)
    assert [(r["outlet"], r["kind"], r["lag_days"], r["carriers"], r["articles"], r["copies"]) for r in spread] == [
        ("Sputnik International", "outlet", 0, ["Sputnik International", "breitbart"], 2, 1),
        ("wash-post", "outlet", 3, ["wash-post"], 1, 0),
    ]
    amp = run_query(store, "state-media-amplification")
    assert [(r["narrative"], r["state_outlet"], r["outlet"], r["lag_days"]) for r in amp] == [
        (nid, "Sputnik International", "breitbart", 1), (nid, "Sputnik International", "wash-post", 3)]
    grouped = group_query_rows(store, amp, "owner")
    assert [(g["owner"], g["outlets"]) for g in grouped] == [
        ("Breitbart News Network, LLC", ["breitbart"]), ("Nash Holdings (Jeff Bezos)", ["wash-post"])]
    # grouped, a country carried the narrative when its first outlet did: ranks, days and lags are not summed
    spread = run_query(store, "narrative-spread", id=nid)
    by_country = {g["country"]: g for g in group_query_rows(store, spread, "country")}
    us = [r for r in spread if r["outlet"] in ("breitbart", "wash-post")]
    assert (by_country["US"]["rank"], by_country["US"]["lag_days"], by_country["US"]["first_day"],
            by_country["US"]["first_seen"], by_country["US"]["articles"]) == (2, 1, min(r["first_day"] for r in us),
                                                                           "2016-12-16", 2)
    assert (by_country["RU"]["rank"], by_country["RU"]["lag_days"]) == (1, 0)


def test_group_by_keeps_first_and_last_apart():
    rows = [{"outlet": "a", "first": "2016-01-02", "last": "2016-03-01", "first_day": 5, "last_day": 9, "claims": 2},
            {"outlet": "b", "first": "2016-01-01", "last": "2016-05-01", "first_day": 4, "last_day": 12, "claims": 3}]
    (g,) = group_rows(rows, "country", {"a": "US", "b": "US"})
    assert (g["first"], g["last"], g["first_day"], g["last_day"], g["claims"]) == ("2016-01-01", "2016-05-01", 4, 12, 5)


def test_credit_and_wire_story_reach_the_same_agency(store, polnear_rows):
    """"first reported by The Associated Press" and a "WASHINGTON (AP) —" story: one AP outlet, not two."""
    credit = _text(polnear_rows, "politico_2016-04-17_rnc-rules-clash-erupts")
    wire = _text(polnear_rows, "breitbart_2016-09-30_the-latest-trump-urges-supporter")
    load_records(store, [_record("p", credit, "politico", "2016-04-17"), _record("w", wire, "breitbart", "2016-09-30")])
    rows = store.run("MATCH (o:Outlet) WHERE (:Article {id: 'p'})-[:CREDITS]->(o) OR (:Article {id: 'w'})-[:WIRE_FROM]->(o) "
                     "RETURN o.id AS id, o.name AS name, o.kind AS kind")
    assert rows == [{"id": "outlet/ap", "name": "AP", "kind": "agency"}]


def _echoes(store):
    return {(r["outlet_id"], r["echoes_id"]): (r["narratives"], r["median_lag_days"], r["credits"])
            for r in run_query(store, "outlet-echo", limit=1000)}


def test_credits_are_part_of_the_echo_network(store, polnear_rows, seed_path):
    """An article that credits an outlet makes its outlet echo that one, with or without a shared narrative."""
    text = _text(polnear_rows, "politico_2016-04-17_rnc-rules-clash-erupts")
    load_records(store, [_record("p", text, "politico", "2016-04-17")])
    credited = {r["id"] for r in store.run("MATCH (:Article {id: 'p'})-[:CREDITS]->(o:Outlet) RETURN o.id AS id")}
    assert "outlet/ap" in credited
    assert _echoes(store) == {("outlet/politico", o): (0, None, 1) for o in credited}
    # a self-credit that only the profiles reveal ("SNA" on sputniknews.com telling Sputnik) leaves the network
    _profile_corpus(store, polnear_rows, seed_path)
    assert ("outlet/sna", "outlet/sputnik") in _echoes(store)
    apply_outlet_profiles(store, [EXAMPLE_OUTLETS])
    echoes = _echoes(store)
    assert ("outlet/sna", "outlet/sputnik") not in echoes and ("outlet/politico", "outlet/ap") in echoes


def test_a_profile_name_or_alias_finds_the_outlet_that_publishes(store):
    from narrativegraph.queries.runner import resolve_name

    a = _record("wp1", "WASHINGTON — The senator said the plan would fail, aides said.", "wash-post", "2016-05-01")
    b = _record("bb1", "The plan will fail, as first reported by The Washington Post on Sunday.", "breitbart",
                "2016-05-02")
    load_records(store, [a, b])
    assert "outlet/the-washington-post" in {r["id"] for r in store.run("MATCH (o:Outlet) RETURN o.id AS id")}
    assert resolve_name(store, "The Washington Post", "outlet") == "outlet/the-washington-post"  # no profile yet
    apply_outlet_profiles(store, [EXAMPLE_OUTLETS])
    for name in ("The Washington Post", "Washington Post", "wash-post"):
        assert resolve_name(store, name, "outlet") == "outlet/wash-post", name
