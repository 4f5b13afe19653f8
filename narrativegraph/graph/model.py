"""The graph model: records turned into plain node and edge rows, one list per Cypher statement.

Rows are plain dicts (str, int, float, bool, None, lists of str) so both stores take them
as parameters unchanged. Ids are the stable ids of `narrativegraph.records`; person ids
are the cross-article ones `identity.resolve` gives.

Labels (see docs/schema.md):

    PERSON -> :Entity:Person          ORG            -> :Entity:Organization
    PLACE, GPE, LOC -> :Entity:Place   GROUP, NORP    -> :Entity:Group
    UNKNOWN -> :Entity:Unknown         anything else  -> :Entity:Other
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from narrativegraph.graph.copies import article_fingerprint
from narrativegraph.outlet_names import canonical_outlet
from narrativegraph.records import Record, entity_id, outlet_id

__all__ = [
    "ENTITY_LABELS",
    "LABEL_OF_TYPE",
    "ArticleRows",
    "article_rows",
    "day_number",
    "entity_label",
    "node_label",
]

LABEL_OF_TYPE = {
    "PERSON": "Person",
    "ORG": "Organization",
    "PLACE": "Place",
    "GPE": "Place",
    "LOC": "Place",
    "GROUP": "Group",
    "NORP": "Group",
    "UNKNOWN": "Unknown",
}
ENTITY_LABELS = ("Person", "Organization", "Place", "Group", "Unknown", "Other")

Row = dict[str, Any]


def entity_label(type_: str) -> str:
    """The second label of an entity of this type.

    >>> entity_label("GPE"), entity_label("EVENT")
    ('Place', 'Other')
    """
    return LABEL_OF_TYPE.get((type_ or "").upper(), "Other")


_LABEL_OF_PREFIX = {"person": "Person", "org": "Organization", "place": "Place", "group": "Group",
                    "unknown": "Unknown"}


def node_label(eid: str, type_: str) -> str:
    """The label of an entity id: its prefix decides, so one id never gets two labels.

    >>> node_label("person/x", "UNKNOWN"), node_label("event/y", "EVENT")
    ('Person', 'Other')
    """
    return _LABEL_OF_PREFIX.get(eid.split("/", 1)[0]) or entity_label(type_)


def day_number(published: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date or datetime; date arithmetic both stores can do.

    >>> day_number("1970-01-02"), day_number("2016-12-14T10:00:00+03:00"), day_number("soon")
    (1, 17149, None)
    """
    if not published:
        return None
    try:
        day = _dt.date.fromisoformat(str(published)[:10])
    except ValueError:
        return None
    return (day - _dt.date(1970, 1, 1)).days


def _names_same(mention: str, name: str) -> bool:
    """Whether a mention is a form of the name ("Levent", "Mr. Levent"), not "she" or a description.

    >>> _names_same("Levent", "Hediye Levent"), _names_same("She", "Hediye Levent")
    (True, False)
    >>> _names_same("the Turkish journalist", "Hediye Levent")
    False
    """
    from narrativegraph.graph.identity import name_key

    m, n = name_key(mention), name_key(name)
    return bool(m and n) and set(m.split()) <= set(n.split())


def _outlet_name(name: str) -> str:
    """The canonical spelling of an outlet, as extraction spells it in its triples."""
    return canonical_outlet(name) or name.strip()


def _outlet_ref(value: str) -> tuple[str, str]:
    """(id, name) of an outlet given as an id ("outlet/sputnik") or a name ("Sputnik")."""
    if value.startswith("outlet/"):
        return value, value.split("/", 1)[1].replace("-", " ").title()
    name = _outlet_name(value)
    return outlet_id(name), name


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """Every row one article contributes, grouped by the statement that writes it."""

    article_id: str
    article: Row
    outlet: Row | None
    entities: tuple[Row, ...]  # {id, name, type, label, aliases}
    claims: tuple[Row, ...]
    asserts: tuple[Row, ...]
    mentions: tuple[Row, ...]
    spoke_to: tuple[Row, ...]
    affiliated: tuple[Row, ...]
    fingerprint: str = field(default="")

    def relationship_count(self) -> int:
        return (len(self.claims) + len(self.asserts) + len(self.mentions) + len(self.spoke_to)
                + len(self.affiliated) + (1 if self.outlet else 0))


def article_rows(record: Record, person_ids: Mapping[str, str] | None = None) -> ArticleRows:
    """The rows of one record; ``person_ids`` maps record-level person ids to canonical ones.

    >>> from narrativegraph.records import Article
    >>> rows = article_rows(Record(Article(id="a1", text="Hi", outlet="Sputnik", published="2016-12-14")))
    >>> rows.article["day"], rows.outlet
    (17149, {'id': 'outlet/sputnik', 'name': 'Sputnik'})
    """
    person_ids = dict(person_ids or {})
    a = record.article
    aid = a.id

    def canon(type_: str, eid: str) -> str:
        return person_ids.get(eid, eid) if entity_label(type_) == "Person" else eid

    outlet_name = _outlet_name(a.outlet) if a.outlet else None
    outlet = {"id": outlet_id(outlet_name), "name": outlet_name} if outlet_name else None
    article = {
        "id": aid,
        "title": a.title,
        "published": a.published,
        "day": day_number(a.published),
        "url": a.url,
        "author": a.author,
        "sha256": a.sha256,
        "language": a.language,
        "place": a.place,
        "wire": a.wire,
        "source": str(a.source) if a.source else None,
        "length": len(a.text),
        "outlet_id": outlet["id"] if outlet else None,
        **article_fingerprint(a.text),  # copy_n, copy_sig: copy detection (graph/copies.py)
    }

    entities: dict[str, Row] = {}

    def add_entity(eid: str, name: str, type_: str, aliases: tuple[str, ...] = ()) -> None:
        row = entities.get(eid)
        if row is None:
            row = entities[eid] = {"id": eid, "name": name, "type": type_.upper(),
                                   "label": node_label(eid, type_), "aliases": []}
        for alias in (name, *aliases):
            if alias and alias not in row["aliases"]:
                row["aliases"].append(alias)

    mentions: dict[str, int] = {}
    for e in record.entities:
        eid = canon(e.type, e.id)
        add_entity(eid, e.name, e.type, e.aliases)
        mentions[eid] = mentions.get(eid, 0) + max(1, len(e.mentions))

    claims: dict[str, Row] = {}
    asserts: dict[tuple[str, str], Row] = {}
    affiliated: dict[tuple[str, str], Row] = {}
    for s in record.assertions:
        sp = s.speaker
        sid = canon(sp.type, sp.entity_id or entity_id(sp.type, sp.name))
        add_entity(sid, sp.name, sp.type, (sp.mention.text,) if sp.mention and _names_same(sp.mention.text, sp.name)
                   else ())
        cid = s.id
        claims.setdefault(cid, {"id": cid, "text": s.content.text, "article_id": aid,
                                "start": s.content.start, "end": s.content.end, "kind": s.kind, "form": s.form})
        asserts.setdefault((sid, cid), {
            "speaker_id": sid,
            "claim_id": cid,
            "article_id": aid,
            "cue": s.cue.text if s.cue else None,
            "cue_lemma": s.cue.lemma if s.cue else None,
            "cue_start": s.cue.start if s.cue else None,
            "cue_end": s.cue.end if s.cue else None,
            "mention": sp.mention.text if sp.mention else None,
            "mention_start": sp.mention.start if sp.mention else None,
            "mention_end": sp.mention.end if sp.mention else None,
            "kind": s.kind,
            "confidence": round(float(s.confidence), 4),
            "start": s.content.start,
            "end": s.content.end,
        })
        if sp.affiliation and entity_label(sp.type) == "Person":
            oid = entity_id("ORG", sp.affiliation)
            add_entity(oid, sp.affiliation, "ORG")
            affiliated.setdefault((sid, oid), {"person_id": sid, "org_id": oid,
                                                        "role": sp.role, "article_id": aid})

    spoke_to: dict[tuple[str, str], Row] = {}
    for t in record.triples:
        pred = t.predicate.upper()
        if pred == "SPOKE_TO":
            pid = person_ids.get(t.subject, t.subject)
            if pid not in entities:
                continue
            oid, oname = _outlet_ref(t.object)
            oname = str(dict(t.properties).get("outlet") or oname)
            spoke_to.setdefault((pid, oid), {"person_id": pid, "outlet_id": oid, "outlet_name": oname,
                                              "article_id": aid})
        elif pred == "AFFILIATED_WITH":
            pid = person_ids.get(t.subject, t.subject)
            if pid not in entities:
                continue
            props = dict(t.properties)
            if "/" in t.object:
                oid = t.object
                oname = (entities[oid]["name"] if oid in entities else props.get("organisation")
                         or t.object.split("/", 1)[1].replace("-", " ").title())
            else:
                oid, oname = entity_id("ORG", t.object), t.object
            add_entity(oid, oname, "ORG" if oid.startswith("org/") else entities.get(oid, {}).get("type", "ORG"))
            role = props.get("role")
            affiliated.setdefault((pid, oid), {"person_id": pid, "org_id": oid, "role": role,
                                                     "article_id": aid})

    for row in entities.values():
        row["aliases"] = sorted(row["aliases"])
    rows = ArticleRows(
        article_id=aid,
        article=article,
        outlet=outlet,
        entities=tuple(sorted(entities.values(), key=lambda r: r["id"])),
        claims=tuple(sorted(claims.values(), key=lambda r: r["id"])),
        asserts=tuple(sorted(asserts.values(), key=lambda r: (r["speaker_id"], r["claim_id"]))),
        mentions=tuple({"article_id": aid, "entity_id": k, "count": v} for k, v in sorted(mentions.items())),
        spoke_to=tuple(spoke_to[k] for k in sorted(spoke_to)),
        affiliated=tuple(affiliated[k] for k in sorted(affiliated)),
    )
    return _with_fingerprint(rows)


def _with_fingerprint(rows: ArticleRows) -> ArticleRows:
    """Hash of every article-level row: equal fingerprints mean nothing to rewrite."""
    payload = {
        "article": rows.article, "outlet": rows.outlet, "claims": rows.claims, "asserts": rows.asserts,
        "mentions": rows.mentions, "spoke_to": rows.spoke_to, "affiliated": rows.affiliated,
        "entities": [(e["id"], e["label"]) for e in rows.entities],
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return dataclasses.replace(rows, fingerprint=digest)
