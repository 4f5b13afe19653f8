"""Calibrated confidence: turn a finder's raw score into the chance the assertion is right.

The map is an isotonic (monotone, piecewise-linear) fit of "was this candidate a correct
attribution" on held-out PolNeAR train articles, one map per candidate origin; it ships
with the model in ``model/attribution.json``.
"""
from __future__ import annotations

import bisect
import logging
from typing import Mapping, Sequence

from narrativegraph.extract.candidates import Candidate

__all__ = ["fit", "apply", "confidence", "reliability"]

logger = logging.getLogger(__name__)


def fit(scores: Sequence[float], correct: Sequence[int], *, min_block: int = 20) -> dict:
    """An isotonic map from raw score to share correct (pool-adjacent-violators).

    Blocks hold at least ``min_block`` candidates so that no step rests on a handful.

    >>> m = fit([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], min_block=1)
    >>> apply(m, 0.15), apply(m, 0.85)
    (0.02, 0.98)
    """
    pairs = sorted(zip(scores, correct))
    blocks: list[list[float]] = []  # [sum score, sum correct, n]
    chunk: list[float] = [0.0, 0.0, 0]
    for k, (s, y) in enumerate(pairs):
        chunk = [chunk[0] + s, chunk[1] + y, chunk[2] + 1]
        tie = k + 1 < len(pairs) and pairs[k + 1][0] == s  # equal scores stay in one block
        if chunk[2] >= min_block and not tie:
            blocks.append(chunk)
            chunk = [0.0, 0.0, 0]
    if chunk[2]:
        blocks.append(chunk)
    merged: list[list[float]] = []
    for b in blocks:
        merged.append(list(b))
        while len(merged) > 1 and merged[-2][1] / merged[-2][2] >= merged[-1][1] / merged[-1][2]:
            top = merged.pop()
            merged[-1] = [merged[-1][k] + top[k] for k in range(3)]
    xs = [round(b[0] / b[2], 4) for b in merged]
    ys = [round(min(max(b[1] / b[2], 0.02), 0.98), 4) for b in merged]
    return {"method": "isotonic", "x": xs, "y": ys, "n": len(pairs)}


def apply(cal: Mapping, score: float) -> float:
    """The calibrated confidence of a raw ``score`` under map ``cal`` (linear between steps)."""
    xs, ys = cal["x"], cal["y"]
    if not xs:
        return round(min(max(score, 0.0), 1.0), 4)
    k = bisect.bisect_left(xs, score)
    if k == 0:
        return ys[0]
    if k == len(xs):
        return ys[-1]
    x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
    return round(y0 + (y1 - y0) * (score - x0) / (x1 - x0) if x1 > x0 else y1, 4)


def confidence(candidate: Candidate) -> float:
    """The calibrated confidence of a candidate, by the map for its origin.

    Origins without a fitted map (or no shipped model at all) fall back to the model's map
    for "both" and to the clipped raw score otherwise.
    """
    from narrativegraph.extract import learned

    maps = learned.load().meta.get("calibration", {}) if learned.available() else {}
    cal = maps.get(candidate.origin) or (maps.get("model") if candidate.origin == "both" else None)
    if cal is None:
        return round(min(max(candidate.score, 0.0), 1.0), 4)
    return apply(cal, candidate.score)


def reliability(confidences: Sequence[float], correct: Sequence[int], bins: int = 10) -> list[tuple[float, float, int, float]]:
    """Rows (bin low, bin high, count, share correct) of a reliability table.

    >>> reliability([0.05, 0.95, 0.9], [0, 1, 1], bins=2)
    [(0.0, 0.5, 1, 0.0), (0.5, 1.0, 2, 1.0)]
    """
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        ys = [y for c, y in zip(confidences, correct) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if ys:
            rows.append((lo, hi, len(ys), round(sum(ys) / len(ys), 3)))
    return rows
