"""The `outlets` command: profiles applied to a built store; a bad table is one line naming file and line."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from narrativegraph.cli import cli

EXAMPLE_OUTLETS = Path(__file__).resolve().parents[2] / "examples" / "outlets.csv"


def test_bad_table_is_one_line(tmp_path):
    bad = tmp_path / "outlets.csv"
    bad.write_text("name,state_affiliated\nRT,yes\nBBC,perhaps\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["outlets", str(bad), "--db", str(tmp_path / "db")])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {bad}:3: state_affiliated must be yes/no/true/false or empty, not 'perhaps'"


@pytest.mark.parametrize("content, line, problem", [
    (b"name,country\nLe Monde,FR\nCaf\xe9 Babel,FR\n", 3, "is not UTF-8 (byte 0xe9)"),  # saved as latin-1
    (b"\xff\xfen\x00a\x00m\x00e\x00\n\x00", 1, "is not UTF-8 (byte 0xff)"),  # UTF-16
    (b"name,country,owner\n\nRT,RU,ANO TV-Novosti\n\nSputnik,RU,Rossiya Segodnya, FSUE\n", 5,
     "row has 4 cells but the header has 3"),  # blank lines do not shift the line number
    (b'name,notes,state_affiliated\nRT,"two\nlines",yes\nBBC,x,perhaps\n', 4, "state_affiliated must be"),
    (b'name,country\n"RT,RU\nBBC,GB\n', 2, "check its quotes"),  # unterminated quote
])
def test_bad_row_is_one_line_naming_file_and_line(tmp_path, content, line, problem):
    bad = tmp_path / "outlets.csv"
    bad.write_bytes(content)
    result = CliRunner().invoke(cli, ["outlets", str(bad), "--db", str(tmp_path / "db")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # not a traceback
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert result.output.startswith(f"error: {bad}:{line}: ") and problem in result.output, result.output


def test_outlets_command_profiles_the_graph(tmp_path, polnear_rows):
    import pytest

    try:
        from narrativegraph.graph import open_store
    except ImportError:
        pytest.skip("narrativegraph.graph.open_store is not available")
    from narrativegraph.graph.load import load_records
    from narrativegraph.records import Article, Record

    db = tmp_path / "db"
    row = next(r for r in polnear_rows if r["publisher"] == "usa-today")
    with open_store(path=str(db)) as s:
        load_records(s, [Record(Article(id=row["filename"], text=row["text"], outlet="usa-today"))])
    result = CliRunner().invoke(cli, ["outlets", str(EXAMPLE_OUTLETS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 outlets profiled" in result.output
    with open_store(path=str(db)) as s:
        assert s.run("MATCH (o:Outlet {id: 'outlet/usa-today'}) RETURN o.owner AS owner") == [{"owner": "Gannett"}]


def test_load_outlets_and_query_group_by(tmp_path, polnear_rows):
    import json

    from narrativegraph.records import Article, Record

    recs = tmp_path / "records.jsonl"
    picked = [r for r in polnear_rows if r["compartment"] == "dev"][::10]
    recs.write_text("".join(Record(Article(id=r["filename"], text=r["text"], outlet=r["publisher"],
                                           published=r["publication_date"])).dumps() + "\n" for r in picked),
                    encoding="utf-8")
    db = str(tmp_path / "db")
    runner = CliRunner()
    result = runner.invoke(cli, ["load", str(recs), "--outlets", str(EXAMPLE_OUTLETS), "--db", db])
    assert result.exit_code == 0, result.output
    plain = json.loads(runner.invoke(cli, ["query", "wire-share", "--format", "json", "--db", db]).output)
    assert {r["outlet"] for r in plain} == {r["publisher"] for r in picked}
    result = runner.invoke(cli, ["query", "wire-share", "--group-by", "country", "--format", "json", "--db", db])
    assert result.exit_code == 0, result.output
    grouped = json.loads(result.output)
    assert [g["country"] for g in grouped] == ["US"]
    assert grouped[0]["articles"] == len(picked) and sorted(grouped[0]["outlets"]) == sorted(r["outlet"] for r in plain)


def test_extract_agencies_option_marks_wire_copies(tmp_path, seed_path):
    """`extract --agencies` extends the built-in table; a bad table is one line, exit 1."""
    import json

    from click.testing import CliRunner

    from narrativegraph.cli import cli

    table = tmp_path / "more.csv"
    table.write_text("name,aliases,dateline,pattern\n"
                     "Sputnik,Sputnik International,Sputnik,(?m)^[A-Z][\\w ]+ - Sputnik International$\n",
                     encoding="utf-8")
    out = tmp_path / "seed.jsonl"
    res = CliRunner().invoke(cli, ["extract", str(seed_path), "-o", str(out), "--agencies", str(table), "-q"])
    assert res.exit_code == 0, res.output
    article = json.loads(out.read_text(encoding="utf-8"))["article"]
    assert article["wire"] == "Sputnik"
    ev = article["wire_evidence"]
    assert article["text"][ev["start"]:ev["end"]] == ev["text"] == "Aleppo - Sputnik International"

    res = CliRunner().invoke(cli, ["extract", str(seed_path), "-o", str(out), "--agencies", str(tmp_path / "no.csv")])
    assert res.exit_code == 1
    assert "no.csv" in res.output and "Traceback" not in res.output
