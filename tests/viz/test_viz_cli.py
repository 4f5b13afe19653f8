"""`narrativegraph viz`, `viz spread` and `plot` on a real store folder: files written, one-line errors."""
from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner

from narrativegraph.cli import cli


@pytest.fixture()
def run(seed_db):
    def invoke(*args: str):
        return CliRunner().invoke(cli, [args[0], *args[1:]] if args[0] != "viz spread"
                                  else ["viz", "spread", *args[1:]], catch_exceptions=False)
    return invoke


def test_viz_writes_the_page(run, seed_db, tmp_path):
    out = tmp_path / "seed.html"
    res = run("viz", "--db", str(seed_db), "-o", str(out))
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "Hediye Levent" in html and "Pierre Le Corf" in html and "Sergei Lavrov" in html
    assert "wrote" in res.output


def test_viz_filters_and_limit(run, seed_db, tmp_path):
    out = tmp_path / "levent.html"
    res = run("viz", "--db", str(seed_db), "-o", str(out), "--speaker", "Hediye Levent", "--until", "2016-12-31",
              "--limit", "3")
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "showing 3 of" in html and "speaker Hediye Levent" in html


@pytest.mark.parametrize("args, code, message", [
    ("viz --db {db} -o {html} --speaker 'Nobody Atall'", 1, "error: no speaker named 'Nobody Atall'"),
    ("viz --db {db}", 2, "Missing option '-o'"),
    ("viz --db {db} -o {html} --since 2016-13-40", 2, "--since"),
    ("viz --db {db} -o {html} --since 2016-12-31 --until 2016-01-01", 1, "error: --since 2016-12-31 is after --until"),
    ("plot timeline --db {db} -o {png} --since 2016-12-31 --until 2016-01-01", 1, "is after --until 2016-01-01"),
    ("viz spread --db {db} -o {html}", 2, "exactly one of --narrative ID or --speaker NAME"),
    ("viz spread --db {db} -o {html} --narrative narrative/none", 1, "error: no narrative with id 'narrative/none'"),
    ("plot timeline --db {db} -o timeline.jpg", 1, "error: timeline.jpg: plots are written as .png or .svg"),
    ("plot spread --db {db} -o {png}", 2, "exactly one of --narrative ID or --speaker NAME"),
    ("viz --db {db} -o {missing}/x.html", 1, "x.html: cannot write the page (folder {missing} does not exist"),
    ("viz spread --db {db} --speaker Levent -o {missing}/x.html", 1, "cannot write the page (folder {missing} does"),
    ("plot speakers --db {db} -o {missing}/x.svg", 1, "x.svg: cannot write the picture (folder {missing} does"),
    ("plot timeline --db {db} -o {missing}/x.png", 1, "x.png: cannot write the picture (folder {missing} does"),
    ("viz --db {missing}/typo.db -o {html}", 1, "typo.db: no embedded store here yet; build or load one first"),
    ("viz spread --db {missing}/typo.db --speaker Levent -o {html}", 1, "typo.db: no embedded store here yet"),
    ("plot echo --db {missing}/typo.db -o {png}", 1, "typo.db: no embedded store here yet"),
])
def test_errors_are_one_line(seed_db, tmp_path, args, code, message):
    names = dict(db=seed_db, html=tmp_path / "x.html", png=tmp_path / "x.png", missing=tmp_path / "no-such-folder")
    argv = shlex.split(args.format(**names))
    message = message.format(**names)
    res = CliRunner().invoke(cli, argv)
    assert res.exit_code == code, res.output
    assert message in res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    assert not names["missing"].exists()  # neither a page nor an empty store was made there


def test_spread_and_plots(run, seed_db, tmp_path):
    res = run("viz spread", "--db", str(seed_db), "--speaker", "Hediye Levent", "-o", str(tmp_path / "s.html"))
    assert res.exit_code == 0, res.output
    assert "first: Sputnik International" in (tmp_path / "s.html").read_text(encoding="utf-8")
    for kind, name, extra in (("timeline", "t.png", ["--by", "speaker"]), ("speakers", "s.svg", []),
                              ("spread", "sp.png", ["--speaker", "Pierre Le Corf"]), ("echo", "e.png", [])):
        res = run("plot", kind, "--db", str(seed_db), "-o", str(tmp_path / name), *extra)
        assert res.exit_code == 0, (kind, res.output)
        assert (tmp_path / name).stat().st_size > 5000


def test_store_options_before_spread_count(seed_db, tmp_path):
    out = tmp_path / "s.html"
    res = CliRunner().invoke(cli, ["viz", "--db", str(seed_db), "spread", "--speaker", "Sergei Lavrov", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Claims by Sergei Lavrov" in out.read_text(encoding="utf-8")
