"""Combine rule and model candidates into one set (owned by the attribution-model work)."""
from __future__ import annotations

from typing import Sequence

from narrativegraph.extract.candidates import Candidate

__all__ = ["merge"]


def merge(rules: Sequence[Candidate], model: Sequence[Candidate] = ()) -> list[Candidate]:
    """For now the rules alone; the learned model's merge replaces this."""
    return list(rules)
