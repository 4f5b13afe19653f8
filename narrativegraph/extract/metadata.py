"""Article metadata from columns and tables: common column names mapped onto Article fields.

Corpus rows (JSONL, CSV, TSV) and ``--metadata`` tables name the same things many
ways (publisher, source, site; publication_date, date, pubdate). ``normalize_meta``
maps them onto the Article fields; every other column is kept verbatim in ``extra``.
Values are kept as given (an outlet code like ``wash-post`` stays ``wash-post``),
except ``published``, which becomes an ISO 8601 date or datetime.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from narrativegraph.errors import InputError

__all__ = [
    "FIELDS",
    "ALIASES",
    "MetadataTable",
    "normalize_meta",
    "iso_date",
    "load_metadata",
    "read_table_rows",
]

logger = logging.getLogger(__name__)

FIELDS = ("id", "text", "title", "outlet", "published", "url", "author", "language", "place")
# column name (lower-case, spaces and dashes as underscores) -> Article field
ALIASES: dict[str, str] = {
    "id": "id",
    "text": "text", "body": "text", "content": "text", "article": "text", "article_text": "text",
    "title": "title", "headline": "title",
    "outlet": "outlet", "publisher": "outlet", "source": "outlet", "site": "outlet",
    "sitename": "outlet", "site_name": "outlet", "publication": "outlet", "media_outlet": "outlet",
    "published": "published", "publication_date": "published", "date": "published",
    "pubdate": "published", "pub_date": "published", "published_at": "published",
    "date_published": "published", "datetime": "published",
    "url": "url", "link": "url",
    "author": "author", "byline": "author", "authors": "author",
    "language": "language", "lang": "language", "place": "place", "dateline": "place",
}
_MISSING = {"", "none", "null", "na", "n/a", "nan"}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def _key(column: str) -> str:
    return re.sub(r"[\s\-]+", "_", column.strip().lower())


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _MISSING)


def _real_iso(s: str) -> bool:
    """Is an ISO-shaped date (and time) a real one: month 1-12, a day the month has, 00:00-23:59?"""
    import datetime as _dt

    try:
        _dt.date.fromisoformat(s[:10])
    except ValueError:
        return False
    if len(s) > 10:
        hour, minute = int(s[11:13]), int(s[14:16])
        second = int(s[17:19]) if len(s) >= 19 and s[16] == ":" else 0
        return hour < 24 and minute < 60 and second < 61
    return True


def iso_date(value: Any) -> str | None:
    """An ISO 8601 date (or datetime when a time is given) from a date as written; None if not a date.

    >>> iso_date("2016-09-12"), iso_date("Sep 12, 2016"), iso_date("12 September 2016 14:05")
    ('2016-09-12', '2016-09-12', '2016-09-12T14:05:00')
    >>> iso_date("soon") is None, iso_date("2016-13-45") is None, iso_date("2016-09-12T24:30") is None
    (True, True, True)
    """
    if _missing(value):
        return None
    s = str(value).strip()
    if _ISO.match(s):  # shaped like ISO 8601; still a date only if the calendar has it
        if not _real_iso(s):
            return None
        return s.replace(" ", "T")
    import dateparser

    dt = dateparser.parse(s, languages=None, settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"})
    if dt is None:
        return None
    has_time = bool(re.search(r"\d:\d\d", s))
    return dt.isoformat() if has_time else dt.date().isoformat()


def normalize_meta(row: Mapping[str, Any]) -> dict[str, Any]:
    """Known fields under their Article names, the rest under ``extra`` (verbatim).

    Missing values ("", None, "None", "NA", "null") are dropped from the known fields.
    A date that cannot be read is kept in ``extra["published_raw"]``.

    >>> m = normalize_meta({"filename": "a1", "Publisher": "wash-post", "publication_date": "2016-09-12",
    ...                     "wire": "None", "byline": "Dan Riehl"})
    >>> m["outlet"], m["published"], m["author"], m["extra"]
    ('wash-post', '2016-09-12', 'Dan Riehl', {'filename': 'a1', 'wire': 'None'})
    """
    out: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for column, value in row.items():
        if column is None:
            continue
        name = ALIASES.get(_key(str(column)))
        if name is None:
            extra[str(column)] = value
            continue
        if name in out or (_missing(value) and not (name == "text" and value is not None)):
            continue  # the first of several aliases wins; an empty text stays, to be reported
        if name == "published":
            iso = iso_date(value)
            if iso is None:
                extra["published_raw"] = value
                continue
            value = iso
        elif name != "text":
            value = str(value).strip()
        out[name] = value
    out["extra"] = extra
    return out


def read_table_rows(handle: Iterable[str], *, delimiter: str) -> Iterator[tuple[int, list[str] | Exception]]:
    """(first line number, fields) of each CSV/TSV row, or (line, error) for a row csv cannot read."""
    reader = csv.reader(handle, delimiter=delimiter)
    last = 0
    while True:
        start = last + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            last = reader.line_num
            yield start, e
            continue
        last = reader.line_num
        yield start, row


def _delimiter(path: Path, head: str) -> str:
    if path.suffix.lower() == ".tsv" or path.suffix.lower() == ".tab":
        return "\t"
    if path.suffix.lower() == ".csv":
        return ","
    first = head.split("\n", 1)[0]
    return "\t" if first.count("\t") > first.count(",") else ","


@dataclass(frozen=True)
class MetadataTable:
    """Per-article metadata joined by id, from one or more tables; later tables win."""

    rows: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    errors: tuple[InputError, ...] = ()

    def lookup(self, article_id: str) -> Mapping[str, Any] | None:
        """The metadata of one article: by its id, or by the table id without a file extension."""
        return self.rows.get(article_id)

    def __len__(self) -> int:
        return len(self.rows)


def _set_field_limit() -> None:
    limit = sys.maxsize
    while True:  # C long may be 32-bit
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def load_metadata(paths: Iterable[str | Path], *, id_column: str = "id") -> MetadataTable:
    """Read ``--metadata`` tables (CSV or TSV, header row) into one table keyed by id.

    A missing or unreadable table, or one without the id column, raises InputError (the
    user asked for it, so going on without it would be wrong). A row that cannot be read
    becomes an error in ``.errors`` (file and line) and the rest of the table is kept.
    """
    from narrativegraph.extract.encoding import decode

    _set_field_limit()
    rows: dict[str, dict[str, Any]] = {}
    errors: list[InputError] = []
    for p in paths:
        path = Path(p)
        where = str(p)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(where, "metadata table not found") from None
        except OSError as e:
            raise InputError(where, f"cannot read metadata table ({e.strerror or e})") from None
        text = decode(data, where)
        delimiter = _delimiter(path, text[:4096])
        header: list[str] | None = None
        id_index = -1
        for line, fields in read_table_rows(io.StringIO(text, newline=""), delimiter=delimiter):
            if isinstance(fields, Exception):
                errors.append(InputError(f"{where}:{line}", f"malformed row ({fields})"))
                continue
            if not fields or all(not f.strip() for f in fields):
                continue
            if header is None:
                header = [h.strip() for h in fields]
                if id_column not in header:
                    raise InputError(
                        f"{where}:{line}",
                        f"no id column {id_column!r} in the header (columns: {', '.join(header)}); "
                        "name it with --metadata-id",
                    )
                id_index = header.index(id_column)
                continue
            if len(fields) != len(header):
                errors.append(InputError(
                    f"{where}:{line}",
                    f"row has {len(fields)} fields, the header has {len(header)}"))
                continue
            key = fields[id_index].strip()
            if not key:
                errors.append(InputError(f"{where}:{line}", f"empty id in column {id_column!r}"))
                continue
            if key in rows:
                logger.warning("%s:%d: id %r appears again; the later row wins", where, line, key)
            rows[key] = dict(zip(header, fields))
            stem = Path(key).stem
            if stem != key:
                rows.setdefault(stem, rows[key])
        if header is None:
            raise InputError(where, "metadata table is empty (no header row)")
        logger.info("%s: metadata for %d articles", where, len(rows))
    return MetadataTable(rows=rows, errors=tuple(errors))
