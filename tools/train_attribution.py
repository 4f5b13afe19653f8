#!/usr/bin/env python3
"""Train the learned attribution models on PolNeAR train and write them into the package.

    pip install -e ".[train]"      # scikit-learn, for the clause classifier
    python tools/train_attribution.py --polnear ../shared/corpus/polnear \
        --out narrativegraph/extract/model/

Two models: the CRF tagger (``attribution.crfsuite``, python-crfsuite) and the clause
classifier (``clauses.json``, a logistic regression fitted with scikit-learn and shipped as
a plain weight table: extraction reads it without scikit-learn).

Reads ONLY ``train/``: every tenth article (by sorted file name) is held out; the CRF
is fitted on the rest, the linking limits are chosen and the confidence map is fitted
on the held-out tenth. Everything is deterministic (sorted inputs, L-BFGS, no sampling).
``--dev-out PRED.jsonl`` additionally writes dev predictions for ``score_attributions.py``
(rules + model there, model-only and rules-only beside it as PRED.model.jsonl and
PRED.rules.jsonl) and prints a reliability table; measurement only, nothing is chosen on dev.
Takes 5-10 minutes on the shared 2-core machine (spaCy parse of train 2-4.5 min, CRF
2.5-4 min, linking/merge/calibration choice ~1 min; up to 15 min for the CRF when the
machine is busy); ``--cache DIR`` keeps the parses for reruns, ``--reuse`` keeps the CRF.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import json
import logging
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pycrfsuite
from spacy.tokens import DocBin

from narrativegraph.extract import calibrate
from narrativegraph.extract.combine import MergeParams, merge
from narrativegraph.extract.learned import META_FILE, MODEL_FILE, AttributionModel, to_candidates
from narrativegraph.extract.learned.brat import gold_path, read_ann, token_tags
from narrativegraph.extract.learned.clauses import CLAUSE_FILE, ClauseModel
from narrativegraph.extract.learned.decode import DecodeParams
from narrativegraph.extract.learned.features import doc_features, rule_tags
from narrativegraph.extract.nlp import load_model

logger = logging.getLogger("train_attribution")
WORD = re.compile(r"\w+")


def parsed(split_dir: Path, cache: Path | None, nlp_name: str | None):
    """(article id, Doc) for every text of a split, parsed once and cached as a DocBin."""
    files = sorted((split_dir / "text").glob("*.txt"))
    cached = cache / f"{split_dir.name}.spacy" if cache else None
    nlp = load_model(nlp_name)
    if cached and cached.is_file():
        docs = list(DocBin().from_disk(cached).get_docs(nlp.vocab))
        if [d.user_data.get("id") for d in docs] == [f.stem for f in files]:
            return list(zip((f.stem for f in files), docs))
    texts = [f.read_text(encoding="utf-8") for f in files]
    docs = list(nlp.pipe(texts, batch_size=32))
    if cached:
        db = DocBin(store_user_data=True)
        for f, d in zip(files, docs):
            d.user_data["id"] = f.stem
            db.add(d)
        cached.parent.mkdir(parents=True, exist_ok=True)
        db.to_disk(cached)
    return list(zip((f.stem for f in files), docs))


def cue_lexicon(docs_tags, min_count: int, min_share: float) -> list[str]:
    """Lemmas that are part of a gold cue at least ``min_count`` times and ``min_share`` of the time."""
    cue, total = Counter(), Counter()
    for doc, tags in docs_tags:
        for tok, tag in zip(doc, tags):
            lm = tok.lemma_.lower()
            total[lm] += 1
            if tag.endswith("CUE") and tok.is_alpha:
                cue[lm] += 1
    return sorted(lm for lm, n in cue.items() if n >= min_count and n / total[lm] >= min_share)


# -- scoring, as ../shared/eval/score_attributions.py does it (token Jaccard >= 0.5) --

def _toks(spans, index):
    """Indices of the word tokens (start, end) in ``index`` that any span overlaps."""
    ends = [te for _, te in index]
    out = set()
    for s, e in spans:
        k = bisect.bisect_right(ends, s)
        while k < len(index) and index[k][0] < e:
            out.add(k)
            k += 1
    return out


def match(text, cands, gold):
    """Per candidate: 1 if it matches a gold attribution with the right source, else 0;
    plus counts (tp, pred_src, gold_src, content_tp, pred, gold)."""
    index = [(m.start(), m.end()) for m in WORD.finditer(text)]
    g = [(_toks(a.content, index), _toks(a.source, index)) for a in gold]
    p = [(_toks([c.content], index), _toks([c.source] if c.source else [], index)) for c in cands]
    pairs = []
    for i, (pc, _) in enumerate(p):
        for j, (gc, _) in enumerate(g):
            inter = len(pc & gc)
            if inter and inter / len(pc | gc) >= 0.5:
                pairs.append((inter / len(pc | gc), i, j))
    used_p, used_g, ok = set(), set(), [0] * len(p)
    n = Counter(pred=len(p), gold=len(g), gold_src=sum(1 for _, gs in g if gs))
    unsourced = 0
    for _, i, j in sorted(pairs, reverse=True):
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        n["content_tp"] += 1
        if not g[j][1]:
            unsourced += 1
            ok[i] = 1
        elif p[i][1] & g[j][1]:
            n["tp"] += 1
            ok[i] = 1
    n["pred_src"] = len(p) - unsourced
    return ok, n


def f1(tp, pred, gold):
    p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(model: AttributionModel, items, params: DecodeParams):
    """Attribution F1, content F1 and (score, correct) pairs over tagged held-out docs."""
    model = AttributionModel(model.tagger, model.cue_lemmas, params, model.meta)
    n, scored = Counter(), []
    for doc, gold, tags, probs in items:
        cands = to_candidates(doc, model.link(doc, tags, probs))
        ok, counts = match(doc.text, cands, gold)
        n.update(counts)
        scored += [(c.score, y) for c, y in zip(cands, ok)]
    return f1(n["tp"], n["pred_src"], n["gold_src"]), f1(n["content_tp"], n["pred"], n["gold"]), scored


def cue_rates(docs_tags, min_count: int = 3) -> dict[str, float]:
    """Per lemma seen at least ``min_count`` times and at least once in a gold cue: the share
    of its occurrences inside a gold cue (the clause model's notion of how cue-like a word is)."""
    cue, total = Counter(), Counter()
    for doc, tags in docs_tags:
        for tok, tag in zip(doc, tags):
            lm = tok.lemma_.lower()
            total[lm] += 1
            cue[lm] += tag.endswith("CUE")
    return {lm: round(cue[lm] / n, 3) for lm, n in total.items() if n >= min_count and cue[lm]}


def clause_examples(model: ClauseModel, doc, gold):
    """Feature lists and 0/1 labels of every pair in ``doc``: a pair is positive when its phrase
    matches a gold content (token Jaccard >= 0.5, as the scorer) whose cue overlaps the pair's cue."""
    from narrativegraph.extract.learned.clauses import DocArrays, pair_features, pairs

    text = doc.text
    index = [(m.start(), m.end()) for m in WORD.finditer(text)]
    golds = [(_toks(g.content, index), g.cue) for g in gold]
    d = DocArrays(doc, model.lexicon)
    feats, labels = [], []
    for pr in pairs(d):
        pt = _toks([d.chars(pr.start, pr.end)], index)
        cs, ce = d.chars(pr.cue, pr.cue_end)
        y = any(pt and len(pt & gt) / len(pt | gt) >= 0.5 and any(a < ce and b > cs for a, b in gcue)
                for gt, gcue in golds)
        feats.append(pair_features(pr, d, model.cue_rate))
        labels.append(int(y))
    return feats, labels


def train_clauses(fit, held, cue_lemmas, rates, grid=(0.1, 0.3, 1.0)) -> ClauseModel:
    """Fit the clause classifier (L2 logistic regression, scikit-learn) on ``fit`` (doc, gold)
    pairs; the regularisation is chosen by average precision on ``held``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    blank = ClauseModel({}, 0.0, frozenset(cue_lemmas), rates)

    def examples(items):
        xs, ys = [], []
        for doc, gold in items:
            f, y = clause_examples(blank, doc, gold)
            xs += f
            ys += y
        return xs, ys

    (xf, yf), (xh, yh) = examples(fit), examples(held)
    seen = Counter(x for f in xf for x in set(f))
    keep = {x for x, n in seen.items() if n >= 2}  # features seen once carry no weight worth shipping
    vec = DictVectorizer()
    mf = vec.fit_transform([{x: 1 for x in f if x in keep} for f in xf])
    mh = vec.transform([{x: 1 for x in f if x in keep} for f in xh])
    for m in (mf, mh):  # liblinear takes 32-bit indices only
        m.indices, m.indptr = m.indices.astype("int32"), m.indptr.astype("int32")
    best = None
    for c in grid:
        clf = LogisticRegression(C=c, solver="liblinear", max_iter=3000)
        clf.fit(mf, yf)
        ap = average_precision_score(yh, clf.predict_proba(mh)[:, 1])
        logger.info("clause model C=%s: held-out average precision %.4f", c, ap)
        if best is None or ap > best[0]:
            best = (ap, c, clf)
    ap, c, clf = best
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-3}
    logger.info("clause model: %d pairs (%d positive), C=%s, %d weights, held-out AP %.4f",
                len(yf), sum(yf), c, len(weights), ap)
    return ClauseModel(weights, round(float(clf.intercept_[0]), 4), frozenset(cue_lemmas), rates)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--polnear", type=Path, required=True, help="PolNeAR root with train/ (and dev/)")
    ap.add_argument("--out", type=Path, required=True, help="model directory to write")
    ap.add_argument("--cache", type=Path, help="keep spaCy parses here (DocBin) for reruns")
    ap.add_argument("--model", help="spaCy model (default: en_core_web_sm)")
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--c1", type=float, default=0.4)
    ap.add_argument("--c2", type=float, default=0.8)
    ap.add_argument("--features", type=int, default=1, choices=(1, 2),
                    help="feature set: 1 = token, window and cue-ancestor features; 2 = also clause features")
    ap.add_argument("--stacked", action="store_true",
                    help="give the tagger the rule finder's output as features (an experiment: better "
                         "alone, no better merged with the rules, and tied to the rules' code)")
    ap.add_argument("--reuse", action="store_true",
                    help="keep the CRF already in --out; only re-choose linking and re-fit calibration")
    ap.add_argument("--no-clauses", action="store_true", help="skip the clause classifier (learned.clauses)")
    ap.add_argument("--dev-out", type=Path, help="also write model-only dev predictions (JSONL)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    t0 = time.time()

    find_rules = rule_finder()
    if args.stacked and find_rules is None:
        ap.error("--stacked needs narrativegraph.extract.attribution (the rule finder)")
    train = parsed(args.polnear / "train", args.cache, args.model)
    logger.info("parsed %d train articles in %.0fs", len(train), time.time() - t0)
    data = []
    for k, (art, doc) in enumerate(train):
        ann = gold_path(args.polnear / "train", art)
        if ann is None:
            continue
        gold = read_ann(ann)
        data.append((k % 10 == 0, doc, gold, token_tags(doc, gold)))
    fit = [(d, t) for held, d, _, t in data if not held]
    held = [(d, g) for h, d, g, _ in data if h]
    cue_lemmas = cue_lexicon(fit, min_count=3, min_share=0.15)
    logger.info("%d fit / %d held-out articles; cue lexicon of %d lemmas", len(fit), len(held), len(cue_lemmas))

    t1 = time.time()
    train_s = None
    if not (args.reuse and (args.out / MODEL_FILE).is_file()):
        trainer = pycrfsuite.Trainer(verbose=False)
        for doc, tags in fit:
            rules = rule_tags(doc, find_rules(doc)) if args.stacked else None
            trainer.append(doc_features(doc, cue_lemmas, rules, args.features), tags)
        trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                            "feature.possible_transitions": True, "feature.minfreq": 2})
        args.out.mkdir(parents=True, exist_ok=True)
        trainer.train(str(args.out / MODEL_FILE))
        train_s = round(time.time() - t1)
        logger.info("trained CRF in %ds (%d iterations)", train_s, trainer.logparser.last_iteration["num"])

    tagger = pycrfsuite.Tagger()
    tagger.open(str(args.out / MODEL_FILE))
    model = AttributionModel(tagger, frozenset(cue_lemmas), DecodeParams(), {"stacked": args.stacked, "features": args.features})
    items = [(doc, gold, *model.tag(doc)) for doc, gold in held]
    best = None
    grid = itertools.product((20, 40), (15, 30), (5, 15), (False,), (False, True), (0, 3))
    for cue_gap, src_gap, pen, cueless, fallback, merge_gap in grid:
        params = DecodeParams(cue_gap, src_gap, pen, cueless, 1, fallback, merge_gap)
        af, cf, scored = evaluate(model, items, params)
        if best is None or af > best[0]:
            best = (af, cf, params, scored)
    af, cf, params, scored = best
    logger.info("held-out train: attribution F1 %.3f, content F1 %.3f with %s", af, cf, params)
    model = AttributionModel(tagger, frozenset(cue_lemmas), params, {"stacked": args.stacked, "features": args.features})
    rules = rule_finder()
    clauses = None
    if args.no_clauses:
        (args.out / CLAUSE_FILE).unlink(missing_ok=True)
    else:
        t2 = time.time()
        clauses = train_clauses([(d, g) for h, d, g, _ in data if not h], held, cue_lemmas,
                                cue_rates(fit))
        (args.out / CLAUSE_FILE).write_text(json.dumps(clauses.to_json(), separators=(",", ":")) + "\n",
                                            encoding="utf-8")
        logger.info("trained the clause model in %.0fs", time.time() - t2)
    combine_params, cal = MergeParams(), {"model": calibrate.fit([s for s, _ in scored], [y for _, y in scored])}
    if rules is not None:
        combine_params, cal, cf1, af1 = choose_merge(model, held, rules, clauses)
        logger.info("held-out train, rules + model: attribution F1 %.3f, content F1 %.3f with %s",
                    af1, cf1, combine_params)

    meta = {
        "trained": time.strftime("%Y-%m-%d"), "corpus": "PolNeAR v1.0.0 train (first annotator)",
        "stacked": args.stacked, "features": args.features, "fit_articles": len(fit), "heldout_articles": len(held), "iterations": args.iterations,
        "c1": args.c1, "c2": args.c2, "train_seconds": train_s,
        "heldout": {"attribution_f1": round(af, 4), "content_f1": round(cf, 4)},
        "decode": {"max_cue_gap": params.max_cue_gap, "max_src_gap": params.max_src_gap,
                   "sent_penalty": params.sent_penalty, "keep_cueless": params.keep_cueless,
                   "syntax_fallback": params.syntax_fallback, "max_merge_gap": params.max_merge_gap},
        "combine": {"min_model_score": combine_params.min_model_score,
                    "min_overlap": combine_params.min_overlap,
                    "model_wins_indirect": combine_params.model_wins_indirect,
                    "model_extends_direct": combine_params.model_extends_direct,
                    "min_rule_only_score": combine_params.min_rule_only_score,
                    "min_clause_score": combine_params.min_clause_score},
        "calibration": cal,
        "cue_lemmas": cue_lemmas,
    }
    (args.out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    logger.info("wrote %s (%.1f MB) in %.0fs total", args.out,
                (args.out / MODEL_FILE).stat().st_size / 1e6, time.time() - t0)

    if args.dev_out:
        write_dev(args, AttributionModel(tagger, frozenset(cue_lemmas), params, meta), rules, combine_params, cal,
                  clauses)


def rule_finder():
    """The rule-based finder, when this checkout has it."""
    try:
        from narrativegraph.extract.attribution import find_candidates
    except ImportError:
        return None
    return find_candidates


def choose_merge(model, held, rules, clauses=None):
    """Merge settings with the best held-out attribution F1, and per-origin calibration maps."""
    from narrativegraph.extract.attribution import plausible as keep

    items = []
    for doc, gold in held:
        cl = [c for c in clauses.predict(doc) if keep(doc, c)] if clauses is not None else []
        items.append((doc, gold, rules(doc), to_candidates(doc, model.link(doc, *model.tag(doc))), cl))
    best = None
    clause_grid = (0.3, 0.4, 0.5, 0.6, 0.7) if clauses is not None else (0.5,)
    grid = itertools.product((0.0, 0.2, 0.3, 0.4, 0.6), (False, True), (False, True), (0.0, 0.2, 0.4), clause_grid)
    for thr, wins, extends, min_rule, min_clause in grid:
        mp = MergeParams(min_model_score=thr, model_wins_indirect=wins, model_extends_direct=extends,
                         min_rule_only_score=min_rule, min_clause_score=min_clause)
        n, scored = Counter(), []
        for doc, gold, r, m, cl in items:
            cands = [c for c in merge(r, m, cl, params=mp) if keep(doc, c)]  # as extraction filters
            ok, counts = match(doc.text, cands, gold)
            n.update(counts)
            scored += [(c.origin, c.score, y) for c, y in zip(cands, ok)]
        af = f1(n["tp"], n["pred_src"], n["gold_src"])
        if best is None or af > best[0]:
            best = (af, f1(n["content_tp"], n["pred"], n["gold"]), mp, scored)
    af, cf, mp, scored = best
    cal = {}
    for origin in ("rules", "model", "both", "clause"):
        xs = [(s, y) for o, s, y in scored if o == origin]
        if xs:
            cal[origin] = calibrate.fit([s for s, _ in xs], [y for _, y in xs])
    return mp, cal, cf, af


def _record(art, cands, cal):
    return json.dumps({"article": {"id": art}, "assertions": [
        {"speaker": {"name": "", "mention": {"start": c.source[0], "end": c.source[1]} if c.source else None},
         "cue": {"start": c.cue[0], "end": c.cue[1]} if c.cue else None,
         "content": {"start": c.content[0], "end": c.content[1]}, "kind": c.kind, "origin": c.origin,
         "confidence": calibrate.apply(cal.get(c.origin) or cal["model"], c.score)} for c in cands]})


def write_dev(args, model, rules, combine_params, cal, clauses=None):
    """Dev predictions for the scorer: combined in --dev-out, and model-only / rules-only beside it."""
    base = args.dev_out.with_suffix("")
    outs = {"combined": open(args.dev_out, "w", encoding="utf-8"),
            "model": open(f"{base}.model.jsonl", "w", encoding="utf-8")}
    if rules is not None:
        outs["rules"] = open(f"{base}.rules.jsonl", "w", encoding="utf-8")
    t_model = t_rules = 0.0
    conf, correct = [], []
    for art, doc in parsed(args.polnear / "dev", args.cache, args.model):
        t = time.perf_counter()
        m = to_candidates(doc, model.link(doc, *model.tag(doc)))
        t_model += time.perf_counter() - t
        t = time.perf_counter()
        r = rules(doc) if rules else []
        t_rules += time.perf_counter() - t
        outs["model"].write(_record(art, m, cal) + "\n")
        if rules is not None:
            outs["rules"].write(_record(art, r, cal) + "\n")
        if rules is not None:
            from narrativegraph.extract.attribution import plausible as keep

            cl = [c for c in clauses.predict(doc) if keep(doc, c)] if clauses is not None else []
            final = [c for c in merge(r, m, cl, params=combine_params) if keep(doc, c)]
        else:
            final = m
        outs["combined"].write(_record(art, final, cal) + "\n")
        ann = gold_path(args.polnear / "dev", art)
        if ann is not None:
            ok, _ = match(doc.text, final, read_ann(ann))
            conf += [calibrate.apply(cal.get(c.origin) or cal["model"], c.score) for c in final]
            correct += ok
    for f in outs.values():
        f.close()
    logger.info("dev: model %.1fs, rules %.1fs (parse not included)", t_model, t_rules)
    print("| confidence | assertions | share correct |\n|---|---|---|")
    for lo, hi, n, share in calibrate.reliability(conf, correct):
        print(f"| {lo:.1f}-{hi:.1f} | {n} | {share:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
