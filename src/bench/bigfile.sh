#!/usr/bin/env bash
# Memory bound: `mlv store put` of a large file with a 256 MiB heap, then `mlv store cat` of it
# (same heap) checked against the oid with sha256sum. Reports wall time, peak RSS and the result.
# Usage: src/bench/bigfile.sh [SIZE_GIB]   (after ./mvnw -q -DskipTests package; default 4)
# BENCH_DIR (default /tmp/mlv-bench) needs about 3 x SIZE free.
set -euo pipefail
cd "$(dirname "$0")/../.."
gib=${1:-4}
dir=${BENCH_DIR:-/tmp/mlv-bench}/bigfile
rm -rf "$dir" && mkdir -p "$dir"
input="$dir/big-${gib}g.bin"
# Seeded incompressible bytes; openssl dies of SIGPIPE once head has enough.
{ openssl enc -aes-128-ctr -nosalt -K "$(printf '%032x' 4)" -iv 0 </dev/zero 2>/dev/null || true; } \
  | head -c "$((gib * 1024 * 1024 * 1024))" >"$input"
export MLV_JAVA_OPTS=-Xmx256m
echo "input: $gib GiB; MLV_JAVA_OPTS=$MLV_JAVA_OPTS; load: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "put: exit %x, %e s wall, peak RSS %M KiB" ./mlv store put --store "$dir/store" --json "$input" >"$dir/put.json"
oid=$(sed -n 's/.*"oid" : "\([0-9a-f]*\)".*/\1/p' "$dir/put.json")
grep -E '"(size|newBytes|chunks|packsWritten)"' "$dir/put.json" | tr -d ' ,' | paste -sd' '
/usr/bin/time -f "cat: exit %x, %e s wall, peak RSS %M KiB" ./mlv store cat --store "$dir/store" "$oid" | sha256sum >"$dir/cat.sha"
if [ "$(cut -d' ' -f1 "$dir/cat.sha")" = "$oid" ]; then echo "cat output matches oid $oid"; else echo "cat output does NOT match oid $oid" >&2; exit 1; fi
rm -rf "$dir"
