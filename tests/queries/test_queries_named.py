"""Every named query parses, runs and answers on the loaded seed article; parameters are checked."""
from __future__ import annotations


import pytest

from narrativegraph.errors import QueryError, UnknownQuery
from narrativegraph.graph.load import load_records
from narrativegraph.queries.runner import get_query, list_queries, parse_header, run_cypher, run_query
from narrativegraph.records import Article, Assertion, Record, Span, Speaker, claim_id, entity_id

REQUIRED = ("top-speakers", "speaker-claims", "outlet-speakers", "who-spoke-to", "entity-claims", "search-claims",
            "co-quoted", "article", "speaker-outlets", "outlet-timeline")
SEED_ID = "000_24d1b39d5706461e"
# a value for every parameter name any query declares, chosen to match the seed
PARAMS = {"speaker": "Hediye Levent", "outlet": "Sputnik International", "entity": "Aleppo",
          "text": "mass murder", "id": SEED_ID}


@pytest.fixture
def seeded(store, seed_records):
    load_records(store, seed_records)
    return store


def _reprinted(record: Record, article_id: str, outlet: str) -> Record:
    """The same article run by another outlet under another id: its claims form narratives with the original's."""
    line = record.dumps().replace(record.article.id, article_id).replace(f'"{record.article.outlet}"', f'"{outlet}"')
    return Record.loads(line)


@pytest.fixture
def with_narratives(seeded, seed_records):
    load_records(seeded, [_reprinted(seed_records[0], "copy_of_the_seed", "Sputnik France")])
    return seeded


def test_the_required_queries_exist_with_their_parameters():
    names = {q.name for q in list_queries()}
    assert set(REQUIRED) <= names
    assert [p.name for p in get_query("speaker-claims").params] == ["speaker", "limit"]
    assert get_query("top-speakers").params[0].default == 20
    assert [p.type for p in get_query("search-claims").params] == ["words", "int"]


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_named_query_runs(seeded, seed_records, name):
    spec = get_query(name)
    args = {p.name: PARAMS[p.name] for p in spec.params if p.required and p.name in PARAMS}
    if any(p.type == "narrative" for p in spec.params):
        load_records(seeded, [_reprinted(seed_records[0], "copy_of_the_seed", "Sputnik France")])
        nid = seeded.run("MATCH (n:Narrative) RETURN n.id AS id ORDER BY n.claims DESC, id LIMIT 1")[0]["id"]
        args.update({p.name: nid for p in spec.params if p.type == "narrative"})
    rows = run_query(seeded, name, **args)
    assert isinstance(rows, list)
    if name in REQUIRED and name != "who-spoke-to":
        assert rows, f"{name} found nothing in the seed"
    for r in rows:
        assert all(v is None or isinstance(v, (str, int, float, bool, list, dict)) for v in r.values())


def test_done_when_speaker_claims_lists_levent_with_article_outlet_offsets(seeded, seed_records):
    text = seed_records[0].article.text
    rows = run_query(seeded, "speaker-claims", speaker="Hediye Levent")
    assert len(rows) == 3
    for r in rows:
        assert r["speaker"] == "Hediye Levent" and r["article"] == SEED_ID
        assert r["outlet"] == "Sputnik International"
        assert text[r["start"]:r["end"]] == r["claim"]
    assert rows[0]["claim"].startswith("There is no such thing as 'carnage'")
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)


@pytest.mark.parametrize("name", ["levent", "LEVENT", "hediye levent", "person/hediye-levent"])
def test_speaker_names_match_case_insensitively_by_surname_and_id(seeded, name):
    assert len(run_query(seeded, "speaker-claims", speaker=name)) == 3


def test_surname_shared_by_two_people_is_ambiguous(seeded):
    extra = Record(Article(id="x1", text="Bob Levent said no.", outlet="RT"),
                   (Assertion(claim_id("x1", 15, 18), Speaker("Bob Levent", "PERSON", Span(0, 10, "Bob Levent"),
                                                              entity_id("PERSON", "Bob Levent")),
                              None, Span(15, 18, "no."), "indirect", 0.5),))
    load_records(seeded, [extra], hooks=False)
    with pytest.raises(QueryError, match="ambiguous.*Bob Levent.*Hediye Levent"):
        run_query(seeded, "speaker-claims", speaker="levent")
    assert len(run_query(seeded, "speaker-claims", speaker="Hediye Levent")) == 3


def test_outlet_queries(seeded):
    rows = run_query(seeded, "outlet-speakers", outlet="sputnik international")
    assert rows[0] == {"outlet": "Sputnik International", "speaker": "Hediye Levent", "type": "PERSON",
                       "speaker_id": "person/hediye-levent", "claims": 3, "articles": 1}
    spoke = run_query(seeded, "who-spoke-to", outlet="Sputnik Turkey")
    assert [(r["speaker"], r["first"]) for r in spoke] == [("Hediye Levent", "2016-12-15")]
    timeline = run_query(seeded, "outlet-timeline", outlet="outlet/sputnik-international")
    assert {r["date"] for r in timeline} == {"2016-12-15"} and sum(r["claims"] for r in timeline) == 6
    carried = run_query(seeded, "speaker-outlets", speaker="Lavrov")
    assert [(r["outlet"], r["first"], r["last"], r["claims"]) for r in carried] == [
        ("Sputnik International", "2016-12-15", "2016-12-15", 1)]


def test_search_article_entity_and_co_quoted(seeded):
    found = run_query(seeded, "search-claims", text="Mass murder!")
    assert {r["speaker"] for r in found} == {"Hediye Levent"} and len(found) == 3
    assert all("mass murder" in r["claim"].lower() for r in found)
    assert run_query(seeded, "search-claims", text="no-such-word-anywhere") == []
    art = run_query(seeded, "article", id=SEED_ID)
    assert len(art) == 6 and [r["start"] for r in art] == sorted(r["start"] for r in art)
    assert {r["speaker"] for r in art} >= {"Hediye Levent", "Pierre Le Corf", "Sergei Lavrov"}
    about = run_query(seeded, "entity-claims", entity="aleppo")
    assert about and all("aleppo" in r["claim"].lower() for r in about)
    pairs = run_query(seeded, "co-quoted", speaker="Le Corf")
    assert len(pairs) == 3 and all("person/pierre-le-corf" in (r["speaker1_id"], r["speaker2_id"]) for r in pairs)


@pytest.mark.parametrize("name", ['O\'Brien "the Knife" \\ Smith', "Robert'); MATCH (n) DETACH DELETE n //"])
def test_names_with_quotes_and_backslashes_are_parameters(store, name):
    text = f"{name} said the vote was rigged."
    end = len(name)
    rec = Record(Article(id="q1", text=text, outlet="Quote \"Daily\" \\ News", published="2016-10-01"),
                 (Assertion(claim_id("q1", end + 6, len(text)),
                            Speaker(name, "PERSON", Span(0, end, name), entity_id("PERSON", name)),
                            None, Span.of(text, end + 6, len(text)), "indirect", 0.7),))
    load_records(store, [rec], hooks=False)
    rows = run_query(store, "speaker-claims", speaker=name)
    assert [(r["speaker"], r["claim"]) for r in rows] == [(name, "the vote was rigged.")]
    assert run_query(store, "outlet-speakers", outlet='Quote "Daily" \\ News')[0]["speaker"] == name
    assert run_cypher(store, "MATCH (n:Article) RETURN count(n) AS n") == [{"n": 1}]


def test_unknown_query_lists_the_available_ones_and_the_closest(store):
    with pytest.raises(UnknownQuery) as e:
        run_query(store, "speaker-claim", speaker="x")
    msg = str(e.value)
    assert "Did you mean 'speaker-claims'?" in msg and "top-speakers" in msg and "\n" not in msg


def test_parameter_errors(seeded):
    with pytest.raises(QueryError, match="needs --param speaker"):
        run_query(seeded, "speaker-claims")
    with pytest.raises(QueryError, match="'many' is not a valid int"):
        run_query(seeded, "top-speakers", limit="many")
    with pytest.raises(QueryError, match="no parameter 'speakr'"):
        run_query(seeded, "speaker-claims", speakr="x")
    assert len(run_query(seeded, "top-speakers", limit="2")) == 2
    assert run_query(seeded, "speaker-claims", speaker="Nobody Atall") == []


def test_empty_values_negative_limits_and_wordless_searches_are_errors_alike_on_both_stores(seeded):
    with pytest.raises(QueryError, match=r"parameter 'speaker' is empty; give a value \(entity\)"):
        run_query(seeded, "speaker-claims", speaker="  ")
    with pytest.raises(QueryError, match="parameter 'id' is empty"):
        run_query(seeded, "article", id="")
    with pytest.raises(QueryError, match="'limit' must be 0 or more, not -1"):
        run_query(seeded, "top-speakers", limit="-1")
    with pytest.raises(QueryError, match=r"'\)\(\*&' has no word of two or more letters"):
        run_query(seeded, "search-claims", text=")(*&")
    # an empty optional parameter is as if not given
    assert run_query(seeded, "co-quoted", speaker="") == run_query(seeded, "co-quoted")
    assert run_query(seeded, "top-speakers", limit="0") == []


def test_narrative_ids_resolve_by_prefix_and_unknown_ones_are_errors(with_narratives):
    ids = [r["id"] for r in with_narratives.run("MATCH (n:Narrative) RETURN n.id AS id ORDER BY id")]
    assert len(ids) >= 2
    full = run_query(with_narratives, "narrative-spread", id=ids[0])
    assert {r["outlet"] for r in full} == {"Sputnik International", "Sputnik France"}
    shortest = next(k for k in range(3, 19) if sum(i.startswith(ids[0][:k]) for i in ids) == 1)
    assert run_query(with_narratives, "narrative-spread", id=ids[0][:shortest]) == full
    for name in ("narrative-spread", "narrative-claims", "independent-spread"):
        with pytest.raises(QueryError, match="no narrative with id 'n-nope'; `narrativegraph narratives` lists them"):
            run_query(with_narratives, name, id="n-nope")
    with pytest.raises(QueryError, match="narrative 'n-' is ambiguous"):
        run_query(with_narratives, "narrative-claims", id="n-")
    # the pictures take the same ids
    from narrativegraph.queries.subgraph import fetch_spread, fetch_subgraph

    assert fetch_spread(with_narratives, narrative=ids[0][:shortest]) == fetch_spread(with_narratives, narrative=ids[0])
    assert fetch_subgraph(with_narratives, narrative=ids[0][:shortest]).nodes == \
        fetch_subgraph(with_narratives, narrative=ids[0]).nodes


def test_ad_hoc_cypher_is_read_only_unless_write(seeded):
    with pytest.raises(QueryError, match="--write"):
        run_cypher(seeded, "MATCH (n:Claim) DETACH DELETE n")
    assert run_cypher(seeded, "MATCH (c:Claim) WHERE c.text CONTAINS 'set' RETURN count(c) AS n")[0]["n"] >= 0
    run_cypher(seeded, "MATCH (c:Claim {id: $id}) SET c.flag = true", {"id": claim_id(SEED_ID, 382, 458)},
               write=True)
    assert run_cypher(seeded, "MATCH (c:Claim) WHERE c.flag RETURN c.id AS id") == [
        {"id": claim_id(SEED_ID, 382, 458)}]
    with pytest.raises(QueryError) as e:
        run_cypher(seeded, "MATCH (n RETURN n")
    assert "\n" not in str(e.value)


def test_header_errors_name_the_file():
    with pytest.raises(QueryError, match="bad.cypher: query header needs"):
        parse_header("MATCH (n) RETURN n", "bad.cypher")
    with pytest.raises(QueryError, match="bad.cypher: cannot read parameter"):
        parse_header("// name: x\n// description: y\n// params: n (integer)\n", "bad.cypher")
