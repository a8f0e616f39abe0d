#!/usr/bin/env bash
# On a CUDA machine with PyTorch but no package registry: builds dacrun against the wheel's CUDA
# libtorch (tools/gpu-build.sh) unless DACRUN names one already built, then runs the chosen steps.
# Logs, kernel tables and a summary go to OUT_DIR.
# Usage, from the repository root: tools/gpu-check.sh OUT_DIR [ref_crammed.py]
# GPU_CHECK_STEPS lists the steps, in order (default: all of them):
#   tests      the CUDA and model tests
#   bench      `dacrun bench pretrain` for the full Crammed BERT at batch 256, the default (fused
#              kernels) and unfused, beside the eager PyTorch reference on the same card, twice,
#              alternating
#   profile    kernel profiles of both forms and of the reference, and the kernels whose time
#              differs most (compare-ours.txt for the default, compare-ours-unfused.txt)
#   compiled   the reference under torch.compile (about a minute to compile)
#   bench512   the same comparison as `bench` at batch 512, once
#   dacbert    `dacrun bench pretrain --model dacbert` at batch 256 (DACBERT's stage 2)
#   quickstart the quickstart end to end on the GPU, its checkpoint for a libtorch 1.13 load
#              check, and its parser on the GPU beside the CPU (LAS, speed, same trees)
set -uo pipefail
out=${1:?usage: tools/gpu-check.sh OUT_DIR [ref_crammed.py]}
ref=${2:-}
steps=${GPU_CHECK_STEPS:-tests bench profile compiled bench512 dacbert quickstart}
mkdir -p "$out"
summary="$out/summary.txt"
note() { echo "$*" | tee -a "$summary"; }
wants() { [[ " $steps " == *" $1 "* ]]; }
# The card, torch and the build, once: a caller that built already passes DACRUN for later steps.
dacrun=${DACRUN:-}
if [ -z "$dacrun" ]; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$out/gpu.txt" 2>&1
  note "gpu: $(tail -1 "$out/gpu.txt")"
  note "torch: $(python3 -c 'import torch; print(torch.__version__, torch.version.cuda)')"
  tools/gpu-build.sh "$out" || exit 1
  dacrun=build-cuda/bin/dacrun
fi
export LD_LIBRARY_PATH=/opt/deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}

if wants tests; then
  timeout 180 build-cuda/bin/dac_torch_tests \
    --gtest_filter='Cuda*:Attention*:MlmLoss*:Crammed*:AdamW*:GradientStep*:Compute*:FusedOps*' \
    > "$out/torch-tests.log" 2>&1
  note "torch tests exit $?: $(grep -E '^\[  (PASSED|FAILED)' "$out/torch-tests.log" | tr '\n' ' ')"
  grep -E '^\[  FAILED' "$out/torch-tests.log" >> "$summary"
fi

bench() { timeout 120 "$dacrun" bench pretrain "$@" 2>&1 | tail -1 | tee -a "$summary"; }
reference() { [ -n "$ref" ] && timeout 150 python3 "$ref" "$@" 2>&1 | tail -1 | tee -a "$summary"; }

if wants bench; then
  # Alternating runs, so a drift of the card's clocks shows up as a difference between repeats.
  for repeat in 1 2; do
    note "-- batch 256, repeat $repeat"
    bench --batch 256 --steps 20
    bench --batch 256 --steps 20 --set fused_kernels=false
    reference --batch 256 --steps 20
  done
fi

# Where the time goes: kernel tables of both, and the kernels whose time differs most.
if wants profile; then
  timeout 120 "$dacrun" bench pretrain --batch 256 --steps 5 --profile "$out/ours.json" \
    > "$out/profile-ours.txt" 2>&1
  timeout 120 "$dacrun" bench pretrain --batch 256 --steps 5 --set fused_kernels=false \
    --profile "$out/ours-unfused.json" > "$out/profile-ours-unfused.txt" 2>&1
  if [ -n "$ref" ]; then
    timeout 150 python3 tools/profile_reference.py "$ref" "$out/reference.json" --batch 256 \
      > "$out/profile-reference.txt" 2>&1
    for ours in ours ours-unfused; do
      python3 tools/compare_traces.py "$out/$ours.json" "$out/reference.json" \
        > "$out/compare-$ours.txt" 2>&1
    done
  fi
  # The traces themselves are large; the tables above are what comes back.
  xz -T0 -f "$out"/*.json 2>/dev/null
fi

wants compiled && reference --batch 256 --steps 20 --compile

if wants bench512; then
  note "-- batch 512"
  bench --batch 512 --steps 10
  bench --batch 512 --steps 10 --set fused_kernels=false
  reference --batch 512 --steps 10
fi

# DACBERT's stage 2 (the full model with its frozen submodels and random agreement chunks).
if wants dacbert; then
  note "-- dacbert, batch 256"
  bench --model dacbert --batch 256 --steps 20
fi

# The quickstart end to end on the GPU (tiny model; bf16, pinned copies, checkpoint, export).
if wants quickstart; then
  runs=$(mktemp -d)
  timeout 180 "$dacrun" experiments/quickstart.toml --runs-dir "$runs" \
    > "$out/quickstart.log" 2>&1
  note "quickstart exit $?: $(grep -E 'validation_loss' "$out/quickstart.log" | tail -1)"
  grep -E "stage pretrain finished|tokens_per_s" "$out/quickstart.log" | tail -2 >> "$summary"
  # A checkpoint written on the GPU by this torch, for checking that Debian's libtorch 1.13 reads
  # it: `dacrun probe --model gpu-written-crammed_bert.ckpt --pairs FILE --device cpu`.
  stages=("$runs"/quickstart/*-crammed_bert-*/stages)
  checkpoint=${stages[0]}/pretrain/checkpoints/latest.ckpt
  [ -f "$checkpoint" ] && cp "$checkpoint" "$out/gpu-written-crammed_bert.ckpt"
  # The quickstart's parser on the GPU and on the CPU: LAS on the gold dev trees, and speed.
  model=${stages[0]}/parser/parser.model
  gold=${stages[0]}/treebank/dev.conllu
  if [ -f "$model" ] && [ -f "$gold" ]; then
    for device in cpu cuda; do
      timeout 60 "$dacrun" parse --model "$model" --input "$gold" --format conllu \
        --device "$device" --output "$out/parse-$device.conllu" 2> "$out/parse-$device.log"
      las=$("$dacrun" eval-parser --gold "$gold" --system "$out/parse-$device.conllu" \
        2>&1 | awk '$1 == "LAS" { print $NF }')
      note "parser on $device: LAS ${las:-?}; $(tail -1 "$out/parse-$device.log")"
    done
    if cmp -s "$out/parse-cpu.conllu" "$out/parse-cuda.conllu"; then
      note "parser: the same trees on cpu and cuda"
    else
      note "parser: the trees on cpu and cuda differ"
    fi
  fi
  rm -rf "$runs"
fi
exit 0
