#!/usr/bin/env bash
# Everything a short time on a CUDA machine is for, in one command that keeps to a time limit:
# the build, the CUDA tests and the batch-256 comparison with the eager PyTorch reference
# (tools/gpu-check.sh), then a real pretraining run as long as the time left allows
# (tools/gpu-pretrain-run.sh), then, while time is left, the compiled reference, the quickstart
# and DACBERT's stage-2 bench. When the default path is slower than the eager reference, kernel
# profiles of both come before the pretraining run. The build is made once, by the first step.
# Usage, from the repository root: tools/gpu-timed-check.sh OUT_DIR ref_crammed.py PROSE [SECONDS]
# SECONDS (default 570) is the whole command's limit; PROSE is as for tools/gpu-pretrain-run.sh.
# GPU_CHECK_MAX_HOURS (default 0.05) caps the pretraining run's wall-clock budget.
# The steps write to a scratch folder; after each one OUT_DIR gets summary.txt, logs.tar.xz
# (every log, kernel table and the pretraining run's record; not the traces) and the quickstart's
# checkpoint, so that a command stopped at any point still leaves a few files with all so far.
set -uo pipefail
usage="usage: tools/gpu-timed-check.sh OUT_DIR ref_crammed.py PROSE [SECONDS]"
out=${1:?$usage}
ref=${2:?$usage}
prose=${3:?$usage}
limit=${4:-570}
max_hours=${GPU_CHECK_MAX_HOURS:-0.05}
deadline=$(( $(date +%s) + limit ))
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary="$work/summary.txt"
note() { echo "$*" | tee -a "$summary"; }
left() { echo $(( deadline - $(date +%s) )); }
bring_back() {
  cp "$summary" "$out/summary.txt"
  tar -C "$work" --exclude='*.ckpt' --exclude='*.json.xz' -cJf "$out/logs.tar.xz.part" . &&
    mv "$out/logs.tar.xz.part" "$out/logs.tar.xz"
  for checkpoint in "$work"/*.ckpt; do
    if [ -f "$checkpoint" ]; then cp "$checkpoint" "$out/"; fi
  done
}
# The best tokens/s of the summary's lines that match a pattern and not an exclusion (0 if none).
best_tokens_per_s() {
  grep -E "$1" "$summary" | grep -vE "${2:-^$}" | grep -oE 'tokens/s=[0-9]+' | cut -d= -f2 |
    awk 'BEGIN { best = 0 } $1 > best { best = $1 } END { print best }'
}

GPU_CHECK_STEPS="tests bench" tools/gpu-check.sh "$work" "$ref"
status=$?
bring_back
[ $status -eq 0 ] || exit 1
export LD_LIBRARY_PATH=/opt/deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
# The default path runs the fused kernels (its bench line says fused_kernels); the other is unfused.
ours=$(best_tokens_per_s '^bench pretrain crammed_bert .*batch=256x128.*fused_kernels')
unfused=$(best_tokens_per_s '^bench pretrain crammed_bert .*batch=256x128' fused_kernels)
eager=$(best_tokens_per_s '^ref_crammed .*batch=256 compile=False')
note "batch 256, best of two: default $ours tokens/s, unfused $unfused, eager reference $eager;" \
  "default/eager $(awk -v a="$ours" -v b="$eager" 'BEGIN { if (b > 0) printf "%.3f", a / b }')"

optional() {  # optional STEP SECONDS_NEEDED
  if [ "$(left)" -ge "$2" ]; then
    DACRUN=build-cuda/bin/dacrun GPU_CHECK_STEPS=$1 timeout "$(left)" \
      tools/gpu-check.sh "$work" "$ref" > /dev/null
  else
    note "skipped $1: $(left) s left, it needs about $2"
  fi
  bring_back
}
# Slower than the eager reference: where the time goes comes first.
[ "$ours" -lt "$eager" ] && optional profile 120

# The pretraining run takes what is left, less about 60 s for unpacking and preparing the corpus,
# starting, validating and exporting, up to GPU_CHECK_MAX_HOURS; it is stopped 20 s before the
# deadline.
hours=$(awk -v s="$(( $(left) - 60 ))" -v cap="$max_hours" \
  'BEGIN { h = s / 3600; if (h > cap) h = cap; printf "%.3f", h }')
if awk -v h="$hours" -v cap="$max_hours" 'BEGIN { exit !(h >= 0.01 || h >= cap) }'; then
  DACRUN=build-cuda/bin/dacrun GPU_PRETRAIN_RUN_TIMEOUT=$(( $(left) - 20 )) \
    tools/gpu-pretrain-run.sh "$work" "$prose" "$hours"
else
  note "no pretraining run: $(left) s left"
fi
bring_back

optional compiled 100
optional quickstart 150
optional dacbert 45
note "timed check finished with $(left) s left"
bring_back
