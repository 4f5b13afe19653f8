"""Cluster an article's named mentions into entities: full name, surname, pronoun, abbreviation.

One `EntityIndex` per article. It is built from the Doc's named entities (PERSON, ORG,
GPE, NORP) plus outlet names found by spelling, then grows while speakers are resolved
(a pronoun that resolves to a person becomes one of its mentions), and finally freezes
into `records.Entity` values.

Notes
-----
A single-word name joins the one person whose full name contains it. When several people
share it, it joins the one the article never calls by first name alone ("Ted Cruz" over
"Heidi Cruz", later "Heidi"); when that still leaves two (Hillary and Bill Clinton) it stays
its own entity rather than being guessed. A mention the tagger typed ORG, GPE or NORP whose
words are a person's name or surname in the article ("Trump" beside "Donald Trump") joins
that person, unless it modifies an organisation noun ("the Trump campaign", "Trump
Organization"): then the organisation is the whole phrase. An abbreviation joins its long
form when the article writes "Long Form (LF)" or when its letters are the initials of an
organisation named in the article.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan

from narrativegraph.extract.attribution import doc_text
from narrativegraph.extract.lexicon import TITLES
from narrativegraph.outlet_names import OUTLET_NAMES, canonical_outlet
from narrativegraph.records import Entity, Span, entity_id

__all__ = ["EntityIndex", "Cluster", "canonical_outlet", "known_outlet"]


@functools.lru_cache(maxsize=8192)
def known_outlet(name: str) -> str | None:
    """The canonical name of a news outlet or wire agency ``name`` is known as, or None.

    Known: the outlet spellings of `narrativegraph.outlet_names` and the table of
    ``data/outlets.csv`` with the wire agencies (the credits' list), so "Politico",
    "Fox" and "Bloomberg" are organisations, never persons or places.

    >>> known_outlet("Politico"), known_outlet("Fox"), known_outlet("Levent")
    ('Politico', 'Fox News', None)
    """
    from narrativegraph.extract.credits import default_outlet_names

    if not name or not name.strip():
        return None
    return canonical_outlet(name) or default_outlet_names().canonical(name)

logger = logging.getLogger(__name__)

_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "NORP": "GROUP"}
_ABBR = re.compile(r"\b([A-Z][\w'’-]*(?:\s+(?:of|the|and|for|[A-Z][\w'’-]*))*)\s+\(([A-Z][A-Z&.]{1,9})\)")
_OUTLET_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(k.title()) for k in OUTLET_NAMES
                                                   if k != "rt"), key=len, reverse=True)) + r")\b")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# Words right before a name that give its gender ("Mrs. Clinton", "the first lady, Michelle Obama").
_FEMALE = re.compile(r"\b(?:Mrs|Ms|Miss|first lady|wife|widow|mother|daughter|sister|grandmother|"
                     r"congresswoman|chairwoman|spokeswoman|businesswoman|actress|queen|princess)\.?,?\s+$",
                     re.IGNORECASE)
_MALE = re.compile(r"\b(?:Mr|husband|widower|father|son|brother|grandfather|congressman|chairman|"
                   r"spokesman|businessman|actor|king|prince)\.?,?\s+$", re.IGNORECASE)
# Nouns that make "<surname> <noun>" an organisation of its own ("the Trump campaign").
_ORG_NOUNS = frozenset("campaign administration organization organisation foundation company "
                       "camp team transition institute group corporation firm".split())


@dataclass
class Cluster:
    """A growing entity: canonical name, type, and every mention found so far."""

    name: str
    type: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    roles: set[str] = field(default_factory=set)  # description words: "journalist", "turkish"

    @property
    def id(self) -> str:
        return entity_id(self.type, self.name)


_INITIAL = re.compile(r"[A-Z]\.?")


def _clean_name(text: str) -> str:
    words = text.replace("\n", " ").split()
    while words and words[0].lower() in TITLES | {"the"}:
        words = words[1:]
    name = " ".join(words)
    return _POSSESSIVE.sub("", name).strip(" ,.;:")


class EntityIndex:
    """The entities of one article, with look-ups the speaker resolver needs."""

    def __init__(self, doc: Doc, text: str, outlet: str | None = None):
        self.doc = doc
        self.text = text
        self.clusters: list[Cluster] = []
        self._by_char: dict[int, Cluster] = {}  # mention start -> cluster
        self.outlet = canonical_outlet(outlet or "") or (outlet or None)
        self._surnames: set[str] = set()  # of persons named in full: "Bloomberg" is then theirs, not the outlet's
        self._build()

    # ----------------------------------------------------------- building
    def _build(self) -> None:
        doc = self.doc
        dtext = doc_text(doc)
        abbr = {m.group(2).replace(".", ""): _long_form(m.group(1), m.group(2).replace(".", ""))
                for m in _ABBR.finditer(dtext)}
        outlet_spans = [(m.start(), m.end()) for m in _OUTLET_RE.finditer(dtext)]
        for s, e in outlet_spans:
            self._add("ORG", canonical_outlet(dtext[s:e]) or dtext[s:e], s, e)
        persons_multi: list[SpacySpan] = []
        singles: list[SpacySpan] = []
        others: list[SpacySpan] = []
        self._surnames = {n.split()[-1].lower() for ent in doc.ents if ent.label_ == "PERSON"
                          for n in [_clean_name(ent.text)] if len(n.split()) > 1}
        for ent in doc.ents:
            if ent.label_ not in _TYPES or not ent.text.strip():
                continue
            if any(s <= ent.start_char < e for s, e in outlet_spans):
                continue
            if ent.label_ == "PERSON" and (self._outlet_named(ent.text) or self._is_outlet(ent.text)):
                others.append(ent)
            elif ent.label_ == "PERSON":
                (persons_multi if len(_clean_name(ent.text).split()) > 1 else singles).append(ent)
            else:
                others.append(ent)
        for ent in persons_multi:
            name = _clean_name(ent.text)
            s, e = self._name_span(ent)
            c = self._add_person(name, s, e)
            c.gender = c.gender or self._gender_at(ent.start_char)
        shared: list[tuple[str, int, int, str | None]] = []  # surnames several persons share: decided last
        # "Mr. Obama" before "President Obama": a gendered title keeps him from "Michelle Obama"
        singles.sort(key=lambda ent: self._gender_at(ent.start_char) is None)
        for ent in singles:
            name = _clean_name(ent.text)
            if not name:
                continue
            s, e = self._name_span(ent)
            g = self._gender_at(ent.start_char)
            if len(self.persons_named(name, g)) > 1:
                shared.append((name, s, e, g))
            else:
                self._add_person(name, s, e, g)
        long_forms = {}
        for ent in others:
            name = _clean_name(ent.text)
            if not name:
                continue
            typ = _TYPES[ent.label_]
            if self._is_outlet(name):
                typ = "ORG"
            if not self._outlet_named(name) and not self._is_outlet(name) and self._names_person(name):
                org = _org_phrase(doc, ent)
                if org is None:
                    s, e = self._name_span(ent)
                    shared.append((name, s, e, self._gender_at(ent.start_char)))  # "Trump" typed ORG
                    continue
                s, e = org
                self._add("ORG", _clean_name(self.text[s:e]), s, e)
                continue
            if typ == "ORG" and len(name.split()) > 1 and len(self.persons_named(name)) == 1:
                s, e = self._name_span(ent)
                self._add_person(name, s, e)  # a person the tagger took for an organisation
                continue
            if outlet := self._outlet_named(name):
                typ, name = "ORG", outlet
            s, e = self._name_span(ent)
            if typ == "ORG" and name.replace(".", "") in abbr:
                long = abbr[name.replace(".", "")]
                name = long
            elif typ == "ORG" and name.isupper() and len(name) <= 6:
                long = long_forms.get(name)
                if long:
                    name = long
            if typ == "ORG" and len(name.split()) > 1:
                initials = "".join(w[0] for w in name.split() if w[0].isupper())
                if len(initials) > 1:
                    long_forms.setdefault(initials, name)
            if typ in ("PLACE", "GROUP"):
                typ = next((c.type for c in self.clusters if c.type in ("PLACE", "GROUP")
                            and c.name.lower() == name.lower()), typ)
            cluster = self._add(typ, name, s, e)
            cluster.aliases.add(self.text[s:e])
        for name, s, e, g in shared:
            pick = self.person_named(name, g)
            if pick is not None:
                pick.aliases.add(name)
                pick.gender = pick.gender or g
                self.mention(pick, s, e)
            else:
                self._add_person(name, s, e, g)
        # abbreviations seen before their long form: re-point them
        for c in [c for c in self.clusters if c.type == "ORG" and c.name.isupper() and c.name in long_forms]:
            target = self._find("ORG", long_forms[c.name])
            if target is not None and target is not c:
                self._merge(c, target)

    def _outlet_named(self, name: str) -> str | None:
        """The known outlet ``name`` names in this article (a surname of a person named in
        full here is that person's, not the outlet's)."""
        name = _clean_name(name)
        if len(name.split()) == 1 and name.lower() in self._surnames:
            return None
        return known_outlet(name)

    def _is_outlet(self, name: str) -> bool:
        """Whether ``name`` is the article's own outlet ("The Washington Post" for wash-post)."""
        return bool(self.outlet) and _clean_name(name).lower() == _clean_name(self.outlet).lower()

    def _name_span(self, ent: SpacySpan) -> tuple[int, int]:
        s, e = ent.start_char, ent.end_char
        raw = self.text[s:e]
        name = _clean_name(raw)
        if name:
            i = raw.find(name)
            if i >= 0:
                return s + i, s + i + len(name)
        return s, e

    def _find(self, typ: str, name: str) -> Cluster | None:
        key = name.lower()
        for c in self.clusters:
            if c.type == typ and (c.name.lower() == key or key in (a.lower() for a in c.aliases)):
                return c
        return None

    def _add(self, typ: str, name: str, s: int, e: int) -> Cluster:
        c = self._find(typ, name)
        if c is None:
            c = Cluster(name, typ)
            self.clusters.append(c)
        c.aliases.add(name)
        self.mention(c, s, e)
        return c

    def _gender_at(self, start: int) -> str | None:
        """"m"/"f" when the words right before a name say so ("Mrs. Clinton", "his wife, Heidi")."""
        before = self.text[max(0, start - 32):start]
        if _FEMALE.search(before):
            return "f"
        if _MALE.search(before):
            return "m"
        return None

    def _add_person(self, name: str, s: int, e: int, gender: str | None = None) -> Cluster:
        if name.isupper() and " " in name:
            name = name.title()  # "DONALD TRUMP" of a headline or byline
        words = name.split()
        matches = self.persons_named(name, gender)
        core = [w for w in words if not _INITIAL.fullmatch(w)]
        if not matches and 1 < len(core) < len(words):  # "Donald J. Trump" after "Donald Trump"
            matches = [c for c in self.persons_named(" ".join(core), gender)
                       if [w.lower() for w in c.name.split() if not _INITIAL.fullmatch(w)] == [w.lower() for w in core]]
        if len(matches) == 1:
            c = matches[0]
            c.aliases.add(name)
            known = [w for w in c.name.split() if not _INITIAL.fullmatch(w)]
            if len(core) > len(known) and words[-1] == c.name.split()[-1]:
                c.name = name  # a fuller form of the name seen earlier (a middle initial is not fuller)
            c.gender = c.gender or gender
            self.mention(c, s, e)
            return c
        if len(matches) > 1:
            c = self._find("PERSON", name)
            if c is not None:
                self.mention(c, s, e)
                return c
        c = self._add("PERSON", name, s, e)
        c.gender = c.gender or gender
        return c

    def _merge(self, src: Cluster, dst: Cluster) -> None:
        dst.aliases |= src.aliases
        for s, e in src.mentions:
            self.mention(dst, s, e)
        self.clusters.remove(src)

    def mention(self, c: Cluster, s: int, e: int) -> None:
        """Record that [s, e) names ``c``."""
        if (s, e) not in c.mentions:
            c.mentions.append((s, e))
        self._by_char[s] = c

    # ----------------------------------------------------------- look-ups
    def persons_named(self, name: str, gender: str | None = None) -> list[Cluster]:
        """Persons whose full name contains every word of ``name`` ("Le Corf", "Lavrov"),
        leaving out those of the other ``gender`` when it is given ("Mr. Obama")."""
        words = [w.lower() for w in _clean_name(name).split()]
        if not words:
            return []
        out = []
        last = words[-1]
        for c in self.clusters:
            if c.type != "PERSON" or gender and c.gender and c.gender != gender:
                continue
            for n in (c.name, *c.aliases):
                low = n.lower()
                if last in low and _contains(low.split(), words):  # the substring test rejects most at once
                    out.append(c)
                    break
        return out

    def person_named(self, name: str, gender: str | None = None) -> Cluster | None:
        """The one person ``name`` ("Cruz", "Mr. Trump") refers to here, or None when unsure.

        When several persons contain the words, the one never called by a first name alone
        wins ("Ted Cruz" over "Heidi Cruz" whom the article calls "Heidi"); when that leaves
        more than one (Hillary and Bill Clinton), None: the caller must not guess.
        """
        found = self.persons_named(name, gender)
        if len(found) <= 1:
            return found[0] if found else None
        words = {w.lower() for w in _clean_name(name).split()}
        exact = [c for c in found if c.name.lower() == _clean_name(name).lower()]
        if len(exact) == 1:
            return exact[0]
        # tagger debris: "Crooked Hillary Clinton" beside "Hillary Clinton", a one-off
        # "Injecting Clinton" whose first word is no name
        found = [c for c in found if not any(o is not c and len(o.name.split()) > 1
                                             and c.name.lower().endswith(" " + o.name.lower())
                                             for o in found) and not self._debris(c)]
        principal = [c for c in found if not _called_by_first_name(c, words)]
        return principal[0] if len(principal) == 1 else None

    def _debris(self, c: Cluster) -> bool:
        """Whether ``c`` is a one-mention name whose first word the tagger does not call a name."""
        if len(c.mentions) != 1 or len(c.name.split()) < 2:
            return False
        span = self.doc.char_span(c.mentions[0][0], c.mentions[0][1], alignment_mode="expand")
        if span is None or not len(span):
            return False
        first = span[0]
        return first.pos_ != "PROPN" or first.is_sent_start and first.lower_.endswith(("ing", "ed", "ly"))

    def _names_person(self, name: str) -> bool:
        """Whether ``name`` is a person's full name, alias or surname in this article."""
        key = name.lower()
        for c in self.clusters:
            if c.type != "PERSON":
                continue
            if key == c.name.lower() or key in (a.lower() for a in c.aliases):
                return True
            if " " not in key and len(c.name.split()) > 1 and c.name.split()[-1].lower() == key:
                return True
        return False

    def at(self, s: int, e: int) -> Cluster | None:
        """The entity with a mention overlapping [s, e), preferring persons."""
        best = None
        for c in self.clusters:
            for ms, me in c.mentions:
                if ms < e and me > s:
                    if c.type == "PERSON":
                        return c
                    best = best or c
        return best

    def persons_before(self, char: int) -> list[tuple[int, Cluster]]:
        """(mention start, person) pairs before ``char``, nearest first."""
        out = [(ms, c) for c in self.clusters if c.type == "PERSON" for ms, _ in c.mentions if ms < char]
        return sorted(out, key=lambda p: -p[0])

    def freeze(self) -> tuple[Entity, ...]:
        """The entities as records, in order of first mention."""
        out = []
        for c in sorted(self.clusters, key=lambda c: min(c.mentions)):
            spans = tuple(Span.of(self.text, s, e) for s, e in sorted(c.mentions))
            aliases = tuple(sorted(a for a in c.aliases if a != c.name))
            out.append(Entity(id=c.id, name=c.name, type=c.type, aliases=aliases, mentions=spans))
        return tuple(out)


def _called_by_first_name(c: Cluster, words: set[str]) -> bool:
    """Whether the article calls ``c`` by its first name alone ("Heidi" for "Heidi Cruz")."""
    parts = c.name.split()
    if len(parts) < 2 or parts[0].lower() in words:
        return False
    return any(a.lower() == parts[0].lower() for a in c.aliases)


def _org_phrase(doc: Doc, ent: SpacySpan) -> tuple[int, int] | None:
    """[start, end) of "Trump campaign" when the name ``ent`` modifies an organisation noun."""
    last = ent[-1]
    head = last.head
    if last.dep_ != "compound" or head.i < ent.end or head.i - ent.end > 2 \
            or head.pos_ not in ("NOUN", "PROPN"):
        return None
    if any(t.pos_ not in ("NOUN", "PROPN", "ADJ") for t in doc[ent.end:head.i + 1]):
        return None
    if not (head.text[:1].isupper() or head.lemma_.lower() in _ORG_NOUNS):
        return None  # "Trump supporters", "Trump's remarks" still name the person
    return ent.start_char, head.idx + len(head)


def _contains(have: list[str], want: list[str]) -> bool:
    n = len(want)
    return any(have[i:i + n] == want for i in range(len(have) - n + 1))


def _long_form(words: str, abbr: str) -> str:
    """The trailing words of ``words`` that ``abbr`` abbreviates.

    >>> _long_form("Aleppo by the Syrian Arab Army", "SAA")
    'Syrian Arab Army'
    >>> _long_form("the Department of Homeland Security", "DHS")
    'Department of Homeland Security'
    """
    ws = words.split()
    caps = 0
    for i in range(len(ws) - 1, -1, -1):
        if ws[i][0].isupper():
            caps += 1
            if caps == len(abbr):
                return " ".join(ws[i:])
    return " ".join(w for w in ws if w.lower() != "the")
