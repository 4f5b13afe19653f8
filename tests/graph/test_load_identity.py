"""Cross-article person identity and the record -> row model, on real names and the seed article."""
from __future__ import annotations

from pathlib import Path

from narrativegraph.graph.identity import name_key, resolve
from narrativegraph.graph.model import article_rows, day_number
from narrativegraph.records import Article, Assertion, Entity, Record, Span, Speaker, claim_id, entity_id

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_records.jsonl"


def _rec(aid: str, *names: str) -> Record:
    """An article whose text names these persons, each as an entity and the speaker of one claim."""
    text = ". ".join(f"{n} said it" for n in names)
    ents, asserts = [], []
    pos = 0
    for n in names:
        s = text.index(n, pos)
        pos = s + len(n)
        ents.append(Entity(entity_id("PERSON", n), n, "PERSON", (), (Span.of(text, s, pos),)))
        c = Span.of(text, pos + 1, pos + 8)
        asserts.append(Assertion(claim_id(aid, c.start, c.end), Speaker(n, "PERSON", Span.of(text, s, pos),
                                                                         entity_id("PERSON", n)), None, c,
                                 "indirect", 0.5))
    return Record(Article(id=aid, text=text), tuple(asserts), tuple(ents))


def test_name_keys_drop_titles_initials_and_possessives():
    assert name_key("Donald J. Trump") == name_key("Donald Trump") == "donald trump"
    assert name_key("Mr. Trump") == name_key("Trump's") == "trump"
    assert name_key("Sen. Tim Kaine") == "tim kaine"
    assert name_key("the Republican nominee") is None
    assert name_key("She") is None


def test_trump_forms_become_one_person_across_articles():
    ident = resolve([_rec("a", "Donald Trump"), _rec("b", "Donald J. Trump"), _rec("c", "Mr. Trump"),
                     _rec("d", "Trump")])
    ids = {ident.for_article(a)[rid] for a, rid in [("a", "person/donald-trump"), ("b", "person/donald-j-trump"),
                                                     ("c", "person/mr-trump"), ("d", "person/trump")]}
    assert ids == {"person/donald-trump"}
    assert ident.names["person/donald-trump"] in ("Donald Trump", "Donald J. Trump")
    assert {"Donald J. Trump", "Mr. Trump", "Trump"} <= set(ident.aliases["person/donald-trump"])
    assert (ident.before, ident.after) == (4, 1)


def test_bare_clinton_does_not_merge_hillary_and_bill():
    ident = resolve([_rec("a", "Hillary Clinton", "Bill Clinton"), _rec("b", "Clinton"),
                     _rec("c", "Hillary Clinton", "Clinton")])
    assert ident.for_article("a")["person/hillary-clinton"] != ident.for_article("a")["person/bill-clinton"]
    # no full name in the article and two in the corpus: stays apart, flagged
    assert ident.for_article("b")["person/clinton"] == "person/clinton"
    assert "person/clinton" in ident.ambiguous
    # a bare "Clinton" that extraction kept apart from the article's own Hillary Clinton
    # is not merged into her, nor guessed to be Bill: it stays apart, flagged
    assert ident.for_article("c")["person/clinton"] == "person/clinton"


def test_a_surname_kept_apart_in_its_article_is_not_merged_into_the_namesake():
    """Mr. Obama beside Michelle Obama (kept apart by extraction) is not credited to her."""
    ident = resolve([_rec("a", "Michelle Obama", "Mr. Obama"), _rec("b", "Barack Obama")])
    assert ident.for_article("a")["person/mr-obama"] != "person/michelle-obama"
    assert ident.for_article("a")["person/mr-obama"] in ident.ambiguous


def test_bare_surname_joins_the_only_full_name_in_the_corpus():
    ident = resolve([_rec("a", "Pat Caddell"), _rec("b", "Caddell")])
    assert ident.for_article("b")["person/caddell"] == "person/pat-caddell"
    assert not ident.ambiguous


def test_known_store_names_count_as_corpus():
    ident = resolve([_rec("b", "Caddell")], known=["Pat Caddell"])
    assert ident.for_article("b")["person/caddell"] == "person/pat-caddell"


def test_seed_rows_carry_offsets_that_index_the_text():
    rec = Record.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    rows = article_rows(rec)
    text = rec.article.text
    assert rows.claims and all(text[c["start"]:c["end"]] == c["text"] for c in rows.claims)
    levent = [a for a in rows.asserts if a["speaker_id"] == "person/hediye-levent"]
    assert len(levent) == 3 and {a["cue"] for a in levent} >= {"told Sputnik", "highlighted"}
    assert all(text[a["cue_start"]:a["cue_end"]] == a["cue"] for a in rows.asserts)
    assert rows.article["day"] == day_number(rec.article.published) == 17150
    labels = {e["id"]: e["label"] for e in rows.entities}
    assert labels["person/hediye-levent"] == "Person" and labels["group/western-media-sources"] == "Group"
    assert labels["place/aleppo"] == "Place"
    assert {(r["person_id"], r["outlet_name"]) for r in rows.spoke_to} == {
        ("person/hediye-levent", "Sputnik Turkey"), ("person/pierre-le-corf", "Sputnik France")}
    assert [(r["org_id"], r["role"]) for r in rows.affiliated] == [("org/we-are-superheroes", "head")]
    # rows are a pure function of the record: same fingerprint twice, a new one when text changes
    assert article_rows(rec).fingerprint == rows.fingerprint


def test_a_dominant_full_name_takes_the_bare_surname_but_a_close_second_blocks_it():
    many = [_rec(f"d{i}", "Donald Trump") for i in range(10)]
    ident = resolve([*many, _rec("i", "Ivanka Trump"), _rec("b", "Trump")])
    assert ident.for_article("b")["person/trump"] == "person/donald-trump"
    ident = resolve([*many[:6], *(_rec(f"i{i}", "Ivanka Trump") for i in range(2)), _rec("b", "Trump")])
    assert ident.for_article("b")["person/trump"] == "person/trump" and "person/trump" in ident.ambiguous
