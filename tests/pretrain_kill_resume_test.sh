#!/usr/bin/env bash
# Pretraining survives kill -9: a run killed after its first checkpoint and continued with
# `dacrun run --resume` ends with the same exported weights (byte for byte) as a run that was
# never interrupted. Usage: pretrain_kill_resume_test.sh DACRUN
set -u
dacrun=$(realpath "$1")
work=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
pid=0
source "$(dirname "$0")/support/checks.sh"

cat > "$work/exp.toml" <<'TOML'
[experiment]
name = "kill_resume"
seed = 3

[[stages]]
name = "data"
kind = "prepare"
normalizer = "crammed"
vocab_size = 2000
seq_len = 64
validation_fraction = 0.05

[[stages.corpus]]
name = "synthetic_agreement"
seed = 0
documents = 300
sentences_per_document = 6

[[stages]]
name = "pretrain"
kind = "pretrain"
inputs = ["data"]
model = { name = "crammed_bert", layers = 2, hidden = 64, heads = 2, intermediate = 128, max_positions = 64 }
budget_unit = "steps"
budget = 400
micro_batch = 16
batch_size = 32
ramp_end = 0.5
lr = 2e-3
threads = 1
log_every = 20
validate_every = 100
checkpoint_every_steps = 25
TOML

mkdir -p "$work/straight" "$work/killed"
(cd "$work/straight" && "$dacrun" run ../exp.toml > log.txt 2>&1)
check "the uninterrupted run succeeds" test $? -eq 0

cd "$work/killed"
"$dacrun" run ../exp.toml > first.txt 2>&1 &
pid=$!
checkpoint=""
for _ in $(seq 1 1200); do
  checkpoint=$(ls runs/stages/pretrain-*/checkpoints/latest.ckpt 2>/dev/null | head -1)
  [ -n "$checkpoint" ] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
check "a checkpoint appeared before the kill" test -n "$checkpoint"
check "the killed run had not finished (no export yet)" \
  test ! -e "$(dirname "$(dirname "$checkpoint")")/export/encoder.safetensors"

"$dacrun" run --resume ../exp.toml > resumed.txt 2>&1
check "the resumed run succeeds" test $? -eq 0
check "the resumed run continued from the checkpoint" grep -q "resumed from" resumed.txt
straight=$(ls "$work"/straight/runs/stages/pretrain-*/export/encoder.safetensors)
resumed=$(ls "$work"/killed/runs/stages/pretrain-*/export/encoder.safetensors)
check "both runs exported an encoder" test -f "$straight" -a -f "$resumed"
check "the exported weights are identical" cmp -s "$straight" "$resumed"
if [ $failed -ne 0 ]; then
  echo "--- straight run"; cat "$work/straight/log.txt"
  echo "--- killed run"; cat "$work/killed/first.txt"
  echo "--- resumed run"; cat "$work/killed/resumed.txt"
fi
exit $failed
