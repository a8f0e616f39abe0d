#!/usr/bin/env bash
# Installs the Debian 12 packages dacrun builds and runs with (as root, or through sudo).
# libopenblas0-pthread matters: without it Debian's libtorch runs matmuls on the reference BLAS,
# about 30 times slower.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache git pkg-config curl unzip python3 xz-utils
  libtorch-dev libopenblas0-pthread
  libboost-dev libboost-program-options-dev
  libtomlplusplus-dev libfmt-dev
  libutf8proc-dev libzstd-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps.sh: run as root or install sudo" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps.sh: all packages are installed"
  exit 0
fi
echo "install-deps.sh: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${missing[@]}"
