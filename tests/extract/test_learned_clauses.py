"""The clause classifier ships in the package and finds cues no lexicon lists."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from narrativegraph.extract import learned
from narrativegraph.extract.learned.clauses import (CLAUSE_FILE, ClauseModel, DocArrays, load_clauses, pairs,
                                                    speaker_of)
from narrativegraph.extract.nlp import load_model

MODEL_DIR = Path(str(resources.files("narrativegraph.extract").joinpath("model")))


@pytest.fixture(scope="module")
def model() -> ClauseModel:
    m = load_clauses(MODEL_DIR)
    assert m is not None, f"no {CLAUSE_FILE} in {MODEL_DIR}"
    return m


def _found(text: str, min_score: float = 0.3) -> list[tuple[str, str, str | None]]:
    doc = load_model()(text)
    return [(text[slice(*c.cue)], text[slice(*c.content)], c.source and text[slice(*c.source)])
            for c in learned.predict_clauses(doc, min_score=min_score)]


def test_weights_ship_small_and_load_once(model):
    assert (MODEL_DIR / CLAUSE_FILE).stat().st_size < 5e6
    assert load_clauses(MODEL_DIR) is model
    assert "say" in model.lexicon and model.cue_rate["say"] > 0.5


def test_json_round_trip_scores_the_same(model):
    again = ClauseModel.from_json(model.to_json())
    doc = load_model()("The senator said that the plan would fail.")
    scored = {(p.relation, doc[p.start].text): s for p, s in model.scored_pairs(doc)[1]}
    assert [s for _, s in again.scored_pairs(doc)[1]] == list(scored.values())
    assert scored[("ccomp", "that")] > 0.5


def test_an_attitude_verb_outside_every_lexicon_is_found():
    # "denounce" with a bare pronoun object: no speech pattern of the rules covers it
    assert ("denounced", "him", "Republicans") in _found("Republicans hysterically denounced him last week.")


def test_a_nominal_cue_takes_its_prepositional_object():
    found = _found("Netanyahu has voiced concerns over Trump's views on Israel, aides said.")
    assert ("concerns over", "Trump's views on Israel", "Netanyahu") in found
    assert ("said", "Netanyahu has voiced concerns over Trump's views on Israel", "aides") in found


def test_ordinary_verbs_and_their_objects_score_low():
    assert _found("The committee raised interest rates and the bank opened two branches.", 0.3) == []


@pytest.mark.parametrize("text,cue,speaker", [
    ("Clinton's decision to stay in the race surprised no one.", "decision", "Clinton"),
    ("Polls showing a close race worried the campaign.", "showing", "Polls"),
    ("The plan was criticised by Senator Warren.", "criticised", "Warren"),
    ("Rubio spoke on Sunday, announcing his support for the nominee.", "announcing", "Rubio"),
])
def test_speaker_of_a_cue(text, cue, speaker):
    doc = load_model()(text)
    d = DocArrays(doc, frozenset())
    i = next(t.i for t in doc if t.text == cue)
    who = speaker_of(d, i)
    assert who >= 0 and doc[who].text == speaker


def test_doc_arrays_agree_with_spacy(polnear_dir: Path):
    text = sorted((polnear_dir / "dev" / "text").glob("*.txt"))[0].read_text(encoding="utf-8")
    doc = load_model()(text)
    d = DocArrays(doc, frozenset({"say"}))
    assert d.lem == [t.lemma_.lower() for t in doc] and d.dep == [t.dep_ for t in doc]
    assert d.head == [t.head.i for t in doc]
    assert d.left == [t.left_edge.i for t in doc] and d.right == [t.right_edge.i for t in doc]
    assert all(text[slice(*d.chars(i, i + 1))] == t.text for i, t in enumerate(doc))
    for p in pairs(d):
        assert 0 <= p.start < p.end <= len(doc) and p.cue < p.cue_end
