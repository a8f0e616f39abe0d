#!/usr/bin/env bash
# Fetches the public GLUE data and the UD English-EWT treebank listed in tools/data-manifest.tsv
# into a data folder, checking every file's SHA-256. With --from, files are copied from a local
# folder of the same layout instead of downloaded (for machines without internet).
#
#   tools/fetch-data.sh --dest data                    # download everything
#   tools/fetch-data.sh --dest data --only glue/RTE    # only paths starting with glue/RTE
#   tools/fetch-data.sh --dest data --from /mnt/copy   # copy and check a local copy
#
# Exit status: 0 when every file is present with the right checksum, 1 otherwise, 2 for bad usage.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
manifest="$here/data-manifest.tsv"
dest=""
from=""
only=()

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
die_usage() { echo "fetch-data.sh: $1" >&2; usage >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dest) dest=${2:-}; shift 2 ;;
    --from) from=${2:-}; shift 2 ;;
    --only) only+=("${2:-}"); shift 2 ;;
    --manifest) manifest=${2:-}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown argument '$1'" ;;
  esac
done
[ -n "$dest" ] || die_usage "--dest FOLDER is required"
[ -f "$manifest" ] || die_usage "manifest '$manifest' does not exist"
[ -z "$from" ] || [ -d "$from" ] || die_usage "--from folder '$from' does not exist"
if [ -z "$from" ] && ! command -v curl >/dev/null; then
  echo "fetch-data.sh: curl is needed to download (apt-get install curl), or use --from" >&2
  exit 1
fi

mkdir -p "$dest/.downloads" || exit 1
failures=0

wanted() {
  [ "${#only[@]}" -eq 0 ] && return 0
  local prefix
  for prefix in "${only[@]}"; do [[ "$1" == "$prefix"* ]] && return 0; done
  return 1
}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

download() {  # url file
  curl -fsSL --retry 3 -o "$2.part" "$1" && mv "$2.part" "$2"
}

# Makes MRPC's train.tsv or dev.tsv from the MSR source files, as the GLUE download script does:
# the header line, then every pair, split by the dev ids, as label, id1, id2, sentence1, sentence2.
make_mrpc() {  # split output
  local folder="$dest/glue/MRPC"
  awk -F'\t' -v OFS='\t' -v want="$1" '
    FNR == NR { sub(/\r$/, ""); gsub(/^[ \t]+|[ \t]+$/, ""); dev[$1 "\t" $2] = 1; next }
    FNR == 1 { sub(/\r$/, ""); print; next }
    { sub(/\r$/, ""); gsub(/^[ \t]+|[ \t]+$/, "")
      in_dev = (($2 "\t" $3) in dev)
      if ((want == "dev") == in_dev) print $1, $2, $3, $4, $5 }' \
    "$folder/dev_ids.tsv" "$folder/msr_paraphrase_train.txt" > "$2"
}

fetch() {  # path kind url member target
  local path=$1 kind=$2 url=$3 member=$4 target=$5
  if [ "$kind" = mrpc ]; then
    make_mrpc "$member" "$target.part" && mv "$target.part" "$target"
  elif [ -n "$from" ]; then
    if [ ! -f "$from/$path" ]; then
      echo "$path: not in $from" >&2
      return 1
    fi
    cp "$from/$path" "$target"
  elif [ "$kind" = url ]; then
    download "$url" "$target"
  elif [ "$kind" = zip ]; then
    local archive="$dest/.downloads/$(basename "${url%%\?*}")"
    [ -f "$archive" ] || download "$url" "$archive" || return 1
    unzip -p "$archive" "$member" > "$target.part" && mv "$target.part" "$target"
  else
    echo "$path: unknown source kind '$kind' in $manifest" >&2
    return 1
  fi
}

line_number=0
while IFS=$'\t' read -r path sha kind url member; do
  line_number=$((line_number + 1))
  case "$path" in ''|'#'*) continue ;; esac
  if [ -z "$kind" ]; then
    echo "$manifest:$line_number: expected 5 tab-separated columns" >&2
    failures=$((failures + 1))
    continue
  fi
  wanted "$path" || continue
  target="$dest/$path"
  mkdir -p "$(dirname "$target")"
  if [ -f "$target" ] && [ "$sha" != "-" ] && [ "$(sha_of "$target")" = "$sha" ]; then
    echo "ok       $path (already present)"
    continue
  fi
  if ! fetch "$path" "$kind" "$url" "$member" "$target"; then
    echo "FAILED   $path: could not get it from ${from:-$url}" >&2
    rm -f "$target" "$target.part"
    failures=$((failures + 1))
    continue
  fi
  actual=$(sha_of "$target")
  if [ "$sha" = "-" ]; then
    echo "ok       $path (no checksum on record; sha256 $actual)"
  elif [ "$actual" = "$sha" ]; then
    echo "ok       $path"
  else
    echo "FAILED   $path: checksum mismatch: expected $sha, got $actual (file removed)" >&2
    rm -f "$target"
    failures=$((failures + 1))
  fi
done < "$manifest"

if [ "$failures" -gt 0 ]; then
  echo "fetch-data.sh: $failures file(s) missing or wrong in $dest" >&2
  exit 1
fi
echo "fetch-data.sh: all files present and checked in $dest"
