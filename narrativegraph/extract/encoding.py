"""Bytes to text: UTF-8 first, otherwise a detected encoding; binary input is refused.

UTF-8 with a few stray Windows-1252 bytes reads as UTF-8, those bytes as cp1252.

Offsets in records index the text as decoded here, after one normalisation only:
CRLF and CR line ends become LF (what Python's text mode does), so a record's
``article.text`` is checkable against any tool that reads the file as text.
"""
from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from narrativegraph.errors import InputError

__all__ = ["decode", "detect_encoding", "normalize_newlines", "looks_binary", "utf8_with_stray_cp1252",
           "STRAY_CP1252"]

logger = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NEWLINES = re.compile(r"\r\n?")
# C0 controls other than tab, LF, VT, FF, CR; C1 controls; both mean "not text"
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


STRAY_CP1252 = "narrativegraph.stray-cp1252"


def _stray_cp1252(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 read as cp1252 (undefined ones as U+FFFD)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    return err.object[err.start:err.end].decode("cp1252", errors="replace"), err.end


codecs.register_error(STRAY_CP1252, _stray_cp1252)


def utf8_with_stray_cp1252(data: bytes) -> str | None:
    """The text of UTF-8 ``data`` with a few Windows-1252 bytes in it (a line pasted from Word,
    pages joined from two sources); None unless the UTF-8 outweighs the stray bytes.

    Read as a whole in cp1252, such text would turn every UTF-8 character into mojibake
    ("Â©", "Ð¼Ð°"); read as UTF-8 it would fail.

    >>> utf8_with_stray_cp1252("© Sputnik: “yes”".encode() + " \x93no\x94".encode("latin-1"))
    '© Sputnik: “yes” “no”'
    >>> utf8_with_stray_cp1252("Café “no”".encode("cp1252")) is None    # cp1252 through and through
    True
    """
    try:
        data.decode("utf-8")
        return None  # plain UTF-8
    except UnicodeDecodeError:
        pass
    valid = data.decode("utf-8", errors="ignore")
    multibyte = sum(1 for ch in valid if ord(ch) > 127)
    stray = len(data) - len(valid.encode("utf-8"))
    if multibyte == 0 or multibyte < stray:
        return None
    return data.decode("utf-8", errors=STRAY_CP1252)


def normalize_newlines(text: str) -> str:
    r"""CRLF and lone CR become LF; nothing else changes.

    >>> normalize_newlines("a\r\nb\rc\n")
    'a\nb\nc\n'
    """
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def looks_binary(sample: bytes) -> bool:
    """True for bytes that are not text in any 8-bit encoding: NUL bytes (without a UTF-16/32 BOM).

    >>> looks_binary(b"PK\\x03\\x04\\x00\\x00"), looks_binary(b"plain text")
    (True, False)
    """
    if any(sample.startswith(bom) for bom, enc in _BOMS if enc in ("utf-16", "utf-32")):
        return False
    return b"\x00" in sample


def _latin_only(text: str) -> bool:
    """True when every non-ASCII letter of ``text`` is a Latin letter."""
    for ch in text:
        if ord(ch) > 127 and ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def detect_encoding(sample: bytes, *, complete: bool = True) -> str | None:
    """The encoding of ``sample``, or None when no encoding reads it as text.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are taken as such. Otherwise
    charset-normalizer guesses; when its guess is a Latin-script code page and cp1252
    also reads the bytes cleanly, cp1252 wins: charset-normalizer often calls short
    Western text cp1250 or cp775, while cp1252 is what Windows editors write.
    ``complete=False`` means ``sample`` is the head of a longer file (a multi-byte
    character may be cut at its end).

    >>> detect_encoding("Café".encode("utf-8")), detect_encoding("Café “x”".encode("cp1252"))
    ('utf-8', 'cp1252')
    """
    for bom, enc in _BOMS:
        if sample.startswith(bom):
            return enc
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if not complete and e.start >= len(sample) - 3 and e.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    # without a BOM, UTF-16/32 text has NUL bytes, refused above: such a guess is noise
    guesses = [r for r in from_bytes(sample) if not r.encoding.startswith(("utf_16", "utf_32"))]
    try:
        as1252: str | None = sample.decode("cp1252")
    except UnicodeDecodeError:
        as1252 = None
    clean1252 = as1252 is not None and not _CONTROL.search(as1252)
    if not guesses:
        return "cp1252" if clean1252 else None
    best = guesses[0]
    if best.encoding != "cp1252" and clean1252 and _latin_only(str(best)):
        logger.debug("charset-normalizer guessed %s; cp1252 reads it cleanly and wins", best.encoding)
        return "cp1252"
    return best.encoding


def decode(data: bytes, where: str) -> str:
    """The text of a whole file's bytes, newlines normalised; InputError when it is not text."""
    if not data:
        raise InputError(where, "empty file")
    if looks_binary(data[:65536]):
        raise InputError(where, "binary file (contains NUL bytes), not text; give .txt, .html, .jsonl, .csv or .tsv")
    mixed = None if any(data.startswith(bom) for bom, _ in _BOMS) else utf8_with_stray_cp1252(data)
    if mixed is not None:
        logger.info("%s: read as UTF-8 with some cp1252 bytes", where)
        text = mixed
    else:
        enc = detect_encoding(data)
        if enc is None:
            raise InputError(where, "cannot detect the text encoding; convert the file to UTF-8")
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError) as e:  # a guessed encoding that still fails
            raise InputError(where, f"cannot decode as {enc} ({e}); convert the file to UTF-8") from None
        if enc not in ("utf-8", "utf-8-sig"):
            logger.info("%s: read as %s", where, enc)
    if len(_CONTROL.findall(text[:65536])) > max(3, len(text[:65536]) // 100):
        raise InputError(where, "binary file (control characters), not text")
    return normalize_newlines(text)
