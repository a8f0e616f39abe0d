#!/usr/bin/env bash
# tools/gpu-pretrain-run.sh, the short real pretraining run made on CUDA machines, exercised on the
# CPU with a tiny model: from an archive of a few prose files it prepares the corpus, pretrains
# under a wall-clock budget and brings back the stage's metrics, loss plot, training record,
# config, provenance and a table of the metrics. Needs the prose of the test data folder
# (DAC_TEST_DATA, default ../shared/data); exits 77 (skipped) without it.
# Usage: gpu_pretrain_run_test.sh DACRUN
set -u
dacrun=$(realpath "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$(dirname "$0")/support/checks.sh"
source "$(dirname "$0")/support/prose_run.sh"
need_prose_data "$repo"
make_prose_work

out="$work/out"
(cd "$repo" && DACRUN="$dacrun" tools/gpu-pretrain-run.sh "$out" "$work/prose.tar.xz" 0.003 \
  "${tiny_pretrain_args[@]}") > "$work/stdout" 2>&1
check "the run succeeds" test $? -eq 0
record="$out/pretrain-run"
for file in metrics.jsonl loss.svg training.toml stage.toml config.toml provenance.json \
  encoder.json dacrun.log; do
  check "$file is brought back" test -s "$record/$file"
done
check "the budget is the one given" grep -q '^budget = 0.003$' "$record/training.toml"
check "the corpus is the unpacked archive" grep -q 'wikipedia_en_wikiextractor' "$record/config.toml"
check "the metrics table has a validation loss column" \
  grep -q 'val loss' "$record/metrics-table.txt"
check "the table ends with the stage's totals" \
  grep -Eq '^crammed_bert, [0-9]+ parameters on cpu.*validation loss [0-9.]+$' \
  "$record/metrics-table.txt"
check "the summary records the run" \
  grep -q '^pretrain run (0.003 h budget) exit 0 after' "$out/summary.txt"

mkdir -p "$work/empty"
(cd "$repo" && DACRUN="$dacrun" tools/gpu-pretrain-run.sh "$work/out2" "$work/empty" 0.003) \
  > "$work/stdout2" 2>&1
check "a prose folder without the corpora fails" test $? -ne 0
check "the missing corpus is named" grep -q "has no gutenberg_books/" "$work/stdout2"

if [ $failed -ne 0 ]; then
  echo "--- output"; cat "$work/stdout"
  [ -f "$record/dacrun.log" ] && { echo "--- dacrun"; tail -30 "$record/dacrun.log"; }
fi
exit $failed
