"""Articles from files, folders, corpora and stdin, in a stable order, one bad input at a time.

``iter_sources`` turns command-line inputs into ``RawArticle``s (id, text, where it came
from, metadata as given) and ``InputError``s, in input order: files as named, folders
walked recursively in sorted order, ``-`` for stdin. A bad file, line or row yields one
InputError and the rest is still read.

Formats, by file name ending (sniffed for other names and for stdin):

* ``.txt`` and other text: one article, id = file stem, text as decoded;
* ``.html``/``.htm``: one article, text = trafilatura's main text (paragraphs joined by a
  blank line), metadata from the page (title, date, url, author, site name as outlet);
* ``.jsonl``/``.ndjson``: one article per line, a JSON object with ``text`` (or body,
  content) and optional id, title, outlet, published, url, author (and aliases, see
  ``metadata.ALIASES``); a row without id gets ``<file stem>:<line>``;
* ``.csv``/``.tsv``: the same columns, header row first.

Text is kept exactly as decoded except that CRLF and CR become LF; every offset in a
record indexes that text, which the record carries as ``article.text``.
"""
from __future__ import annotations

import io
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Mapping

from narrativegraph.errors import InputError
from narrativegraph.extract.encoding import (STRAY_CP1252, decode, detect_encoding, looks_binary,
                                              normalize_newlines)
from narrativegraph.extract.metadata import ALIASES, MetadataTable, load_metadata, normalize_meta, read_table_rows
from narrativegraph.records import SourceRef

__all__ = ["RawArticle", "iter_sources", "ARTICLE_SUFFIXES", "STDIN"]

logger = logging.getLogger(__name__)

STDIN = "-"
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TABLE_SUFFIXES = {".csv", ".tsv", ".tab"}
# what a folder walk reads; other files there (README.md, LICENSE, images, ...) are skipped.
# A file named on the command line is read whatever its name (sniffed: JSONL, HTML or text).
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | TABLE_SUFFIXES
_HEAD = 65536


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read, before any analysis: its id, text, origin and given metadata.

    ``meta`` holds the known fields (title, outlet, published, url, author) that the
    input gave, and ``extra``: every other column, verbatim.
    """

    id: str
    text: str
    source: SourceRef
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False)


# ------------------------------------------------------------------ walking inputs
def _expand(inp: str | Path, skip: set[Path]) -> Iterator[Path | str | InputError]:
    """The files an input names: itself, its sorted tree, or stdin."""
    if str(inp) == STDIN:
        yield STDIN
        return
    path = Path(inp)
    if path.is_dir():
        found = False
        for p in _walk(path):
            if p.suffix.lower() not in ARTICLE_SUFFIXES:
                logger.debug("%s: skipped (not an article file)", p)
                continue
            if p.resolve() in skip:
                logger.info("%s: skipped (it is a --metadata table)", p)
                continue
            found = True
            yield p
        if not found:
            logger.warning("%s: no article files in this folder", path)
        return
    if not path.exists():
        yield InputError(str(inp), "no such file or directory")
        return
    yield path


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, depth first in name order (b/a.txt, b/z.txt, c.txt); hidden ones left out."""
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as e:
        logger.warning("%s: cannot list (%s)", folder, e.strerror or e)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.is_file():
            yield entry


def _kind(path: Path | None, head: bytes) -> str:
    suffix = path.suffix.lower() if path is not None else ""
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in TABLE_SUFFIXES:
        return "table"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in start:
        return "html"
    return "text"


def _open_error(where: str, e: OSError) -> InputError:
    if isinstance(e, IsADirectoryError):
        return InputError(where, "is a directory")
    if isinstance(e, PermissionError):
        return InputError(where, "permission denied")
    return InputError(where, f"cannot read ({e.strerror or e})")


def _scalar(value: Any) -> Any:
    """Extra metadata stays hashable: nested JSON values are kept as JSON text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _article(article_id: str, text: str, source: SourceRef, meta: Mapping[str, Any]) -> RawArticle | InputError:
    if not text or not text.strip():
        return InputError(str(source), "article has no text")
    known = {k: v for k, v in meta.items() if k not in ("id", "text", "extra")}
    known["extra"] = {str(k): _scalar(v) for k, v in (meta.get("extra") or {}).items()}
    return RawArticle(id=article_id, text=normalize_newlines(text), source=source, meta=known)


# ------------------------------------------------------------------ readers
def _read_text(path: Path | None, data: bytes, where: str) -> Iterator[RawArticle | InputError]:
    try:
        text = decode(data, where)
    except InputError as e:
        yield e
        return
    article_id = path.stem if path is not None else "stdin"
    yield _article(article_id, text, SourceRef(where), {})


def _read_html(path: Path | None, data: bytes, where: str) -> Iterator[RawArticle | InputError]:
    try:
        html = decode(data, where)
    except InputError as e:
        yield e
        return
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False)
    except Exception as e:  # trafilatura raises assorted errors on broken markup
        yield InputError(where, f"cannot extract the article from this HTML ({type(e).__name__}: {e})")
        return
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        yield InputError(where, "no article text found in this HTML page")
        return
    # one paragraph per line in trafilatura's output; a blank line between paragraphs keeps
    # headings and captions out of the next sentence, as in scraped text files
    paragraphs = [p.strip() for p in normalize_newlines(text).split("\n") if p.strip()]
    meta = {
        "title": getattr(doc, "title", None),
        "published": getattr(doc, "date", None),
        "url": getattr(doc, "url", None),
        "author": getattr(doc, "author", None),
        "outlet": getattr(doc, "sitename", None),
    }
    extra = {}
    if getattr(doc, "hostname", None):
        extra["hostname"] = doc.hostname
    meta = normalize_meta({k: v for k, v in meta.items() if v})
    meta["extra"] = {**meta.get("extra", {}), **extra}
    article_id = path.stem if path is not None else "stdin"
    yield _article(article_id, "\n\n".join(paragraphs), SourceRef(where), meta)


def _text_lines(stream: BinaryIO, head: bytes, where: str) -> Iterator[tuple[int, str] | InputError]:
    """Decoded lines of a corpus file, numbered from 1, read as they are needed."""
    if looks_binary(head):
        yield InputError(where, "binary file (contains NUL bytes), not text")
        return
    enc = detect_encoding(head, complete=len(head) < _HEAD)
    if enc is None:
        yield InputError(where, "cannot detect the text encoding; convert the file to UTF-8")
        return
    # a UTF-8 head does not promise a UTF-8 tail: a stray cp1252 byte further on reads as
    # cp1252 instead of ending the file there
    errors = STRAY_CP1252 if enc in ("utf-8", "utf-8-sig") else "strict"
    reader = io.TextIOWrapper(stream, encoding=enc, errors=errors, newline="")
    n = 0
    try:
        for n, line in enumerate(reader, 1):
            yield n, line
    except UnicodeDecodeError as e:
        yield InputError(f"{where}:{n + 1}", f"cannot decode as {enc} ({e.reason}); the rest of the file is skipped")


def _id(meta: Mapping[str, Any], stem: str, line: int) -> str:
    given = meta.get("id")
    if given is None or (isinstance(given, str) and not given.strip()):
        return f"{stem}:{line}"
    return str(given).strip()


def _read_jsonl(stem: str, stream: BinaryIO, head: bytes, where: str) -> Iterator[RawArticle | InputError]:
    seen = False
    for item in _text_lines(stream, head, where):
        if isinstance(item, InputError):
            yield item
            return
        n, line = item
        if not line.strip():
            continue
        seen = True
        at = f"{where}:{n}"
        try:
            obj = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as e:
            yield InputError(at, f"not valid JSON: {e.msg} (column {e.colno})")
            continue
        if not isinstance(obj, dict):
            yield InputError(at, f"expected a JSON object with a 'text' field, got {type(obj).__name__}")
            continue
        if "schema" in obj and isinstance(obj.get("article"), dict):
            yield InputError(at, "a records line written by `extract`, not an article; give the articles")
            continue
        meta = normalize_meta(obj)
        text = meta.get("text")
        if text is None:
            yield InputError(at, f"no 'text' field (keys: {', '.join(sorted(map(str, obj)))})")
            continue
        if not isinstance(text, str):
            yield InputError(at, f"'text' is a {type(text).__name__}, not a string")
            continue
        yield _article(_id(meta, stem, n), text, SourceRef(where, n), meta)
    if not seen:
        yield InputError(where, "empty file")


def _read_table(path: Path | None, stem: str, stream: BinaryIO, head: bytes, where: str,
                in_folder: bool) -> Iterator[RawArticle | InputError]:
    from narrativegraph.extract.metadata import _set_field_limit

    _set_field_limit()
    suffix = path.suffix.lower() if path is not None else ""
    lines: list[InputError] = []

    def decoded() -> Iterator[str]:
        for item in _text_lines(stream, head, where):
            if isinstance(item, InputError):
                lines.append(item)
                return
            yield item[1]

    first = head.split(b"\n", 1)[0]
    delimiter = "\t" if suffix in (".tsv", ".tab") or (suffix != ".csv" and first.count(b"\t") > first.count(b",")) else ","
    header: list[str] | None = None
    text_col = -1
    for line, fields in read_table_rows(decoded(), delimiter=delimiter):
        at = f"{where}:{line}"
        if isinstance(fields, Exception):
            yield InputError(at, f"malformed row ({fields})")
            continue
        if not fields or all(not f.strip() for f in fields):
            continue
        if header is None:
            header = [h.strip() for h in fields]
            names = [ALIASES.get(h.lower().replace(" ", "_").replace("-", "_")) for h in header]
            if "text" not in names:
                if in_folder:
                    logger.info("%s: skipped (no text column; a metadata table?)", where)
                    return
                yield InputError(where, f"no text column (columns: {', '.join(header)}); "
                                        "name the article text column text, body or content")
                return
            text_col = names.index("text")
            continue
        if len(fields) != len(header):
            yield InputError(at, f"row has {len(fields)} fields, the header has {len(header)}")
            continue
        meta = normalize_meta(dict(zip(header, fields)))
        yield _article(_id(meta, stem, line), fields[text_col], SourceRef(where, line), meta)
    yield from lines
    if header is None and not lines:
        yield InputError(where, "empty file")


def _read(target: Path | str, in_folder: bool) -> Iterator[RawArticle | InputError]:
    """Every article (or error) in one file, or in stdin."""
    path = None if target == STDIN else Path(target)
    where = STDIN if path is None else str(path)
    stem = "stdin" if path is None else path.stem
    try:
        stream: BinaryIO = sys.stdin.buffer if path is None else open(path, "rb")
    except OSError as e:
        yield _open_error(where, e)
        return
    try:
        try:
            head = stream.read(_HEAD) if path is not None else stream.read()
        except OSError as e:
            yield _open_error(where, e)
            return
        if not head:
            yield InputError(where, "empty file")
            return
        kind = _kind(path, head)
        if kind in ("jsonl", "table"):
            rest = io.BufferedReader(_Chain(head, stream)) if path is not None else io.BytesIO(head)
            if kind == "jsonl":
                yield from _read_jsonl(stem, rest, head, where)
            else:
                yield from _read_table(path, stem, rest, head, where, in_folder)
            return
        data = head + stream.read() if path is not None else head
        if kind == "html":
            yield from _read_html(path, data, where)
        else:
            yield from _read_text(path, data, where)
    finally:
        if path is not None:
            stream.close()


class _Chain(io.RawIOBase):
    """A read-only stream of bytes already read followed by the rest of a file."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# ------------------------------------------------------------------ the public iterator
def _with_metadata(raw: RawArticle, table: MetadataTable, id_column: str) -> RawArticle:
    row = table.lookup(raw.id)
    if row is None:
        return raw
    given = normalize_meta({k: v for k, v in row.items() if k != id_column})
    given.pop("id", None)
    given.pop("text", None)
    extra = {**(raw.meta.get("extra") or {}), **{k: _scalar(v) for k, v in given.pop("extra").items()}}
    return RawArticle(raw.id, raw.text, raw.source, {**raw.meta, **given, "extra": extra})


def iter_sources(
    inputs: Iterable[str | Path],
    *,
    metadata: Iterable[str | Path] = (),
    metadata_id: str = "id",
    exclude: Iterable[str | Path] = (),
) -> Iterator[RawArticle | InputError]:
    """Every article in ``inputs``, in order, with ``--metadata`` tables joined by id.

    Parameters
    ----------
    inputs : files, folders (read recursively, sorted; only article file endings) or ``-``.
    metadata : CSV/TSV tables of per-article metadata; their values beat what the input gives.
    metadata_id : the tables' column holding the article id (a file stem or a corpus row id).
    exclude : files that folder walks leave out (the records file being written, say).

    Yields
    ------
    RawArticle for each article, InputError for each file, line or row that cannot be read.
    A missing or header-less metadata table raises InputError before anything is read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("Hi there.\\r\\n")
    >>> [(r.id, r.text) for r in iter_sources([d])]
    [('a', 'Hi there.\\n')]
    """
    metadata = list(metadata)
    table = load_metadata(metadata, id_column=metadata_id) if metadata else None
    skip = {Path(m).resolve() for m in (*metadata, *exclude) if str(m) != STDIN}
    if table is not None:
        yield from table.errors
    for inp in inputs:
        for target in _expand(inp, skip):
            if isinstance(target, InputError):
                yield target
                continue
            for item in _read(target, in_folder=Path(str(inp)).is_dir() if inp != STDIN else False):
                if table is not None and isinstance(item, RawArticle):
                    item = _with_metadata(item, table, metadata_id)
                yield item
