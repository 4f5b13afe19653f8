"""The extract pipeline on real text: metadata, provenance, masking, order, jobs, filtering."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from narrativegraph.errors import InputError
from narrativegraph.extract import extract, extract_to_file
from narrativegraph.extract.boilerplate import boilerplate_spans
from narrativegraph.extract.pipeline import _keep_confident
from narrativegraph.records import Record

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def seed_record(seed_path: Path) -> Record:
    (record,) = extract([seed_path])
    assert isinstance(record, Record)
    return record


def spans_of(record: Record):
    """Every span a record points into its article text with, and what it is."""
    for a in record.assertions:
        yield "content", a.content
        if a.cue:
            yield "cue", a.cue
        if a.speaker.mention:
            yield "speaker", a.speaker.mention
    for e in record.entities:
        for m in e.mentions:
            yield f"entity {e.name}", m
    for t in record.triples:
        if t.evidence:
            yield f"triple {t.predicate}", t.evidence


def test_seed_article_metadata(seed_record: Record, seed_path: Path):
    a = seed_record.article
    text = seed_path.read_text(encoding="utf-8")
    assert a.id == seed_path.stem and a.text == text
    assert a.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert a.title == "Aleppo Residents Heaved a Sigh of Relief After the City Was Liberated"
    assert (a.outlet, a.place, a.published, a.language) == ("Sputnik International", "Aleppo", "2016-12-09", "en")
    assert a.source.path == str(seed_path)
    assert dict(a.extra)["inferred"] == "title,outlet,published,place,language"


def test_seed_offsets_index_the_text_and_avoid_boilerplate(seed_record: Record):
    text = seed_record.article.text
    furniture = boilerplate_spans(text)
    assert seed_record.assertions, "the seed has statements to extract"
    for what, span in spans_of(seed_record):
        assert text[span.start:span.end] == span.text, what
        for s, e in furniture:
            assert span.end <= s or span.start >= e, f"{what} {span.text!r} overlaps boilerplate {text[s:e]!r}"
    names = {e.name for e in seed_record.entities} | {a.speaker.name for a in seed_record.assertions}
    assert not {n for n in names if "Hassan" in n or "Telegram" in n or "Заголовок" in n}


def test_explicit_metadata_beats_inferred(polnear_dir: Path):
    stem = "breitbart_2016-09-12_stealth-over-health-hillary-clin"
    (record,) = extract([polnear_dir / "dev" / "text" / f"{stem}.txt"],
                        metadata=[polnear_dir / "metadata.tsv"], metadata_id="filename")
    a = record.article
    assert (a.outlet, a.published, a.author) == ("breitbart", "2016-09-12", "Breitbart News")
    assert a.title == "Stealth Over Health: Hillary Clinton Was Headed to ER But Diverted to Avoid Bad Optics"
    assert dict(a.extra)["inferred"] == "language"
    assert dict(a.extra)["wire"] == "None"


def test_errors_keep_their_place_in_the_stream(tmp_path: Path, seed_path: Path):
    (tmp_path / "empty.txt").write_text("")
    items = list(extract([seed_path, tmp_path / "nope.txt", tmp_path / "empty.txt", seed_path]))
    assert [type(i).__name__ for i in items] == ["Record", "InputError", "InputError", "Record"]
    assert str(items[1]) == f"{tmp_path / 'nope.txt'}: no such file or directory"


def test_jobs_give_the_same_records_in_the_same_order(tmp_path: Path):
    """Two worker processes, chunks of 3 articles: the same articles, in order, as one process.

    Compared on the article part: worker processes have their own hash seeds, and the
    attribution stage's output is not yet independent of them (reported to its owner).
    """
    kw = dict(metadata=[EXAMPLES / "metadata.tsv"], batch_size=3)
    one = [r.article for r in extract([EXAMPLES], **kw)]
    two = [r.article for r in extract([EXAMPLES], jobs=2, **kw)]
    assert len(one) == 13
    assert [a.id for a in two] == [a.id for a in one] == sorted(a.id for a in one)
    assert two == one


def test_min_confidence_drops_assertions_and_their_triples(seed_record: Record):
    confidences = sorted(a.confidence for a in seed_record.assertions)
    cut = confidences[len(confidences) // 2]
    assert confidences[0] < cut, "the seed's assertions need different confidences for this test"
    kept = _keep_confident(seed_record, cut)
    assert kept.assertions and all(a.confidence >= cut for a in kept.assertions)
    assert len(kept.assertions) < len(seed_record.assertions)
    dropped = {a.id for a in seed_record.assertions} - {a.id for a in kept.assertions}
    assert not [t for t in kept.triples if t.subject in dropped or t.object in dropped]
    kept_ids = {a.id for a in kept.assertions}
    assert kept_ids <= {t.object for t in kept.triples if t.predicate == "ASSERTS"}
    assert kept.entities == seed_record.entities


def test_extract_to_file_writes_loadable_records(tmp_path: Path, seed_path: Path, seed_record: Record):
    out = tmp_path / "seed.jsonl"
    seen: list[Record] = []
    errs: list[InputError] = []
    stats = extract_to_file([seed_path, tmp_path / "missing"], out, on_record=seen.append, on_error=errs.append)
    assert (stats.articles, stats.failed, stats.assertions) == (1, 1, len(seed_record.assertions))
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["schema"] == 1
    assert line == seen[0].dumps() == seed_record.dumps()
    assert json.loads(Record.loads(line).dumps()) == json.loads(line)
    assert [e.where for e in errs] == [str(tmp_path / "missing")]
