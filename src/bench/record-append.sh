#!/usr/bin/env bash
# `mlv record --append-to` of a few rows to a large-tracked CSV of SIZE (default 1 GiB) against
# the same append to a 1 MiB CSV, N times each, interleaved, in this invocation. An append reads
# the file's last chunk and the rows, not the file: the ratio of the medians should be about 1.
# Also prints the first append to a file train-commit wrote (its hash state computed once).
# Usage: src/bench/record-append.sh [N] [SIZE_MIB]   (after ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-7}
size_mib=${2:-1024}
root=$PWD
work=$root/target/bench-record-append
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@mlv.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@mlv.invalid
rm -rf "$work"
mkdir -p "$work"
repo=$work/repo
"$root/mlv" init -q "$repo"
(cd "$repo" && "$root/mlv" track -q 'monitoring/*.csv' && git add .gitattributes && git commit -qm track)
"$root/mlv" -C "$repo" promote -q main prod --create

csv() { # rows of "id,score" up to $1 MiB, distinct so that chunks do not dedupe
  awk -v mib="$1" 'BEGIN { print "id,score"; n = 0; limit = mib * 1048576;
    for (i = 0; n < limit; i++) { line = i "," (i * 7919 % 100003) / 100003; print line; n += length(line) + 1 } }'
}
csv "$size_mib" > "$work/big.csv"
csv 1 > "$work/small.csv"
printf 'id,score\n' > "$work/rows.csv"
for i in $(seq 100); do echo "-$i,0.5"; done >> "$work/rows.csv"

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

put_ms=$(ms "$root/mlv" -C "$repo" record prod "$work/big.csv" --append-to monitoring/big.csv)
"$root/mlv" -C "$repo" record prod "$work/small.csv" --append-to monitoring/small.csv >/dev/null
big=() small=() start=()
for _ in $(seq "$n"); do
  big+=("$(ms "$root/mlv" -C "$repo" record prod "$work/rows.csv" --append-to monitoring/big.csv)")
  small+=("$(ms "$root/mlv" -C "$repo" record prod "$work/rows.csv" --append-to monitoring/small.csv)")
  start+=("$(ms "$root/mlv" --version)")
done
big_ms=$(printf '%s\n' "${big[@]}" | median)
small_ms=$(printf '%s\n' "${small[@]}" | median)
start_ms=$(printf '%s\n' "${start[@]}" | median)

# A file train-commit stored: the first append hashes it once, the next ones do not.
(cd "$repo" && git switch -q prod 2>/dev/null || git checkout -q prod)
"$root/mlv" -C "$repo" switch -q main
mkdir -p "$repo/monitoring"
# not big.csv itself, whose oid the first append above stored with its hash state
{ cat "$work/big.csv"; echo "0,0"; } > "$repo/monitoring/tc.csv"
"$root/mlv" -C "$repo" train-commit -q -m "commit a big monitoring file"
"$root/mlv" -C "$repo" switch -q prod
first_ms=$(ms "$root/mlv" -C "$repo" record main "$work/rows.csv" --append-to monitoring/tc.csv)
second_ms=$(ms "$root/mlv" -C "$repo" record main "$work/rows.csv" --append-to monitoring/tc.csv)
"$root/mlv" -C "$repo" cat main:monitoring/tc.csv | tail -n 1 | grep -q '^-100,0.5$'

echo "base: $size_mib MiB, rows appended: 100, runs: $n"
echo "record --append-to creating the $size_mib MiB base:    ${put_ms} ms"
echo "record --append-to the $size_mib MiB file:              median ${big_ms} ms"
echo "record --append-to a 1 MiB file:                  median ${small_ms} ms"
echo "ratio big/small:                                  $(awk -v a="$big_ms" -v b="$small_ms" 'BEGIN {printf "%.2f", a / b}')"
echo "mlv --version (JVM start):                        median ${start_ms} ms"
echo "first append to a train-commit file (hashes it):  ${first_ms} ms; the next: ${second_ms} ms"
