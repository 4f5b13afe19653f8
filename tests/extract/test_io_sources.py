"""Reading inputs: formats, encodings, metadata, and one error per bad file, line or row."""
from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import pytest

from narrativegraph.errors import InputError
from narrativegraph.extract.encoding import decode, detect_encoding
from narrativegraph.extract.metadata import load_metadata, normalize_meta
from narrativegraph.extract.sources import RawArticle, iter_sources


def read(*inputs, **kw) -> list[RawArticle | InputError]:
    return list(iter_sources([str(i) for i in inputs], **kw))


def articles(items) -> list[RawArticle]:
    return [i for i in items if isinstance(i, RawArticle)]


def errors(items) -> list[str]:
    return [str(i) for i in items if isinstance(i, InputError)]


# ------------------------------------------------------------------ plain text and encodings
def test_seed_is_read_as_is(seed_path: Path):
    (raw,) = read(seed_path)
    assert raw.id == seed_path.stem
    assert raw.text == seed_path.read_text(encoding="utf-8")
    assert raw.source.path == str(seed_path) and raw.source.line is None
    assert raw.text.startswith("Registration was successful!\n")


def test_crlf_and_cr_become_lf_and_nothing_else_changes(tmp_path: Path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"Title\r\n\r\n  Levent said so.\rShe  added more.\t\r\n")
    (raw,) = read(p)
    assert raw.text == "Title\n\n  Levent said so.\nShe  added more.\t\n"


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeff“Hello,” she said.".encode("utf-8"))
    (raw,) = read(p)
    assert raw.text == "“Hello,” she said."


@pytest.mark.parametrize("text, encoding", [
    ("Café owner Renée said “the naïve plan” would fail — she told reporters.\n", "cp1252"),
    ("Der Bürgermeister sagte, dass über München nichts Neues zu berichten sei.\n", "latin-1"),
    ("Le ministre a déclaré à la presse qu’il était très satisfait.\n", "cp1252"),
])
def test_western_encodings_are_detected(tmp_path: Path, text: str, encoding: str):
    p = tmp_path / "old.txt"
    p.write_bytes(text.encode(encoding))
    (raw,) = read(p)
    assert raw.text == text


def test_cyrillic_cp1251_is_not_forced_to_cp1252():
    text = "Заголовок открываемого материала, сказал он журналистам в Москве."
    assert decode(text.encode("cp1251"), "x") == text


def test_short_cp1252_is_not_taken_for_utf16():
    assert detect_encoding("Café “x”".encode("cp1252")) == "cp1252"


def test_binary_file_is_an_error(tmp_path: Path):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (err,) = read(p)
    assert isinstance(err, InputError)
    assert str(err) == f"{p}: binary file (contains NUL bytes), not text; give .txt, .html, .jsonl, .csv or .tsv"


def test_undecodable_file_is_an_error(tmp_path: Path):
    p = tmp_path / "noise.txt"
    p.write_bytes(random.Random(0).randbytes(3000).replace(b"\x00", b"\x01"))
    (err,) = read(p)
    assert isinstance(err, InputError) and err.where == str(p)
    assert "encoding" in err.problem or "binary" in err.problem


def test_empty_and_blank_files(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\n \n")
    items = read(tmp_path / "empty.txt", tmp_path / "blank.txt")
    assert errors(items) == [f"{tmp_path / 'empty.txt'}: empty file",
                             f"{tmp_path / 'blank.txt'}: article has no text"]


def test_missing_path_and_the_rest_still_read(tmp_path: Path, seed_path: Path):
    items = read(tmp_path / "nope.txt", seed_path)
    assert errors(items) == [f"{tmp_path / 'nope.txt'}: no such file or directory"]
    assert [a.id for a in articles(items)] == [seed_path.stem]


def test_folder_is_walked_sorted_and_skips_non_articles(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed said so.")
    (tmp_path / "b" / "a.txt").write_text("Ay said so.")
    (tmp_path / "c.txt").write_text("Cee said so.")
    (tmp_path / "README.md").write_text("# not an article")
    (tmp_path / "LICENSE").write_text("MIT License")
    (tmp_path / ".hidden" / "x.txt").write_text("hidden")
    (tmp_path / "meta.tsv").write_text("id\tpublisher\nc\tBBC\n")  # a table without text: skipped
    items = read(tmp_path)
    assert errors(items) == []
    assert [a.id for a in articles(items)] == ["a", "z", "c"]


def test_stdin(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Levent said so.\r\n")))
    (raw,) = read("-")
    assert (raw.id, raw.text, raw.source.path) == ("stdin", "Levent said so.\n", "-")


def test_stdin_jsonl_is_sniffed(monkeypatch: pytest.MonkeyPatch):
    data = b'{"id": "x1", "text": "One."}\n{"text": "Two."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert [(a.id, a.text) for a in articles(read("-"))] == [("x1", "One."), ("stdin:2", "Two.")]


# ------------------------------------------------------------------ corpora
def test_jsonl_rows_aliases_and_errors(tmp_path: Path):
    p = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": 7, "body": "Levent said so.\r\nShe added more.", "publisher": "Sputnik",
                    "publication_date": "December 15, 2016", "link": "https://x.org/a", "byline": "J. Doe",
                    "tags": ["syria", "aleppo"]}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Last one.", "outlet": "RT"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(p)
    assert errors(items) == [
        f"{p}:3: not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{p}:4: expected a JSON object with a 'text' field, got list",
        f"{p}:5: no 'text' field (keys: title)",
        f"{p}:6: article has no text",
    ]
    first, last = articles(items)
    assert first.id == "7" and first.text == "Levent said so.\nShe added more."
    assert first.meta["outlet"] == "Sputnik" and first.meta["published"] == "2016-12-15"
    assert first.meta["url"] == "https://x.org/a" and first.meta["author"] == "J. Doe"
    assert first.meta["extra"] == {"tags": '["syria", "aleppo"]'}
    assert (first.source.path, first.source.line) == (str(p), 1)
    assert last.id == "corpus:7" and last.meta["outlet"] == "RT" and last.source.line == 7


def test_csv_rows_with_multiline_text_and_a_bad_row(tmp_path: Path):
    p = tmp_path / "corpus.csv"
    p.write_text(
        'id,content,source,date\n'
        'a1,"Levent said so.\n\nShe added: ""no carnage.""",Sputnik,2016-12-15\n'
        'a2,too,many,fields,here\n'
        ',"No id here.",RT,15/12/2016\n',
        encoding="cp1252",
    )
    items = read(p)
    assert errors(items) == [f"{p}:5: row has 5 fields, the header has 4"]  # a1 spans lines 2-4
    a1, third = articles(items)
    assert a1.id == "a1" and a1.text == 'Levent said so.\n\nShe added: "no carnage."'
    assert a1.meta["outlet"] == "Sputnik" and a1.source.line == 2
    assert third.id == "corpus:6" and third.meta["published"] == "2016-12-15"


def test_tsv_without_text_column_named_on_the_command_line_is_an_error(tmp_path: Path):
    p = tmp_path / "meta.tsv"
    p.write_text("filename\tpublisher\nx\tnyt\n")
    assert errors(read(p)) == [f"{p}: no text column (columns: filename, publisher); "
                               "name the article text column text, body or content"]


# ------------------------------------------------------------------ HTML
PAGE = """<!DOCTYPE html><html><head><title>Levent speaks | Sputnik International</title>
<meta property="og:site_name" content="Sputnik International">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2016-12-15T10:00:00Z">
<link rel="canonical" href="https://sputniknews.com/levent"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Levent speaks</h1>
<p>"There is no such thing as carnage in Aleppo," Turkish journalist Hediye Levent told Sputnik on Thursday.</p>
<p>She added that the residents of the city felt great relief because of the liberation, according to her friends.</p>
</article><footer>To participate in the discussion log in or register</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path):
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    (raw,) = read(p)
    assert raw.id == "page"
    assert '"There is no such thing as carnage in Aleppo," Turkish journalist Hediye Levent told Sputnik' in raw.text
    assert "Home" not in raw.text and "log in or register" not in raw.text
    assert "\n\n" in raw.text  # paragraphs stay apart
    assert raw.meta["outlet"] == "Sputnik International"
    assert raw.meta["title"] == "Levent speaks"
    assert raw.meta["published"] == "2016-12-15"
    assert raw.meta["url"] == "https://sputniknews.com/levent"
    assert raw.meta["author"] == "Jane Roe"


def test_html_is_sniffed_without_extension(tmp_path: Path):
    p = tmp_path / "page"
    p.write_text(PAGE, encoding="utf-8")
    (raw,) = read(p)
    assert "<p>" not in raw.text and "Hediye Levent" in raw.text


def test_html_without_article_text_is_an_error(tmp_path: Path):
    p = tmp_path / "blank.html"
    p.write_text("<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>")
    assert errors(read(p)) == [f"{p}: no article text found in this HTML page"]


# ------------------------------------------------------------------ metadata tables
def test_polnear_metadata_joins_by_filename(polnear_dir: Path):
    stem = "breitbart_2016-09-12_stealth-over-health-hillary-clin"
    (raw,) = read(polnear_dir / "dev" / "text" / f"{stem}.txt",
                  metadata=[polnear_dir / "metadata.tsv"], metadata_id="filename")
    assert raw.meta["outlet"] == "breitbart"  # PolNeAR's code, kept as given
    assert raw.meta["published"] == "2016-09-12"
    assert raw.meta["author"] == "Breitbart News"
    assert raw.meta["title"].startswith("Stealth Over Health: Hillary Clinton")
    assert raw.meta["extra"]["wire"] == "None" and raw.meta["extra"]["compartment"] == "dev"
    assert "filename" not in raw.meta["extra"]


def test_table_ids_with_a_file_extension_match_the_stem(tmp_path: Path):
    (tmp_path / "a.txt").write_text("A said so.")
    table = tmp_path / "m.csv"
    table.write_text("file,outlet\na.txt,BBC\n")
    (raw,) = read(tmp_path / "a.txt", metadata=[table], metadata_id="file")
    assert raw.meta["outlet"] == "BBC"


def test_unmatched_ids_are_fine_and_tables_beat_row_values(tmp_path: Path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "A.", "outlet": "Wrong"}\n{"id": "b", "text": "B.", "outlet": "Kept"}\n')
    table = tmp_path / "m.csv"
    table.write_text("id,publisher,country\na,Sputnik,RU\nzzz,Nobody,XX\n")
    a, b = read(corpus, metadata=[table])
    assert a.meta["outlet"] == "Sputnik" and a.meta["extra"] == {"country": "RU"}
    assert b.meta["outlet"] == "Kept"


def test_malformed_metadata_row_is_reported_and_the_rest_joined(tmp_path: Path):
    (tmp_path / "a.txt").write_text("A said so.")
    table = tmp_path / "m.tsv"
    table.write_text("id\tpublisher\nbad\trow\textra\na\tBBC\n")
    items = read(tmp_path / "a.txt", metadata=[table])
    assert errors(items) == [f"{table}:2: row has 3 fields, the header has 2"]
    assert articles(items)[0].meta["outlet"] == "BBC"


def test_metadata_table_without_id_column_or_missing_raises(tmp_path: Path):
    table = tmp_path / "m.tsv"
    table.write_text("filename\tpublisher\na\tBBC\n")
    with pytest.raises(InputError, match=r"m.tsv:1: no id column 'id' in the header \(columns: filename, publisher\)"):
        load_metadata([table])
    with pytest.raises(InputError, match="metadata table not found"):
        load_metadata([tmp_path / "none.tsv"])


def test_normalize_meta_maps_common_names():
    m = normalize_meta({"Publication Date": "Sep 12, 2016", "site": "RT", "pubdate": "ignored",
                        "date": "n/a", "credit": "AP"})
    assert m["published"] == "2016-09-12" and m["outlet"] == "RT"
    assert m["extra"] == {"credit": "AP"}
    assert normalize_meta({"date": "next week-ish"})["extra"] == {"published_raw": "next week-ish"}


def test_impossible_iso_dates_are_kept_raw_not_published(tmp_path: Path):
    """ISO-shaped but not in the calendar (month 13, 30 February, 24:30): never an article's date."""
    for raw in ("2016-13-45", "2016-02-30", "2016-09-12T24:30:00Z"):
        m = normalize_meta({"date": raw})
        assert "published" not in m and m["extra"] == {"published_raw": raw}
    p = tmp_path / "rows.jsonl"
    p.write_text('{"id": "a", "text": "The mayor said so.", "published": "2016-13-45"}\n'
                 '{"id": "b", "text": "The mayor said so.", "published": "2016-02-29 23:59"}\n', encoding="utf-8")
    got = {a.id: a.meta for a in read(p)}
    assert "published" not in got["a"] and got["a"]["extra"]["published_raw"] == "2016-13-45"
    assert got["b"]["published"] == "2016-02-29T23:59"


def test_large_jsonl_streams_across_the_sniffed_head(tmp_path: Path):
    """Rows past the first 64 KiB, multi-byte characters cut at the boundary, all read back."""
    p = tmp_path / "big.ndjson"
    rows = [{"id": f"r{i}", "text": f"Çağlar söyledi: “{'é' * (i % 50)}” — №{i}."} for i in range(3000)]
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert p.stat().st_size > 3 * 65536
    got = read(p)
    assert errors(got) == []
    assert [(a.id, a.text) for a in got] == [(r["id"], r["text"]) for r in rows]


def test_cp1252_csv_corpus(tmp_path: Path):
    p = tmp_path / "old.csv"
    p.write_bytes('id,text\nx,"Caf\u00e9 owner said \u201cno\u201d \u2014 twice."\n'.encode("cp1252"))
    (raw,) = read(p)
    assert raw.text == "Caf\u00e9 owner said \u201cno\u201d \u2014 twice."


def test_utf8_page_with_a_pasted_cp1252_line_keeps_its_utf8(tmp_path: Path, seed_path: Path):
    """Read whole as cp1252 the seed's "©" and Cyrillic widget became "Â©" and "Ð¼Ð°"; now only the line is cp1252."""
    p = tmp_path / "joined.txt"
    p.write_bytes(seed_path.read_bytes() + "The minister said the plan was \u201cdead\u201d.\n".encode("cp1252"))
    (raw,) = read(p)
    assert raw.text == seed_path.read_text(encoding="utf-8") + "The minister said the plan was \u201cdead\u201d.\n"


def test_stray_cp1252_row_past_the_head_of_a_utf8_corpus_does_not_end_the_file(tmp_path: Path):
    p = tmp_path / "big.jsonl"
    rows = [json.dumps({"id": f"r{i}", "text": f"The mayor of Malmö said on day {i} that it was “fine”."},
                       ensure_ascii=False).encode() for i in range(1500)]
    rows[1200] = '{"id": "w", "text": "The minister said the deal was \u201cdead\u201d."}'.encode("cp1252")
    p.write_bytes(b"\n".join(rows) + b"\n")
    assert len(b"\n".join(rows[:1200])) > 65536  # past the sniffed head
    got = read(p)
    assert errors(got) == []
    assert len(got) == 1500 and got[1200].text == "The minister said the deal was \u201cdead\u201d."
    assert got[1499].text == "The mayor of Malmö said on day 1499 that it was “fine”."
