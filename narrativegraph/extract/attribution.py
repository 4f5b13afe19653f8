"""Rule-based attribution finder: quotation marks and the dependency parse, over one Doc.

Three kinds of attribution come out as `Candidate`s (character offsets, no speaker
resolution yet):

* direct: a quotation ("...," Levent highlighted), quotes split by their cue
  ("A," she said, "B.") and quotes running over paragraphs (a paragraph that opens a quote
  and does not close it continues in the next one that opens with a quote mark);
* indirect: the clausal complement of a speech or cognition verb ("stressed that ..."),
  inverted and parenthetical cues ("..., the journalist added"), "according to X",
  the infinitive of intention verbs ("refused to give ..."), the object of verbs whose
  object is the content ("accused Sanders of ..."), and transcript or headline labels
  ("MATTHEWS: Here's the irony ...");
* mixed: an indirect clause that holds a quoted fragment.

Notes
-----
Contents follow PolNeAR: the cue and the source are outside the content, a "that"
complementiser is inside, quotation marks of a direct quote are inside.
"""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from narrativegraph.extract.candidates import Candidate
from narrativegraph.extract.lexicon import (CUE_NOUNS, CUE_VERBS, INTENT_VERBS, OBJECT_VERBS, PREP_VERBS,
                                            SPEECH_VERBS)

__all__ = ["find_candidates", "plausible", "quote_spans", "source_np", "doc_text"]

logger = logging.getLogger(__name__)

_OPEN = "\u201c"
_QUOTE_RE = re.compile(r"[\"\u201c\u201d]|''|``")
_WORD = re.compile(r"\w+")
_PARA_BREAK = re.compile(r"\n\s*")
_SENT_END = re.compile(r"[a-z\d][.?!]\s+[A-Z\u201c\"]")
_CLAUSE = ("ccomp",)
_TRIM = " \t\n,;:—–-"
_ADJECTIVAL = ("amod", "compound", "nmod")  # "alleged atrocities": a cue word used as an adjective
_NOT_SPEAKERS = {"it", "there", "which", "that", "this", "what", "these", "those"}
MIN_QUOTE_WORDS = 4  # shorter quotes are scare quotes unless a cue claims them
FRAGMENT_WORDS = 6  # a quote shorter than this, inside a sentence, is a fragment of a larger clause
MAX_TURN_BREAKS = 2  # a cue-less quote continues the turn of a speaker at most this many paragraphs back


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Quotations in ``text`` as (start, end) offsets that include the quote marks.

    Curly quotes pair by direction, straight ones by alternation. A paragraph that opens a
    quote and never closes it continues into the next paragraph if that one opens with a
    quote mark (the newspaper convention for long quotes); otherwise the quote ends with
    its paragraph.

    >>> quote_spans('He said "yes." Then \u201cno,\u201d she said.')
    [(8, 14), (20, 25)]
    """
    out: list[tuple[int, int]] = []
    start: int | None = None
    para = 0  # start of the latest paragraph the open quote runs into
    for m in _QUOTE_RE.finditer(text):
        s, e, q = m.start(), m.end(), m.group()
        opener = q in (_OPEN, '"', "``", "''")
        if start is not None and text.find("\n", para, s) != -1:
            line_start = text.rfind("\n", 0, s) + 1
            if opener and not text[line_start:s].strip():
                para = s  # the quote continues in this paragraph
                continue
            out.append((start, _para_end(text, para)))
            start = None
        if start is None:
            if opener:
                start, para = s, s
        elif q in (_OPEN, "``"):
            start, para = s, s  # an opening mark while open: the first one never closed
        else:
            out.append((start, e))
            start = None
    if start is not None:
        out.append((start, _para_end(text, para)))
    return [(s, e) for s, e in out if e - s > 2]


def _para_end(text: str, start: int) -> int:
    nl = text.find("\n", start)
    end = len(text) if nl == -1 else nl
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


@dataclass
class _Index:
    """Character-offset lookups over one Doc, built once."""

    doc: Doc
    starts: list[int]
    quotes: list[tuple[int, int]]
    qstarts: list[int]

    @classmethod
    def build(cls, doc: Doc) -> "_Index":
        quotes = quote_spans(_info(doc)[0])
        return cls(doc, [t.idx for t in doc], quotes, [s for s, _ in quotes])

    def token_at(self, char: int) -> Token:
        i = max(0, bisect.bisect_right(self.starts, char) - 1)
        return self.doc[i]

    def quote_of(self, char: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.qstarts, char) - 1
        if i >= 0 and self.quotes[i][0] <= char < self.quotes[i][1]:
            return self.quotes[i]
        return None

    def quoted_chars(self, s: int, e: int) -> int:
        i = max(0, bisect.bisect_right(self.qstarts, s) - 1)
        n = 0
        for qs, qe in self.quotes[i:]:
            if qs >= e:
                break
            n += max(0, min(e, qe) - max(s, qs))
        return n


_LAST: list = [None, "", [], []]  # the last Doc seen, its text, sentence starts, sentences


def _info(doc: Doc) -> tuple[str, list[int], list[SpacySpan]]:
    """The text and sentences of ``doc``, computed once: Doc.text and Token.sent each walk the doc."""
    if _LAST[0] is not doc:
        sents = list(doc.sents)
        _LAST[:] = [doc, doc.text, [s.start for s in sents], sents]
    return _LAST[1], _LAST[2], _LAST[3]


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (each access rebuilds it from the tokens)."""
    return _info(doc)[0]


def _sent(tok: Token) -> SpacySpan:
    _, starts, sents = _info(tok.doc)
    return sents[bisect.bisect_right(starts, tok.i) - 1]


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _subtree_span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.idx, _end(tok.right_edge)


def source_np(tok: Token) -> tuple[int, int]:
    """The speaker mention: the head noun with what precedes it in its phrase.

    "Hediye Levent, the Turkish journalist who ..." gives "Hediye Levent";
    "Russian Foreign Minister Sergei Lavrov" gives all four words.
    """
    left = tok
    for t in tok.lefts:
        if t.dep_ in ("compound", "amod", "det", "poss", "nmod", "nummod", "case", "npadvmod") \
                or (t.dep_ == "punct" and t.text in ".'"):
            left = t.left_edge if t.left_edge.i < left.i else t
            break
    end = tok
    for t in tok.rights:
        # "envoy Staffan de Mistura": the name right after the head, however the parser hangs it
        if t.dep_ in ("compound", "flat", "appos") and t.ent_type_ and t.left_edge.i == end.i + 1 \
                and all(x.ent_type_ == t.ent_type_ for x in tok.doc[t.left_edge.i:t.i + 1]):
            end = t
        else:
            break
    s, e = left.idx, _end(end)
    doc = tok.doc
    # never let a mention cross punctuation or a line break
    text = _info(doc)[0]
    cut = max(text.rfind(",", s, tok.idx), text.rfind("\n", s, tok.idx))
    if cut != -1:
        s = cut + 1
    return _trim(text, s, e)


def _subject(verb: Token) -> Token | None:
    """The grammatical subject of a cue verb, following conjunctions and participles."""
    seen = 0
    v: Token | None = verb
    while v is not None and seen < 4:
        for c in v.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c
        for c in v.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if v.dep_ in ("conj", "advcl", "xcomp", "acl", "relcl") and v.head.i != v.i:
            if v.dep_ == "relcl":
                return v.head
            v = v.head
            seen += 1
            continue
        break
    # "Speaking to Sputnik Turkey, Hediye Levent, the journalist ..., stressed": the parser
    # hangs the name as an apposition of the outlet; take the last proper-noun apposition
    if verb.dep_ == "ROOT":
        appos = [t for t in _sent(verb) if t.i < verb.i and t.dep_ == "appos" and t.pos_ == "PROPN"]
        if appos:
            return appos[-1]
    return None


def _cue_span(verb: Token) -> tuple[int, int]:
    s, e = verb.idx, _end(verb)
    for c in verb.children:
        if c.dep_ == "prt" and c.i == verb.i + 1:
            e = _end(c)
    return s, e


def _clause_rest(head: Token, exclude: Token) -> tuple[int, int] | None:
    """The part of head's subtree on the larger side of exclude's subtree."""
    hs, he = head.left_edge.i, head.right_edge.i + 1
    xs, xe = exclude.left_edge.i, exclude.right_edge.i + 1
    doc = head.doc
    left = (hs, xs) if xs > hs else None
    right = (xe, he) if he > xe else None
    pick = max((p for p in (left, right) if p), key=lambda p: p[1] - p[0], default=None)
    if pick is None or pick[1] <= pick[0]:
        return None
    return doc[pick[0]].idx, _end(doc[pick[1] - 1])


def find_candidates(doc: Doc) -> list[Candidate]:
    """Every attribution the rules find in ``doc``, ordered by content start.

    >>> from narrativegraph.extract.nlp import load_model
    >>> text = "Levent stressed that there is no mass murder."
    >>> [(c.kind, text[c.content[0]:c.content[1]]) for c in find_candidates(load_model()(text))]
    [('indirect', 'that there is no mass murder')]
    """
    text = _info(doc)[0]
    ix = _Index.build(doc)
    direct = _direct(ix)
    indirect = _indirect(ix) + _labelled(ix)
    out = sorted(_resolve_overlaps(ix, direct, indirect), key=lambda c: c.content)
    return _continue_turns(text, out)


def plausible(doc: Doc, cand: Candidate) -> bool:
    """Whether a candidate from any finder can be a statement at all.

    Not: a content of fewer than two words; a scare quote inside running prose
    ("reports of alleged "atrocities""); a cue word used as an adjective ("alleged"); an
    "according to" whose content lies in another sentence (all 398 on PolNeAR train share
    the cue's sentence).
    """
    text = doc_text(doc)
    s, e = cand.content
    inner = text[s:e]
    n = _words(inner)
    if n < 2:
        return False
    stripped = inner.strip(" \"\u201c\u201d'`")
    if n < FRAGMENT_WORDS and len(stripped) < len(inner) and not _QUOTE_RE.search(stripped) \
            and _embedded(text, s, e) and cand.kind == "direct":
        return False
    if cand.cue is not None:
        span = doc.char_span(cand.cue[0], cand.cue[1], alignment_mode="expand")
        if span is not None and len(span) == 1 and span[0].dep_ in _ADJECTIVAL:
            return False
        if span is not None and len(span) and span[0].lower_ == "according":
            sent = _sent(span[0])
            if e <= sent.start_char or s >= sent.end_char:
                return False
    return True


def _continue_turns(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A quote without a cue continues the turn of the speaker just before it.

    The previous attribution must end in the same paragraph or the one before, as in
    a paragraph of indirect speech followed by a paragraph that is one long quote.
    """
    out: list[Candidate] = []
    prev: Candidate | None = None
    for c in cands:
        if c.source is None and c.cue is None and c.kind == "direct" and prev is not None \
                and len(_PARA_BREAK.findall(text, prev.content[1], c.content[0])) <= MAX_TURN_BREAKS \
                and c.content[0] - prev.content[1] < 1500:
            c = Candidate(c.content, None, prev.source, c.kind, 0.5, c.origin)
        out.append(c)
        if c.source is not None:
            prev = c
    return out


# ------------------------------------------------------------------ direct quotes
def _direct(ix: _Index) -> list[Candidate]:
    text = _info(ix.doc)[0]
    groups = _group_split_quotes(ix)
    out: list[Candidate] = []
    for group in groups:
        s, e = group[0][0], group[-1][1]
        nwords = sum(_words(text[a:b]) for a, b in group)
        cue, src, score = _quote_cue(ix, group)
        if nwords < MIN_QUOTE_WORDS and cue is None:
            continue
        if nwords < MIN_QUOTE_WORDS and not _quote_is_clause(ix, s, e):
            continue
        if nwords < FRAGMENT_WORDS and len(group) == 1 and _embedded(text, s, e):
            continue
        if cue is None:
            src, score = None, 0.3
        cand = Candidate(content=(s, e), cue=cue, source=src, kind="direct", score=score)
        out.append(cand)
    return out


def _embedded(text: str, s: int, e: int) -> bool:
    """Whether a quote sits inside running prose rather than after a colon, comma or line start."""
    before = text[max(0, s - 3):s].rstrip(" \xa0")
    return bool(before) and before[-1] not in ",:\n.?!"


def _group_split_quotes(ix: _Index) -> list[list[tuple[int, int]]]:
    """Quotes joined when only a cue and its speaker stand between them ("A," he said, "B")."""
    text = _info(ix.doc)[0]
    groups: list[list[tuple[int, int]]] = []
    for q in ix.quotes:
        if groups:
            ps, pe = groups[-1][-1]
            gap = text[pe:q[0]]
            inner = text[ps:pe].rstrip("\"\u201d'")
            if "\n" not in gap and 0 < _words(gap) <= 20 and gap.strip()[-1:] in (",", ":", ".") \
                    and not _SENT_END.search(gap.strip()[:-1]) \
                    and inner[-1:] in (",", "?", "!", "\u2014", "-") and _has_cue_word(ix, pe, q[0]):
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _has_cue_word(ix: _Index, s: int, e: int) -> bool:
    tok = ix.token_at(s)
    i = tok.i
    doc = ix.doc
    while i < len(doc) and doc[i].idx < e:
        if doc[i].lemma_.lower() in CUE_VERBS and doc[i].pos_ in ("VERB", "AUX"):
            return True
        i += 1
    return False


def _quote_is_clause(ix: _Index, s: int, e: int) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in ix.doc.char_span(s, e, alignment_mode="expand") or ())


def _cue_distance(text: str, group: list[tuple[int, int]], tok: Token) -> int:
    """How far a cue word is from a quote group; a cue right beside a quote is nearest.

    Beside means '"...," asked Dunn' (a few words after a quote that ends in , ? ! or -) or
    'Dunn said: "...' (the cue's clause ends in a comma or colon just before the quote).
    """
    best = 10 ** 9
    for qs, qe in group:
        if tok.idx >= qe:
            gap = text[qe:tok.idx]
            d = len(gap)
            inner = text[qs:qe].rstrip("\"\u201d'")
            if _words(gap) <= 4 and not _SENT_END.search(gap) and "\n" not in gap \
                    and inner[-1:] in (",", "?", "!", "-", "\u2014"):
                d -= 1000
        else:
            gap = text[_end(tok):qs]
            d = len(gap)
            if _words(gap) <= 4 and gap.rstrip()[-1:] in (",", ":") and "\n" not in gap.strip():
                d -= 1000
        best = min(best, d)
    return best


def _quote_cue(ix: _Index, group: list[tuple[int, int]]):
    """The cue verb next to a quote (outside it) in the quote's sentences, and its subject."""
    doc, text = ix.doc, _info(ix.doc)[0]
    s, e = group[0][0], group[-1][1]
    first, last = ix.token_at(s), ix.token_at(max(s, e - 1))
    sents = [_sent(first)]
    if _sent(last).start != _sent(first).start:
        sents.append(_sent(last))
    # a quote that ends its sentence may have its cue in the next one ("..." She said.)
    nxt = last.i + 1
    if nxt < len(doc) and _sent(last).end == nxt and "\n" not in text[e:doc[nxt].idx]:
        sents.append(_sent(doc[nxt]))
    # "X said:" right before a quote that starts a sentence or paragraph
    before = text[:s].rstrip()
    if before.endswith(":") and first.i > 0:
        sents.insert(0, _sent(ix.token_at(len(before) - 1)))
    best = None
    for sent in sents:
        for tok in sent:
            if ix.quote_of(tok.idx) is not None:
                continue
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in CUE_VERBS \
                    or tok.dep_ in _ADJECTIVAL:
                if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                    src = next((g for c in doc[tok.i + 1].children if c.dep_ == "pobj" for g in [c]), None)
                    dist = _cue_distance(text, group, tok)
                    if src is not None and (best is None or dist < best[0]):
                        best = (dist, (tok.idx, _end(doc[tok.i + 1])), source_np(src), 0.8)
                continue
            dist = _cue_distance(text, group, tok)
            subj = _subject(tok)
            if subj is None and tok.lemma_.lower() not in SPEECH_VERBS:
                continue
            score = 0.9 if subj is not None else 0.6
            if tok.lemma_.lower() not in SPEECH_VERBS:
                if dist >= 0:
                    continue  # "I think" far from a quote is not its cue
                score -= 0.15
            if best is None or dist < best[0]:
                best = (dist, _cue_span(tok), source_np(subj) if subj is not None else None, score)
    if best is None:
        return None, None, 0.0
    _, cue, src, score = best
    return cue, src, score


# ------------------------------------------------------------------ indirect speech
def _indirect(ix: _Index) -> list[Candidate]:
    doc, text = ix.doc, _info(ix.doc)[0]
    out: list[Candidate] = []
    for tok in doc:
        lower = tok.lower_
        if lower == "according":
            c = _according(ix, tok)
            if c:
                out.append(c)
            continue
        if tok.pos_ != "VERB":
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in CUE_NOUNS:
                c = _noun_cue(ix, tok)
                if c:
                    out.append(c)
            continue
        if tok.dep_ in _ADJECTIVAL:
            continue
        lemma = tok.lemma_.lower()
        if lemma in CUE_VERBS:
            comp = next((c for c in tok.children if c.dep_ in _CLAUSE), None)
            if comp is not None:
                c = _from_clause(ix, tok, comp)
                if c:
                    out.append(c)
                continue
            if tok.dep_ == "parataxis" and lemma in SPEECH_VERBS:
                c = _parenthetical(ix, tok)
                if c:
                    out.append(c)
                continue
            if tok.dep_ == "ccomp" and lemma in SPEECH_VERBS and tok.head.i < tok.i \
                    and text[tok.left_edge.idx - 2: tok.left_edge.idx].strip() == ",":
                c = _parenthetical(ix, tok)
                if c:
                    out.append(c)
                continue
        if lemma in INTENT_VERBS:
            comp = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i), None)
            if comp is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children):
                c = _from_clause(ix, tok, comp, score=0.45)
                if c:
                    out.append(c)
                continue
        if lemma in OBJECT_VERBS and OBJECTS_ON:
            c = _from_object(ix, tok)
            if c:
                out.append(c)
                continue
        if lemma in PREP_VERBS:
            c = _from_prep(ix, tok, PREP_VERBS[lemma])
            if c:
                out.append(c)
    return out


_LABEL = re.compile(r"(?m)^[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:[ \t]+(\S[^\n]*)$")
_NOT_LABELS = {"note", "update", "updated", "related", "photo", "source", "sources", "watch", "editor",
               "read", "see", "video", "correction", "clarification", "image", "credit", "warning", "advertisement",
               "tags", "topics", "share", "by", "posted", "published", "contact", "email", "follow"}


def _labelled(ix: _Index) -> list[Candidate]:
    """Transcript turns and headline quotes: "MATTHEWS: Here's the irony ...", "Sanders: 'Of course'"."""
    text = _info(ix.doc)[0]
    out = []
    for m in _LABEL.finditer(text):
        label = m.group(1)
        if any(w.lower().strip(".'’") in _NOT_LABELS for w in label.split()):
            continue
        cs, ce = m.start(2), m.end(2)
        cs, ce = _trim(text, cs, ce)
        if _words(text[cs:ce]) < 3:
            continue
        colon = text.index(":", m.end(1))
        quoted = ix.quoted_chars(cs, ce)
        kind = "direct" if quoted >= 0.8 * (ce - cs) else ("mixed" if quoted else "indirect")
        out.append(Candidate((cs, ce), (colon, colon + 1), (m.start(1), m.end(1)), kind, 0.55))
    return out


def _make(ix: _Index, s: int, e: int, cue: tuple[int, int] | None, src: Token | None,
          score: float) -> Candidate | None:
    text = _info(ix.doc)[0]
    s, e = _trim(text, s, e)
    if e <= s or _words(text[s:e]) < 2:
        return None
    quoted = ix.quoted_chars(s, e)
    kind = "indirect"
    if quoted:
        kind = "direct" if quoted >= 0.8 * (e - s) else "mixed"
    if src is not None and src.lower_ in _NOT_SPEAKERS and src.pos_ != "PROPN":
        return None
    source = source_np(src) if src is not None else None
    if src is not None and src.dep_ == "relcl":
        source = None
    return Candidate(content=(s, e), cue=cue, source=source, kind=kind,
                     score=score if source else score * 0.6)


def _from_clause(ix: _Index, verb: Token, comp: Token, score: float = 0.7) -> Candidate | None:
    s, e = _subtree_span(comp)
    cs, ce = _cue_span(verb)
    if s < cs < e:  # the cue sits inside the clause: take the side after it
        s = ce
    subj = _subject(verb)
    if verb.lemma_.lower() in SPEECH_VERBS:
        score += 0.1
    if subj is None:
        score -= 0.2
    return _make(ix, s, e, (cs, ce), subj, score)


_OBJ_DEPS = ("dobj", "dative", "oprd", "attr", "xcomp", "ccomp")
OBJECTS_ON = True


def _from_object(ix: _Index, verb: Token) -> Candidate | None:
    """ "accused Sanders of subjecting her to a smear": the object and its complements."""
    kids = [c for c in verb.rights if c.dep_ in _OBJ_DEPS
            or (c.dep_ == "prep" and c.lower_ in ("of", "for", "as", "on"))]
    if not kids or kids[0].dep_ not in ("dobj", "dative", "ccomp"):
        return None
    subj = _subject(verb)
    if subj is None:
        return None
    s, e = kids[0].left_edge.idx, _end(kids[-1].right_edge)
    return _make(ix, s, e, _cue_span(verb), subj, 0.4)


def _from_prep(ix: _Index, verb: Token, preps: tuple[str, ...]) -> Candidate | None:
    """ "talked about the economy", "called for a ban": the object of the verb's preposition."""
    prep = next((c for c in verb.rights if c.dep_ in ("prep", "prt") and c.lower_ in preps), None)
    if prep is None:
        return None
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    subj = _subject(verb)
    if obj is None or subj is None:
        return None
    s, e = obj.left_edge.idx, _end(obj.right_edge)
    return _make(ix, s, e, (verb.idx, _end(prep)), subj, 0.4)


def _parenthetical(ix: _Index, verb: Token) -> Candidate | None:
    span = _clause_rest(verb.head, verb)
    if span is None:
        return None
    subj = _subject(verb)
    if subj is None:
        return None
    return _make(ix, span[0], span[1], _cue_span(verb), subj, 0.75)


def _according(ix: _Index, tok: Token) -> Candidate | None:
    doc = ix.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:
        return None
    src = _owner(src)
    head = _sent(tok).root
    if head.i == tok.i:
        return None
    phrase = tok
    while phrase.head.i != phrase.i and phrase.head.i != head.i:
        phrase = phrase.head  # the largest phrase below the root that holds "according to X"
    if phrase.i > tok.i + 1 and phrase.pos_ == "VERB":
        phrase = tok  # "according to X" begins a clause of its own: cut only the phrase
    span = _clause_rest(head, phrase if phrase.left_edge.i >= tok.i - 1 else tok)
    if span is None:
        return None
    return _make(ix, span[0], span[1], (tok.idx, _end(to)), src, 0.8)


def _owner(np: Token) -> Token:
    """ "a recent report from Bloomberg", "a post by Arianna Huffington": the named source inside."""
    for c in np.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
            inner = next((g for g in c.children if g.dep_ == "pobj"), None)
            if inner is not None and inner.pos_ == "PROPN" and np.pos_ == "NOUN":
                return inner
    return np


def _noun_cue(ix: _Index, tok: Token) -> Candidate | None:
    comp = next((c for c in tok.children if c.dep_ in ("acl", "ccomp")
                 and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
    if comp is None:
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    s, e = _subtree_span(comp)
    return _make(ix, s, e, (tok.idx, _end(tok)), owner, 0.4)


# ------------------------------------------------------------------ overlaps
def _resolve_overlaps(ix: _Index, direct: list[Candidate], indirect: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per stretch of text.

    A quote wins over the clause that is little more than the quote; a clause that holds a
    short quoted fragment ("said supporters were subject to "vicious trolling" online")
    wins over the fragment and becomes a mixed attribution.
    """
    text = _info(ix.doc)[0]
    direct = list(direct)
    for c in indirect:
        if c.kind != "mixed" or c.source is None:
            continue
        s, e = c.content
        inside = [d for d in direct if s <= d.content[0] and d.content[1] <= e]
        cw = _words(text[s:e])
        if inside and sum(_words(text[d.content[0]:d.content[1]]) for d in inside) < 0.8 * cw:
            direct = [d for d in direct if d not in inside]
    out = list(direct)
    for c in sorted(indirect, key=lambda c: -c.score):
        s, e = c.content
        clash = False
        for k, d in enumerate(out):
            ds, de = d.content
            inter = min(e, de) - max(s, ds)
            if inter <= 0:
                continue
            if d.kind == "direct" and c.kind == "direct" and d.source is None and c.source is not None:
                out[k] = Candidate(d.content, c.cue, c.source, "direct", max(d.score, c.score))
            clash = True
            break
        if not clash:
            out.append(c)
    return out
