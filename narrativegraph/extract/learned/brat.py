"""Read PolNeAR's brat attributions and turn them into per-token tags for training.

PolNeAR is univocal: each token is source, cue, content or nothing, in at most one
attribution, so one attribution layer is one BIO tag sequence (B-SRC, I-CUE, ...).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

__all__ = ["GoldAttribution", "read_ann", "gold_path", "token_tags", "LABELS"]

LABELS = ("SRC", "CUE", "CNT")
_ROLE = {"Source": "SRC", "Cue": "CUE", "Content": "CNT", "Content2": "CNT"}
Frags = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One gold attribution: its source, cue and content as character fragments."""

    source: Frags
    cue: Frags
    content: Frags


def gold_path(split_dir: Path, article_id: str) -> Path | None:
    """The gold ``.ann`` of an article: the first annotator in name order (as the scorer)."""
    anns = sorted((split_dir / "attributions").glob(article_id + "_*.ann"))
    return anns[0] if anns else None


def read_ann(path: Path) -> list[GoldAttribution]:
    """The attributions of one brat file (events with a content; source and cue may be empty)."""
    spans: dict[str, Frags] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, frags = parts[1].partition(" ")
            spans[parts[0]] = tuple(tuple(map(int, f.split())) for f in frags.split(";"))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(a.split(":", 1) for a in parts[1].split() if ":" in a))
    out = []
    for ev in events:
        content = tuple(f for k in ("Content", "Content2") if ev.get(k) in spans for f in spans[ev[k]])
        if not content:
            continue
        out.append(GoldAttribution(
            source=spans.get(ev.get("Source", ""), ()),
            cue=spans.get(ev.get("Cue", ""), ()),
            content=content,
        ))
    return out


def token_tags(doc: Doc, gold: list[GoldAttribution]) -> list[str]:
    """BIO tags of ``doc``'s tokens; a token takes the role of any span it overlaps.

    Each fragment starts with B-, so split quotes and multi-part cues stay apart.
    """
    role = [""] * len(doc)
    begin = [False] * len(doc)
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t.text) for t in doc]
    for g in gold:
        for label, frags in (("CNT", g.content), ("SRC", g.source), ("CUE", g.cue)):
            for s, e in frags:
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is None:
                    continue
                first = True
                for t in span:
                    if ends[t.i] <= s or starts[t.i] >= e or (t.is_space and (starts[t.i] < s or ends[t.i] > e)):
                        continue
                    role[t.i] = label
                    begin[t.i] = first
                    first = False
    tags = []
    for i, r in enumerate(role):
        if not r:
            tags.append("O")
        elif begin[i] or i == 0 or role[i - 1] != r:
            tags.append("B-" + r)
        else:
            tags.append("I-" + r)
    return tags
