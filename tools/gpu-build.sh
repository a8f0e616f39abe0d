#!/usr/bin/env bash
# On a CUDA machine with PyTorch but no package registry: unpacks the Debian libraries that
# make-kit.sh packed into .devkit/deps.tar.xz under /opt/deps and builds dacrun, its plugins and
# the torch tests in build-cuda/ against the wheel's CUDA libtorch. Logs go to OUT_DIR, one line
# to OUT_DIR/summary.txt. Binaries it builds need
# LD_LIBRARY_PATH=/opt/deps/usr/lib/x86_64-linux-gnu.
# Usage, from the repository root: tools/gpu-build.sh OUT_DIR
set -uo pipefail
out=${1:?usage: tools/gpu-build.sh OUT_DIR}
mkdir -p "$out"
summary="$out/summary.txt"
note() { echo "$*" | tee -a "$summary"; }

# Twice: the first pass creates lib -> usr/lib only after it needed it for lib/x86_64-linux-gnu.
mkdir -p /opt/deps && tar xJf .devkit/deps.tar.xz -C /opt/deps 2> "$out/unpack.log"
tar xJf .devkit/deps.tar.xz -C /opt/deps 2>> "$out/unpack.log"
zlib=/opt/deps/usr/lib/x86_64-linux-gnu/libz.so
[ -e "$zlib" ] || zlib=$(ldconfig -p | awk '/libz\.so\.1 /{print $NF; exit}')
note "zlib: $zlib"
export LD_LIBRARY_PATH=/opt/deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
torch_cmake=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
start=$(date +%s)
cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DDAC_BUILD_BENCHMARKS=OFF \
  -DCMAKE_PREFIX_PATH="$torch_cmake;/opt/deps/usr;/opt/deps/usr/lib/x86_64-linux-gnu/cmake" \
  -DZLIB_LIBRARY="$zlib" -DZLIB_LIBRARY_RELEASE="$zlib" -DZLIB_INCLUDE_DIR=/opt/deps/usr/include \
  -DCMAKE_CUDA_ARCHITECTURES=90 > "$out/configure.log" 2>&1 &&
  cmake --build build-cuda -j"$(nproc)" --target dacrun dac_plugins dac_torch_tests > "$out/build.log" 2>&1
status=$?
note "build exit $status after $(( $(date +%s) - start )) s"
note "$(grep -E 'dacrun: (CUDA kernels|no CUDA compiler)' "$out/configure.log")"
if [ $status -ne 0 ]; then
  grep -E "error|Error" "$out/build.log" | head -40 > "$out/build-errors.txt"
  tail -40 "$out/build.log"
fi
exit $status
