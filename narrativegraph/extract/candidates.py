"""Attribution candidates: the common currency of the rule finder and the learned model.

Both produce `Candidate`s over a parsed Doc; `combine.merge` picks the final set, and
speaker resolution turns each into an `Assertion`. Offsets are character offsets into
the article text (the Doc is parsed from a same-length masked copy of it).
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Candidate"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One attribution found in a Doc, before speaker resolution."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None  # the speaker mention as written ("she", "Levent", "the Turkish journalist")
    kind: str  # "direct" | "indirect" | "mixed"
    score: float  # raw score from the finder; calibrated into Assertion.confidence later
    origin: str = "rules"  # "rules" | "model" | "both"
