"""Cross-article person identity: "Trump", "Mr. Trump" and "Donald J. Trump" become one Person.

Extraction names a speaker canonically *within* an article; across articles the same
person still appears as "Donald Trump" here and "Mr. Trump" there. `resolve` looks at the
whole corpus being loaded (plus the persons already in the store) and maps every
record-level person id to one canonical id.

Rules, in order, for a name reduced to its key (titles, initials, suffixes and
possessives dropped; "Donald J. Trump" -> "donald trump", "Mr. Trump" -> "trump"):

1. A full name (two or more words) is keyed by first and last word.
2. A bare surname that the record keeps apart from a full name with the same surname in
   its own article stays a Person of its own, flagged ``ambiguous``: extraction has
   already decided, with the article's context, that "Mr. Obama" is not the "Michelle
   Obama" beside him, and which other Obama he is would be a guess.
3. A bare first name joins the one full name with that first name in the same article
   ("Hillary" next to "Hillary Clinton").
4. Otherwise a bare surname joins the one full name with that surname in the whole
   corpus, or the full name that at least `DOMINANT` (90%) of the corpus's articles
   naming someone of that surname mean (in 2016 news "Trump" is Donald Trump, though
   Ivanka and Melania appear; Hillary Clinton is not dominant enough over Bill).
5. Otherwise it stays a Person of its own, flagged ``ambiguous`` when two or more full
   names were possible (the bare "Clinton" of an article about both Clintons).

Names that do not look like names (lower-case descriptions such as "the Turkish
journalist") are left as they are.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from narrativegraph.records import Record, entity_id

__all__ = ["DOMINANT", "Identity", "name_key", "resolve"]

DOMINANT = 0.9

logger = logging.getLogger(__name__)

_TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "sen", "senator", "rep", "representative", "gov", "governor", "president", "presidentelect",
    "vice", "vp", "secretary", "gen", "general", "col", "colonel", "lt", "capt", "captain",
    "adm", "admiral", "sgt", "rev", "reverend", "judge", "justice", "mayor", "minister",
    "ambassador", "chairman", "chairwoman", "speaker", "sheikh", "king", "queen", "prince",
    "princess", "pope", "candidate", "nominee", "former", "state", "attorney",
}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"}
_PARTICLES = {"de", "da", "di", "van", "von", "der", "le", "la", "al", "el", "bin", "ibn", "du", "dos"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _tokens(name: str) -> list[str]:
    """Words of a person name without titles, initials, suffixes and possessives."""
    name = re.sub(r"['\u2019]s\b", "", name.strip())
    words = [w for w in re.split(r"[\s,]+", _fold(name)) if w]
    toks = [re.sub(r"[^0-9a-z'-]", "", w.lower()).strip("'-") for w in words]
    toks = [t for t in toks if t]
    while toks and toks[0].replace("-", "") in _TITLES:
        toks.pop(0)
    while toks and toks[-1] in _SUFFIXES:
        toks.pop()
    if len(toks) > 2:  # middle initials: "donald j trump"
        toks = [toks[0], *[t for t in toks[1:-1] if len(t) > 1], toks[-1]]
    return toks


def name_key(name: str) -> str | None:
    """The identity key of a person name: "first last", a bare "name", or None if not a name.

    >>> [name_key(n) for n in ("Donald J. Trump", "Mr. Trump", "Trump's", "the Turkish journalist")]
    ['donald trump', 'trump', 'trump', None]
    >>> name_key("Pierre Le Corf"), name_key("Le Corf")
    ('pierre le corf', 'le corf')
    """
    stripped = name.strip()
    if not stripped:
        return None
    if not any(w[:1].isupper() for w in stripped.split()):
        return None
    if stripped.split()[0].lower() in {"the", "a", "an", "his", "her", "their", "its", "he", "she", "they",
                                       "it", "we", "i", "you", "who", "this", "that"}:
        return None
    toks = _tokens(stripped)
    if not toks or len(toks) > 5:
        return None
    if len(toks) == 1:
        return toks[0]
    # a particle opens the surname: "le corf" stays whole
    for i in range(1, len(toks)):
        if toks[i] in _PARTICLES:
            last = " ".join(toks[i:])
            return " ".join([toks[0], last]) if i > 0 and toks[0] not in _PARTICLES else last
    return f"{toks[0]} {toks[-1]}"


def _is_full(key: str) -> bool:
    return " " in key and key.split(" ", 1)[0] not in _PARTICLES


def _surname(key: str) -> str:
    first, _, rest = key.partition(" ")
    return rest if rest else first


def _display(name: str) -> str:
    """The name without leading titles: "Mr. Trump" -> "Trump"."""
    words = name.strip().split()
    while len(words) > 1 and re.sub(r"[^a-z-]", "", words[0].lower()).replace("-", "") in _TITLES:
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True)
class Identity:
    """Canonical persons: record-level person ids mapped per article, with names and aliases."""

    person_ids: Mapping[str, Mapping[str, str]]  # article id -> {record person id: canonical id}
    names: Mapping[str, str]  # canonical id -> display name
    aliases: Mapping[str, tuple[str, ...]]  # canonical id -> every surface name seen
    ambiguous: frozenset[str] = field(default_factory=frozenset)
    before: int = 0  # distinct record-level person ids
    after: int = 0  # distinct canonical person ids

    def for_article(self, article_id: str) -> Mapping[str, str]:
        return self.person_ids.get(article_id, {})


def _person_names(record: Record) -> list[tuple[str, str]]:
    """(record-level id, name) of every person the record names, speakers and entities."""
    out: list[tuple[str, str]] = []
    for s in record.assertions:
        if s.speaker.type == "PERSON":
            out.append((s.speaker.entity_id or entity_id("PERSON", s.speaker.name), s.speaker.name))
    for e in record.entities:
        if e.type == "PERSON":
            out.append((e.id, e.name))
            out.extend((e.id, a) for a in e.aliases)
    return out


def resolve(records: Iterable[Record], *, known: Iterable[str] = ()) -> Identity:
    """Canonical person ids across ``records``; ``known`` are person names already loaded.

    >>> from narrativegraph.records import Article, Entity
    >>> def rec(aid, *names):
    ...     ents = tuple(Entity(entity_id("PERSON", n), n, "PERSON") for n in names)
    ...     return Record(Article(id=aid, text=""), entities=ents)
    >>> ident = resolve([rec("a", "Donald J. Trump"), rec("b", "Mr. Trump"),
    ...                  rec("c", "Hillary Clinton", "Bill Clinton"), rec("d", "Clinton")])
    >>> ident.for_article("b")["person/mr-trump"], ident.for_article("d")["person/clinton"]
    ('person/donald-trump', 'person/clinton')
    >>> sorted(ident.ambiguous), ident.before, ident.after
    (['person/clinton'], 5, 4)
    """
    records = list(records)
    per_article: dict[str, list[tuple[str, str, str | None]]] = {}
    full_by_surname: dict[str, Counter[str]] = defaultdict(Counter)  # surname -> full key -> articles
    for r in records:
        items = [(rid, name, name_key(name)) for rid, name in _person_names(r)]
        per_article[r.article.id] = items
        for key in {k for _, _, k in items if k and _is_full(k)}:
            full_by_surname[_surname(key)][key] += 1
    # stored persons count once, and only when this input does not name them: reloading a
    # superset of what is stored then resolves exactly as a clean load would
    for key in {name_key(n) for n in known}:
        if key and _is_full(key) and key not in full_by_surname[_surname(key)]:
            full_by_surname[_surname(key)][key] = 1

    mapping: dict[str, dict[str, str]] = {}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    full_forms: dict[str, Counter[str]] = defaultdict(Counter)
    ambiguous: set[str] = set()
    before: set[str] = set()
    for aid, items in per_article.items():
        local_full = {k for _, _, k in items if k and _is_full(k)}
        by_id: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for rid, name, key in items:
            by_id[rid].append((name, key))
            before.add(rid)
        amap: dict[str, str] = {}
        for rid, names in by_id.items():
            keys = [k for _, k in names if k]
            full = sorted({k for k in keys if _is_full(k)})
            target: str | None = None
            flagged = False
            if full:
                target = full[0]
            elif keys:
                bare = keys[0]
                kept_apart = any(_surname(k) == bare for k in local_full)
                by_first = sorted(k for k in local_full if k.split(" ", 1)[0] == bare)
                corpus = full_by_surname.get(bare) or Counter()
                top = sorted(corpus.items(), key=lambda kv: (-kv[1], kv[0]))[:1]
                if kept_apart:
                    flagged = True
                elif len(by_first) == 1:
                    target = by_first[0]
                elif top and top[0][1] >= DOMINANT * sum(corpus.values()):
                    target = top[0][0]
                elif len(corpus) > 1:
                    flagged = True
                if target is None:
                    target = bare
            if target is None:  # not a name: keep the record's own id
                cid = rid
            else:
                cid = entity_id("PERSON", target)
            if flagged:
                ambiguous.add(cid)
            amap[rid] = cid
            for name, key in names:
                forms[cid][name] += 1
                if key and _is_full(key):
                    full_forms[cid][_display(name)] += 1
        mapping[aid] = amap

    names: dict[str, str] = {}
    for cid, counts in forms.items():
        pool = full_forms.get(cid) or Counter({_display(n): c for n, c in counts.items()})
        names[cid] = sorted(pool.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
    aliases = {cid: tuple(sorted(counts)) for cid, counts in forms.items()}
    after = len(names)
    logger.info("identity: %d record-level persons -> %d persons (%d ambiguous)",
                len(before), after, len(ambiguous))
    return Identity(mapping, names, aliases, frozenset(ambiguous), len(before), after)
