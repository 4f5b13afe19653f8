"""Combine rule and model candidates into one set: rules where they are sure, the model elsewhere.

Measured on held-out PolNeAR train, the rules are more precise (quotation-mark pairing,
"according to", clausal complements of speech verbs) and the learned tagger finds more
(cues outside any lexicon, contents without a clean parse). So the rules' candidates are
kept, a model candidate that overlaps one confirms it (origin "both", score the mean of
the two, and lends its source when the rule found none), and a model candidate that overlaps none is added when
its score clears a threshold chosen on held-out train by ``tools/train_attribution.py``.
Two further choices made there: a model content that strictly contains a quoted rule
content (a partial quote inside a reported clause) replaces it, and rule candidates the
model does not confirm must clear a minimum rule score. Last, the clause classifier's
candidates (`learned.clauses`) fill the gaps: best first, each one that overlaps nothing
already kept joins when its probability clears its own threshold; one that overlaps a
kept candidate without a source lends it its source when both name the same cue.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Sequence

from narrativegraph.extract.candidates import Candidate

__all__ = ["MergeParams", "merge", "overlap"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MergeParams:
    """How model candidates join the rules' (the shipped values live in the model's meta)."""

    min_model_score: float = 0.0  # a model-only candidate needs at least this raw score
    min_overlap: float = 0.5  # share of the shorter content that two candidates must share
    model_wins_indirect: bool = False  # on overlap with an indirect rule candidate, keep the model's spans
    model_extends_direct: bool = False  # a model content that strictly contains a quoted rule content replaces it
    min_rule_only_score: float = 0.0  # a rule candidate the model does not confirm needs at least this score
    min_clause_score: float = 0.5  # a clause-classifier candidate that overlaps nothing needs at least this probability


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """The share of the shorter of two character ranges that the other covers.

    >>> overlap((0, 10), (5, 20)), overlap((0, 10), (10, 20))
    (0.5, 0.0)
    """
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return max(inter, 0) / shorter if shorter > 0 else 0.0


def _shipped_params() -> MergeParams:
    try:
        from narrativegraph.extract import learned

        if not learned.available():
            return MergeParams()
        return MergeParams(**learned.load().meta.get("combine", {}))
    except Exception as exc:  # a missing or broken model leaves the defaults
        logger.warning("attribution model meta unreadable, merging with defaults: %s", exc)
        return MergeParams()


def merge(rules: Sequence[Candidate], model: Sequence[Candidate] = (), clauses: Sequence[Candidate] = (), *,
          params: MergeParams | None = None) -> list[Candidate]:
    """The final candidates of one document, in text order, contents not overlapping.

    Without model or clause candidates this is the rules alone. ``params`` defaults to the
    values shipped with the model.
    """
    if not model and not clauses:
        return sorted(rules, key=lambda c: c.content)
    p = params or _shipped_params()
    out = _merge_model(rules, model, p) if model else list(rules)
    if clauses:
        out = _add_clauses(out, clauses, p)
    return sorted(out, key=lambda c: c.content)


def _add_clauses(kept: list[Candidate], clauses: Sequence[Candidate], p: MergeParams) -> list[Candidate]:
    out = list(kept)
    sourceless = [k for k, o in enumerate(out) if o.source is None and o.cue is not None]
    for c in sorted(clauses, key=lambda c: -c.score):
        if c.score >= p.min_clause_score and not any(overlap(o.content, c.content) > 0 for o in out):
            out.append(c)
            if c.source is None and c.cue is not None:
                sourceless.append(len(out) - 1)
            continue
        if c.source is None or c.cue is None:
            continue
        for k in sourceless:  # only a kept candidate without a source can take this one's
            o = out[k]
            if o.source is None and overlap(o.cue, c.cue) > 0 and overlap(o.content, c.content) >= p.min_overlap:
                out[k] = replace(o, source=c.source)
    return out


def _merge_model(rules: Sequence[Candidate], model: Sequence[Candidate], p: MergeParams) -> list[Candidate]:
    out = list(rules)
    for m in sorted(model, key=lambda c: -c.score):
        hits = [k for k, r in enumerate(out) if overlap(r.content, m.content) >= p.min_overlap]
        if not hits:
            if m.score >= p.min_model_score and not any(overlap(r.content, m.content) > 0 for r in out):
                out.append(m)
            continue
        k = hits[0]
        r = out[k]
        if r.origin == "model":
            continue
        if p.model_wins_indirect and r.kind == "indirect" and m.source is not None:
            out[k] = replace(m, origin="both", score=round((r.score + m.score) / 2, 4))
        else:
            content, kind = r.content, r.kind
            if p.model_extends_direct and r.kind != "indirect" and m.content != r.content \
                    and m.content[0] <= r.content[0] and r.content[1] <= m.content[1] \
                    and not any(j != k and overlap(o.content, m.content) > 0 for j, o in enumerate(out)) \
                    and not any(x and overlap(x, m.content) > 0 for x in (r.cue, r.source, m.cue, m.source)):
                content, kind = m.content, m.kind  # a partial quote inside a reported clause: the clause is the content
            out[k] = replace(r, content=content, kind=kind, origin="both", source=r.source or m.source, cue=r.cue or m.cue,
                             score=round((r.score + m.score) / 2, 4))
    return [c for c in out if c.origin != "rules" or c.score >= p.min_rule_only_score]
