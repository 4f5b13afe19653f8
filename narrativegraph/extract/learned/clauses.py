"""The clause classifier: which (word, phrase) pairs of a parse are a cue and its content.

Most PolNeAR contents are a phrase of the parse hanging off their cue: the clausal
complement of "said", the object of "denounced", the infinitive of "refused", the object of
the preposition in "talked about" (on PolNeAR train, 95% of indirect contents match the
subtree of one token at the scorer's token Jaccard >= 0.5, and 76% of them hang right
below the cue). So every such pair in a parse is a candidate, and a logistic model over
their features (the cue's lemma and how often that lemma is a cue, the relation, the
subject, the first word of the phrase, quotation marks, ...) says which are attributions.
It finds the attitude and stance cues that no lexicon lists ("voiced concerns over",
"hysterically denounced"), which the rules miss and the tagger only partly sees.

The weights are a plain ``{feature: weight}`` table shipped in ``model/clauses.json``;
``tools/train_attribution.py`` fits them on PolNeAR train. Features are read off plain
per-token lists built once per doc (``Doc.to_array``): spaCy Token objects are slow to make.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Mapping

from spacy.tokens import Doc

from narrativegraph.extract.attribution import source_np
from narrativegraph.extract.candidates import Candidate
from narrativegraph.extract.learned.arrays import DocArrays, doc_arrays

__all__ = ["ClausePair", "ClauseModel", "DocArrays", "pairs", "pair_features", "speaker_of", "load_clauses",
           "CLAUSE_FILE"]

CLAUSE_FILE = "clauses.json"
_CHILD = frozenset({"ccomp", "xcomp", "dobj", "acl", "advcl", "oprd", "attr", "csubj", "dative", "nsubjpass", "relcl"})
_CUE_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})
_PAREN = frozenset({"parataxis", "ccomp", "advcl"})
_CLIMB = frozenset({"xcomp", "advcl", "pcomp", "conj", "dobj", "attr", "pobj", "prep", "acomp", "oprd", "npadvmod", "amod"})
_NOT_SPEAKERS = frozenset({"it", "there", "which", "that", "this", "what"})
_TRIM = " \t\n,;:"


@dataclass(frozen=True, slots=True)
class ClausePair:
    """A cue word and a phrase of the parse that may be what it attributes (token indices)."""

    cue: int
    cue_end: int  # one past the cue: the cue word, or the cue word to its preposition ("talked about")
    start: int  # the phrase: tokens [start, end)
    end: int
    relation: str  # "ccomp", "dobj", "prep>pobj", "paren-parataxis", ...
    head: int  # the phrase's head word
    subject: int = -1  # the cue verb's own subject, -1 for none
    prep: int = -1  # the preposition of "talked about", -1 for none


def pairs(d: DocArrays) -> Iterator[ClausePair]:
    """Every candidate (cue word, phrase) pair of a doc.

    >>> from narrativegraph.extract.nlp import load_model
    >>> d = DocArrays(load_model()("She said that the plan would fail."), frozenset())
    >>> [(d.low[p.cue], p.relation, d.low[p.start]) for p in pairs(d)]
    [('said', 'ccomp', 'that'), ('fail', 'paren-ccomp', 'she')]
    """
    pos, dep, kids, left, right = d.pos, d.dep, d.kids, d.left, d.right
    for t in range(d.n):
        if pos[t] not in _CUE_POS:
            continue
        subj = next((c for c in kids[t] if dep[c] in ("nsubj", "csubj")), -1) if pos[t] in ("VERB", "AUX") else -1
        for c in kids[t]:
            rel = dep[c]
            if rel in _CHILD and c > t - 30:
                yield ClausePair(t, t + 1, left[c], right[c] + 1, rel, c, subj)
            elif rel in ("prep", "agent") and c > t:
                for g in kids[c]:
                    if dep[g] in ("pobj", "pcomp"):
                        yield ClausePair(t, c + 1, left[g], right[g] + 1, "prep>" + dep[g], g, subj, c)
        h = d.head[t]
        if dep[t] in _PAREN and h != t:  # "..., the journalist added": the rest of the head's clause
            sides = [s for s in ((left[h], left[t]), (right[t] + 1, right[h] + 1)) if s[1] > s[0]]
            if sides:
                a, b = max(sides, key=lambda s: s[1] - s[0])
                yield ClausePair(t, t + 1, a, b, "paren-" + dep[t], h, subj)


def _bucket(n: int) -> str:
    return str(n) if n < 5 else "5-9" if n < 10 else "10-19" if n < 20 else "20+"


def pair_features(p: ClausePair, d: DocArrays, cue_rate: Mapping[str, float]) -> list[str]:
    """The feature strings of one pair; training and prediction share this function."""
    i, rel, c, a, b = p.cue, p.relation, p.head, p.start, p.end
    lem, pos, dep = d.lem[i], d.pos[i], d.dep[i]
    rate = cue_rate.get(lem)
    rb = "none" if rate is None else str(min(int(rate * 10), 9))
    f = ["b", "l=" + lem, "r=" + rel, "lr=" + lem + "|" + rel, "p=" + pos, "tg=" + d.tag[i], "d=" + dep,
         "pr=" + pos + "|" + rel, "cp=" + d.pos[c], "ctg=" + d.tag[c], "rd=" + rel + "|" + dep,
         "crate=" + rb, "cratr=" + rb + "|" + rel]
    if p.prep >= 0:
        prep = d.low[p.prep]
        f += ["pp=" + prep, "lpp=" + lem + "|" + prep]
    if rel == "dobj" or p.prep >= 0 or rel == "nsubjpass":
        cl = d.lem[c]
        f += ["cl=" + cl, "lcl=" + lem + "|" + cl, "cent=" + d.ent[c]]
    n = b - a
    w0 = d.low[a]
    f += ["w0=" + w0, "rw0=" + rel + "|" + w0, "lw0=" + lem + "|" + w0, "n=" + _bucket(n),
          "rn=" + rel + "|" + ("s" if n < 4 else "m" if n < 12 else "l")]
    if d.verbs[b] > d.verbs[a]:
        f.append("hasverb")
    if d.subjs[b] > d.subjs[a]:
        f.append("hassubj")
    if d.cues[b] - d.cues[a] > (1 if a <= i < b and d.cues[i + 1] > d.cues[i] else 0):
        f.append("innercue")
    s = p.subject
    if s < 0:
        f += ["nosubj", "nosubj|" + rel]
    else:
        se, sp = d.ent[s], d.pos[s]
        kind = se or ("PRON-" + d.low[s] if sp == "PRON" else sp + "-" + (d.lem[s] if sp == "NOUN" else ""))
        f += ["st=" + kind, "lst=" + lem + "|" + (se or sp), "sd=" + d.dep[s]]
    q = d.quotes[b] - d.quotes[a]
    qb = "0" if q == 0 else "all" if q >= 0.8 * n else "some"
    f += ["q=" + qb, "rq=" + rel + "|" + qb]
    if d.quoted[i]:
        f.append("cueq")
    if d.sent_quoted[i]:
        f.append("sentq")
    for ch in d.kids[i]:
        if d.dep[ch] == "neg":
            f.append("neg")
        elif d.dep[ch] in ("aux", "auxpass"):
            f.append("aux=" + d.lem[ch])
    h = d.head[i]
    al, ar, ad = d.cue_ancestor(i)
    f += ["hl=" + d.lem[h] + "|" + dep, "hp=" + d.pos[h] + "|" + dep,
          "al=" + al, "ar=" + ar, "alr=" + al + "|" + ar, "ad=" + str(min(ad, 4)),
          "pos=" + ("before" if b <= i else "after" if a > i else "around")]
    return f


def speaker_of(d: DocArrays, cue: int) -> int:
    """The source of a cue word, as a token index (-1 for none): its subject, its owner
    ("Clinton's decision"), the agent of a passive, the noun a participle modifies ("polls
    showing ..."), or else the subject of the clause the cue hangs in ("Rubio, announcing
    his support ...")."""
    v = cue
    for _ in range(5):
        for c in d.kids[v]:
            if d.dep[c] in ("nsubj", "csubj") or (d.dep[c] == "poss" and d.pos[v] in ("NOUN", "PROPN")):
                return c
        for c in d.kids[v]:
            if d.dep[c] == "agent":
                for g in d.kids[c]:
                    if d.dep[g] == "pobj":
                        return g
        h = d.head[v]
        if h == v:
            break
        if d.dep[v] in ("acl", "relcl"):
            return h
        if d.dep[v] not in _CLIMB:
            break
        v = h
    return -1


@dataclass(frozen=True)
class ClauseModel:
    """A logistic model over pair features, with the lexicon statistics it was trained with."""

    weights: Mapping[str, float]
    bias: float
    lexicon: frozenset[str]
    cue_rate: Mapping[str, float]

    def score(self, feats: list[str]) -> float:
        """The probability that a pair with these features is a cue and its content."""
        w = self.weights.get
        z = self.bias
        for x in feats:
            z += w(x, 0.0)
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0

    def scored_pairs(self, doc: Doc) -> tuple[DocArrays, list[tuple[ClausePair, float]]]:
        """Every pair of ``doc`` with its probability."""
        d = doc_arrays(doc, self.lexicon)
        return d, [(p, self.score(pair_features(p, d, self.cue_rate))) for p in pairs(d)]

    def predict(self, doc: Doc, *, min_score: float = 0.1) -> list[Candidate]:
        """Candidates (origin "clause") for the pairs scoring at least ``min_score``;
        contents may overlap (the merge decides)."""
        from narrativegraph.extract.learned import kind_of

        d, scored = self.scored_pairs(doc)
        text = d.text
        out = []
        for p, prob in scored:
            if prob < min_score:
                continue
            s, e = d.chars(p.start, p.end)
            while s < e and text[s] in _TRIM:
                s += 1
            while e > s and text[e - 1] in _TRIM:
                e -= 1
            if e <= s:
                continue
            who = speaker_of(d, p.cue)
            source = source_np(doc[who]) if who >= 0 and d.low[who] not in _NOT_SPEAKERS else None
            out.append(Candidate((s, e), d.chars(p.cue, p.cue_end), source, kind_of(text[s:e]),
                                 round(prob, 4), "clause"))
        return out

    def to_json(self) -> dict:
        return {"bias": self.bias, "lexicon": sorted(self.lexicon),
                "cue_rate": dict(sorted(self.cue_rate.items())), "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_json(cls, data: Mapping) -> "ClauseModel":
        return cls(data["weights"], float(data["bias"]), frozenset(data["lexicon"]), data["cue_rate"])


def load_clauses(directory: str | Path) -> ClauseModel | None:
    """The clause model in ``directory``, or None when none ships there; cached."""
    return _load(str(directory))


@lru_cache(maxsize=4)
def _load(directory: str) -> ClauseModel | None:
    path = Path(directory) / CLAUSE_FILE
    if not path.is_file():
        return None
    return ClauseModel.from_json(json.loads(path.read_text(encoding="utf-8")))
