"""Credits between outlets: the words by which an article says another outlet had it first.

"h/t The Hill", "first reported by The Washington Post", "according to a report in
Politico", "told Sputnik", "an Associated Press count" tie an article to the outlet it
relies on; in the graph they become ``(:Article)-[:CREDITS]->(:Outlet)``, part of the
echo network. Only a known outlet name counts after a weak frame ("told", "according
to"), so "told reporters" or "according to Trump" is not a credit; after "h/t" any
capitalised name is taken. An article never credits its own outlet.

Known outlets come from ``data/outlets.csv`` (``name, aliases``, ``|`` between aliases),
the agencies of ``data/agencies.csv``, and any extra names the caller passes (for
example from an outlet profile table).
"""
from __future__ import annotations

import csv
import functools
import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Mapping

from narrativegraph.extract.wire import default_agencies
from narrativegraph.records import Article, Span, Triple, article_node_id, outlet_id

__all__ = ["Credit", "OutletNames", "default_outlet_names", "find_credits", "credit_triples"]

logger = logging.getLogger(__name__)

# A frame that ends right before an outlet name: "... according to a new report in [The Hill]".
_BEFORE = re.compile(
    r"(?:"
    r"\b[Hh]/[Tt]/?:?|\b[Hh]at [Tt]ip(?: to)?:?|\bvia"
    r"|\b(?:first |originally |previously )?(?:reported|broke[n]?|published|obtained|cited|quoted|revealed|uncovered|aired|posted)"
    r"(?: first)?(?: \w+day| last week| earlier \w+)? by"
    r"|\baccording to(?: (?:a|an|the))?(?: (?:new|recent|latest|earlier|exclusive|\w+-\w+))?"
    r"(?: (?:report|story|article|analysis|investigation|poll|count|tally|survey|interview|review|estimate)s?"
    r" (?:in|by|from|of|with|on))?"
    r"|\b(?:a|an|the)(?: (?:new|recent|earlier|exclusive))? (?:report|story|article|analysis|investigation|"
    r"poll|interview|review)s? (?:in|by|from|with|on)"
    r"|\b(?:told|telling|tells|tell)|\b(?:in )?(?:an? )?(?:interview|conversation|appearance) (?:with|on)"
    r"|\bciting|\b(?:wrote|writing|said) (?:in|on|to)|\bspeaking (?:to|with|on)"
    r")[ \t]+(?:the |The )?$",
    re.IGNORECASE,
)
# A frame right after the outlet name: "[BuzzFeed News] first reported", "an [Associated Press] count".
_AFTER = re.compile(
    r"(?:'s?|’s?)?[ \t]+(?:(?:first|originally|also|later|previously) )?"
    r"(?:(?P<verb>reported|reports|broke the (?:story|news)|revealed|was first to report|has learned)\b"
    r"|(?P<noun>(?:[\w-]+ )?(?:report|count|tally|poll|survey|analysis|investigation|story|interview)s?)\b)"
)
_ARTICLE_BEFORE = re.compile(r"\b(?:an?|the|The)(?: new| recent| earlier| exclusive| latest)? $")
_HT_NAME = re.compile(r"[A-Z][\w.&'’-]*(?: (?:[A-Z][\w.&'’-]*|of|the|and|&))*")


@dataclass(frozen=True, slots=True)
class Credit:
    """One credit: the outlet's canonical name, the words that give the credit, and its frame."""

    outlet: str
    evidence: Span
    cue: str


class OutletNames:
    """Known outlet names and aliases mapped to a canonical name.

    >>> n = OutletNames({"The Hill": ()})
    >>> n.canonical("the hill")
    'The Hill'
    """

    def __init__(self, names: Mapping[str, Iterable[str]]):
        self._canon: dict[str, str] = {}
        for name, aliases in names.items():
            for n in (name, *aliases):
                if n and n.strip():
                    self._canon.setdefault(_key(n), name)
        variants = sorted({v for n in self._canon for v in _surface(n, names)}, key=len, reverse=True)
        self.regex = re.compile(r"(?<![\w@#/.])(?:" + "|".join(re.escape(v) for v in variants) + r")(?![\w@-])")

    def canonical(self, name: str) -> str | None:
        return self._canon.get(_key(name))

    def extend(self, names: Mapping[str, Iterable[str]]) -> "OutletNames":
        merged = {c: [k for k, v in self._canon.items() if v == c] for c in set(self._canon.values())}
        for name, aliases in names.items():
            merged.setdefault(name, []).extend(aliases)
        return OutletNames(merged)


def _key(name: str) -> str:
    s = re.sub(r"\s+", " ", name.strip().lower()).rstrip(".")
    return s[4:] if s.startswith("the ") else s


def _surface(key: str, names: Mapping[str, Iterable[str]]) -> set[str]:
    """Spellings to look for in text: every given spelling, without a leading "The" too."""
    out = set()
    for name, aliases in names.items():
        for n in (name, *aliases):
            if n and _key(n) == key:
                out.add(n.strip())
                if n.strip().lower().startswith("the "):
                    out.add(n.strip()[4:])
    return out


@functools.lru_cache(maxsize=1)
def default_outlet_names() -> OutletNames:
    """The outlets shipped with narrativegraph plus every known wire agency.

    An agency is named as `narrativegraph.extract.wire` names it ("AP", not "The Associated
    Press"), so a credit to it and a wire story from it point to the same :Outlet.

    >>> default_outlet_names().canonical("The Associated Press"), default_outlet_names().canonical("Reuters")
    ('AP', 'Reuters')
    """
    res = resources.files("narrativegraph.extract").joinpath("data/outlets.csv")
    names: dict[str, list[str]] = {}
    for row in csv.DictReader(res.read_text(encoding="utf-8").splitlines()):
        names[row["name"].strip()] = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
    for a in default_agencies().agencies:
        keys = {_key(a.name), *map(_key, a.aliases)}
        spellings = list(a.aliases)
        for n in [n for n, al in names.items() if keys & {_key(n), *map(_key, al)}]:
            spellings += [n, *names.pop(n)]
        names[a.name] = [s for s in dict.fromkeys(spellings) if _key(s) != _key(a.name)]
    return OutletNames(names)


def find_credits(text: str, *, own_outlet: str | None = None,
                 outlets: OutletNames | None = None) -> tuple[Credit, ...]:
    """Every credit to another outlet in ``text``, in text order; offsets exact.

    >>> [(c.outlet, c.evidence.text) for c in find_credits("Mr. Ash wrote, first reported by The Associated Press.")]
    [('AP', 'first reported by The Associated Press')]
    >>> find_credits("He told reporters and the crowd, according to Trump.")
    ()
    >>> [c.outlet for c in find_credits("(h/t Mediaite.)")]
    ['Mediaite']
    """
    names = outlets or default_outlet_names()
    own = names.canonical(own_outlet) if own_outlet else None
    own_key = _key(own_outlet) if own_outlet else None
    found: list[Credit] = []
    taken: list[tuple[int, int]] = []
    for m in names.regex.finditer(text):
        canon = names.canonical(m.group(0))
        if canon is None or canon == own or _key(canon) == own_key:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = _BEFORE.search(text, max(line_start, m.start() - 90), m.start())
        if before:
            cue = re.sub(r"[ \t]+(?:the |The )?$", "", before.group(0)).lower()
            found.append(Credit(canon, Span.of(text, before.start(), m.end()), cue))
            taken.append((m.start(), m.end()))
            continue
        after = _AFTER.match(text, m.end())
        if after is None:
            continue
        art = _ARTICLE_BEFORE.search(text, max(line_start, m.start() - 20), m.start())
        if after.group("noun") and not art:
            continue  # "CNN poll" alone is a name, "a CNN poll" is a credit
        start = art.start() if art and after.group("noun") else m.start()
        cue = (after.group("verb") or after.group("noun")).lower()
        found.append(Credit(canon, Span.of(text, start, after.end()), cue))
        taken.append((m.start(), m.end()))
    # h/t with a name not in the list: "h/t: Young Conservatives."
    for ht in re.finditer(r"\b[Hh]/[Tt]/?:?[ \t]+", text):
        nm = _HT_NAME.match(text, ht.end())
        if not nm or any(s <= nm.start() < e for s, e in taken):
            continue
        name = nm.group(0).rstrip(".")
        canon = names.canonical(name) or name
        if own and canon == own:
            continue
        found.append(Credit(canon, Span.of(text, ht.start(), nm.start() + len(name)), "h/t"))
    found.sort(key=lambda c: (c.evidence.start, c.evidence.end))
    return tuple(found)


def credit_triples(article: Article, *, outlets: OutletNames | None = None) -> tuple[Triple, ...]:
    """``article -CREDITS-> outlet`` triples, one per credited outlet, evidence = its first credit.

    Subject is `article_node_id`, object is `outlet_id` of the canonical name; properties
    carry the outlet ``name``, the ``cue`` and how many times it is credited (``count``).
    """
    credits = find_credits(article.text, own_outlet=article.outlet, outlets=outlets)
    first: dict[str, Credit] = {}
    counts: dict[str, int] = {}
    for c in credits:
        first.setdefault(c.outlet, c)
        counts[c.outlet] = counts.get(c.outlet, 0) + 1
    return tuple(
        Triple(article_node_id(article.id), "CREDITS", outlet_id(name), c.evidence,
               (("count", counts[name]), ("cue", c.cue), ("name", name)))
        for name, c in first.items()
    )
