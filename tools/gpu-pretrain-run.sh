#!/usr/bin/env bash
# A short real pretraining run on a CUDA machine: experiments/crammed_bert.toml (the recipe's data
# preparation, model and schedule) on the prose corpus, under a wall-clock budget of HOURS instead
# of 24, so that the loss curves, throughput and MFU of a real run can be read in minutes.
# PROSE is a folder holding gutenberg_books/ and wikipedia_en_wikiextractor/ (as ../shared/data
# does) or a .tar.xz of the two. It builds with tools/gpu-build.sh first unless DACRUN names a
# built dacrun. The pretrain stage's metrics, loss plot, log and training record, the run's config
# and provenance, and a table of the metrics go to OUT_DIR/pretrain-run/ (not the checkpoint or
# the exported weights: they are large). Further arguments go to dacrun (e.g. --set ...).
# GPU_PRETRAIN_RUN_TIMEOUT (seconds) stops dacrun if it runs longer; what it wrote is still
# brought back.
# Usage, from the repository root: tools/gpu-pretrain-run.sh OUT_DIR PROSE HOURS [dacrun args...]
set -uo pipefail
usage="usage: tools/gpu-pretrain-run.sh OUT_DIR PROSE HOURS [dacrun args...]"
out=${1:?$usage}
prose=${2:?$usage}
hours=${3:?$usage}
shift 3
record="$out/pretrain-run"
mkdir -p "$record"
summary="$out/summary.txt"
note() { echo "$*" | tee -a "$summary"; }

dacrun=${DACRUN:-}
if [ -z "$dacrun" ]; then
  tools/gpu-build.sh "$out" || exit 1
  export LD_LIBRARY_PATH=/opt/deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
  dacrun=build-cuda/bin/dacrun
fi
# The unpacked corpus and the run folders (with the checkpoint) go once the record is copied.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ -f "$prose" ]; then
  mkdir -p "$scratch/prose"
  tar xJf "$prose" -C "$scratch/prose" || { note "cannot unpack $prose"; exit 1; }
  prose=$scratch/prose
fi
prose=$(cd "$prose" && pwd)
for corpus in gutenberg_books wikipedia_en_wikiextractor; do
  [ -d "$prose/$corpus" ] || { note "$prose has no $corpus/"; exit 1; }
done

runs=$scratch/runs
start=$(date +%s)
timeout "${GPU_PRETRAIN_RUN_TIMEOUT:-0}" "$dacrun" run experiments/crammed_bert.toml --runs-dir "$runs" \
  --set "stages.data.corpus=[{name = \"gutenberg\", paths = [\"$prose/gutenberg_books\"]}, \
{name = \"wikiextractor\", paths = [\"$prose/wikipedia_en_wikiextractor\"]}]" \
  --set "stages.pretrain.budget=$hours" --set stages.pretrain.log_every=5 \
  --set stages.pretrain.validate_every=25 "$@" > "$record/dacrun.log" 2>&1
status=$?
note "pretrain run ($hours h budget) exit $status after $(( $(date +%s) - start )) s"

stage=$(find "$runs/stages" -maxdepth 1 -name 'pretrain-*' | head -1)
run=$(find "$runs/crammed_bert" -mindepth 1 -maxdepth 1 -type d | head -1)
[ -n "$stage" ] && for file in metrics.jsonl loss.svg log.txt stage.toml training.toml \
  export/encoder.json; do
  [ -f "$stage/$file" ] && cp "$stage/$file" "$record/"
done
[ -n "$run" ] && for file in config.toml provenance.json; do
  [ -f "$run/$file" ] && cp "$run/$file" "$record/"
done
[ -f "$record/metrics.jsonl" ] &&
  python3 tools/metrics_table.py "$record/metrics.jsonl" | tee "$record/metrics-table.txt" |
  tail -4 | tee -a "$summary"
exit $status
