"""Token features for the attribution tagger, computed from one spaCy parse.

The tagger sees each token through these strings only, so training (over PolNeAR
train) and prediction (over any article) must share this one function.
"""
from __future__ import annotations

import bisect
from typing import Collection

from spacy.tokens import Doc

from narrativegraph.extract.learned.arrays import doc_arrays

__all__ = ["doc_features", "quote_state", "rule_tags"]

_OPEN = {"\u201c", "\u2018\u2018", "``"}
_CLOSE = {"\u201d", "''"}
_STRAIGHT = {'"'}


def quote_state(doc: Doc) -> list[str]:
    """Per token: "o" opening quote mark, "c" closing mark, "i" inside quotes, "" outside.

    Curly marks open and close; straight marks toggle; a paragraph break resets.
    """
    return _quote_state([t.text for t in doc], [t.whitespace_ for t in doc])


def _quote_state(words: list[str], spaces: list[str]) -> list[str]:
    out = []
    inside = False
    for t, ws in zip(words, spaces):
        if "\n" in t or (t.isspace() and "\n" in ws + t):
            inside = False
            out.append("")
            continue
        if t in _OPEN or (t in _STRAIGHT and not inside):
            inside = True
            out.append("o")
        elif t in _CLOSE or (t in _STRAIGHT and inside):
            inside = False
            out.append("c")
        else:
            out.append("i" if inside else "")
        if "\n" in ws:
            inside = False
    return out


def _shape(t: str) -> str:
    if t[:1].isupper():
        return "X" if len(t) > 1 and t.isupper() else "Xx"
    if t[:1].isdigit():
        return "d"
    if t[:1].isalpha():
        return "x"
    return t[:1] if not t[:1].isspace() else "_"


def _bucket(d: int) -> str:
    a = abs(d)
    b = str(a) if a <= 3 else ("4-6" if a <= 6 else ("7-12" if a <= 12 else "13+"))
    return ("-" if d < 0 else "+") + b


_CHILD_DEPS = frozenset({"ccomp", "xcomp", "nsubj", "nsubjpass", "dobj", "mark", "advcl", "agent", "prep", "pobj"})


def rule_tags(doc: Doc, candidates) -> list[str]:
    """Per token: the role the rule finder gave it ("CNT-direct", "CUE", "SRC") or ""."""
    out = [""] * len(doc)
    starts = [t.idx for t in doc]
    for c in candidates:
        for label, span in (("CNT-" + c.kind, c.content), ("CUE", c.cue), ("SRC", c.source)):
            if span is None:
                continue
            k = bisect.bisect_left(starts, span[0])
            while k < len(doc) and starts[k] < span[1]:
                out[k] = label if out[k] == "" else out[k]
                k += 1
    return out


_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "pcomp", "csubj", "ROOT"})


def _clause_features(doc: Doc) -> list[list[str]]:
    """Per token: which clause it sits in, read off the parse (version 2 features).

    The clause head is the nearest ancestor-or-self with a clausal relation; the token
    sees that relation with the lemma governing the clause ("ccomp|say", also for verbs
    outside the cue lexicon), the clause's subordinator ("that", "whether") and whether
    its paragraph holds a quotation mark.
    """
    n = len(doc)
    dep = [t.dep_ for t in doc]
    head = [t.head.i for t in doc]
    lem = [t.lemma_.lower() for t in doc]
    mark = [""] * n
    subj = [False] * n
    for t in doc:
        if t.dep_ == "mark" and not mark[head[t.i]]:
            mark[head[t.i]] = t.lower_
        elif t.dep_ in ("nsubj", "nsubjpass"):
            subj[head[t.i]] = True
    para_q: list[str] = []
    start, has_q = 0, False
    marks = {'"', "\u201c", "\u201d", "''", "``"}
    for i, tok in enumerate(doc):  # paragraph-level quote flag, filled per paragraph
        has_q = has_q or tok.text in marks
        if "\n" in tok.text or "\n" in tok.whitespace_ or i == n - 1:
            para_q += ["pq=1" if has_q else "pq=0"] * (i + 1 - start)
            start, has_q = i + 1, False
    out = []
    for i in range(n):
        h, d = i, 0
        while dep[h] not in _CLAUSE_DEPS and head[h] != h and d < 12:
            h, d = head[h], d + 1
        gov = lem[head[h]] if dep[h] != "ROOT" else "-"
        out.append(["cl=" + dep[h], "clg=" + dep[h] + "|" + gov, "clm=" + dep[h] + "|" + mark[h],
                    "cls=" + ("1" if subj[h] else "0") + ("h" if h == i else ""), para_q[i]])
    return out


def doc_features(doc: Doc, cue_lemmas: Collection[str], rules: list[str] | None = None,
                 version: int = 1) -> list[list[str]]:
    """One list of feature strings per token of ``doc``.

    ``cue_lemmas`` is the cue lexicon learned from the training data; a token's
    relation to the nearest cue-lexicon ancestor ("under the ccomp of *say*") is
    what separates content from source from everything else. ``rules`` (from
    `rule_tags`) lets the tagger learn when to trust the rule finder. ``version`` 2 adds
    the clause features of `_clause_features` (the model's meta says which it was trained with).
    """
    arr = doc_arrays(doc, cue_lemmas if isinstance(cue_lemmas, frozenset) else frozenset(cue_lemmas))
    n = arr.n
    low, lem, pos, tag, dep, heads, ent = arr.low, arr.lem, arr.pos, arr.tag, arr.dep, arr.head, arr.ent
    words, spaces, kids = arr.words, arr.spaces, arr.kids
    quotes = _quote_state(words, spaces)
    iscue = [lm in cue_lemmas for lm in lem]

    # nearest cue-lexicon ancestor (or self) and the relation under it, by walking heads
    anc_lem = [""] * n
    anc_rel = [""] * n
    anc_dist = [0] * n
    for i in range(n):
        j, child, d = i, i, 0
        while d < 8:
            if iscue[j] and pos[j] in ("VERB", "NOUN", "AUX"):
                anc_lem[i] = lem[j]
                anc_rel[i] = dep[child] if child != j else "self"
                anc_dist[i] = d
                break
            h = heads[j]
            if h == j:
                break
            child, j, d = j, h, d + 1

    sent_start = [False] * n
    sent_end = [False] * n
    cue_side = [""] * n  # is the token before or after the sentence's first cue verb
    sent_q = [""] * n
    cue_dist = [""] * n  # signed distance to the nearest cue verb of the sentence, bucketed
    for s, e in zip(arr.sent_starts, arr.sent_starts[1:] + [n]):
        sent_start[s] = True
        sent_end[e - 1] = True
        has_q = "q" if any(quotes[k] for k in range(s, e)) else ""
        cue_pos = [k for k in range(s, e) if iscue[k] and pos[k] == "VERB"]
        first_cue = cue_pos[0] if cue_pos else None
        for k in range(s, e):
            sent_q[k] = has_q
            if cue_pos:
                j = bisect.bisect_right(cue_pos, k)  # the nearest cue verb; on a tie the earlier one
                dist = k - cue_pos[j - 1] if j else k - cue_pos[0]
                if j < len(cue_pos) and cue_pos[j] - k < abs(dist):
                    dist = k - cue_pos[j]
                cue_dist[k] = _bucket(dist)
            if first_cue is not None:
                cue_side[k] = "b" if k < first_cue else ("c" if k == first_cue else "a")

    clause = _clause_features(doc) if version >= 2 else None
    feats = []
    for i in range(n):
        h = heads[i]
        f = [
            "w=" + low[i], "l=" + lem[i], "p=" + pos[i], "t=" + tag[i], "d=" + dep[i],
            "hl=" + lem[h], "hp=" + pos[h], "dh=" + dep[i] + "|" + lem[h],
            "s=" + _shape(words[i]), "q=" + quotes[i], "sq=" + sent_q[i],
            "cs=" + cue_side[i], "ar=" + anc_rel[i], "al=" + anc_lem[i],
            "ad=" + str(min(anc_dist[i], 4)) + anc_rel[i][:4],
            "ic=" + ("1" if iscue[i] else "0"), "hc=" + ("1" if iscue[h] else "0"),
            "hd=" + dep[h], "hhl=" + lem[heads[h]], "alr=" + anc_lem[i] + "|" + anc_rel[i],
            "qa=" + quotes[i] + "|" + anc_rel[i], "dc=" + cue_dist[i],
        ]
        f += ["cd=" + x for x in sorted({dep[c] for c in kids[i]} & _CHILD_DEPS)]  # sorted: byte-stable weights
        if i > 0 and "\n" in words[i - 1] + spaces[i - 1]:
            f.append("P0")
        if rules is not None:
            r = rules[i]
            f += ["r=" + r, "rq=" + r + "|" + quotes[i]]
            if i > 0:
                f.append("r-1=" + rules[i - 1] + "|" + r)
            if i < n - 1:
                f.append("r+1=" + r + "|" + rules[i + 1])
        if clause is not None:
            f += clause[i]
        if ent[i]:
            f.append("e=" + ent[i])
        if sent_start[i]:
            f.append("S0")
        if sent_end[i]:
            f.append("S1")
        if i > 0:
            f += ["w-1=" + low[i - 1], "p-1=" + pos[i - 1], "q-1=" + quotes[i - 1],
                  "pp=" + pos[i - 1] + pos[i]]
            if i > 1:
                f += ["p-2=" + pos[i - 2], "w-2=" + low[i - 2]]
        else:
            f.append("BOS")
        if i < n - 1:
            f += ["w+1=" + low[i + 1], "p+1=" + pos[i + 1], "q+1=" + quotes[i + 1]]
            if i < n - 2:
                f += ["p+2=" + pos[i + 2], "w+2=" + low[i + 2]]
        else:
            f.append("EOS")
        feats.append(f)
    return feats
