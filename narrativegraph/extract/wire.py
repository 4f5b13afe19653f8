"""Wire-agency detection (owned by the wire/syndication work; this is the pre-work placeholder)."""
from __future__ import annotations

from narrativegraph.records import Span

__all__ = ["detect_wire"]


def detect_wire(text: str, *, agencies: object = None) -> tuple[str | None, Span | None]:
    """The wire agency an article came from, with the span that shows it; (None, None) if none."""
    return None, None
