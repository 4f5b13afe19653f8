"""Writing pages and pictures: a path that cannot be written is one clear error, before any work is done."""
from __future__ import annotations

from pathlib import Path

from narrativegraph.errors import NarrativegraphError

__all__ = ["check_writable", "write_text"]


def check_writable(path: str | Path, what: str = "page") -> Path:
    """``path`` as a `Path`, or `NarrativegraphError` naming why it cannot be written.

    Checked up front so that a typo in ``-o`` fails at once, not after the store was read.

    >>> check_writable("/no/such/folder/x.html")
    Traceback (most recent call last):
    ...
    narrativegraph.errors.NarrativegraphError: /no/such/folder/x.html: cannot write the page (folder /no/such/folder does not exist; create it first)
    """
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        problem = "is not a folder" if parent.exists() else "does not exist; create it first"
        raise NarrativegraphError(f"{path}: cannot write the {what} (folder {parent} {problem})")
    if path.is_dir():
        raise NarrativegraphError(f"{path}: cannot write the {what} (it is a folder; give a file name)")
    return path


def write_text(path: str | Path, text: str, what: str = "page") -> Path:
    """Write ``text`` as UTF-8 to ``path``; an OS error becomes one `NarrativegraphError` line."""
    path = check_writable(path, what)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise NarrativegraphError(f"{path}: cannot write the {what} ({e.strerror or e})") from None
    return path
