"""Metadata a scraped page states in its own text: title line, dateline, dates, language.

Used only for fields the input and ``--metadata`` tables leave empty (explicit
metadata always wins), and every inferred field is listed in ``extra["inferred"]``.

Decisions
---------
* outlet: the dateline names it as written ("Aleppo - Sputnik International" gives
  outlet "Sputnik International", place "Aleppo"); no list of outlet names is kept,
  so sister outlets named in the text ("Sputnik Turkey") stay distinct organisations.
* published: a full date (day, month, year) where pages date themselves: a
  "Published/Updated" stamp, else the page head above the first long paragraph, else a
  boilerplate line (a photo caption dates the reported event, so at most days before
  publication: the seed's only date). Never a date in article prose, which dates what
  is reported. Measured on PolNeAR train (which states no publication dates): the first
  prose date would be right in 10 of 73 articles; these rules date 13 of 840 articles,
  12 of them within 3 days (4 exactly). Weak evidence, hence listed in ``extra["inferred"]``.
* language: the share of very common function words of a few languages; None when
  no language reaches a clear share (too short, or another language).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Sequence

from narrativegraph.extract.boilerplate import dateline, lines, mask

__all__ = ["Inferred", "infer_metadata", "find_title", "find_dateline", "find_date", "guess_language"]

logger = logging.getLogger(__name__)

_QUOTES = {"'": "'", '"': '"', "‘": "’", "“": "”", "«": "»", "„": "“"}
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
_MONTH_RE = (r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
             r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATES = [
    re.compile(_MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r",?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
]
# "WASHINGTON —", "MOSCOW, Dec. 5 (Sputnik) -": an upper-case place opening the first paragraph
_LEAD_PLACE = re.compile(r"^(?P<place>[A-Z][A-Z.'’ -]{2,30}?[A-Z.])(?:,[^—–\n]{0,30}?)?\s*(?:\([^)\n]{1,30}\))?\s+[—–-]{1,2}\s")
_STOP = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "it", "was", "for", "on", "with", "he", "she",
           "as", "are", "by", "this", "have", "from", "at", "not", "but", "they", "his", "her", "be"},
    "fr": {"le", "la", "les", "et", "de", "des", "du", "un", "une", "est", "que", "qui", "dans", "pour",
           "pas", "sur", "il", "elle", "au", "avec", "ce", "ne"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "von", "sich",
           "des", "auf", "für", "dem", "im", "sie", "er", "es", "auch"},
    "es": {"el", "la", "los", "las", "y", "de", "que", "en", "un", "una", "es", "por", "con", "para",
           "del", "se", "no", "al", "lo", "su", "como"},
    "it": {"il", "lo", "la", "gli", "le", "e", "di", "che", "è", "un", "una", "per", "non", "con", "del",
           "della", "sono", "si", "da", "nel"},
    "tr": {"ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "gibi", "olan", "ama",
           "en", "ne", "mi", "değil"},
    "ru": {"и", "в", "не", "на", "что", "с", "по", "это", "как", "он", "она", "из", "за", "к", "о", "от",
           "для", "так", "но", "у"},
}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Inferred:
    """What the text itself says about the article; None where it says nothing."""

    title: str | None = None
    outlet: str | None = None
    place: str | None = None
    published: str | None = None
    language: str | None = None


def _masked(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _strip_quotes(s: str) -> str:
    """A title without the quotes a page wraps it in.

    >>> _strip_quotes("'Aleppo Residents Heaved a Sigh of Relief'")
    'Aleppo Residents Heaved a Sigh of Relief'
    """
    s = s.strip()
    if len(s) > 2 and s[0] in _QUOTES and s[-1] == _QUOTES[s[0]] and s[1:-1].count(s[-1]) == 0:
        return s[1:-1].strip()
    return s


def find_title(text: str, spans: Sequence[tuple[int, int]] = ()) -> str | None:
    """The first line that is not boilerplate, when it is short enough to be a title.

    >>> find_title("Log in\\n'Big News Today'\\n\\nHe said so, and more.", [(0, 6)])
    'Big News Today'
    """
    rows = [(s, e) for s, e in lines(text) if text[s:e].strip() and not _masked(spans, s, e)]
    if len(rows) < 2:
        return None
    s, e = rows[0]
    line = text[s:e].strip()
    if len(line) > 300 or len(line.split()) > 30:
        return None
    return _strip_quotes(line) or None


def find_dateline(text: str, spans: Sequence[tuple[int, int]] = (), *, head_lines: int = 15) -> tuple[str | None, str | None]:
    """(place, outlet) from a dateline near the top: "Aleppo - Sputnik International", or "WASHINGTON —".

    >>> find_dateline("Title\\nAleppo - Sputnik International\\nLevent said so.")
    ('Aleppo', 'Sputnik International')
    >>> find_dateline("Title\\n\\nWASHINGTON — Sen. Sanders said so.")
    ('Washington', None)
    """
    seen = 0
    for s, e in lines(text):
        line = text[s:e].strip()
        if not line:
            continue
        seen += 1
        if seen > head_lines:
            break
        found = dateline(line)
        if found:
            return found
        m = _LEAD_PLACE.match(line)
        if m and not _masked(spans, s, e):
            place = m.group("place").strip()
            return (place.title() if place.isupper() else place), None
    return None, None


def _date_of(m: re.Match[str]) -> str | None:
    import datetime

    g = m.groupdict()
    month = int(g["mnum"]) if g.get("mnum") else _MONTHS.get(next(
        (name for name in _MONTHS if name.startswith(g["month"].lower()[:3])), ""), 0)
    try:
        return datetime.date(int(g["year"]), month, int(g["day"])).isoformat()
    except ValueError:
        return None


_STAMP = re.compile(r"(?i)\b(?:published|updated|posted|last modified|date)\b\s*:?")


def _head_end(text: str, *, max_lines: int = 10, body_words: int = 25) -> int:
    """Where the page head (title, byline, dateline, time stamp) ends: at the first long paragraph."""
    seen = 0
    for s, e in lines(text):
        line = text[s:e]
        if not line.strip():
            continue
        seen += 1
        if seen > max_lines or len(line.split()) >= body_words:
            return s
    return len(text)


def find_date(text: str, spans: Sequence[tuple[int, int]] = ()) -> str | None:
    """The publication date a page states, as ISO 8601; None when it states none.

    Only dates in places that date the page count: a "Published/Updated" stamp, the page
    head above the first long paragraph, and boilerplate lines (photo captions, which date
    the reported events). Dates in article prose are about what the article reports, so
    they never count (on PolNeAR, the first date in the prose is the publication date in
    fewer than one article in six).

    >>> find_date("Title\\nDecember 15, 2016 10:30\\n\\nOn 3 March 2017 he said so in a long sentence "
    ...           "that goes on and on and on with more than twenty-five words in all of it, surely.")
    '2016-12-15'
    >>> find_date("Photo on December 9, 2016\\nHe said so.", [(0, 25)])
    '2016-12-09'
    >>> find_date("Title\\n\\nOn 3 March 2017 he said so in a long sentence that goes on and on and on "
    ...           "with more than twenty-five words in all of it, surely.") is None
    True
    """
    head = _head_end(text)
    found: list[tuple[int, int, str]] = []
    for rx in _DATES:
        for m in rx.finditer(text):
            iso = _date_of(m)
            if not iso:
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            if _STAMP.search(text, line_start, m.start()):
                rank = 0
            elif m.start() < head:
                rank = 1
            elif _masked(spans, m.start(), m.end()):
                rank = 2
            else:
                continue
            found.append((rank, m.start(), iso))
    return min(found)[2] if found else None


def guess_language(text: str, *, min_share: float = 0.12) -> str | None:
    """The language whose commonest words make up a clear share of the text, or None.

    >>> guess_language("The journalist said that the city was calm and the people were happy.")
    'en'
    >>> guess_language("12345") is None
    True
    """
    words = [w.lower() for w in _TOKEN.findall(text[:20000])]
    if len(words) < 5:
        return None
    shares = {lang: sum(1 for w in words if w in stop) / len(words) for lang, stop in _STOP.items()}
    lang = max(shares, key=shares.__getitem__)
    return lang if shares[lang] >= min_share else None


def infer_metadata(text: str, spans: Sequence[tuple[int, int]] = ()) -> Inferred:
    """Title, outlet, place, publication date and language as the text states them.

    ``spans`` are the boilerplate lines (``boilerplate.boilerplate_spans``): the title is
    never one of them, and dates in them count only when the prose has none.
    """
    place, outlet = find_dateline(text, spans)
    prose = mask(text[:20000], [(s, min(e, 20000)) for s, e in spans if s < 20000])
    return Inferred(
        title=find_title(text, spans),
        outlet=outlet,
        place=place,
        published=find_date(text, spans),
        language=guess_language(prose),
    )
