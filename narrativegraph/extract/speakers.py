"""Resolve a speaker mention ("she", "Levent", "the Turkish journalist") to who it names.

Resolution order for a mention: a named entity it overlaps; a pronoun to its antecedent;
a surname or titled name ("Mr. Trump") to the person in the article whose name contains
it; a description ("the journalist") to the person introduced with it ("Turkish journalist
Hediye Levent", "Hediye Levent, the Turkish journalist who..."); a group or institution
("Western media", "the State Department") typed GROUP or ORG. Anything else stays UNKNOWN
under its own words: never a guess.

Pronouns: "he"/"she" go to the nearest earlier person of that gender, preferring a clause
subject (a person's gender is fixed only by a title or by two agreeing pronouns, so one
wrong guess does not steer the rest); "they"/"them" to the nearest earlier plural or
collective subject that can speak ("officials", "the campaign", an organisation, not
"changes") within three sentences; "it" to the nearest earlier organisation or collective
subject; "I"/"we"/"me"/"us" inside a statement to that statement's speaker, else inside a
quotation to the person named outside it in its sentences ("Trump issued a statement
saying, ''I do not feel ...''"), else after a headline's colon to the name before it
("Mark Cuban: I'd consider ..."); "who"/"that" to the noun the relative clause modifies.
A description in apposition to a name is that person ("his wife, Gabriela Lazar"). A
pronoun with no antecedent stays UNKNOWN.

Identity rule (every returned `Speaker` carries an ``entity_id``): a speaker is a
corpus-wide node only when it is *named*: a person, organisation or group the article
names (an entity of the index, an outlet, a proper-noun phrase), or a group whose
words up to its head noun hold a proper noun or nationality ("Western media", "Senate
Democrats", "the State Department", "the Trump campaign"). Everything else (pronouns
left unresolved, bare descriptions "a spokesman", "the official", common-noun groups
"officials", "experts", "the campaign") gets an id scoped to its article, so that
"they" or "officials" of two articles never merge into one node.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from narrativegraph.extract.attribution import doc_text
from narrativegraph.extract.entities import Cluster, EntityIndex
from narrativegraph.extract.lexicon import GROUP_HEADS, PRONOUN_GENDER, ROLE_WORDS, TITLES
from narrativegraph.records import Span, Speaker, entity_id

__all__ = ["SpeakerResolver", "Profile"]

logger = logging.getLogger(__name__)

_GOV_ROLES = {"minister", "secretary", "president", "ambassador", "spokesman", "spokeswoman",
              "spokesperson", "envoy", "official", "premier", "chancellor", "prime"}
_APPOS = re.compile(
    r",\s+(?:the|a|an|who\s+is\s+(?:the|a|an))\s+((?:[\w-]+\s+){0,3}?)(" + "|".join(sorted(ROLE_WORDS))
    + r")\b(?:\s+of\s+(?:the\s+)?(?-i:([A-Z][\w'’&.-]*(?:\s+(?:of\s+|for\s+|the\s+|and\s+)?[A-Z][\w'’&.-]*)*)))?",
    re.IGNORECASE)
_TITLE_GENDER = re.compile(r"\b(Mr|Mrs|Ms)\.?\s+$")
_PRONOUN_PERSON = {"he", "she", "him", "her", "his"}
_PRONOUN_GROUP = {"they", "them"}
# Capitalised adjectives that name a bloc even where the tagger misses them ("Western media").
_BLOCS = frozenset("western eastern arab muslim christian jewish european african asian latin gulf "
                   "democratic republican conservative liberal".split())
# Plural nouns that can name speakers ("residents", "investors", "Democrats"), not things.
_AGENT = re.compile(r"(?:[^m]er|or|ist|ian|[^m]ant|[^m]ent|ee|crat|can|people|men|man)$")
_COMMA = re.compile(r"\s*,\s+")
_PRONOUN_FIRST = {"i", "me", "we", "us"}
_PRONOUN_OTHER = {"you", "me", "us", "one", "someone", "somebody", "everyone", "everybody",
                  "nobody", "none", "others", "some", "many", "both", "all", "this", "these", "those"}


@dataclass
class Profile:
    """What the article says a person is: role, affiliation, and description words."""

    role: str | None = None
    affiliation: str | None = None
    affiliation_type: str = "ORG"
    words: set[str] = field(default_factory=set)
    evidence: tuple[int, int] | None = None


class SpeakerResolver:
    """Turns speaker mentions of one article into `Speaker`s, growing the entity index."""

    def __init__(self, doc: Doc, text: str, index: EntityIndex, article_id: str = ""):
        self.doc, self.text, self.index = doc, text, index
        self.article_id = article_id
        self._said: list[tuple[int, int, Speaker]] = []  # (content start, end, speaker) so far
        self.profiles: dict[int, Profile] = {}  # id(cluster) -> profile
        self.dtext = doc_text(doc)  # the parsed (masked) text: furniture is blank here
        self._subject_at: dict[int, bool] = {}
        self._sents: list | None = None
        self._gender_votes: dict[int, dict[str, int]] = {}
        self._quotes: list[tuple[int, int]] | None = None
        for c in index.clusters:
            if c.type == "PERSON":
                for s, e in c.mentions:
                    self._describe(c, s, e)
                    title = _TITLE_GENDER.search(self.dtext, max(0, s - 6), s)
                    if title and c.gender is None:
                        c.gender = "m" if title.group(1) == "Mr" else "f"

    # ----------------------------------------------------------- descriptions
    def profile(self, c: Cluster) -> Profile:
        return self.profiles.setdefault(id(c), Profile())

    def _describe(self, c: Cluster, s: int, e: int) -> None:
        doc, text = self.doc, self.dtext
        p = self.profile(c)
        # premodifiers: "Turkish journalist Hediye Levent", "Russian Foreign Minister Sergei Lavrov"
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            return
        pre: list[Token] = []
        i = span.start - 1
        while i >= 0 and len(pre) < 4:
            t = doc[i]
            if t.pos_ not in ("ADJ", "NOUN", "PROPN") or t.ent_type_ == "PERSON" \
                    or "\n" in t.whitespace_ or t.lower_ in TITLES and t.text.endswith("."):
                break
            pre.insert(0, t)
            i -= 1
        if pre and any(t.lower_ in ROLE_WORDS for t in pre):
            nat = [t for t in pre if t.ent_type_ in ("NORP", "GPE")]
            role_toks = [t for t in pre if t.ent_type_ not in ("NORP", "GPE")]
            if role_toks:
                p.role = p.role or " ".join(t.text for t in role_toks)
                if nat and any(t.lower_ in _GOV_ROLES for t in role_toks) and not p.affiliation:
                    p.affiliation = " ".join(t.text for t in nat) + " government"
                    p.evidence = (pre[0].idx, e)
            p.words |= {t.lower_ for t in pre}
        # apposition: "Pierre Le Corf, the head of We Are Superheroes humanitarian organization"
        m = _APPOS.match(text, e) if e < len(text) else None
        if m is not None:
            mods, role, org = m.group(1).split(), m.group(2), m.group(3)
            p.role = p.role or role.lower()
            p.words |= {w.lower() for w in mods} | {role.lower()}
            if org and not p.affiliation:
                org = org.strip()
                words = org.split()
                # "We Are Superheroes humanitarian organization": the name ends before lower-case words
                p.affiliation = org if words else None
                p.evidence = (s, m.end())

    # ----------------------------------------------------------- resolution
    def resolve(self, source: tuple[int, int] | None,
                content: tuple[int, int] | None = None) -> Speaker:
        """The speaker named by the mention at ``source``; UNKNOWN without one.

        Give ``content``, the statement's span, so that an "I" or "we" inside it later
        resolves to this speaker.
        """
        found = self._resolve(source)
        if content is not None:
            self._said.append((content[0], content[1], found))
        return found

    def local(self, typ: str, name: str, mention: Span | None, **kw) -> Speaker:
        """A speaker whose id is scoped to this article ("they", "officials", "a spokesman")."""
        return Speaker(name, typ, mention, entity_id(typ, f"{self.article_id} {name}"), **kw)

    def _resolve(self, source: tuple[int, int] | None) -> Speaker:
        if source is None:
            return self.local("UNKNOWN", "unknown", None)
        s, e = source
        text = self.text
        mention = Span.of(text, s, e)
        words = text[s:e].split()
        low = text[s:e].lower().strip()
        if (low in PRONOUN_GENDER or low in _PRONOUN_OTHER) and (len(low) == 1 or not text[s:e].isupper()):
            return self._pronoun(low, mention)
        if low in ("who", "that", "which", "whom"):
            return self._relative(mention)
        toks = self._tokens(s, e)
        head = _head(toks)
        c = self.index.at(head.idx, head.idx + len(head)) if head is not None else self.index.at(s, e)
        if c is None:  # "The United Nations envoy Staffan de Mistura": the person named at the end
            c = next((x for x in self.index.clusters if x.type == "PERSON"
                      and any(s < ms and me == e for ms, me in x.mentions)), None)
        if c is not None:
            return self._speaker(c, mention)
        outlet = self.index._outlet_named(text[s:e])  # entities' rule: a known outlet, unless a surname here
        if outlet:
            return Speaker(outlet, "ORG", mention, entity_id("ORG", outlet))
        name = " ".join(w for w in words if w.lower() not in TITLES | {"the"}).strip(" ,")
        if head is not None and name and (head.pos_ == "PROPN" or all(w[:1].isupper() for w in name.split())):
            found = self.index.person_named(name)
            if found is not None:
                self.index.mention(found, s, e)
                found.aliases.add(name)
                return self._speaker(found, mention)
        if head is not None and head.tag_ == "NN":
            named = self._apposed(e, head)  # "Clinton's campaign chairman, John Podesta"
            if named is not None:
                return self._speaker(named, mention)
        if head is not None and head.lower_ in ROLE_WORDS and any(t.lower_ in ("the", "this") for t in toks):
            want = {t.lower_ for t in toks if t.pos_ in ("ADJ", "PROPN", "NOUN")}
            for _, cand in self.index.persons_before(s):
                if want <= self.profile(cand).words:
                    self.index.mention(cand, s, e)
                    return self._speaker(cand, mention)
        if head is not None and (head.lemma_.lower() in GROUP_HEADS or head.tag_ in ("NNS", "NNPS")):
            group = _strip_det(text[s:e])
            if _is_named(toks, head):
                return Speaker(group, "GROUP", mention, entity_id("GROUP", group))
            return self.local("GROUP", group, mention)
        if head is not None and head.pos_ == "PROPN" and name and all(w[:1].isupper() for w in name.split()):
            if head.ent_type_ in ("ORG", "GPE", "NORP"):
                return Speaker(name, "ORG", mention, entity_id("ORG", name))
            return Speaker(name, "PERSON", mention, entity_id("PERSON", name))
        return self.local("UNKNOWN", _strip_det(text[s:e]) or text[s:e], mention)

    def _apposed(self, end: int, head: Token) -> Cluster | None:
        """The person in apposition right after a description ("his wife, Jane Doe")."""
        m = _COMMA.match(self.text, end)
        if m is None:
            return None
        pos = m.end()
        for start in range(pos, min(pos + 24, len(self.text))):
            c = self.index._by_char.get(start)
            if c is None:
                continue
            between = self.text[pos:start].split()
            if c.type != "PERSON" or not all(w.lower() in TITLES for w in between):
                return None
            toks = self._tokens(start, start + 1)
            tok = toks[0] if toks else None
            while tok is not None and tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
                tok = tok.head
            return c if tok is not None and tok.dep_ == "appos" and tok.head.i == head.i else None
        return None

    def first_person(self, sp: Speaker) -> Speaker:
        """``sp`` again once every statement is known: an unresolved "I"/"we" inside a later
        found statement takes that statement's speaker."""
        if sp.type != "UNKNOWN" or sp.mention is None or sp.mention.text.lower() not in _PRONOUN_FIRST:
            return sp
        return self._pronoun(sp.mention.text.lower(), sp.mention)

    def _relative(self, mention: Span) -> Speaker:
        """ "officials who said": the speaker is the noun the relative clause modifies."""
        from narrativegraph.extract.attribution import source_np

        toks = self._tokens(mention.start, mention.end)
        if toks and toks[0].head.dep_ == "relcl" and toks[0].head.head.i < toks[0].i \
                and toks[0].head.head.pos_ != "PRON":
            found = self._resolve(source_np(toks[0].head.head))
            return _as_mention(found, mention)
        # a misparse: "Frank Newport and Jim Harter, who ..." still names the noun to the left
        i = toks[0].i - 1 if toks else -1
        if i >= 0 and self.doc[i].text == ",":
            i -= 1
        if i >= 0 and self.doc[i].pos_ in ("PROPN", "NOUN") and mention.text.islower():
            return _as_mention(self._resolve(source_np(self.doc[i])), mention)
        return self.local("UNKNOWN", mention.text, mention)

    def _pronoun(self, low: str, mention: Span) -> Speaker:
        gender = PRONOUN_GENDER.get(low)
        if low in _PRONOUN_PERSON:
            # the nearest earlier person of a compatible gender, preferring one named as the
            # subject of a clause ("Trump said ... He added") over one named in passing
            before = [(ms, c) for ms, c in self.index.persons_before(mention.start)
                      if c.gender in (None, gender)][:8]
            pick = next((c for ms, c in before if self._is_subject(ms)), None)
            if pick is None and before:
                pick = before[0][1]
            if pick is not None:
                pick.gender = pick.gender or (gender if self._votes(pick, gender) else None)
                self.index.mention(pick, mention.start, mention.end)
                return self._speaker(pick, mention)
        elif low in _PRONOUN_FIRST:
            # "we"/"I" inside a statement: its speaker (the innermost enclosing one)
            inside = [(ce - cs, sp) for cs, ce, sp in self._said
                      if cs <= mention.start and mention.end <= ce and sp.type != "UNKNOWN"]
            if inside:
                return _as_mention(min(inside, key=lambda p: p[0])[1], mention)
            pick = self._quote_speaker(mention)
            if pick is not None:
                return self._speaker(pick, mention)
        elif low in _PRONOUN_GROUP or low == "it":
            tok = self._antecedent(mention, plural=low != "it")
            if tok is not None:
                from narrativegraph.extract.attribution import source_np

                found = self._resolve(source_np(tok))
                if found.type in ("ORG", "GROUP") or (found.type == "PERSON" and low != "it"):
                    return _as_mention(found, mention)
        return self.local("UNKNOWN", mention.text, mention)

    def _quote_speaker(self, mention: Span) -> Cluster | None:
        """The person who speaks the quotation around an "I" ("Trump said: ''I ...''"), or the
        name before a headline's colon ("Mark Cuban: I'd consider a bid"): the nearest person
        named outside the quotation in its sentences, preferring a clause subject."""
        from narrativegraph.extract.attribution import quote_spans

        if self._quotes is None:
            self._quotes = quote_spans(self.dtext)
        q = next(((qs, qe) for qs, qe in self._quotes if qs <= mention.start < qe), None)
        toks = self._tokens(mention.start, mention.end)
        if not toks:
            return None
        sent = toks[0].sent
        if q is None:
            colon = self.dtext.rfind(":", sent.start_char, mention.start)
            if colon == -1 or self.dtext[sent.start_char:colon].count(" ") > 4:
                return None
            lo, hi, anchor = sent.start_char, colon, colon
        else:
            first = self._tokens(q[0], q[0] + 1)
            last = self._tokens(max(q[0], q[1] - 1), q[1])
            lo = first[0].sent.start_char if first else sent.start_char
            hi = last[-1].sent.end_char if last else sent.end_char
            anchor = q[0]
        cands = [(ms, c) for c in self.index.clusters if c.type == "PERSON" for ms, _ in c.mentions
                 if lo <= ms < hi and not (q and q[0] <= ms < q[1])]
        if not cands:
            return None
        subj = [p for p in cands if self._is_subject(p[0])] or cands
        if q is not None:
            after = [p for p in subj if p[0] >= q[1]]
            subj = after or subj  # "''...,'' he said" names the speaker right after the quote
            anchor = q[1] if after else q[0]
        return min(subj, key=lambda p: abs(p[0] - anchor))[1]

    def _votes(self, c: Cluster, gender: str) -> bool:
        """Count a pronoun of ``gender`` resolved to ``c``; True once two agree and none differs.

        One resolution may be wrong ("Clinton did not. He says..." about someone else), and a
        gender fixed on it would then steer every later pronoun away from the right person.
        """
        votes = self._gender_votes.setdefault(id(c), {})
        votes[gender] = votes.get(gender, 0) + 1
        return votes[gender] >= 2 and len(votes) == 1

    def _antecedent(self, mention: Span, plural: bool) -> Token | None:
        """The nearest earlier subject "they" (plural) or "it" can stand for, within three sentences."""
        toks = self._tokens(mention.start, mention.end)
        if not toks:
            return None
        sents = list(self.doc.sents) if self._sents is None else self._sents
        self._sents = sents
        here = next((i for i, st in enumerate(sents) if st.start <= toks[0].i < st.end), 0)
        first = sents[max(0, here - 2)].start
        for t in reversed(self.doc[first:toks[0].i]):
            if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ == "PRON" or t.ent_type_ == "PERSON":
                continue
            if plural and t.conjuncts:
                return None  # "Smith and Jones ... they": no single antecedent node
            lemma = t.lemma_.lower()
            collective = lemma in GROUP_HEADS or t.ent_type_ in ("ORG", "NORP")
            many = t.tag_ in ("NNS", "NNPS")
            people = collective or lemma in ROLE_WORDS or bool(_AGENT.search(lemma))
            if (plural and many and people) or (not plural and collective and not many):
                return t
        return None

    def _is_subject(self, start: int) -> bool:
        if start not in self._subject_at:
            span = self.doc.char_span(start, start + 1, alignment_mode="expand")
            tok = span[0] if span is not None and len(span) else None
            while tok is not None and tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
                tok = tok.head
            self._subject_at[start] = tok is not None and tok.dep_ in ("nsubj", "nsubjpass")
        return self._subject_at[start]

    def _speaker(self, c: Cluster, mention: Span) -> Speaker:
        typ = c.type if c.type in ("PERSON", "ORG", "GROUP") else "ORG"
        p = self.profiles.get(id(c))
        return Speaker(name=c.name, type=typ, mention=mention, entity_id=c.id,
                       role=p.role if p else None, affiliation=p.affiliation if p else None)

    def _tokens(self, s: int, e: int) -> list[Token]:
        span = self.doc.char_span(s, e, alignment_mode="expand")
        return list(span) if span is not None else []


def _head(toks: list[Token]) -> Token | None:
    if not toks:
        return None
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head is t:
            return t
    return toks[-1]


def _is_named(toks: list[Token], head: Token) -> bool:
    """Whether a group mention is named: a proper noun or nationality up to its head noun.

    "Western media", "Senate Democrats", "Clinton's campaign" are; "officials", "his
    advisers", "Critics of the EB-5 program" (the name sits after the head) are not.
    """
    for t in toks:
        if t.i > head.i:
            break
        if t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "ORG", "GPE", "PERSON") \
                or t.text[:1].isupper() and t.lower_ in _BLOCS:
            return True
    return False


def _as_mention(found: Speaker, mention: Span) -> Speaker:
    """``found`` as named by another mention (a pronoun standing for it)."""
    return Speaker(found.name, found.type, mention, found.entity_id, found.role, found.affiliation)


def _strip_det(text: str) -> str:
    """A mention without its leading determiner.

    >>> _strip_det("the State Department")
    'State Department'
    """
    words = text.split()
    if words and words[0].lower() in ("the", "a", "an", "some", "many"):
        words = words[1:]
    return " ".join(words)
