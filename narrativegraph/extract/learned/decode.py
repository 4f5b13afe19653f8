"""Turn a tag sequence into attributions: link each content to its cue, each cue to a source.

The tagger labels tokens; which cue a content belongs to, and who the source is, is
decided here by distance in tokens, with a penalty for every sentence boundary crossed.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Callable, Optional

__all__ = ["TagSpan", "Linked", "DecodeParams", "tag_spans", "link"]


@dataclass(frozen=True, slots=True)
class TagSpan:
    """Tokens [start, end) tagged with one role, and the mean marginal of that role."""

    label: str
    start: int
    end: int
    prob: float


@dataclass(frozen=True, slots=True)
class Linked:
    """One decoded attribution as token spans (content may be several merged spans)."""

    content: tuple[int, int]
    content_prob: float
    cue: TagSpan | None
    source: TagSpan | None


@dataclass(frozen=True, slots=True)
class DecodeParams:
    """Linking limits, chosen on held-out PolNeAR train articles by the training tool."""

    max_cue_gap: int = 40
    max_src_gap: int = 25
    sent_penalty: int = 15
    keep_cueless: bool = False
    min_content_tokens: int = 1
    syntax_fallback: bool = True
    max_merge_gap: int = 3


# (content start, content end, tagged cue or None) -> cue, source read off the parse
Fallback = Callable[[int, int, Optional["TagSpan"]], "tuple[Optional[TagSpan], Optional[TagSpan]]"]


def tag_spans(tags: list[str], probs: list[float]) -> list[TagSpan]:
    """Maximal runs of one role; a B- tag always starts a new run.

    >>> [(s.label, s.start, s.end) for s in tag_spans(["B-SRC", "B-CUE", "B-CNT", "I-CNT", "O"], [1.0] * 5)]
    [('SRC', 0, 1), ('CUE', 1, 2), ('CNT', 2, 4)]
    """
    out: list[TagSpan] = []
    cur: list = []  # label, start, prob sum
    for i, t in enumerate(tags + ["O"]):
        lab = t[2:] if t != "O" else ""
        if cur and (lab != cur[0] or t.startswith("B-")):
            out.append(TagSpan(cur[0], cur[1], i, cur[2] / (i - cur[1])))
            cur = []
        if lab:
            if not cur:
                cur = [lab, i, 0.0]
            cur[2] += probs[i] if i < len(probs) else 0.0
    return out


def _gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


def _cost(a: tuple[int, int], b: tuple[int, int], sent_of: list[int], penalty: int) -> int:
    gap = _gap(a[0], a[1], b[0], b[1])
    lo, hi = (a[1] - 1, b[0]) if a[1] <= b[0] else (b[1] - 1, a[0])
    crossings = abs(sent_of[max(min(hi, len(sent_of) - 1), 0)] - sent_of[max(min(lo, len(sent_of) - 1), 0)])
    return gap + penalty * crossings


def link(spans: list[TagSpan], sent_of: list[int], params: DecodeParams = DecodeParams(),
         fallback: Fallback | None = None) -> list[Linked]:
    """Attributions from tagged spans: each content joins its nearest cue; contents sharing
    a cue merge (a quote split by "he said"); each cue takes its nearest source.

    With ``params.syntax_fallback``, a content with no tagged cue nearby, or a cue with no
    tagged source, takes them from the parse (``fallback``: governing verb and its subject).
    """
    use_fb = fallback is not None and params.syntax_fallback
    cues = [s for s in spans if s.label == "CUE"]
    sources = [s for s in spans if s.label == "SRC"]
    by_cue: dict[int, list[TagSpan]] = {}
    cueless: list[TagSpan] = []
    cue_starts, cue_ends = [q.start for q in cues], [q.end for q in cues]  # sorted: runs do not overlap
    for c in (s for s in spans if s.label == "CNT"):
        if c.end - c.start < params.min_content_tokens:
            continue
        best, best_cost = None, params.max_cue_gap + 1
        # a cost is at least the gap in tokens, so only cues within the gap limit can win
        lo = bisect.bisect_left(cue_ends, c.start - params.max_cue_gap)
        hi = bisect.bisect_right(cue_starts, c.end + params.max_cue_gap)
        for k in range(lo, hi):
            q = cues[k]
            cost = _cost((c.start, c.end), (q.start, q.end), sent_of, params.sent_penalty)
            if cost < best_cost:
                best, best_cost = k, cost
        if best is None:
            cueless.append(c)
        else:
            by_cue.setdefault(best, []).append(c)
    covered = set()
    for sp in cues + sources:
        covered.update(range(sp.start, sp.end))

    def loose_gap(a: tuple[int, int], b: tuple[int, int]) -> int:
        lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
        return sum(1 for i in range(lo, hi) if i not in covered)

    groups: list[tuple[TagSpan, list[TagSpan]]] = []
    for k, contents in sorted(by_cue.items()):
        q = cues[k]
        contents.sort(key=lambda c: _cost((c.start, c.end), (q.start, q.end), sent_of, params.sent_penalty))
        group, extent = [contents[0]], (contents[0].start, contents[0].end)
        for c in contents[1:]:
            if loose_gap(extent, (c.start, c.end)) <= params.max_merge_gap:
                group.append(c)
                extent = (min(extent[0], c.start), max(extent[1], c.end))
            else:
                cueless.append(c)  # a second content near one cue: its own attribution, if the parse finds a cue
        groups.append((q, group))
    out = []
    src_starts, src_ends = [s.start for s in sources], [s.end for s in sources]
    for q, contents in groups:
        start = min(c.start for c in contents)
        end = max(c.end for c in contents)
        n = sum(c.end - c.start for c in contents)
        prob = sum(c.prob * (c.end - c.start) for c in contents) / n
        src, src_cost = None, params.max_src_gap + 1
        lo = bisect.bisect_left(src_ends, q.start - params.max_src_gap)
        hi = bisect.bisect_right(src_starts, q.end + params.max_src_gap)
        for s in sources[lo:hi]:
            if start <= s.start < end and not (q.start > start and q.start < end):
                continue  # a source inside the content belongs to something else
            cost = _cost((q.start, q.end), (s.start, s.end), sent_of, params.sent_penalty)
            if cost < src_cost:
                src, src_cost = s, cost
        if src is None and use_fb:
            src = fallback(start, end, q)[1]
        out.append(Linked((start, end), prob, q, src))
    if use_fb:
        rest = []
        for c in sorted(cueless, key=lambda c: c.start):
            q, src = fallback(c.start, c.end, None)
            if q is None:
                rest.append(c)
            else:
                out.append(Linked((c.start, c.end), c.prob, q, src))
        cueless = rest
    if params.keep_cueless:
        out += [Linked((c.start, c.end), c.prob, None, None) for c in cueless]
    return sorted(out, key=lambda a: a.content)
