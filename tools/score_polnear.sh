#!/bin/sh
# Score the attribution extractor on a PolNeAR split: content/attribution P/R/F1, speaker names.
# usage: tools/score_polnear.sh [dev|train] [--no-model]
set -e
split=${1:-dev}; shift 2>/dev/null || true
here=$(cd "$(dirname "$0")/.." && pwd)
gold="$here/../shared/corpus/polnear/$split"
out=${TMPDIR:-/tmp}/narrativegraph-polnear-$split.jsonl
python "$here/tools/polnear_predict.py" "$gold" "$out" "$@"
python "$here/../shared/eval/score_attributions.py" "$out" "$gold" --by-outlet
python "$here/tools/score_speakers.py" "$out" "$gold"
