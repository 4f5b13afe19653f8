"""Small pieces of the attribution rules: model loading, quote pairing, doctests."""
from __future__ import annotations

import doctest
import importlib

import pytest

from narrativegraph.errors import ModelError
from narrativegraph.extract.attribution import find_candidates, quote_spans
from narrativegraph.extract.nlp import load_model

MODULES = ["attribution", "entities", "speakers", "lexicon", "nlp", "triples", "annotate"]


def test_load_model_is_cached_and_names_the_fix():
    assert load_model() is load_model()
    with pytest.raises(ModelError, match="not installed"):
        load_model("xx_no_such_model_sm")


def test_multi_paragraph_quote_runs_until_its_close():
    text = ("He said: \u201cFirst part of it.\n\n\u201cSecond part, still him.\u201d\n\n"
            "Then \"a quote\" and ''a Times quote,'' he said.")
    spans = [text[s:e] for s, e in quote_spans(text)]
    assert spans[0] == "\u201cFirst part of it.\n\n\u201cSecond part, still him.\u201d"
    assert spans[1:] == ['"a quote"', "''a Times quote,''"]


def test_unclosed_quote_ends_with_its_paragraph():
    text = "\u201cNever closed here.\n\nPlain prose follows, and \u201cthis one closes.\u201d"
    spans = [text[s:e] for s, e in quote_spans(text)]
    assert spans == ["\u201cNever closed here.", "\u201cthis one closes.\u201d"]


def test_split_quote_is_one_statement_with_its_speaker():
    text = "\u201cWe will win,\u201d Smith said. \u201cNobody can stop us now.\u201d"
    doc = load_model()(text)
    (cand,) = find_candidates(doc)
    assert (cand.content, cand.kind) == ((0, len(text)), "direct")
    assert text[cand.source[0]:cand.source[1]] == "Smith"


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    mod = importlib.import_module(f"narrativegraph.extract.{name}")
    result = doctest.testmod(mod)
    assert result.failed == 0


def test_groups_and_institutions_are_not_persons():
    from narrativegraph.extract.annotate import annotate
    from narrativegraph.records import Article

    text = ("The State Department said the talks would resume on Monday. "
            "Western media reported that the city had fallen. "
            "Mr. Smith, a senator, said he doubted it. Officials who spoke to Sputnik denied that.")
    assertions, entities, _ = annotate(load_model()(text), Article(id="t", text=text), use_model=False)
    by_mention = {a.speaker.mention.text: a.speaker for a in assertions if a.speaker.mention}
    assert by_mention["The State Department"].type == "ORG"
    assert by_mention["Western media"].type == "GROUP"
    assert by_mention["Mr. Smith"].type == "PERSON" and by_mention["Mr. Smith"].name == "Smith"
    assert by_mention["Mr. Smith"].role == "senator"
    assert all(e.type == "ORG" for e in entities if "Sputnik" in e.name)


def test_spoke_to_needs_a_news_outlet():
    from narrativegraph.extract.annotate import annotate
    from narrativegraph.records import Article

    text = "Jane Doe told CBS News that the vote was rigged. John Roe told Congress that he disagreed."
    _, _, triples = annotate(load_model()(text), Article(id="t", text=text), use_model=False)
    spoke = {(t.subject, t.object) for t in triples if t.predicate == "SPOKE_TO"}
    assert spoke == {("person/jane-doe", "outlet/cbs-news")}
