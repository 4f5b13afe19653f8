"""The records that flow between stages: one JSON line per article.

Every stage reads and writes these and nothing else, so a records file can be
inspected, diffed and replayed. Records are frozen and slotted: they can be
hashed, deduplicated and shared between processes.

Offsets are character offsets into ``Article.text`` exactly as read (after
HTML extraction for HTML input), so ``article.text[s.start:s.end] == s.text``
holds for every span.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

__all__ = [
    "SCHEMA_VERSION",
    "SPEAKER_TYPES",
    "KINDS",
    "Span",
    "Cue",
    "Speaker",
    "Assertion",
    "Entity",
    "Triple",
    "SourceRef",
    "Article",
    "Record",
    "claim_id",
    "entity_id",
    "outlet_id",
    "article_node_id",
]

SCHEMA_VERSION = 1
SPEAKER_TYPES = ("PERSON", "ORG", "GROUP", "UNKNOWN")
KINDS = ("direct", "indirect", "mixed")
FORMS = ("clause", "phrase")  # a content with a verb, or a noun phrase ("denounced him", "praised Obama")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters [start, end) of the article text as read."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Span":
        return cls(int(d["start"]), int(d["end"]), str(d["text"]))

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        """The span of ``text`` between two offsets.

        >>> Span.of("Levent said so", 0, 6)
        Span(start=0, end=6, text='Levent')
        """
        return cls(start, end, text[start:end])


@dataclass(frozen=True, slots=True)
class Cue(Span):
    """The words that mark an attribution ("said", "told Sputnik", "according to")."""

    lemma: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "lemma": self.lemma}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Cue":
        return cls(int(d["start"]), int(d["end"]), str(d["text"]), str(d.get("lemma") or ""))


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who is quoted: canonical name in this article, type, and the mention that names them here."""

    name: str
    type: str  # one of SPEAKER_TYPES
    mention: Span | None
    entity_id: str | None = None
    role: str | None = None
    affiliation: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "entity_id": self.entity_id,
            "mention": self.mention.to_json() if self.mention else None,
            "role": self.role,
            "affiliation": self.affiliation,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Speaker":
        m = d.get("mention")
        return cls(
            name=str(d["name"]),
            type=str(d.get("type") or "UNKNOWN"),
            mention=Span.from_json(m) if m else None,
            entity_id=d.get("entity_id"),
            role=d.get("role"),
            affiliation=d.get("affiliation"),
        )


@dataclass(frozen=True, slots=True)
class Assertion:
    """One attribution: who said what, in which article, and where."""

    id: str
    speaker: Speaker
    cue: Cue | None
    content: Span
    kind: str  # one of KINDS
    confidence: float
    form: str = "clause"  # one of FORMS: a phrase is an attitude toward something, not a statement

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker.to_json(),
            "cue": self.cue.to_json() if self.cue else None,
            "content": self.content.to_json(),
            "kind": self.kind,
            "form": self.form,
            "confidence": round(float(self.confidence), 4),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Assertion":
        cue = d.get("cue")
        return cls(
            id=str(d["id"]),
            speaker=Speaker.from_json(d["speaker"]),
            cue=Cue.from_json(cue) if cue else None,
            content=Span.from_json(d["content"]),
            kind=str(d.get("kind") or "indirect"),
            confidence=float(d.get("confidence") or 0.0),
            form=str(d.get("form") or "clause"),
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing named in the article, with every mention of it."""

    id: str
    name: str
    type: str  # PERSON, ORG, GROUP, PLACE, ...
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [m.to_json() for m in self.mentions],
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Entity":
        return cls(
            id=str(d["id"]),
            name=str(d["name"]),
            type=str(d["type"]),
            aliases=tuple(d.get("aliases") or ()),
            mentions=tuple(Span.from_json(m) for m in d.get("mentions") or ()),
        )


@dataclass(frozen=True, slots=True)
class Triple:
    """A fact as subject-predicate-object over ids, with the span that shows it."""

    subject: str
    predicate: str
    object: str
    evidence: Span | None = None
    properties: tuple[tuple[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "evidence": self.evidence.to_json() if self.evidence else None,
            "properties": dict(self.properties),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Triple":
        ev = d.get("evidence")
        return cls(
            subject=str(d["subject"]),
            predicate=str(d["predicate"]),
            object=str(d["object"]),
            evidence=Span.from_json(ev) if ev else None,
            properties=tuple(sorted((d.get("properties") or {}).items())),
        )


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where an article came from: a path, and the line for corpus rows (1-based)."""

    path: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "SourceRef":
        return cls(str(d.get("path") or ""), d.get("line"))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class Article:
    """An article's metadata and its text as read (the text every offset indexes)."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    url: str | None = None
    author: str | None = None
    source: SourceRef | None = None
    sha256: str = ""
    language: str | None = None
    place: str | None = None  # dateline place, e.g. "Aleppo"
    wire: str | None = None  # canonical agency name when the article is a wire copy
    wire_evidence: Span | None = None
    extra: tuple[tuple[str, Any], ...] = ()  # other metadata columns, kept verbatim

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "author": self.author,
            "source": self.source.to_json() if self.source else None,
            "sha256": self.sha256,
            "language": self.language,
            "place": self.place,
            "wire": self.wire,
            "wire_evidence": self.wire_evidence.to_json() if self.wire_evidence else None,
            "extra": dict(self.extra),
            "text": self.text,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Article":
        src = d.get("source")
        we = d.get("wire_evidence")
        return cls(
            id=str(d["id"]),
            text=str(d.get("text") or ""),
            title=d.get("title"),
            outlet=d.get("outlet"),
            published=d.get("published"),
            url=d.get("url"),
            author=d.get("author"),
            source=SourceRef.from_json(src) if src else None,
            sha256=str(d.get("sha256") or ""),
            language=d.get("language"),
            place=d.get("place"),
            wire=d.get("wire"),
            wire_evidence=Span.from_json(we) if we else None,
            extra=tuple(sorted((d.get("extra") or {}).items())),
        )


@dataclass(frozen=True, slots=True)
class Record:
    """Everything extracted from one article: one line of a records file."""

    article: Article
    assertions: tuple[Assertion, ...] = ()
    entities: tuple[Entity, ...] = ()
    triples: tuple[Triple, ...] = ()
    schema: int = field(default=SCHEMA_VERSION)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "article": self.article.to_json(),
            "assertions": [a.to_json() for a in self.assertions],
            "entities": [e.to_json() for e in self.entities],
            "triples": [t.to_json() for t in self.triples],
        }

    def dumps(self) -> str:
        """One JSONL line (no trailing newline)."""
        return json.dumps(self.to_json(), ensure_ascii=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Record":
        return cls(
            article=Article.from_json(d["article"]),
            assertions=tuple(Assertion.from_json(a) for a in d.get("assertions") or ()),
            entities=tuple(Entity.from_json(e) for e in d.get("entities") or ()),
            triples=tuple(Triple.from_json(t) for t in d.get("triples") or ()),
            schema=int(d.get("schema") or SCHEMA_VERSION),
        )

    @classmethod
    def loads(cls, line: str) -> "Record":
        return cls.from_json(json.loads(line))

    def spans(self) -> Iterator[tuple[str, Span]]:
        """Every span of the record, with where it sits ("assertions[0].content")."""
        if self.article.wire_evidence:
            yield "article.wire_evidence", self.article.wire_evidence
        for i, a in enumerate(self.assertions):
            for name, span in (("speaker.mention", a.speaker.mention), ("cue", a.cue), ("content", a.content)):
                if span is not None:
                    yield f"assertions[{i}].{name}", span
        for i, e in enumerate(self.entities):
            for j, m in enumerate(e.mentions):
                yield f"entities[{i}].mentions[{j}]", m
        for i, t in enumerate(self.triples):
            if t.evidence is not None:
                yield f"triples[{i}].evidence", t.evidence

    def provenance_problem(self) -> str | None:
        """Why this record cannot be trusted as provenance, or None: a newer schema, or a span
        that is not ``article.text[start:end]``.

        >>> text = "Levent said so."
        >>> ok = Record(Article(id="a", text=text), entities=(Entity("p", "Levent", "PERSON", (), (Span(0, 6, "Levent"),)),))
        >>> ok.provenance_problem() is None
        True
        >>> Record(Article(id="a", text=text), entities=(Entity("p", "Levent", "PERSON", (), (Span(1, 7, "Levent"),)),)
        ...        ).provenance_problem()
        "entities[0].mentions[0] [1:7] is 'Levent' but article.text there is 'event '"
        """
        if self.schema > SCHEMA_VERSION:
            return f"schema {self.schema} is newer than this narrativegraph reads ({SCHEMA_VERSION}); upgrade it"
        text = self.article.text
        for where, span in self.spans():
            if not text:
                return f"article.text is missing, so {where} and every other offset point nowhere"
            if text[span.start:span.end] != span.text or not 0 <= span.start <= span.end <= len(text):
                return (f"{where} [{span.start}:{span.end}] is {span.text[:40]!r} but article.text there is "
                        f"{text[span.start:span.end][:40]!r}")
        return None


# ---------------------------------------------------------------- stable ids
def _slug(name: str) -> str:
    """Lower-case, single-spaced, punctuation-free key of a name.

    >>> _slug("  Hediye   Levent ")
    'hediye-levent'
    """
    import re
    import unicodedata

    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^0-9a-zA-Z]+", "-", s.lower()).strip("-")
    return s or "x"


_TYPE_PREFIX = {"PERSON": "person", "ORG": "org", "GROUP": "group", "PLACE": "place",
                "GPE": "place", "LOC": "place", "NORP": "group", "UNKNOWN": "unknown"}


def entity_id(type_: str, name: str) -> str:
    """Stable id of an entity from its type and canonical name.

    >>> entity_id("PERSON", "Hediye Levent")
    'person/hediye-levent'
    """
    return f"{_TYPE_PREFIX.get(type_, type_.lower())}/{_slug(name)}"


def outlet_id(name: str) -> str:
    """Stable id of an outlet.

    >>> outlet_id("Sputnik International")
    'outlet/sputnik-international'
    """
    return f"outlet/{_slug(name)}"


def article_node_id(article_id: str) -> str:
    """Id of an article in triples.

    >>> article_node_id("000_24d1")
    'article/000_24d1'
    """
    return f"article/{article_id}"


def claim_id(article_id: str, start: int, end: int) -> str:
    """Stable id of one claim occurrence: its article and content offsets.

    >>> claim_id("a1", 10, 42)
    'claim/a1@10-42'
    """
    return f"claim/{article_id}@{start}-{end}"


def iter_jsonl(lines: Iterable[str]) -> Iterable[Record]:
    for line in lines:
        if line.strip():
            yield Record.loads(line)
