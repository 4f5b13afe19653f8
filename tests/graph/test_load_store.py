"""Loading into real stores (embedded FalkorDB always, Neo4j when NEO4J_URI is set).

Idempotence, replacing a changed article, recovery from an interrupted load, and bad
records lines, all on the seed article and renamed copies of it.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from narrativegraph.graph.load import load_files, load_records
from narrativegraph.records import Record, claim_id

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_records.jsonl"
MODEL_LABELS = ("Outlet", "Article", "Claim", "Entity")
MODEL_RELS = ("PUBLISHED", "REPORTS", "ASSERTS", "MENTIONS", "SPOKE_TO", "AFFILIATED_WITH")


def seed() -> Record:
    return Record.loads(SEED.read_text(encoding="utf-8").splitlines()[0])


def copy_of(rec: Record, n: int, outlet: str) -> Record:
    """The same article under another id, outlet and day (as a syndicated copy would be)."""
    aid = f"{rec.article.id}-copy{n}"
    art = dataclasses.replace(rec.article, id=aid, outlet=outlet, published=f"2016-12-{15 + n:02d}")
    asserts = tuple(dataclasses.replace(a, id=claim_id(aid, a.content.start, a.content.end)) for a in rec.assertions)
    return dataclasses.replace(rec, article=art, assertions=asserts)


def corpus() -> list[Record]:
    rec = seed()
    return [rec, *(copy_of(rec, n, o) for n, o in enumerate(["RT", "Sputnik International", "Breitbart",
                                                              "Global Research", "RT"], 1))]


def dump(store) -> tuple[list, list]:
    """Every node and relationship of the graph model, as sorted plain values."""
    nodes = []
    for label in MODEL_LABELS:
        for r in store.run(f"MATCH (n:{label}) RETURN labels(n) AS labels, properties(n) AS props"):
            nodes.append(json.dumps([sorted(r["labels"]), r["props"]], sort_keys=True, default=str))
    rels = []
    for t in MODEL_RELS:
        for r in store.run(f"MATCH (a)-[r:{t}]->(b) RETURN a.id AS a, b.id AS b, properties(r) AS props"):
            rels.append(json.dumps([t, r["a"], r["b"], r["props"]], sort_keys=True, default=str))
    return sorted(set(nodes)), sorted(rels)


def counts(store) -> dict[str, int]:
    out = {label: store.run(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"] for label in MODEL_LABELS}
    out.update({t: store.run(f"MATCH ()-[r:{t}]->() RETURN count(r) AS n")[0]["n"] for t in MODEL_RELS})
    return out


def test_seed_loads_the_model(store):
    stats = load_records(store, [seed()], hooks=False)
    assert (stats.articles, stats.written, stats.skipped) == (1, 1, 0)
    c = counts(store)
    assert c["Article"] == 1 and c["Claim"] == 6 and c["ASSERTS"] == 6 and c["REPORTS"] == 6
    assert c["PUBLISHED"] == 1 and c["SPOKE_TO"] == 2 and c["AFFILIATED_WITH"] == 1
    rows = store.run("MATCH (p:Entity:Person {id: 'person/hediye-levent'})-[r:ASSERTS]->(c:Claim) "
                     "RETURN r.cue AS cue, c.start AS start, c.end AS end, c.text AS text ORDER BY start")
    text = seed().article.text
    assert [r["cue"] for r in rows] == ["told Sputnik", "stressed", "highlighted"]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    art = store.run("MATCH (o:Outlet)-[:PUBLISHED]->(a:Article) RETURN o.name AS outlet, a.day AS day, "
                    "a.published AS published")
    assert art == [{"outlet": "Sputnik International", "day": 17150, "published": "2016-12-15"}]
    group = store.run("MATCH (g:Entity:Group)-[:ASSERTS]->() RETURN g.name AS name")
    assert group == [{"name": "Western media sources"}]


def test_loading_twice_changes_nothing(store):
    recs = corpus()
    load_records(store, recs, hooks=False)
    before = dump(store)
    again = load_records(store, recs, hooks=False)
    assert (again.written, again.skipped) == (0, len(recs))
    assert dump(store) == before


def test_changed_text_replaces_the_articles_subgraph(store):
    rec = seed()
    load_records(store, [rec], hooks=False)
    cut = rec.article.text.rfind("\n", 0, rec.article.text.index("Lavrov pointed out"))  # his paragraph
    text = rec.article.text[:cut]
    changed = dataclasses.replace(
        rec,
        article=dataclasses.replace(rec.article, text=text, sha256=hashlib.sha256(text.encode()).hexdigest()),
        assertions=tuple(a for a in rec.assertions if a.content.end <= cut),
        entities=tuple(dataclasses.replace(e, mentions=tuple(m for m in e.mentions if m.end <= cut))
                       for e in rec.entities if any(m.end <= cut for m in e.mentions)),
    )
    assert len(changed.assertions) == 5
    stats = load_records(store, [changed], hooks=False)
    assert stats.written == 1
    c = counts(store)
    assert c["Claim"] == 5 and c["ASSERTS"] == 5 and c["Article"] == 1
    assert store.run("MATCH (c:Claim) WHERE c.end > $cut RETURN c.id AS id", {"cut": cut}) == []
    # Lavrov said nothing any more and is mentioned nowhere: gone
    assert store.run("MATCH (p:Person {id: 'person/sergei-lavrov'}) RETURN p.id AS id") == []
    assert store.run("MATCH (a:Article) RETURN a.sha256 AS sha") == [{"sha": changed.article.sha256}]


class Interrupting:
    """A real store that fails after ``n`` batched writes, as a killed load would."""

    def __init__(self, store, n: int):
        self._store, self._left = store, n
        self.kind = store.kind

    def __getattr__(self, name):
        return getattr(self._store, name)

    def write_batches(self, cypher, rows, *, batch_size=1000):
        if self._left <= 0:
            raise KeyboardInterrupt
        self._left -= 1
        return self._store.write_batches(cypher, rows, batch_size=batch_size)


@pytest.mark.parametrize("fail_after", [3, 9, 14])
def test_interrupted_load_run_again_equals_one_clean_load(store, fail_after):
    recs = corpus()
    load_records(store, recs[:3], hooks=False)  # half loaded earlier
    with pytest.raises(KeyboardInterrupt):
        load_records(Interrupting(store, fail_after), recs, batch_size=2, hooks=False)
    load_records(store, recs, hooks=False)
    recovered = dump(store)
    store.clear()
    load_records(store, recs, hooks=False)
    assert recovered == dump(store)


class InterruptingAt(Interrupting):
    """A real store that fails at the first batched write whose Cypher contains ``marker``."""

    def __init__(self, store, marker: str):
        super().__init__(store, 1)
        self._marker = marker

    def write_batches(self, cypher, rows, *, batch_size=1000):
        if self._marker in cypher:
            raise KeyboardInterrupt
        return self._store.write_batches(cypher, rows, batch_size=batch_size)


def full_dump(store) -> list[str]:
    """Every node and relationship, model and post-load stages (copies, narratives, spread) alike."""
    nodes = store.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = store.run("MATCH (a)-[r]->(b) RETURN a.id AS a, b.id AS b, type(r) AS t, properties(r) AS props")
    return sorted(json.dumps(x, sort_keys=True, default=str) for x in [
        *([sorted(r["labels"]), r["props"]] for r in nodes), *([r["t"], r["a"], r["b"], r["props"]] for r in rels)])


@pytest.mark.parametrize("marker", ["COPY_OF", "IN_BAND", "PART_OF", "CARRIED"])
def test_load_interrupted_in_the_post_load_stage_finishes_it_when_run_again(store, marker):
    recs = corpus()  # six copies of the seed: copies, narratives and spread all have work to do
    with pytest.raises(KeyboardInterrupt):
        load_records(InterruptingAt(store, marker), recs)
    again = load_records(store, recs)
    assert (again.written, again.skipped) == (0, len(recs))  # the articles themselves were all in
    recovered = full_dump(store)
    store.clear()
    load_records(store, recs)
    clean = full_dump(store)
    assert any('"Narrative"' in x for x in clean) and any('"COPY_OF"' in x for x in clean)
    assert recovered == clean
    assert load_records(store, recs).written == 0 and full_dump(store) == clean


def test_bad_records_line_names_file_and_line_and_the_rest_loads(store, tmp_path):
    path = tmp_path / "records.jsonl"
    good = [r.dumps() for r in corpus()[:2]]
    path.write_text("\n".join([good[0], '{"article": {"text": "no id"}}', "not json", good[1]]) + "\n",
                    encoding="utf-8")
    stats = load_files(store, [path], hooks=False)
    assert stats.articles == 2
    assert len(stats.errors) == 2
    assert stats.errors[0].startswith(f"{path}:2: ") and stats.errors[1].startswith(f"{path}:3: ")
    assert all("\n" not in e for e in stats.errors)


def test_records_whose_offsets_do_not_index_their_text_are_refused(store, tmp_path):
    """A hand-edited or truncated line must not put facts without provenance into the graph."""
    good = seed().to_json()
    shifted = json.loads(json.dumps(good))
    shifted["article"]["id"] = "shifted"
    shifted["assertions"][0]["content"]["start"] += 5
    textless = json.loads(json.dumps(good))
    textless["article"]["id"] = "textless"
    del textless["article"]["text"]
    newer = {**json.loads(json.dumps(good)), "schema": 99}
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (shifted, textless, newer, good)), encoding="utf-8")
    stats = load_files(store, [path], hooks=False)
    assert stats.articles == 1 and len(stats.errors) == 3
    shifted_c = shifted["assertions"][0]["content"]
    assert stats.errors[0] == (f"{path}:1: article 'shifted': assertions[0].content [{shifted_c['start']}:"
                               f"{shifted_c['end']}] is {shifted_c['text'][:40]!r} but article.text there is "
                               f"{seed().article.text[shifted_c['start']:shifted_c['end']][:40]!r}; extract it again")
    assert stats.errors[1].startswith(f"{path}:2: article 'textless': article.text is missing")
    assert stats.errors[2].startswith(f"{path}:3: article '000_24d1b39d5706461e': schema 99 is newer")
    assert store.run("MATCH (a:Article) RETURN a.id AS id") == [{"id": "000_24d1b39d5706461e"}]


def test_export_leaves_out_bookkeeping_and_keeps_every_property(store):
    """Band keys, fingerprints and signatures stay home; an agency's kind and a narrative's label survive."""
    from narrativegraph.graph.export import to_networkx

    recs = corpus()
    recs[1] = dataclasses.replace(recs[1], article=dataclasses.replace(recs[1].article, wire="AP"))
    load_records(store, recs)
    assert store.run("MATCH (b:Band) RETURN count(b) AS n")[0]["n"] > 0  # there is bookkeeping to leave out
    g = to_networkx(store)
    assert not [n for n in g if n.startswith("node/")]  # every exported node has a stable id
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert {"Article", "Claim", "Outlet", "Person", "Narrative"} <= kinds and not kinds & {"Band", "CopyBand"}
    assert not {d["type"] for *_, d in g.edges(data=True)} & {"IN_BAND", "IN_COPY_BAND"}
    assert not any(k in d for _, d in g.nodes(data=True) for k in ("fingerprint", "copy_sig", "postload_pending"))
    assert g.nodes["outlet/ap"]["kind"] == "Outlet" and g.nodes["outlet/ap"]["outlet_kind"] == "agency"
    (narrative,) = store.run("MATCH (n:Narrative) RETURN n.id AS id, n.label AS label ORDER BY id LIMIT 1")
    assert g.nodes[narrative["id"]]["label"] == narrative["label"] != narrative["id"]
    everything = to_networkx(store, internal=True)
    assert everything.number_of_nodes() > g.number_of_nodes() and "fingerprint" in everything.nodes[recs[0].article.id]
