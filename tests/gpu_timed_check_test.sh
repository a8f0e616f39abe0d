#!/usr/bin/env bash
# tools/gpu-timed-check.sh, the one-command check made on a CUDA machine, exercised on the CPU. The
# build, nvidia-smi, the CUDA tests, the benches, the PyTorch reference and the quickstart are
# stand-ins that print what the real ones print; the pretraining run is real (dacrun, a tiny
# model, a few prose files). It checks what the check brings back, the figures it reads from
# the benches, and the steps it leaves out when its time limit is short. Needs the prose of the
# test data folder (DAC_TEST_DATA, default ../shared/data); exits 77 (skipped) without it.
# Usage: gpu_timed_check_test.sh DACRUN
set -u
dacrun=$(realpath "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$(dirname "$0")/support/checks.sh"
source "$(dirname "$0")/support/prose_run.sh"
need_prose_data "$repo"
make_prose_work
mkdir -p "$work/bin" "$work/fake"

# A checkout whose build step installs the stand-ins instead of building.
mkdir -p "$work/repo"
cp -r "$repo/tools" "$work/repo/"
ln -s "$repo/experiments" "$work/repo/experiments"
cat > "$work/repo/tools/gpu-build.sh" <<EOF
#!/bin/sh
mkdir -p build-cuda/bin && cp "$work"/fake/* build-cuda/bin/ && echo "build exit 0" >> "\$1/summary.txt"
EOF
cat > "$work/bin/nvidia-smi" <<'EOF'
#!/bin/sh
printf 'name, memory.total [MiB], driver_version\nStand-in GPU, 81559 MiB, 580\n'
EOF
cat > "$work/fake/dac_torch_tests" <<'EOF'
#!/bin/sh
echo "[  PASSED  ] 35 tests."
EOF
# bench: the line of `dacrun bench pretrain` (the default, fused, at FAKE_TOKENS tokens/s; with
# fused_kernels=false at FAKE_UNFUSED_TOKENS); run: the real dacrun on a tiny model; the
# quickstart: a checkpoint, a parser model and a treebank; parse and eval-parser: a copy of the
# input, and an LAS.
cat > "$work/fake/dacrun" <<EOF
#!/bin/bash
if [ "\$1" = bench ]; then
  tokens=\${FAKE_TOKENS}; fused=" fused_kernels"
  case "\$*" in *fused_kernels=false*) tokens=\${FAKE_UNFUSED_TOKENS}; fused="";; esac
  batch=\$(echo "\$*" | grep -oE -- '--batch [0-9]+' | cut -d' ' -f2)
  model=\$(echo "\$*" | grep -oE -- '--model [a-z_]+' | cut -d' ' -f2)
  echo "bench pretrain \${model:-crammed_bert} layers=16 hidden=768 params=119.6M batch=\${batch}x128 precision=bf16\${fused} tokens/s=\$tokens MFU=0.25"
elif [ "\$1" = run ]; then
  exec "$dacrun" "\$@" $(printf '%q ' "${tiny_pretrain_args[@]}")
elif [ "\$1" = parse ]; then
  input=\$(echo "\$*" | grep -oE -- '--input [^ ]+' | cut -d' ' -f2)
  output=\$(echo "\$*" | grep -oE -- '--output [^ ]+' | cut -d' ' -f2)
  cp "\$input" "\$output" && echo "parse: 300 sentences (stand-in)" >&2
elif [ "\$1" = eval-parser ]; then
  echo "LAS          |     96.13 |     96.13 |     96.13"
else
  stages=\$(echo "\$*" | grep -oE -- '--runs-dir [^ ]+' | cut -d' ' -f2)/quickstart/quickstart-crammed_bert-0/stages
  mkdir -p "\$stages/pretrain/checkpoints" "\$stages/parser" "\$stages/treebank"
  echo checkpoint > "\$stages/pretrain/checkpoints/latest.ckpt"
  echo model > "\$stages/parser/parser.model"
  echo "1	Dogs	dog	NOUN	_	_	0	root	_	_" > "\$stages/treebank/dev.conllu"
  echo "[pretrain] step 149  validation_loss=4.903"
fi
EOF
cat > "$work/ref_crammed.py" <<'EOF'
import sys
compiled = "--compile" in sys.argv
batch = sys.argv[sys.argv.index("--batch") + 1]
print(f"ref_crammed layers=16 hidden=768 batch={batch} compile={compiled} params=119.6M "
      f"tokens/s={550000 if compiled else 370000} MFU=0.2")
EOF
chmod +x "$work/repo/tools/gpu-build.sh" "$work/bin/nvidia-smi" "$work"/fake/*

timed_check() {  # timed_check OUT SECONDS: the check with the stand-ins
  (cd "$work/repo" && PATH="$work/bin:$PATH" GPU_CHECK_MAX_HOURS=0.003 \
    tools/gpu-timed-check.sh "$1" "$work/ref_crammed.py" "$work/prose.tar.xz" "$2")
}

# Time for everything; the default path is faster than the eager reference.
out="$work/out"
FAKE_TOKENS=420000 FAKE_UNFUSED_TOKENS=380000 timed_check "$out" 400 > "$work/stdout" 2>&1
check "the check succeeds" test $? -eq 0
check "three files come back" test "$(cd "$out" && echo *)" = \
  "gpu-written-crammed_bert.ckpt logs.tar.xz summary.txt"
summary="$out/summary.txt"
check "the summary gives both forms, the eager reference and the ratio" grep -q \
  '^batch 256, best of two: default 420000 tokens/s, unfused 380000, eager reference 370000; default/eager 1.135$' \
  "$summary"
check "the build is made once" test "$(grep -c '^build exit 0' "$summary")" -eq 1
check "the card is named once" test "$(grep -c '^gpu: ' "$summary")" -eq 1
check "the pretraining run is recorded" grep -q '^pretrain run (0.003 h budget) exit 0' "$summary"
check "the compiled reference runs" grep -q 'compile=True .*tokens/s=550000' "$summary"
check "no profile when the default path is not slower" \
  bash -c "! grep -q profile '$summary' && ! tar -tJf '$out/logs.tar.xz' | grep -q profile"
check "the quickstart runs" grep -q '^quickstart exit 0' "$summary"
check "the quickstart's parser runs on the GPU" grep -q '^parser on cuda: LAS 96.13; parse:' "$summary"
check "DACBERT's stage 2 is measured" grep -q '^bench pretrain dacbert .*batch=256x128' "$summary"
check "the parser's trees are compared" grep -q '^parser: the same trees on cpu and cuda$' "$summary"
tar -xJf "$out/logs.tar.xz" -C "$work" ./pretrain-run/metrics-table.txt ./torch-tests.log
check "the archive holds the run's metrics table" \
  grep -q 'val loss' "$work/pretrain-run/metrics-table.txt"
check "the archive holds the test log" grep -q PASSED "$work/torch-tests.log"

# A limit too short for all but the comparison: the rest is left out, and said so.
out2="$work/out2"
FAKE_TOKENS=300000 FAKE_UNFUSED_TOKENS=300000 timed_check "$out2" 40 > "$work/stdout2" 2>&1
check "a short check succeeds" test $? -eq 0
for what in "no pretraining run" "skipped compiled" "skipped profile" "skipped quickstart" \
  "skipped dacbert"; do
  check "a short check says: $what" grep -q "^$what" "$out2/summary.txt"
done
check "a short check still brings back its archive" test -s "$out2/logs.tar.xz"

# Slower than the eager reference: the kernel profiles are made, before the pretraining run.
out3="$work/out3"
FAKE_TOKENS=300000 FAKE_UNFUSED_TOKENS=320000 timed_check "$out3" 130 > "$work/stdout3" 2>&1
check "a slower check succeeds" test $? -eq 0
check "a slower check profiles" \
  bash -c "tar -tJf '$out3/logs.tar.xz' | grep -q '^./profile-ours.txt$'"
check "a slower check still makes the pretraining run" \
  grep -q '^pretrain run (0.003 h budget) exit 0' "$out3/summary.txt"

if [ $failed -ne 0 ]; then
  echo "--- output"; cat "$work/stdout"
  echo "--- summary"; cat "$summary"
fi
exit $failed
