#!/usr/bin/env bash
# On a CUDA machine with PyTorch but no package registry: builds dacrun against the wheel's CUDA
# libtorch (with the Debian libraries packed by make-kit.sh in .devkit/), runs the torch and CUDA
# tests, and measures `dacrun bench pretrain` for the full Crammed BERT beside the PyTorch
# reference script (eager and compiled) on the same card. Logs go to OUT_DIR.
# Usage, from the repository root: tools/gpu-check.sh OUT_DIR [ref_crammed.py]
set -uo pipefail
out=${1:?usage: tools/gpu-check.sh OUT_DIR [ref_crammed.py]}
ref=${2:-}
mkdir -p "$out"
nvidia-smi > "$out/nvidia-smi.txt" 2>&1

mkdir -p /opt/deps && tar xJf .devkit/deps.tar.xz -C /opt/deps
export LD_LIBRARY_PATH=/opt/deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
torch_cmake=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
start=$(date +%s)
cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DDAC_BUILD_BENCHMARKS=OFF \
  -DCMAKE_PREFIX_PATH="$torch_cmake;/opt/deps/usr;/opt/deps/usr/lib/x86_64-linux-gnu/cmake" \
  -DCMAKE_CUDA_ARCHITECTURES=90 > "$out/configure.log" 2>&1 &&
  cmake --build build-cuda -j"$(nproc)" --target dacrun dac_models dac_training \
    dac_text_plugins dac_synthetic dac_core_stages dac_torch_tests > "$out/build.log" 2>&1
status=$?
echo "build exit $status after $(( $(date +%s) - start )) s" | tee "$out/summary.txt"
[ $status -eq 0 ] || { tail -50 "$out/build.log"; exit 1; }

build-cuda/bin/dac_torch_tests > "$out/torch-tests.log" 2>&1
echo "torch tests exit $?: $(grep -E '^\[  (PASSED|FAILED)' "$out/torch-tests.log" | tr '\n' ' ')" \
  | tee -a "$out/summary.txt"

bench() { build-cuda/bin/dacrun bench pretrain "$@" 2>&1 | tail -1 | tee -a "$out/summary.txt"; }
bench --batch 256 --steps 20
bench --batch 512 --steps 10
if [ -n "$ref" ]; then
  python3 "$ref" --batch 256 --steps 20 2>&1 | tail -1 | tee -a "$out/summary.txt"
  python3 "$ref" --batch 256 --steps 20 --compile 2>&1 | tail -1 | tee -a "$out/summary.txt"
fi
bench --batch 256 --steps 20 --precision fp32
