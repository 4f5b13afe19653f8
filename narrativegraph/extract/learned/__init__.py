"""The learned attribution finder: a CRF tagger over spaCy token features, trained on PolNeAR.

`predict(doc)` tags every token source / cue / content (BIO), links the spans into
attributions (`decode.link`) and returns them as `Candidate`s with origin "model".
The weights ship in ``narrativegraph/extract/model/`` and are loaded once per process;
``tools/train_attribution.py`` rebuilds them from PolNeAR train.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc

from narrativegraph.errors import ModelError
from narrativegraph.extract.candidates import Candidate
from narrativegraph.extract.learned.decode import DecodeParams, Linked, TagSpan, link, tag_spans
from narrativegraph.extract.learned.features import doc_features, rule_tags

__all__ = ["AttributionModel", "load", "predict", "predict_clauses", "available", "to_candidates", "kind_of",
           "MODEL_FILE", "META_FILE"]

logger = logging.getLogger(__name__)

MODEL_FILE = "attribution.crfsuite"
META_FILE = "attribution.json"
_QUOTES = '"\u201c\u201d'


@dataclass(frozen=True)
class AttributionModel:
    """A loaded tagger with the cue lexicon and linking limits it was trained with."""

    tagger: object  # pycrfsuite.Tagger
    cue_lemmas: frozenset[str]
    params: DecodeParams
    meta: dict

    def tag(self, doc: Doc) -> tuple[list[str], list[float]]:
        """BIO tags of ``doc``'s tokens and the marginal probability of each tag."""
        if not len(doc):
            return [], []
        rules = None
        if self.meta.get("stacked"):
            from narrativegraph.extract.attribution import find_candidates

            rules = rule_tags(doc, find_candidates(doc))
        self.tagger.set(doc_features(doc, self.cue_lemmas, rules, self.meta.get("features", 1)))
        tags = self.tagger.tag()
        marg = self.tagger.marginal
        probs = [marg(t, i) if t != "O" else 0.0 for i, t in enumerate(tags)]
        return tags, probs

    def link(self, doc: Doc, tags: list[str], probs: list[float]) -> list[Linked]:
        """Attributions (token spans) from a tagged doc."""
        sent_of = [0] * len(doc)
        for k, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                sent_of[i] = k
        return link(tag_spans(tags, probs), sent_of, self.params, lambda s, e, q: syntax_fallback(doc, s, e, q))


_SUBJ = ("nsubj", "nsubjpass")
_FALLBACK_PROB = 0.3


def syntax_fallback(doc: Doc, start: int, end: int, cue: TagSpan | None) -> tuple[TagSpan | None, TagSpan | None]:
    """Cue and source of content tokens [start, end) read off the parse, for when the
    tagger missed them: the verb governing the content (or the given cue's head word),
    and that verb's subject phrase."""
    if cue is None:
        root = next((t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i), None)
        if root is None:
            return None, None
        verb = root.head
        if start <= verb.i < end or verb.pos_ not in ("VERB", "AUX", "NOUN"):
            return None, None
        cue = TagSpan("CUE", verb.i, verb.i + 1, _FALLBACK_PROB)
    else:
        verb = doc[cue.start:cue.end].root
    subj = next((c for c in verb.children if c.dep_ in _SUBJ and not start <= c.i < end), None)
    if subj is None:
        return cue, None
    return cue, TagSpan("SRC", subj.left_edge.i, subj.i + 1, _FALLBACK_PROB)


def kind_of(text: str) -> str:
    """ "direct" when the content is all quoted, "mixed" when partly, else "indirect".

    >>> kind_of('“We will win,”'), kind_of('that “we will win”, soon enough'), kind_of('that he won')
    ('direct', 'mixed', 'indirect')
    """
    if not any(q in text for q in _QUOTES):
        return "indirect"
    inside = outside = 0
    state = False
    for ch in text:
        if ch in _QUOTES:
            state = ch == "\u201c" or (ch == '"' and not state)
        elif ch.isalnum():
            inside += state
            outside += not state
    return "direct" if outside <= 0.1 * (inside + outside) else "mixed"


def to_candidates(doc: Doc, linked: list[Linked]) -> list[Candidate]:
    """Candidates with character offsets, and a raw score (content x cue x source marginals)."""
    def chars(s: int, e: int) -> tuple[int, int]:
        return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)

    text = doc.text  # built anew on every access
    out = []
    for a in linked:
        cs, ce = chars(*a.content)
        score = a.content_prob * (a.cue.prob if a.cue else 0.3) * (a.source.prob if a.source else 0.3)
        out.append(Candidate(
            content=(cs, ce),
            cue=chars(a.cue.start, a.cue.end) if a.cue else None,
            source=chars(a.source.start, a.source.end) if a.source else None,
            kind=kind_of(text[cs:ce]),
            score=round(score, 4),
            origin="model",
        ))
    return out


def available() -> bool:
    """Whether the trained weights ship with this installation (looked up once per process)."""
    return _available(str(_model_dir()))


@lru_cache(maxsize=4)
def _available(d: str) -> bool:
    return (Path(d) / MODEL_FILE).is_file() and (Path(d) / META_FILE).is_file()


def predict(doc: Doc, *, model: AttributionModel | None = None) -> list[Candidate]:
    """Attributions the learned model finds in a parsed ``doc``, in text order.

    Needs the doc's tagger, parser and lemmatizer (en_core_web_sm); offsets are
    character offsets into ``doc.text``.
    """
    m = model or load()
    tags, probs = m.tag(doc)
    return to_candidates(doc, m.link(doc, tags, probs))


def predict_clauses(doc: Doc, *, min_score: float = 0.1) -> list[Candidate]:
    """Candidates of the shipped clause classifier (`learned.clauses`) scoring at least
    ``min_score``, overlapping one another; none when no clause model ships."""
    from narrativegraph.extract.learned.clauses import load_clauses

    model = load_clauses(_model_dir())
    return model.predict(doc, min_score=min_score) if model is not None else []


@lru_cache(maxsize=1)
def _model_dir() -> Path:
    return Path(str(resources.files("narrativegraph.extract").joinpath("model")))


def load(path: str | Path | None = None) -> AttributionModel:
    """The attribution model in ``path`` (default: the one shipped in the package), cached.

    Raises ModelError naming the directory when the weights are missing.
    """
    return _load(str(path) if path else str(_model_dir()))


@lru_cache(maxsize=4)
def _load(path: str) -> AttributionModel:
    import pycrfsuite

    d = Path(path)
    if not (d / MODEL_FILE).is_file() or not (d / META_FILE).is_file():
        raise ModelError(f"{d}: no attribution model ({MODEL_FILE}, {META_FILE}); rebuild it with "
                         f"`python tools/train_attribution.py --polnear PATH --out {d}`")
    meta = json.loads((d / META_FILE).read_text(encoding="utf-8"))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(d / MODEL_FILE))
    logger.info("loaded attribution model from %s (%s)", d, meta.get("trained", "?"))
    return AttributionModel(tagger, frozenset(meta["cue_lemmas"]),
                            DecodeParams(**meta.get("decode", {})), meta)
