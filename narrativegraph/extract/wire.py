"""Wire-agency detection: which news agency an article was copied from, and the words that show it.

A story "carried by seven outlets" may be one AP story run seven times. This module
reads the article text only (no metadata) and finds the agency's own marks:

* a dateline: ``WASHINGTON (AP) —``, ``HEMPSTEAD, N.Y., Sept. 26 (UPI) —``,
  ``Dec 29 (Reuters) -``, ``Cleveland (AFP) –`` at the start of a line;
* a credit line: ``Reuters contributed to this report``, ``Associated Press writer
  Jill Colvin contributed``, ``Copyright 2016 The Associated Press``, ``via AFP`` at the
  end of a paragraph, ``this Reuters article``;
* an agency house style from the table's ``pattern`` column, e.g. Reuters'
  ``(Reporting by ...; Editing by ...)``.

Agencies come from ``data/agencies.csv`` (``name, aliases, dateline, pattern``;
``|`` separates several aliases or dateline tokens). Users extend it with their own
tables in the same format (`load_agencies`). Mentions such as "told The Associated
Press" or "according to an Associated Press count" are *not* evidence: they say the
agency reported something, not that the article is its copy.
"""
from __future__ import annotations

import csv
import functools
import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

from narrativegraph.errors import InputError
from narrativegraph.records import Span

__all__ = ["Agency", "AgencyTable", "load_agencies", "default_agencies", "detect_wire"]

logger = logging.getLogger(__name__)

_COLUMNS = ("name", "aliases", "dateline", "pattern")
_DASH = r"(?:—|–|--|-)"
# What may stand before "(AP)" on a dateline line: a place and maybe a date, no sentence.
_PLACE = r"[A-Za-zÀ-ÿ0-9.,'’ \-]{0,60}?"


@dataclass(frozen=True, slots=True)
class Agency:
    """One news agency: canonical name, other names, dateline tokens and an optional house-style regex."""

    name: str
    aliases: tuple[str, ...] = ()
    datelines: tuple[str, ...] = ()
    pattern: str = ""


class AgencyTable:
    """Agencies with their compiled patterns, ready for `detect_wire`.

    >>> t = AgencyTable([Agency("AP", ("Associated Press",), ("AP",))])
    >>> t.canonical("associated press")
    'AP'
    """

    def __init__(self, agencies: Iterable[Agency]):
        merged: dict[str, Agency] = {}
        for a in agencies:
            old = merged.get(a.name)
            if old is None:
                merged[a.name] = a
            else:  # a later table extends an agency: union of names, later pattern wins if given
                merged[a.name] = Agency(
                    a.name,
                    tuple(dict.fromkeys(old.aliases + a.aliases)),
                    tuple(dict.fromkeys(old.datelines + a.datelines)),
                    a.pattern or old.pattern,
                )
        self.agencies: tuple[Agency, ...] = tuple(merged.values())
        self._by_token: dict[str, str] = {}
        self._by_alias: dict[str, str] = {}
        for a in self.agencies:
            for tok in a.datelines or (a.name,):
                self._by_token[tok] = a.name
            for name in (a.name, *a.aliases):
                self._by_alias[_norm(name)] = a.name
        self._compile()

    def canonical(self, name: str) -> str | None:
        """The canonical agency name for a name, alias or dateline token (any case); None if unknown."""
        key = _norm(name)
        if key in self._by_alias:
            return self._by_alias[key]
        for tok, agency in self._by_token.items():
            if tok.lower() == key:
                return agency
        return None

    def _compile(self) -> None:
        tokens = sorted(self._by_token, key=len, reverse=True)
        names = sorted({n for a in self.agencies for n in (a.name, *a.aliases)}, key=len, reverse=True)
        tok_alt = "|".join(re.escape(t) for t in tokens) or r"(?!x)x"
        name_alt = "|".join(re.escape(n) for n in names) or r"(?!x)x"
        self.dateline_re = re.compile(
            rf"^[ \t]*(?:{_PLACE})\((?P<tok>{tok_alt})\)[ \t]*{_DASH}", re.MULTILINE
        )
        any_name = rf"(?P<name>(?:The |the )?(?:{name_alt}|{tok_alt}))"
        self.credit_res = (
            # "Reuters contributed to this report", "Associated Press writers X and Y contributed"
            re.compile(rf"\b{any_name}(?: (?:writers?|reporters?|correspondents?) [^.\n]{{0,120}}?)?"
                       rf" contributed(?: to this (?:report|story|article))?\b"),
            # "Copyright 2016 The Associated Press", "© 2016 Reuters"; not a photo credit "© Sputnik / Name"
            re.compile(rf"(?:Copyright(?: ©)?(?: \d{{4}})?|© ?\d{{4}}),? {any_name}\b"),
            # "The Huffington Post has supplemented this Reuters article"
            re.compile(rf"\bthis {any_name} (?:article|report|story|dispatch)\b"),
            # "... via AFP." closing a paragraph
            re.compile(rf"\bvia {any_name}\.?[ \t]*$", re.MULTILINE),
        )
        self.style_res = tuple(
            (a.name, re.compile(a.pattern)) for a in self.agencies if a.pattern
        )


def _norm(name: str) -> str:
    s = re.sub(r"\s+", " ", name.strip().lower())
    return s[4:] if s.startswith("the ") else s


def _read_table(path: Path | str, text: str) -> list[Agency]:
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("name",) if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(str(path), f"agency table needs a 'name' column (columns: {reader.fieldnames}); "
                                    f"expected {', '.join(_COLUMNS)}")
    out = []
    for lineno, row in enumerate(reader, start=2):
        name = (row.get("name") or "").strip()
        if not name:
            raise InputError(f"{path}:{lineno}", "agency row has an empty 'name'")
        pattern = (row.get("pattern") or "").strip()
        if pattern:
            try:
                re.compile(pattern)
            except re.error as e:
                raise InputError(f"{path}:{lineno}", f"bad regular expression in 'pattern': {e}") from None

        def split(col: str) -> tuple[str, ...]:
            return tuple(p.strip() for p in (row.get(col) or "").split("|") if p.strip())

        out.append(Agency(name, split("aliases"), split("dateline"), pattern))
    return out


@functools.lru_cache(maxsize=1)
def default_agencies() -> AgencyTable:
    """The agencies shipped with narrativegraph (``narrativegraph/extract/data/agencies.csv``)."""
    res = resources.files("narrativegraph.extract").joinpath("data/agencies.csv")
    return AgencyTable(_read_table("agencies.csv", res.read_text(encoding="utf-8")))


def load_agencies(paths: Sequence[Path | str] = (), *, include_default: bool = True) -> AgencyTable:
    """The shipped agencies extended (or replaced) by user tables in the same CSV format.

    A user row with a known name adds aliases, dateline tokens and a pattern to it.
    Raises `InputError` naming the file and line for a bad table. Tables are read once
    per process, so calling this per article (``detect_wire(text,
    agencies=load_agencies(paths))``) is cheap.
    """
    return _load_agencies(tuple(str(p) for p in paths), include_default)


@functools.lru_cache(maxsize=8)
def _load_agencies(paths: tuple[str, ...], include_default: bool) -> AgencyTable:
    agencies: list[Agency] = list(default_agencies().agencies) if include_default else []
    for p in paths:
        try:
            text = Path(p).read_text(encoding="utf-8-sig")
        except OSError as e:
            raise InputError(str(p), f"cannot read agency table ({e.strerror})") from None
        agencies.extend(_read_table(p, text))
    return AgencyTable(agencies)


def detect_wire(text: str, *, agencies: AgencyTable | None = None) -> tuple[str | None, Span | None]:
    """The wire agency an article came from, with the span that shows it; (None, None) if none.

    The first dateline wins; failing that, the first credit line; failing that, an
    agency's house style. Offsets index ``text`` exactly.

    >>> detect_wire("Title.\\n\\nWASHINGTON (AP) — Donald Trump said ...")
    ('AP', Span(start=8, end=25, text='WASHINGTON (AP) —'))
    >>> detect_wire("Trump told The Associated Press on Monday that ...")
    (None, None)
    """
    table = agencies if agencies is not None else default_agencies()
    m = table.dateline_re.search(text)
    if m:
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" \t")))
        return table._by_token[m.group("tok")], Span.of(text, start, m.end())
    best: tuple[int, str, int] | None = None
    for rx in table.credit_res:
        cm = rx.search(text)
        agency = table.canonical(cm.group("name")) if cm else None
        if cm and agency and (best is None or cm.start() < best[0]):
            best = (cm.start(), agency, cm.end())
    if best:
        return best[1], Span.of(text, best[0], best[2])
    for name, rx in table.style_res:
        sm = rx.search(text)
        if sm:
            return name, Span.of(text, sm.start(), sm.end())
    return None, None
