"""`narrativegraph extract`: bad inputs get one line each, the rest is extracted, exit codes hold."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrativegraph.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, ["extract", *args], input=input)


def ids(path: Path) -> list[str]:
    return [json.loads(line)["article"]["id"] for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "in"
    d.mkdir()
    files = {
        "empty": d / "empty.txt",
        "binary": d / "binary.txt",
        "undecodable": d / "undecodable.txt",
        "jsonl": d / "corpus.jsonl",
        "csv": d / "corpus.csv",
        "notext": d / "blank.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    import random
    files["undecodable"].write_bytes(random.Random(0).randbytes(3000).replace(b"\x00", b"\x01"))
    files["jsonl"].write_text('{"id": "j1", "text": "Levent told Sputnik that the city was calm."}\n'
                              '{"id": "j2", "text": "broken\n'
                              '{"id": "j3", "text": "Lavrov said the reports were false."}\n', encoding="utf-8")
    files["csv"].write_text('id,text,publisher\nc1,"Le Corf said people were happy.",Sputnik France\n'
                            'c2,one,two,three\n', encoding="utf-8")
    files["notext"].write_text("   \n\n")
    return files


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_bad_input_gets_one_line_and_the_rest_is_extracted(tmp_path: Path, seed_path: Path, bad_inputs, jobs):
    """The same lines, records and order whether one process extracts or two workers do."""
    out = tmp_path / "out.jsonl"
    missing = tmp_path / "missing.txt"
    result = run(str(seed_path), str(missing), *map(str, bad_inputs.values()), "-o", str(out), "--quiet",
                 "--jobs", jobs)
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.splitlines()
    assert lines == [
        f"error: {missing}: no such file or directory",
        f"error: {bad_inputs['empty']}: empty file",
        f"error: {bad_inputs['binary']}: binary file (contains NUL bytes), not text; give .txt, .html, .jsonl, .csv or .tsv",
        f"error: {bad_inputs['undecodable']}: cannot detect the text encoding; convert the file to UTF-8",
        f"error: {bad_inputs['jsonl']}:2: not valid JSON: Unterminated string starting at (column 22)",
        f"error: {bad_inputs['csv']}:3: row has 4 fields, the header has 3",
        f"error: {bad_inputs['notext']}: article has no text",
    ]
    assert ids(out) == [seed_path.stem, "j1", "j3", "c1"]
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[3]["article"]["outlet"] == "Sputnik France"
    assert records[1]["article"]["source"] == {"path": str(bad_inputs["jsonl"]), "line": 1}


def test_a_folder_with_bad_files_is_still_extracted(tmp_path: Path, seed_path: Path, bad_inputs):
    folder = bad_inputs["empty"].parent
    (folder / "seed.txt").write_bytes(seed_path.read_bytes())
    out = tmp_path / "out.jsonl"
    result = run(str(folder), "-o", str(out), "--quiet")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 6  # every bad file and line, once
    assert set(ids(out)) == {"seed", "j1", "j3", "c1"}


def test_all_good_exits_0_with_a_summary(tmp_path: Path):
    out = tmp_path / "examples.jsonl"
    result = run(str(EXAMPLES), "-o", str(out), "--metadata", str(EXAMPLES / "metadata.tsv"))
    assert result.exit_code == 0, result.stderr
    assert len(ids(out)) == 13
    assert result.stderr.startswith(f"13 articles, ")
    assert f"written to {out}" in result.stderr
    outlets = {json.loads(l)["article"]["outlet"] for l in out.read_text(encoding="utf-8").splitlines()}
    assert outlets == {"Sputnik International", "breitbart", "huff-post", "nyt", "politico", "usa-today",
                       "wash-post", "west-journal"}


def test_stdin_to_stdout():
    result = run("-", "-o", "-", "--quiet", input="Hediye Levent said the city was calm.\r\n".encode())
    assert result.exit_code == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["article"]["id"] == "stdin"
    assert record["article"]["text"] == "Hediye Levent said the city was calm.\n"


def test_min_confidence_option(tmp_path: Path, seed_path: Path):
    out = tmp_path / "out.jsonl"
    assert run(str(seed_path), "-o", str(out), "--min-confidence", "0.85", "-q").exit_code == 0
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["assertions"] and all(a["confidence"] >= 0.85 for a in record["assertions"])


@pytest.mark.parametrize("args, message", [
    ([], "Missing argument 'INPUT...'"),
    (["x.txt"], "Missing option '-o'"),
    (["x.txt", "-o", "o.jsonl", "--jobs", "0"], "Invalid value for '-j' / '--jobs'"),
    (["x.txt", "-o", "o.jsonl", "--min-confidence", "2"], "Invalid value for '--min-confidence'"),
])
def test_usage_errors_exit_2(args: list[str], message: str):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_metadata_table_and_unwritable_output_are_one_line_errors(tmp_path: Path, seed_path: Path):
    result = run(str(seed_path), "-o", str(tmp_path / "o.jsonl"), "--metadata", str(tmp_path / "none.tsv"))
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'none.tsv'}: metadata table not found\n"
    result = run(str(seed_path), "-o", str(tmp_path / "no" / "dir" / "o.jsonl"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'no' / 'dir' / 'o.jsonl'}: cannot write the records file")


def test_unknown_model_is_one_line_error(tmp_path: Path, seed_path: Path):
    result = run(str(seed_path), "-o", str(tmp_path / "o.jsonl"), "--model", "xx_no_such_model")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: spaCy model 'xx_no_such_model' is not installed")
    assert len(result.stderr.splitlines()) == 1


def test_real_process_with_polnear_metadata_and_jobs(tmp_path: Path, polnear_dir: Path):
    """The installed command, two workers, PolNeAR's metadata table joined by filename."""
    texts = sorted((polnear_dir / "dev" / "text").glob("politico_*.txt"))[:4]
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "CI": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "narrativegraph", "extract", *map(str, texts), "-o", str(out), "--jobs", "2",
         "--metadata", str(polnear_dir / "metadata.tsv"), "--metadata-id", "filename"],
        capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["article"]["id"] for r in records] == [t.stem for t in texts]
    assert {r["article"]["outlet"] for r in records} == {"politico"}
    assert all(r["article"]["published"].startswith("2016-") for r in records)


def test_output_inside_the_input_folder_is_not_read_back(tmp_path: Path, seed_path: Path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(seed_path.read_bytes())
    out = folder / "records.jsonl"
    for _ in range(2):
        result = run(str(folder), "-o", str(out), "-q")
        assert result.exit_code == 0, result.stderr
        assert ids(out) == ["seed"]
    old = folder / "old-records.jsonl"
    out.rename(old)
    result = run(str(folder), "-o", str(tmp_path / "new.jsonl"), "-q")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {old}:1: a records line written by `extract`, not an article; "
                             "give the articles\n")
    assert ids(tmp_path / "new.jsonl") == ["seed"]
