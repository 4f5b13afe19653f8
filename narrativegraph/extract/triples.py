"""Facts of one article as subject-predicate-object triples over stable ids."""
from __future__ import annotations

import logging
import re
from typing import Iterable

from narrativegraph.extract.entities import EntityIndex, canonical_outlet, known_outlet
from narrativegraph.extract.speakers import SpeakerResolver
from narrativegraph.records import (Article, Assertion, Span, Triple, article_node_id, entity_id,
                                    outlet_id)

__all__ = ["build_triples", "SPOKE_TO_CUE"]

# Names that make an organisation a news outlet ("CBS News", "The Washington Post", "Reuters").
_MEDIA = re.compile(r"\b(?:News|Post|Times|Journal|Press|Tribune|Herald|Gazette|Daily|Radio|TV|"
                    r"Television|Magazine|Network|Reuters|AP|AFP|CNN|MSNBC|BBC|NBC|CBS|ABC|NPR|Fox|"
                    r"Bloomberg|Politico|Axios|Breitbart|HuffPost|Huffington|Sputnik|RT|TASS|Interfax)\b")

logger = logging.getLogger(__name__)

# Words right before an outlet's name that mean a person spoke to it.
SPOKE_TO_CUE = re.compile(
    r"(?:\btold|\btelling|\btells|\bspeaking\s+to|\bspoke\s+to|\bspeaks\s+to|\binterview\s+with"
    r"|\bsaid\s+to|\bcomments\s+to|\bstatement\s+to|\bexplained\s+to)\s+(?:the\s+)?$",
    re.IGNORECASE)


def build_triples(article: Article, assertions: Iterable[Assertion], index: EntityIndex,
                  resolver: SpeakerResolver) -> tuple[Triple, ...]:
    """PUBLISHED, ASSERTS, REPORTS, MENTIONS, SPOKE_TO and AFFILIATED_WITH triples of one article."""
    text = article.text
    art = article_node_id(article.id)
    assertions = list(assertions)
    out: list[Triple] = []
    if article.outlet:
        out.append(Triple(outlet_id(canonical_outlet(article.outlet) or article.outlet), "PUBLISHED", art))
    for a in assertions:
        # the resolver gives every speaker an id (article-scoped unless named, see speakers.py);
        # a hand-made Speaker without one that is unresolved stays local to its article
        who = a.speaker.entity_id or (
            entity_id(a.speaker.type, a.speaker.name) if a.speaker.type != "UNKNOWN"
            else entity_id("UNKNOWN", f"{article.id} {a.speaker.name}"))
        props = [("confidence", round(a.confidence, 4)), ("kind", a.kind)]
        if a.cue is not None:
            props.append(("cue", a.cue.text))
        out.append(Triple(who, "ASSERTS", a.id, evidence=a.content, properties=tuple(sorted(props))))
        out.append(Triple(art, "REPORTS", a.id, evidence=a.content))
    for c in sorted(index.clusters, key=lambda c: min(c.mentions)):
        out.append(Triple(art, "MENTIONS", c.id, properties=(("count", len(c.mentions)),)))
    own = canonical_outlet(article.outlet) or article.outlet if article.outlet else None
    out.extend(_spoke_to(text, assertions, index, own))
    out.extend(_affiliated(text, index, resolver))
    return tuple(out)


def _spoke_to(text: str, assertions: list[Assertion], index: EntityIndex,
              own_outlet: str | None = None) -> list[Triple]:
    """Person SPOKE_TO outlet; the bare brand of the article's own outlet ("told Sputnik" in
    Sputnik International) is that outlet, while a named edition ("Sputnik Turkey") stays apart."""
    out: list[Triple] = []
    seen = set()
    for c in index.clusters:
        if c.type != "ORG" or not (known_outlet(c.name) or index._is_outlet(c.name)
                                   or _MEDIA.search(c.name)):
            continue
        for s, e in c.mentions:
            if not SPOKE_TO_CUE.search(text[max(0, s - 40):s]):
                continue
            person = _speaker_near(assertions, s, e, text)
            if person is None:
                continue
            name = _own_brand(c.name, own_outlet)
            key = (person.speaker.entity_id, name)
            if key in seen:
                continue
            seen.add(key)
            line_s = text.rfind("\n", 0, s) + 1
            line_e = text.find("\n", e)
            line_e = len(text) if line_e == -1 else line_e
            out.append(Triple(person.speaker.entity_id, "SPOKE_TO", outlet_id(name),
                              evidence=Span.of(text, line_s, line_e),
                              properties=(("outlet", name),)))
    return out


def _own_brand(name: str, own_outlet: str | None) -> str:
    """The article's own outlet when ``name`` is its first word(s), else ``name``.

    >>> _own_brand("Sputnik", "Sputnik International"), _own_brand("Sputnik Turkey", "Sputnik International")
    ('Sputnik International', 'Sputnik Turkey')
    """
    if own_outlet and (own_outlet.lower() + " ").startswith(name.lower() + " "):
        return own_outlet
    return name


def _speaker_near(assertions: list[Assertion], s: int, e: int, text: str) -> Assertion | None:
    """The person-speaker assertion whose cue or speaker sits in the same paragraph as [s, e)."""
    ps = text.rfind("\n", 0, s) + 1
    pe = text.find("\n", e)
    pe = len(text) if pe == -1 else pe
    best = None
    for a in assertions:
        if a.speaker.type != "PERSON" or a.speaker.entity_id is None:
            continue
        anchors = [x.start for x in (a.cue, a.speaker.mention) if x is not None]
        if any(ps <= x < pe for x in anchors):
            d = min(abs(x - s) for x in anchors)
            if best is None or d < best[0]:
                best = (d, a)
    return best[1] if best else None


def _affiliated(text: str, index: EntityIndex, resolver: SpeakerResolver) -> list[Triple]:
    out: list[Triple] = []
    for c in index.clusters:
        if c.type != "PERSON":
            continue
        p = resolver.profiles.get(id(c))
        if p is None or not p.affiliation:
            continue
        org = index._find("ORG", p.affiliation)
        obj = org.id if org is not None else entity_id("ORG", p.affiliation)
        ev = Span.of(text, *p.evidence) if p.evidence else None
        props = (("role", p.role),) if p.role else ()
        out.append(Triple(c.id, "AFFILIATED_WITH", obj, evidence=ev,
                          properties=tuple(sorted(props + (("organisation", p.affiliation),)))))
    return out
