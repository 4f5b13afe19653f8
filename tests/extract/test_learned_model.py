"""The shipped attribution model loads from the package and finds real attributions."""
from __future__ import annotations

import doctest
import importlib
from importlib import resources
from pathlib import Path

import pytest

from narrativegraph.extract import calibrate, learned
from narrativegraph.extract.candidates import Candidate
from narrativegraph.extract.combine import MergeParams, merge
from narrativegraph.extract.learned.brat import gold_path, read_ann, token_tags
from narrativegraph.extract.nlp import load_model

ARTICLE = "breitbart_2015-11-19_exclusive-excerpt-dinesh-d-souza"


@pytest.fixture(scope="module")
def article(polnear_dir: Path):
    train = polnear_dir / "train"
    text = (train / "text" / f"{ARTICLE}.txt").read_text(encoding="utf-8")
    return text, load_model()(text), read_ann(gold_path(train, ARTICLE))


@pytest.mark.parametrize("name", [
    "narrativegraph.extract.learned", "narrativegraph.extract.learned.decode",
    "narrativegraph.extract.calibrate", "narrativegraph.extract.combine", "narrativegraph.extract.learned.clauses",
])
def test_docstring_examples(name: str):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0


def test_weights_ship_inside_the_package_and_are_small():
    pkg = Path(str(resources.files("narrativegraph.extract").joinpath("model")))
    weights = pkg / learned.MODEL_FILE
    assert learned.available()
    assert weights.is_file() and weights.stat().st_size < 30e6
    model = learned.load()
    assert model is learned.load()  # loaded once per process
    assert "say" in model.cue_lemmas and model.meta["calibration"]["model"]["x"]


def test_missing_weights_name_the_directory(tmp_path: Path):
    from narrativegraph.errors import ModelError

    with pytest.raises(ModelError, match=str(tmp_path)):
        learned.load(tmp_path)


def test_split_quote_is_one_attribution_of_its_speaker(article):
    text, doc, _ = article
    cands = learned.predict(doc)
    assert cands and all(isinstance(c, Candidate) and c.origin == "model" for c in cands)
    for c in cands:
        s, e = c.content
        assert 0 <= s < e <= len(text) and text[s:e].strip()
        for span in (c.cue, c.source):
            assert span is None or 0 <= span[0] < span[1] <= len(text)
    # “Judge,” Brafman said, “I have never had that happen in any case in thirty-seven years. ...”
    start = text.index("I have never had that happen")
    hit = [c for c in cands if c.content[0] <= start < c.content[1]]
    assert len(hit) == 1
    c = hit[0]
    assert text[c.source[0]:c.source[1]] == "Brafman"
    assert text[c.cue[0]:c.cue[1]] == "said"
    assert c.kind in ("direct", "mixed")


def test_model_finds_most_gold_contents_of_a_train_article(article):
    text, doc, gold = article
    cands = learned.predict(doc)
    found = sum(1 for g in gold if any(c.content[0] < g.content[-1][1] and g.content[0][0] < c.content[1]
                                       for c in cands))
    assert found >= 0.6 * len(gold)


def test_brat_tags_cover_every_gold_role(article):
    _, doc, gold = article
    tags = token_tags(doc, gold)
    assert len(tags) == len(doc)
    for role in ("SRC", "CUE", "CNT"):
        assert sum(t == "B-" + role for t in tags) >= len(gold) // 2
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in tags)


def test_confidence_is_calibrated_and_monotone():
    scores = [0.05, 0.3, 0.6, 0.9, 0.99]
    conf = [calibrate.confidence(Candidate((0, 5), None, None, "indirect", s, "model")) for s in scores]
    assert all(0.0 <= c <= 1.0 for c in conf)
    assert conf == sorted(conf) and conf[-1] > conf[0]


def test_merge_keeps_rules_and_adds_model_without_overlaps(article):
    from narrativegraph.extract.attribution import find_candidates

    _, doc, _ = article
    rules, model = find_candidates(doc), learned.predict(doc)
    out = merge(rules, model, params=MergeParams(min_model_score=0.0))
    assert merge(rules) == sorted(rules, key=lambda c: c.content)
    assert len(out) >= len(rules)
    rule_contents = {r.content for r in rules}
    assert rule_contents <= {c.content for c in out if c.origin in ("rules", "both")}
    added = [c for c in out if c.origin == "model"]
    for a in added:
        assert all(not (a.content[0] < r[1] and r[0] < a.content[1]) for r in rule_contents)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Hello."])
def test_nothing_to_attribute_gives_nothing(text: str):
    assert learned.predict(load_model()(text)) == []


def test_merge_options_extend_partial_quotes_and_drop_unconfirmed_rules():
    text = 'Clinton said that the plan was "a disaster for workers" and would fail. Aides agreed.'
    quote = (text.index('"a'), text.index('workers"') + len('workers"'))
    clause = (text.index("the plan"), text.index(" and would") + len(" and would fail"))
    src, cue = (0, 7), (8, 12)
    rule = Candidate(quote, cue, src, "direct", 0.9, "rules")
    lone = Candidate((text.index("agreed"), len(text) - 1), None, None, "indirect", 0.15, "rules")
    model = Candidate(clause, cue, src, "mixed", 0.7, "model")
    plain = merge([rule, lone], [model], params=MergeParams())
    assert [c.content for c in plain] == [quote, lone.content]
    assert plain[0].origin == "both"
    tuned = merge([rule, lone], [model], params=MergeParams(model_extends_direct=True, min_rule_only_score=0.2))
    assert [(c.content, c.origin, c.kind) for c in tuned] == [(clause, "both", "mixed")]
    assert text[slice(*tuned[0].content)] == 'the plan was "a disaster for workers" and would fail'


def test_clause_features_name_the_governing_verb_and_subordinator():
    from narrativegraph.extract.learned.features import doc_features

    doc = load_model()("The senator said that the plan would fail.\n\nNobody answered.")
    v1, v2 = doc_features(doc, {"say"}), doc_features(doc, {"say"}, version=2)
    plan = [t.text for t in doc].index("plan")
    assert "clg=ccomp|say" in v2[plan] and "clm=ccomp|that" in v2[plan]
    assert not any(f.startswith("cl") for f in v1[plan])
    assert "pq=0" in v2[-1] and set(v1[plan]) < set(v2[plan])
