"""Per-token attributes of one parsed doc as plain Python lists, built once and shared.

spaCy makes a new Token object on every ``doc[i]`` and every iteration, and reads each
string attribute through the StringStore: over a whole article the features of the
tagger and the clause classifier would spend more time there than on the features
themselves. ``Doc.to_array`` gives every attribute in one call.
"""
from __future__ import annotations

import bisect
import itertools

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LEMMA, LENGTH, LOWER, POS, SENT_START, TAG
from spacy.tokens import Doc

from narrativegraph.extract.attribution import doc_text, quote_spans

__all__ = ["DocArrays", "doc_arrays"]

_ATTRS = [LEMMA, LOWER, POS, TAG, DEP, ENT_TYPE, HEAD, IDX, LENGTH, SENT_START]


class DocArrays:
    """Per-token attributes of one doc as plain lists, and prefix counts over them.

    Built once per doc and shared by every pair; the cue lexicon decides which verbs count
    as cues for the nesting and inner-cue features.
    """

    def __init__(self, doc: Doc, lexicon: frozenset[str]):
        self.text = doc_text(doc)
        n = len(doc)
        self.n = n
        arr = doc.to_array(_ATTRS).view(np.int64) if n else np.zeros((0, len(_ATTRS)), dtype=np.int64)
        cols = arr.T.tolist() if n else [[] for _ in _ATTRS]
        name = _names(doc.vocab.strings)
        # each distinct hash looked up once: an article repeats most of its strings
        lems = {h: name(h).lower() for h in set(cols[0])}
        self.lem = [lems[h] for h in cols[0]]
        self.low, self.pos, self.tag, self.dep, self.ent = (
            [table[h] for h in col] for col in (cols[k] for k in (1, 2, 3, 4, 5))
            for table in [{h: name(h) for h in set(col)}])
        self.head = [i + d for i, d in enumerate(cols[6])]
        self.idx = cols[7]
        self.stop = [i + ln for i, ln in zip(cols[7], cols[8])]
        self.kids: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(self.head):
            if h != i:
                self.kids[h].append(i)
        self.left, self.right = _edges(self.head, self.kids)
        quoted = [False] * n
        for qs, qe in quote_spans(self.text):
            k = bisect.bisect_left(self.idx, qs)
            while k < n and self.idx[k] < qe:
                quoted[k] = True
                k += 1
        self.quoted = quoted
        self.verbs = _prefix(p in ("VERB", "AUX") for p in self.pos)
        self.subjs = _prefix(d == "nsubj" for d in self.dep)
        self.cues = _prefix(p == "VERB" and lm in lexicon for p, lm in zip(self.pos, self.lem))
        self.quotes = _prefix(quoted)
        self.sent_quoted = [False] * n
        starts = [i for i, s in enumerate(cols[9]) if s == 1 or i == 0] + [n]
        for a, b in zip(starts, starts[1:]):
            q = self.quotes[b] > self.quotes[a]
            for k in range(a, b):
                self.sent_quoted[k] = q
        self.words = [self.text[a:b] for a, b in zip(self.idx, self.stop)]
        self.spaces = [self.text[b:a] for b, a in zip(self.stop, self.idx[1:] + [len(self.text)])]
        self.sent_starts = starts[:-1]
        self.lexicon = lexicon
        self._anc: dict[int, tuple[str, str, int]] = {}

    def chars(self, a: int, b: int) -> tuple[int, int]:
        """Character offsets of tokens [a, b)."""
        return self.idx[a], self.stop[b - 1]

    def cue_ancestor(self, i: int) -> tuple[str, str, int]:
        """The nearest ancestor of token ``i`` that is a cue-lexicon word, the relation below
        it and the distance: a pair inside another attribution's content is nested, which
        PolNeAR does not annotate."""
        got = self._anc.get(i)
        if got is None:
            got = ("", "", 0)
            child, j, d = i, self.head[i], 1
            while j != child and d < 8:
                if self.pos[j] in ("VERB", "NOUN", "AUX") and self.lem[j] in self.lexicon:
                    got = (self.lem[j], self.dep[child], d)
                    break
                child, j, d = j, self.head[j], d + 1
            self._anc[i] = got
        return got


_NAMES: dict[int, str] = {}


def _names(strings):
    def name(h: int) -> str:
        s = _NAMES.get(h)
        if s is None:
            s = _NAMES[h] = strings[h & 0xFFFFFFFFFFFFFFFF] if h else ""
        return s
    return name


def _edges(head: list[int], kids: list[list[int]]) -> tuple[list[int], list[int]]:
    """Leftmost and rightmost token of every token's subtree."""
    n = len(head)
    left, right = list(range(n)), list(range(n))
    order, stack = [], [i for i in range(n) if head[i] == i]
    while stack:  # parents before children, then fold back up
        i = stack.pop()
        order.append(i)
        stack.extend(kids[i])
    for i in reversed(order):
        h = head[i]
        if h != i:
            if left[i] < left[h]:
                left[h] = left[i]
            if right[i] > right[h]:
                right[h] = right[i]
    return left, right


def _prefix(flags) -> list[int]:
    """Running counts: ``out[b] - out[a]`` flags set in [a, b)."""
    return [0, *itertools.accumulate(map(bool, flags))]


_LAST: list = [None, None, None]  # doc, lexicon, arrays


def doc_arrays(doc: Doc, lexicon: frozenset[str]) -> DocArrays:
    """The `DocArrays` of ``doc``; the last one built is reused (the tagger and the clause
    classifier read the same doc one after the other)."""
    if _LAST[0] is not doc or (_LAST[1] is not lexicon and _LAST[1] != lexicon):
        _LAST[:] = [doc, lexicon, DocArrays(doc, lexicon)]
    return _LAST[2]
