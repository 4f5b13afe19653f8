#!/usr/bin/env python3
"""Speaker-name accuracy on PolNeAR: of the matched attributions whose gold source is a name,
how many predicted speakers carry that name (a shared capitalised word, titles aside).

usage: tools/score_speakers.py PRED.jsonl GOLD_DIR

Uses the shared scorer's matching (content Jaccard >= 0.5, one-to-one); gold sources that
are pronouns or descriptions ("he", "the company") are left out, since the gold gives no name.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_NAME = re.compile(r"\b[A-Z][a-z][\w'’-]*")
_SKIP = {"Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "The", "President", "Secretary", "Senator",
         "Republican", "Democrat", "Democratic", "GOP", "Former", "State", "He", "She", "They", "It", "I", "We"}


def main(argv: list[str]) -> int:
    pred_path, gold_dir = Path(argv[0]), Path(argv[1])
    scorer_dir = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
    sys.path.insert(0, str(scorer_dir))
    import score_attributions as S  # noqa: E402  (the shared scorer, for identical matching)

    named = right = 0
    for line in pred_path.open(encoding="utf-8"):
        rec = json.loads(line)
        aid = rec["article"]["id"]
        anns = sorted(a for a in (gold_dir / "attributions").glob(aid + "_*.ann")
                      if a.stem.rsplit("_", 1)[0] == aid)
        if not anns:
            continue
        text = (gold_dir / "text" / (aid + ".txt")).read_text(encoding="utf-8")
        gold, toks = S.read_gold(anns[0], text)
        srcs = _gold_sources(anns[0], text)
        assertions = [a for a in rec["assertions"] if S.tokens_of(S.span(a.get("content")), toks)]
        pred = S.read_pred(assertions, toks)
        for i, j in S.match(pred, gold):
            names = {w.strip("'’") for w in _NAME.findall(srcs[j])} - _SKIP
            if not names:
                continue
            named += 1
            have = set(assertions[i]["speaker"]["name"].replace("’", "'").split())
            right += bool({n.replace("’", "'").removesuffix("'s") for n in names} & have)
    print(json.dumps({"named_gold_sources": named, "speaker_name_accuracy": round(right / named, 4) if named else 0.0}))
    return 0


def _gold_sources(ann: Path, text: str) -> list[str]:
    """Gold source text per attribution, in the scorer's order."""
    spans, events, out = {}, [], []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, frags = parts[1].partition(" ")
            spans[parts[0]] = [tuple(map(int, f.split())) for f in frags.split(";")]
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(a.split(":", 1) for a in parts[1].split() if ":" in a))
    for ev in events:  # events may name spans defined after them
        if any(k in ev and spans.get(ev[k]) for k in ("Content", "Content2")):
            out.append(" ".join(text[s:e] for s, e in spans.get(ev.get("Source"), [])))
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
