"""Credits between outlets ("h/t", "first reported by", "told CNN") found in real PolNeAR text."""
from __future__ import annotations

from narrativegraph.extract.credits import OutletNames, credit_triples, default_outlet_names, find_credits
from narrativegraph.records import Article


def _row(rows, name):
    return next(r for r in rows if r["filename"] == name)


def test_first_reported_by_and_own_outlet(polnear_rows):
    r = _row(polnear_rows, "politico_2016-04-17_rnc-rules-clash-erupts")
    credits = find_credits(r["text"], own_outlet="Politico")
    ap = [c for c in credits if c.outlet == "AP"]  # the agency's name, as on wire stories
    assert ap and ap[0].evidence.text == "first reported by The Associated Press"
    for c in credits:
        assert r["text"][c.evidence.start:c.evidence.end] == c.evidence.text
    # a Washington Post article crediting The Washington Post is not a credit
    wp = _row(polnear_rows, "wash-post_2016-01-13_democratic-tensions-escalate-ove")
    assert "first reported by The Washington Post" in wp["text"]
    assert all(c.outlet != "The Washington Post" for c in find_credits(wp["text"], own_outlet="The Washington Post"))
    assert any(c.outlet == "The Washington Post" for c in find_credits(wp["text"], own_outlet="Breitbart"))


def test_hat_tips_known_and_unknown(polnear_rows):
    r = _row(polnear_rows, "breitbart_2015-12-11_trump-cruz-has-to-come-a-long-wa")
    assert [(c.outlet, c.evidence.text, c.cue) for c in find_credits(r["text"], own_outlet="Breitbart")
            if c.cue.startswith("h/t")] == [("Mediaite", "h/t Mediaite", "h/t")]
    r = _row(polnear_rows, "breitbart_2016-01-18_trump-i-m-the-worst-thing-that-e")
    assert ("RealClearPolitics", "h/t RCP") in [(c.outlet, c.evidence.text) for c in find_credits(r["text"])]
    text = "He said so on Tuesday.\n\nh/t: Young Conservatives.\n"
    assert [(c.outlet, c.evidence.text) for c in find_credits(text)] == [("Young Conservatives", "h/t: Young Conservatives")]


def test_people_and_plain_words_are_not_outlets(polnear_rows):
    r = _row(polnear_rows, "politico_2016-07-29_sex-lies-and-the-grayson-family-")
    assert "first reported by Christopher Heath" in r["text"]
    assert all("Heath" not in c.evidence.text for c in find_credits(r["text"]))
    assert find_credits("“We will win,” he told reporters, according to Trump’s aides.") == ()


def test_told_sputnik_and_a_report_in(seed_path):
    names = default_outlet_names()
    text = ("“There is no such thing,” Hediye Levent told Sputnik. According to a report in The Hill, "
            "the talks failed; an Associated Press count shows 12.")
    got = [(c.outlet, c.evidence.text) for c in find_credits(text, outlets=names)]
    assert got == [("Sputnik", "told Sputnik"), ("The Hill", "According to a report in The Hill"),
                   ("AP", "an Associated Press count")]
    assert find_credits(text, own_outlet="Sputnik International")[0].outlet == "The Hill"


def test_user_outlet_names_extend_the_list():
    names = default_outlet_names().extend({"Al Masdar News": ("AMN",)})
    assert [c.outlet for c in find_credits("The general told AMN on Monday.", outlets=names)] == ["Al Masdar News"]
    assert find_credits("The general told AMN on Monday.") == ()
    assert OutletNames({"The Hill": ()}).canonical("THE HILL") == "The Hill"


def test_credit_triples_one_per_outlet(polnear_rows):
    r = _row(polnear_rows, "breitbart_2016-03-15_the-latest-kasich-scores-all-del")
    art = Article(id=r["filename"], text=r["text"], outlet="Breitbart")
    triples = credit_triples(art)
    objects = [t.object for t in triples]
    assert len(objects) == len(set(objects)) and "outlet/politico" in objects
    for t in triples:
        assert t.subject == f"article/{r['filename']}" and t.predicate == "CREDITS"
        assert r["text"][t.evidence.start:t.evidence.end] == t.evidence.text
        assert dict(t.properties)["count"] >= 1
