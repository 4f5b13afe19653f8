"""Which lines of a scraped page are not article prose, so they never become claims or speakers.

Scraped pages carry site furniture between the paragraphs: registration and subscription
nags, "log in or register", photo credits and captions, related-story headlines, lines
in another script. ``boilerplate_spans`` finds them line by line from general features
(a short phrase lexicon, credit marks, title-case lines without final punctuation inside
the body, lines in a script other than the article's); ``mask`` blanks them out without
moving any offset, so the parser never sees them while every offset still indexes the
original text.

Notes
-----
A whole line is boilerplate or not: scraped furniture comes in lines of its own. The
first prose-like line (the title) and the lines above it are judged by the phrase and
credit rules only, never by the headline rule, so the title survives. Measured on
PolNeAR train (real news prose), the rules mask no gold attribution content.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Iterator

__all__ = ["boilerplate_spans", "mask", "lines", "dateline"]

logger = logging.getLogger(__name__)

# Site furniture phrases; a line holding one and shorter than _NAG_MAX_WORDS is furniture.
_NAG = re.compile(
    r"""(?ix)
    \bregistration\ was\ successful
    | \bplease\ follow\ the\ link\ (?:from|in)\ the\ e-?mail
    | \blog\ ?in\ or\ register\b | \bsign\ in\ or\ register\b | \blog\ in\ to\ comment
    | \bto\ participate\ in\ the\ discussion
    | \bnever\ miss\ a\ (?:story|thing|beat)
    | \bsign\ up\ (?:to|for)\ (?:our|the)\b
    | \bsubscribe\ (?:to|for)\ (?:our|the)\b | \bsubscribe\ now\b
    | \b(?:our|the)\ (?:telegram|whatsapp)\ channel
    | \bfollow\ us\ on\b | \blike\ us\ on\ facebook
    | \bshare\ (?:this|on)\ (?:article|story|facebook|twitter)
    | \bclick\ here\b | \bread\ (?:more|also|next)\b\s*:? | \bsee\ also\s*:
    | \ball\ rights\ reserved\b | \bterms\ of\ (?:use|service)\b | \bprivacy\ policy\b
    | \bcookies?\ (?:policy|settings)\b | \bwe\ use\ cookies\b
    | \bdownload\ (?:our|the)\ app\b | \bnewsletter\b
    | \bcomments?\ (?:are|is)\ closed\b | \bshow\ comments\b | \bjoin\ the\ conversation\b
    | ^\s*advertisement\s*$ | ^\s*(?:related|trending|recommended|most\ read)\s*:?\s*$
    | ^\s*(?:share|tweet|email|print|comments?)\s*$
    | ^\s*(?:tags|topics|keywords|filed\ under)\s*:
    | \bviews\ (?:and\ opinions\ )?expressed\b.{0,80}\b(?:do\ not|don't)\ necessarily\ reflect
    | \bcontributed\ to\ this\ report\b
    """
)
_NAG_MAX_WORDS = 30
# Photo credits and captions: a copyright mark, or "Photo:"/"Image:"/"Credit:" heads, or agency photo tags.
_CREDIT = re.compile(
    r"""(?ix)
    ^\s*(?:©|\(c\)\s|copyright\b)
    | (?:^|\s)©\s*[A-Z]
    | ^\s*(?:photo|image|picture|video|credit|photograph|caption)s?\s*(?:credit)?\s*[:|]
    | \b(?:ap|afp|epa|reuters|upi)\ (?:photo|images?)\b | \bgetty\ images\b | \bshutterstock\b
    """
)
# "... - Sputnik International": a long description credited to an outlet at its end
_CAPTION_TAIL = re.compile(r"\s[-–—]\s(?:[A-Z][\w&.'’]*)(?:\s[A-Z][\w&.'’]*){0,3}\s*$")
# "Aleppo - Sputnik International": place, dash, outlet, on a line of its own
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][\w'’.]*(?:[ ,]+[A-Z][\w'’.]*){0,3})\s+[-–—]\s+"
    r"(?P<outlet>[A-Z][\w&'’.]*(?:\s+[A-Z][\w&'’.]*){0,3})\s*$"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SMALL = {"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by",
          "with", "from", "as", "is", "vs", "via", "into", "over", "after", "before", "about",
          "up", "off", "out", "than", "that", "its", "his", "her", "their", "be", "are", "was"}
_FINAL = tuple(".!?:;\"”’'»)…")


def lines(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of every line of ``text``, without its newline.

    >>> list(lines("ab\\n\\ncd"))
    [(0, 2), (3, 3), (4, 6)]
    """
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield start, len(text)
            return
        yield start, end
        start = end + 1


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _script_counts(text: str) -> dict[str, int]:
    """Letters per script (LATIN, CYRILLIC, ...); ASCII letters counted without a name lookup."""
    counts = {"LATIN": len(_ASCII_LETTER.findall(text))}
    for ch in _NON_ASCII.findall(text):
        if ch.isalpha():
            s = _script(ch)
            counts[s] = counts.get(s, 0) + 1
    return counts


def _main_script(text: str) -> str:
    counts = _script_counts(text[:20000])
    return max(counts, key=counts.__getitem__) if any(counts.values()) else "LATIN"


def _foreign(line: str, script: str) -> bool:
    """True when most letters of ``line`` are in another script than the article's."""
    counts = _script_counts(line)
    total = sum(counts.values())
    return total >= 3 and total - counts.get(script, 0) > total / 2


def _headline_like(line: str) -> bool:
    """A short title-case line without final punctuation: a related-story link or section head.

    >>> _headline_like("Aleppo Residents 'No More Afraid of Being Killed' After Liberation of the City")
    True
    >>> _headline_like("Levent said the city was calm.")
    False
    """
    s = line.strip()
    if not s or s.endswith(_FINAL) or s.endswith(","):
        return False
    words = _WORD.findall(s)
    if not 1 <= len(words) <= 20:
        return False
    content = [w for w in words if w.lower() not in _SMALL]
    if not content:
        return False
    capital = sum(1 for w in content if w[0].isupper())
    return capital / len(content) >= 0.75


def dateline(line: str) -> tuple[str, str] | None:
    """(place, outlet) of a dateline line such as "Aleppo - Sputnik International".

    >>> dateline("Aleppo - Sputnik International")
    ('Aleppo', 'Sputnik International')
    >>> dateline("Clinton - the candidate who said so") is None
    True
    """
    m = _DATELINE.match(line)
    if not m:
        return None
    return m.group("place").strip(" ,"), m.group("outlet").strip()


def _is_prose(line: str) -> bool:
    return len(_WORD.findall(line)) >= 3


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every line of ``text`` that is site furniture, not article prose.

    >>> t = "Title Here\\n\\nHe said it was fine.\\nRelated Story About Things\\nlog in or register"
    >>> [t[s:e] for s, e in boilerplate_spans(t)]
    ['Related Story About Things', 'log in or register']
    """
    script = _main_script(text)
    rows = [(s, e, text[s:e].strip()) for s, e in lines(text)]
    strong = [False] * len(rows)
    weak = [False] * len(rows)
    seen_title = False
    for i, (start, end, stripped) in enumerate(rows):
        if not stripped:
            continue
        n_words = len(_WORD.findall(stripped))
        strong[i] = (
            (n_words <= _NAG_MAX_WORDS and bool(_NAG.search(stripped)))
            or (n_words <= _NAG_MAX_WORDS * 2 and bool(_CREDIT.search(stripped)))
            or _foreign(stripped, script)
            or dateline(stripped) is not None
            or (seen_title and n_words >= 8 and not stripped.endswith(_FINAL)
                and _CAPTION_TAIL.search(stripped) is not None)
        )
        weak[i] = seen_title and not strong[i] and _headline_like(stripped)
        if not strong[i] and not seen_title and _is_prose(stripped):
            seen_title = True
    spans: list[tuple[int, int]] = []
    for i, (start, end, stripped) in enumerate(rows):
        if weak[i]:
            before = rows[i - 1][2] if i > 0 else ""
            after = rows[i + 1][2] if i + 1 < len(rows) else ""
            # a headline-like line is furniture when it stands alone or beside other furniture;
            # glued between prose lines it is more likely a heading the article itself uses
            alone = not before and not after
            beside = (i > 0 and strong[i - 1]) or (i + 1 < len(rows) and strong[i + 1])
            if not (alone or beside):
                continue
        elif not strong[i]:
            continue
        line = text[start:end]
        spans.append((start + (len(line) - len(line.lstrip())), start + len(line.rstrip())))
    return spans


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` replaced by spaces; newlines and length kept.

    >>> mask("ab\\ncd\\nef", [(0, 5)])
    '  \\n  \\nef'
    """
    if not spans:
        return text
    out = list(text)
    for s, e in spans:
        for i in range(s, e):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)
