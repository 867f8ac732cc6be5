#!/usr/bin/env bash
# Dedupe between two versions of a file: new bytes stored for version 2 (`newBytes` of
# `mlv store put --json`, i.e. bytes written to packs after compression) as a % of its size.
# Inputs are built deterministically (AES-CTR keystream from openssl as seeded random bytes,
# awk for the CSV), so every run measures the same files.
# Usage: src/bench/dedupe.sh [SIZE_MIB]   (after ./mvnw -q -DskipTests package; default 256)
# BENCH_DIR (default /tmp/mlv-bench) holds the inputs and stores.
set -euo pipefail
cd "$(dirname "$0")/../.."
mib=${1:-256}
dir=${BENCH_DIR:-/tmp/mlv-bench}/dedupe
rm -rf "$dir" && mkdir -p "$dir"
size=$((mib * 1024 * 1024))

# Seeded incompressible bytes: seeded-random SEED BYTES
seeded_random() {
  # openssl dies of SIGPIPE once head has enough; that is the normal end here.
  { openssl enc -aes-128-ctr -nosalt -K "$(printf '%032x' "$1")" -iv 0 </dev/zero 2>/dev/null || true; } | head -c "$2"
}

new_bytes() { sed -n 's/.*"newBytes" : \([0-9]*\).*/\1/p'; }
field() { sed -n "s/.*\"$1\" : \([0-9]*\).*/\1/p"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f%%", 100 * a / b }'; }

# case NAME V1 V2 TARGET: puts v1 then v2 into a fresh store, reports v2's new bytes.
report() {
  local name=$1 v1=$2 v2=$3 target=$4 store="$dir/store-${1%% *}" out nb sz
  ./mlv store put --store "$store" "$v1" >/dev/null 2>&1
  out=$(./mlv store put --store "$store" --json "$v2")
  nb=$(new_bytes <<<"$out"); sz=$(field size <<<"$out")
  printf '%-28s v2 size %11d  new bytes %11d  = %9s  (target < %s; chunks %s, new %s)\n' \
    "$name" "$sz" "$nb" "$(pct "$nb" "$sz")" "$target" "$(field chunks <<<"$out")" "$(field newChunks <<<"$out")"
}

# 1. A 37-byte header inserted at offset 0.
seeded_random 1 "$size" >"$dir/weights-v1.bin"
{ printf '%s' "MLV-HEADER v2 2026-01-02 checksum:ok"; printf '\n'; cat "$dir/weights-v1.bin"; } >"$dir/weights-v2.bin"
[ "$(( $(stat -c %s "$dir/weights-v2.bin") - size ))" = 37 ] || { echo "header is not 37 bytes" >&2; exit 1; }
report "header inserted at 0 (37 B)" "$dir/weights-v1.bin" "$dir/weights-v2.bin" "1%"

# 2. 12.5% of fixed-size tensor blocks rewritten: 4 MiB blocks (a 1024x1024 float32 tensor),
#    every 8th block replaced by new random bytes (an optimizer step touching some layers).
block=$((4 * 1024 * 1024)); blocks=$((size / block))
cp "$dir/weights-v1.bin" "$dir/tensors-v2.bin"
for ((i = 3; i < blocks; i += 8)); do
  seeded_random $((1000 + i)) "$block" | dd of="$dir/tensors-v2.bin" bs="$block" seek="$i" conv=notrunc status=none
done
report "12.5% tensor blocks rewritten" "$dir/weights-v1.bin" "$dir/tensors-v2.bin" "14%"

# 3. A CSV snapshot grown by 1% of appended rows.
rows=$((size / 64))   # rows are about 64 bytes
make_csv() { # make_csv FIRST_ROW LAST_ROW
  awk -v first="$1" -v last="$2" 'BEGIN {
    x = 12345
    if (first == 0) print "id,timestamp,user,feature_a,feature_b,feature_c,label"
    for (i = first; i < last; i++) {
      # A deterministic LCG per row (seeded by the row number), so rows do not depend on the range.
      x = (i * 1103515245 + 12345) % 2147483648
      a = (x * 69069 + 1) % 2147483648; b = (a * 69069 + 1) % 2147483648; c = (b * 69069 + 1) % 2147483648
      printf "%d,%d,user%05d,%.6f,%.6f,%d,%d\n", i, 1767225600 + i * 7, x % 50000, a / 2147483648, b / 2147483648 * 100, c % 1000, x % 2
    }
  }'
}
make_csv 0 "$rows" >"$dir/snapshot-v1.csv"
cp "$dir/snapshot-v1.csv" "$dir/snapshot-v2.csv"
make_csv "$rows" $((rows + rows / 100)) >>"$dir/snapshot-v2.csv"
report "CSV grown by 1% rows" "$dir/snapshot-v1.csv" "$dir/snapshot-v2.csv" "2%"
v1=$(stat -c %s "$dir/snapshot-v1.csv"); v2=$(stat -c %s "$dir/snapshot-v2.csv")
echo "  (CSV v1 $v1 B, v2 $v2 B: appended $(pct $((v2 - v1)) "$v2") of v2; new bytes are zstd-compressed)"

# 4. The same content put again: nothing new, no new pack.
store="$dir/store-header"
packs_before=$(find "$store/packs" -name '*.pack' | wc -l)
out=$(./mlv store put --store "$store" --json "$dir/weights-v2.bin")
packs_after=$(find "$store/packs" -name '*.pack' | wc -l)
echo "same content re-put:         new bytes $(new_bytes <<<"$out"), packs written $(field packsWritten <<<"$out"), packs in store $packs_before -> $packs_after (target 0 new bytes, no new pack)"
rm -rf "$dir"
