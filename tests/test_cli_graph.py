"""The load, query, queries and export commands end to end on the embedded store."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from narrativegraph.cli import cli

SEED = Path(__file__).resolve().parent / "data" / "seed_records.jsonl"


@pytest.fixture
def db(tmp_path) -> str:
    try:
        from narrativegraph.graph import open_store  # noqa: F401
    except ImportError:
        pytest.skip("narrativegraph.graph.open_store is not available yet")
    path = str(tmp_path / "db")
    result = CliRunner().invoke(cli, ["load", str(SEED), "--db", path], env=EMBEDDED)
    assert result.exit_code == 0, result.output
    return path


EMBEDDED = {"NEO4J_URI": None}  # --db must mean the embedded store even where CI sets NEO4J_URI


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=EMBEDDED if env is None else env)


@pytest.mark.parametrize("command", ["load", "build", "export", "queries", "query"])
def test_graph_commands_have_help_with_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Example: narrativegraph" in result.output


def test_load_twice_reports_nothing_new(db):
    result = invoke("load", str(SEED), "--db", db)
    assert result.exit_code == 0
    assert "1 articles (0 written, 1 unchanged)" in result.output


def test_query_speaker_claims_json_has_article_outlet_offsets(db):
    result = invoke("query", "speaker-claims", "--param", "speaker=Hediye Levent", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    assert {(r["article"], r["outlet"]) for r in rows} == {("000_24d1b39d5706461e", "Sputnik International")}
    assert all(isinstance(r["start"], int) and r["end"] > r["start"] for r in rows)


def test_query_table_and_csv_and_limit(db):
    table = invoke("query", "top-speakers", "--db", db)
    assert table.exit_code == 0 and "Hediye Levent" in table.stdout
    out = invoke("query", "top-speakers", "--format", "csv", "--limit", "2", "--db", db)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["speaker"] for r in rows][:1] == ["Hediye Levent"] and len(rows) == 2


def test_queries_json_lists_names_descriptions_params():
    result = invoke("queries", "--format", "json")
    specs = {q["name"]: q for q in json.loads(result.stdout)}
    assert {"top-speakers", "speaker-claims", "search-claims", "outlet-timeline"} <= set(specs)
    assert specs["speaker-claims"]["params"][0] == {"name": "speaker", "type": "entity", "default": None,
                                                    "required": True}


def test_query_errors_are_one_line(db):
    result = invoke("query", "speaker-claim", "--param", "speaker=x", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Did you mean 'speaker-claims'?" in result.stderr
    missing = invoke("query", "speaker-claims", "--db", db)
    assert missing.exit_code == 1 and "needs --param speaker" in missing.stderr
    bad = invoke("query", "top-speakers", "--param", "limit", "--db", db)
    assert bad.exit_code == 2


def test_ad_hoc_cypher_read_only_unless_write(db):
    ro = invoke("query", "--cypher", "MATCH (c:Claim) DETACH DELETE c", "--db", db)
    assert ro.exit_code == 1 and "--write" in ro.stderr
    ok = invoke("query", "--cypher", "MATCH (c:Claim) WHERE c.start > $s RETURN count(c) AS n",
                "--param", "s=0", "--format", "json", "--db", db)
    assert ok.exit_code == 0 and json.loads(ok.stdout) == [{"n": 6}]  # 0 is a number, not the text "0"
    first = invoke("query", "--cypher", "MATCH (c:Claim) RETURN c.start AS s ORDER BY s LIMIT $n", "-p", "n=2",
                   "--format", "json", "--db", db)
    assert first.exit_code == 0 and len(json.loads(first.stdout)) == 2
    text = invoke("query", "--cypher", "RETURN $a AS a, $b AS b, $c AS c", "-p", 'a="007"', "-p", "b=O'Brien \\ x",
                  "-p", "c=[1, true]", "--format", "json", "--db", db)
    assert json.loads(text.stdout) == [{"a": "007", "b": "O'Brien \\ x", "c": [1, True]}]
    n = invoke("query", "--cypher", "MATCH (c:Claim) RETURN count(c) AS n", "--format", "json", "--db", db)
    assert json.loads(n.stdout) == [{"n": 6}]


def test_bad_records_line_exit_1_rest_loaded(tmp_path):
    try:
        from narrativegraph.graph import open_store  # noqa: F401
    except ImportError:
        pytest.skip("narrativegraph.graph.open_store is not available yet")
    path = tmp_path / "r.jsonl"
    path.write_text(SEED.read_text(encoding="utf-8") + "{broken\n", encoding="utf-8")
    db = str(tmp_path / "db")
    result = invoke("load", str(path), "--db", db)
    assert result.exit_code == 1
    assert f"error: {path}:2: not a narrativegraph record" in result.stderr
    assert "Traceback" not in result.output
    n = invoke("query", "--cypher", "MATCH (a:Article) RETURN count(a) AS n", "--format", "json", "--db", db)
    assert json.loads(n.stdout) == [{"n": 1}]


def test_binary_or_non_utf8_records_files_are_one_line_errors_and_the_rest_loads(tmp_path):
    binary, latin = tmp_path / "photo.jsonl", tmp_path / "latin.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    latin.write_bytes("Caf\u00e9 said so\n".encode("cp1252") + SEED.read_bytes())
    db = str(tmp_path / "db")
    result = invoke("load", str(binary), str(latin), "--db", db)
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert lines == [f"error: {binary}: binary file, not a records file; records files are what "
                     "`narrativegraph extract` writes",
                     f"error: {latin}:1: not UTF-8 (invalid continuation byte at byte 3); records files are what "
                     "`narrativegraph extract` writes"]
    n = invoke("query", "--cypher", "MATCH (a:Article) RETURN count(a) AS n", "--format", "json", "--db", db)
    assert json.loads(n.stdout) == [{"n": 1}]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_formats_read_back(db, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    result = invoke("export", "--format", fmt, "-o", str(out), "--db", db)
    assert result.exit_code == 0, result.output
    if fmt == "graphml":
        g = nx.read_graphml(out)
    elif fmt == "gexf":
        ET.parse(out)
        g = nx.read_gexf(out)
    else:
        g = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    ids = set(g.nodes)
    assert {"person/hediye-levent", "000_24d1b39d5706461e", "outlet/sputnik-international"} <= ids
    types = {d.get("label") for _, _, d in g.edges(data=True)}
    assert {"PUBLISHED", "ASSERTS", "REPORTS", "MENTIONS", "SPOKE_TO", "AFFILIATED_WITH"} <= types
    node = g.nodes["person/hediye-levent"]
    assert node["kind"] == "Person"
    if fmt == "json":
        assert isinstance(node["aliases"], list)
    else:
        assert "Levent" in node["aliases"]


def test_done_when_build_the_seed_then_query_levent(tmp_path, seed_path):
    try:
        from narrativegraph.graph import open_store  # noqa: F401
    except ImportError:
        pytest.skip("narrativegraph.graph.open_store is not available yet")
    db, out = str(tmp_path / "db"), tmp_path / "seed.jsonl"
    built = invoke("build", str(seed_path.parent), "--records", str(out), "--db", db)
    assert built.exit_code == 0, built.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    result = invoke("query", "speaker-claims", "--param", "speaker=Hediye Levent", "--format", "json", "--db", db)
    rows = json.loads(result.stdout)
    text = seed_path.read_text(encoding="utf-8")
    assert len(rows) >= 3
    assert {r["outlet"] for r in rows} == {"Sputnik International"}
    assert all(text[r["start"]:r["end"]] == r["claim"] for r in rows)
    assert any("no such thing as 'carnage'" in r["claim"] for r in rows)
    again = invoke("build", str(seed_path.parent), "--db", db)
    assert "(0 written, 1 unchanged)" in again.output


@pytest.mark.neo4j
def test_done_when_on_neo4j_too(tmp_path):
    import os

    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI not set: start Neo4j with tools/neo4j/start")
    env = {}  # NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD from the environment select Neo4j
    wipe = invoke("query", "--cypher", "MATCH (n) DETACH DELETE n", "--write", env=env)
    assert wipe.exit_code == 0, wipe.output
    assert invoke("load", str(SEED), env=env).exit_code == 0
    again = invoke("load", str(SEED), env=env)
    assert "(0 written, 1 unchanged)" in again.output and "neo4j" in again.output
    rows = json.loads(invoke("query", "speaker-claims", "--param", "speaker=Hediye Levent", "--format", "json",
                             env=env).stdout)
    assert len(rows) == 3 and {r["outlet"] for r in rows} == {"Sputnik International"}


@pytest.mark.parametrize("command", [["query", "top-speakers"], ["export", "-o", "{tmp}/g.graphml"], ["narratives"],
                                     ["link"], ["viz", "-o", "{tmp}/g.html"]])
def test_reading_a_db_that_does_not_exist_is_an_error_not_an_empty_graph(tmp_path, command):
    """A mistyped --db must not answer "(no rows)" and leave a new empty store behind."""
    missing = tmp_path / "typo.db"
    result = invoke(*(arg.format(tmp=tmp_path) for arg in command), "--db", str(missing))
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and "no embedded store here yet" in result.stderr
    assert not missing.exists()
    made = invoke("query", "--cypher", "CREATE (:Note {text: 'x'})", "--write", "--db", str(missing))
    assert made.exit_code == 0 and missing.is_dir()  # writing may start a store
