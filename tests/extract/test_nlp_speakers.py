"""Speaker resolution on real articles: pronouns, tagger mislabels, shared surnames, id scope."""
from __future__ import annotations

from pathlib import Path

import pytest

from narrativegraph.extract.annotate import annotate
from narrativegraph.extract.boilerplate import boilerplate_spans, mask
from narrativegraph.extract.nlp import load_model
from narrativegraph.records import Article, entity_id

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TRUMP_ORG = "usa-today_2016-09-23_trump-questions-the-fairness-of-"  # "Trump" tagged ORG 6 times
CRUZ = "wash-post_2016-09-26_ah-friends-once-more-ted-cruz-en"  # Ted, Heidi and Rafael Cruz
VISA = "nyt_2016-09-12_visa-program-up-for-renewal-amid"  # "they" after "Proponents", "Critics"
VOTERS = "nyt_2016-09-19_obama-sees-personal-insult-if-bl"  # "many Democrats", "his advisers"


@pytest.fixture(scope="module")
def examples() -> dict:
    ids = [TRUMP_ORG, CRUZ, VISA, VOTERS]
    texts = [(EXAMPLES / f"{i}.txt").read_text(encoding="utf-8") for i in ids]
    masked = [mask(t, boilerplate_spans(t)) for t in texts]  # as the pipeline parses them
    out = {}
    for i, text, doc in zip(ids, texts, load_model().pipe(masked)):
        out[i] = annotate(doc, Article(id=i, text=text), use_model=False)
    return out


def _scoped(eid: str, article_id: str) -> bool:
    return eid.split("/", 1)[1].startswith(entity_id("UNKNOWN", article_id).split("/", 1)[1] + "-")


def test_surname_tagged_org_joins_the_person(examples):
    assertions, entities, _ = examples[TRUMP_ORG]
    ids = {e.id for e in entities}
    assert "org/trump" not in ids and "person/donald-trump" in ids
    trump = [a.speaker for a in assertions if a.speaker.mention and a.speaker.mention.text == "Trump"]
    assert len(trump) >= 8
    assert {s.entity_id for s in trump} == {"person/donald-trump"}
    assert {s.name for s in trump} == {"Donald Trump"}


def test_bare_surname_goes_to_the_one_not_called_by_first_name(examples):
    assertions, entities, _ = examples[CRUZ]
    by_id = {e.id: e for e in entities}
    assert "person/cruz" not in by_id
    assert {"person/ted-cruz", "person/heidi-cruz", "person/rafael-cruz"} <= set(by_id)
    assert len(by_id["person/ted-cruz"].mentions) > 20  # "Sen. Ted Cruz", "Cruz", "he", "the senator"
    cruz = [a.speaker for a in assertions if a.speaker.mention and a.speaker.mention.text in ("Cruz", "Sen. Ted Cruz")]
    assert len(cruz) >= 8 and {s.name for s in cruz} == {"Ted Cruz"}


def test_gendered_title_keeps_a_surname_from_the_wrong_person(examples):
    # "Mr. Obama" (15 times) and, once, "the first lady, Michelle Obama"
    assertions, entities, _ = examples[VOTERS]
    by_id = {e.id: e for e in entities}
    assert len(by_id["person/michelle-obama"].mentions) == 1
    assert len(by_id["person/obama"].mentions) >= 15
    mr = [a.speaker for a in assertions if a.speaker.mention and a.speaker.mention.text == "Mr. Obama"]
    assert mr and {s.entity_id for s in mr} == {"person/obama"}


def test_two_persons_sharing_a_surname_are_not_guessed():
    text = ("Hillary Clinton said the plan would create jobs. Bill Clinton said the economy "
            "had grown. Clinton said the deal was fair.")
    assertions, _, _ = annotate(load_model()(text), Article(id="t", text=text), use_model=False)
    last = next(a.speaker for a in assertions if a.speaker.mention and a.speaker.mention.text == "Clinton")
    assert last.entity_id not in ("person/hillary-clinton", "person/bill-clinton")


def test_they_resolves_to_its_antecedent_or_stays_in_its_article(examples):
    for aid in (VISA, VOTERS, CRUZ, TRUMP_ORG):
        for a in examples[aid][0]:
            sp = a.speaker
            assert sp.entity_id is not None
            if sp.mention is not None and sp.mention.text.lower() in ("they", "we", "it", "he", "she", "who"):
                assert sp.name.lower() not in ("they", "we", "it", "who") or _scoped(sp.entity_id, aid), sp
                assert sp.entity_id not in ("group/they", "group/we", "unknown/they", "unknown/who")
    they = {a.speaker.name: a.speaker.entity_id for a in examples[VISA][0]
            if a.speaker.mention and a.speaker.mention.text == "they"}
    assert they.get("Proponents") is not None and _scoped(they["Proponents"], VISA)


def test_common_noun_groups_are_article_scoped_named_groups_corpus_wide(examples):
    speakers = {a.speaker.mention.text: a.speaker for a in examples[VOTERS][0] if a.speaker.mention}
    assert speakers["many Democrats"].entity_id == "group/democrats"
    for common in ("his advisers", "advisers", "campaign aides", "the campaign"):
        assert _scoped(speakers[common].entity_id, VOTERS), speakers[common]
    visa = {a.speaker.mention.text: a.speaker for a in examples[VISA][0] if a.speaker.mention}
    assert _scoped(visa["Officials"].entity_id, VISA) and visa["Officials"].type == "GROUP"


def test_seed_groups_keep_named_ids():
    text = ("The State Department said the talks would resume on Monday. "
            "Western media reported that the city had fallen. "
            "A spokesman said the meeting was cancelled.")
    assertions, _, _ = annotate(load_model()(text), Article(id="t1", text=text), use_model=False)
    by = {a.speaker.mention.text: a.speaker for a in assertions if a.speaker.mention}
    assert by["The State Department"].entity_id == "org/state-department"
    assert by["Western media"].entity_id == "group/western-media"
    assert _scoped(by["A spokesman"].entity_id, "t1")


# --------------------------------------------------------------- PolNeAR train passages
def _resolver(polnear_dir: Path, stem: str):
    from narrativegraph.extract.entities import EntityIndex
    from narrativegraph.extract.speakers import SpeakerResolver

    text = (polnear_dir / "train" / "text" / f"{stem}.txt").read_text(encoding="utf-8")
    doc = load_model()(text)
    return text, SpeakerResolver(doc, text, EntityIndex(doc, text), stem)


def _at(text: str, phrase: str, word: str) -> tuple[int, int]:
    s = text.index(phrase) + phrase.index(word)
    return s, s + len(word)


def test_first_person_inside_a_quote_is_its_speaker(polnear_dir):
    text, r = _resolver(polnear_dir, "nyt_2016-06-09_ryan-calls-trump-line-racist-but")
    # "Mr. Trump, who said last week ..., issued a statement Tuesday saying, ''I do not feel ..."
    sp = r.resolve(_at(text, "''I do not feel that one's heritage", "I"))
    assert sp.type == "PERSON" and "Trump" in sp.name
    text, r = _resolver(polnear_dir, "politico_2016-05-22_mark-cuban-i-d-consider-a-future")
    sp = r.resolve(_at(text, "Mark Cuban: I'd consider", "I"))  # the headline's colon
    assert sp.entity_id == "person/mark-cuban"


def test_description_in_apposition_is_the_named_person(polnear_dir):
    text, r = _resolver(polnear_dir, "wash-post_2016-07-22_republican-assails-elites-as-he-")
    sp = r.resolve(_at(text, "Clinton's campaign chairman, John Podesta", "Clinton's campaign chairman"))
    assert sp.entity_id == "person/john-podesta"
    text, r = _resolver(polnear_dir, "wash-post_2016-09-03_hacker-who-exposed-clinton-s-use")
    sp = r.resolve(_at(text, "his wife, Gabriela", "his wife"))
    assert sp.name == "Gabriela Violeta Lazar"


def test_speaker_without_mention_stays_in_its_article(polnear_dir):
    stem = "wash-post_2016-07-22_republican-assails-elites-as-he-"
    _, r = _resolver(polnear_dir, stem)
    sp = r.resolve(None)
    assert sp.type == "UNKNOWN" and _scoped(sp.entity_id, stem)


OUTLETS_AS_SOURCES = (
    "Former President Bill Clinton will travel to North Florida on Friday. According to Politico, both of "
    "these areas are highly populated with black voters.\n\n"
    "The United Nations envoy Staffan de Mistura told the BBC that about 100,000 civilians remained trapped.\n\n"
    "Bloomberg reports that the deal is off. Trump told Fox that he would win.\n"
)
A_PERSON_BLOOMBERG = "Michael Bloomberg said that he would not run. Bloomberg added that the race was over.\n"


@pytest.fixture(scope="module")
def outlets_as_sources():
    doc = load_model()(OUTLETS_AS_SOURCES)
    return annotate(doc, Article(id="outlets", text=OUTLETS_AS_SOURCES))


def test_known_outlets_are_organisations_never_persons_or_places(outlets_as_sources):
    assertions, entities, triples = outlets_as_sources
    by_content = {a.content.text: a.speaker for a in assertions}
    politico = by_content["both of these areas are highly populated with black voters."]
    assert (politico.name, politico.type) == ("Politico", "ORG")
    assert (by_content["that the deal is off"].name, by_content["that the deal is off"].type) == ("Bloomberg", "ORG")
    types = {e.id: e.type for e in entities}
    assert types["org/politico"] == types["org/fox-news"] == types["org/bloomberg"] == "ORG"
    assert not {"person/politico", "person/fox", "place/bloomberg"} & set(types)
    spoke = {(t.subject, t.object) for t in triples if t.predicate == "SPOKE_TO"}
    assert ("person/donald-trump", "outlet/fox-news") in spoke or ("person/trump", "outlet/fox-news") in spoke


def test_an_outlet_name_that_is_the_surname_of_a_person_named_in_full_is_the_person():
    assertions, entities, _ = annotate(load_model()(A_PERSON_BLOOMBERG), Article(id="mb", text=A_PERSON_BLOOMBERG))
    assert {a.speaker.name for a in assertions} == {"Michael Bloomberg"}
    assert "org/bloomberg" not in {e.id for e in entities}


def test_according_to_attributes_its_own_sentence_only(outlets_as_sources):
    assertions, _, _ = outlets_as_sources
    assert not any("North Florida" in a.content.text for a in assertions)


def test_a_description_before_a_name_resolves_to_the_name(outlets_as_sources):
    assertions, _, triples = outlets_as_sources
    envoy = next(a.speaker for a in assertions if a.content.text.startswith("that about 100,000"))
    assert (envoy.name, envoy.type, envoy.mention.text) == (
        "Staffan de Mistura", "PERSON", "The United Nations envoy Staffan de Mistura")
    assert ("person/staffan-de-mistura", "SPOKE_TO", "outlet/bbc") in {
        (t.subject, t.predicate, t.object) for t in triples}


def test_a_middle_initial_is_the_same_person_and_the_bare_surname_joins_it():
    text = ("Donald Trump spoke on Monday. Later, Donald J. Trump said that he would win. "
            "Trump added that the polls were wrong.")
    assertions, entities, _ = annotate(load_model()(text), Article(id="dt", text=text))
    persons = [e for e in entities if e.type == "PERSON"]
    assert [(p.id, set(p.aliases)) for p in persons] == [("person/donald-trump", {"Donald J. Trump", "Trump"})]
    assert {a.speaker.entity_id for a in assertions} == {"person/donald-trump"}


def test_a_noun_phrase_content_is_a_phrase_a_clause_is_a_clause():
    text = "Republicans hysterically denounced the Republican nominee Donald Trump. Aides said that he would win."
    assertions, _, _ = annotate(load_model()(text), Article(id="forms", text=text))
    forms = {a.content.text: a.form for a in assertions}
    assert forms.get("that he would win") == "clause"
    assert forms.get("the Republican nominee Donald Trump") == "phrase"
