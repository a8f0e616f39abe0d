#!/usr/bin/env bash
# Tests tools/fetch-data.sh without internet: copying from a local folder, checksum mismatches,
# missing files, a malformed manifest, bad usage, and (when the real data folder is present) the
# GLUE recipe that makes MRPC's train/dev files, checked against the recorded checksums.
set -u
script="$(cd "$(dirname "$0")/.." && pwd)/tools/fetch-data.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/support/checks.sh"

mkdir -p "$work/from/sub"
printf 'good\n' > "$work/from/sub/good.txt"
printf 'tampered\n' > "$work/from/sub/bad.txt"
good_sha=$(printf 'good\n' | sha256sum | cut -d' ' -f1)
expected_bad=$(printf 'original\n' | sha256sum | cut -d' ' -f1)
actual_bad=$(printf 'tampered\n' | sha256sum | cut -d' ' -f1)
printf '# test manifest\nsub/good.txt\t%s\turl\thttps://example.invalid/good\t-\nsub/bad.txt\t%s\turl\thttps://example.invalid/bad\t-\nsub/gone.txt\t-\turl\thttps://example.invalid/gone\t-\n' \
  "$good_sha" "$expected_bad" > "$work/manifest.tsv"

"$script" --manifest "$work/manifest.tsv" --dest "$work/out" --from "$work/from" \
  > "$work/stdout" 2> "$work/stderr"
status=$?
check "a bad checksum or a missing file fails the run" test "$status" -eq 1
check "the good file is reported ok" grep -q "^ok       sub/good.txt$" "$work/stdout"
check "the good file is in place" test -f "$work/out/sub/good.txt"
check "the mismatch names the file and both checksums" \
  grep -q "sub/bad.txt: checksum mismatch: expected $expected_bad, got $actual_bad" "$work/stderr"
check "the mismatching file is removed" test ! -e "$work/out/sub/bad.txt"
check "a missing local file is named" grep -q "sub/gone.txt: not in $work/from" "$work/stderr"
check "the summary counts both failures" grep -q "2 file(s) missing or wrong" "$work/stderr"

"$script" --manifest "$work/manifest.tsv" --dest "$work/out" --from "$work/from" --only sub/good \
  > "$work/stdout" 2>&1
check "a second run finds the checked file already present" \
  grep -q "^ok       sub/good.txt (already present)$" "$work/stdout"

printf 'only-two\tcolumns\n' > "$work/broken.tsv"
"$script" --manifest "$work/broken.tsv" --dest "$work/out2" --from "$work/from" > /dev/null \
  2> "$work/stderr"
check "a malformed manifest line fails" test $? -eq 1
check "the malformed line is named" grep -q "broken.tsv:1: expected 5 tab-separated columns" \
  "$work/stderr"

"$script" --from "$work/from" > /dev/null 2> "$work/stderr"
check "--dest is required (usage error)" test $? -eq 2

data=${DAC_TEST_DATA:-$(dirname "$0")/../../shared/data}
if [ -d "$data/glue/MRPC" ]; then
  "$script" --dest "$work/real" --from "$data" --only glue/MRPC > "$work/stdout" 2>&1
  check "MRPC train/dev made by the GLUE recipe match their recorded checksums" test $? -eq 0
  check "MRPC train.tsv checked" grep -q "^ok       glue/MRPC/train.tsv$" "$work/stdout"
else
  echo "skipped: the real data folder ($data) is absent, so the MRPC recipe check did not run"
fi
exit $failed
