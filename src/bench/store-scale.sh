#!/usr/bin/env bash
# Size does not cost (the store-at-team-scale issue): a repository whose store holds one real
# 1 MiB file beside synthetic pack indexes for N million chunks (16384 a pack, no packs: the point
# is the index), against the same repository with an empty store. Times `mlv cat` of the 1 MiB
# file, `mlv status` and `mlv ls-files` on both, interleaved, RUNS times each, all at -Xmx256m, and
# prints the medians and their ratios. The big store is measured twice: with its pack indexes
# searched each on its own (as a store written before multi-pack indexes), then after a
# `mlv store put` of a small file, whose writer consolidates them into the multi-pack index (its
# time is reported).
# Usage: src/bench/store-scale.sh [MILLIONS] [RUNS]   (after ./mvnw -q -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mlv="$root/mlv"
millions=${1:-4}
runs=${2:-7}
work=${BENCH_DIR:-/tmp/mlv-bench}/store-scale
rm -rf "$work"
mkdir -p "$work"
export MLV_JAVA_OPTS=-Xmx256m
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$mlv" --version >/dev/null
head -c 1048576 /dev/urandom > "$work/model.bin"
for r in empty big; do
  (cd "$work" && "$mlv" -q init "$r" >/dev/null && cp model.bin "$r/models/model.bin" \
    && cd "$r" && "$mlv" -q train-commit -m model >/dev/null)
done
t0=$(now)
java -cp "$root/target/classes" "$root/src/bench/io/SyntheticIndexes.java" "$work/big/.git/mlv/store" $((millions * 1000000))
t1=$(now)
echo "synthetic indexes written in $(ms "$t0" "$t1") ms; store index/: $(du -sh "$work/big/.git/mlv/store/index" | cut -f1)"
sha=$(sha256sum "$work/model.bin" | cut -c1-64)

measure() { # label
  declare -A t
  for _ in $(seq "$runs"); do
    for r in empty big; do
      cd "$work/$r"
      t0=$(now); "$mlv" cat HEAD:models/model.bin > "$work/out-$r"; t1=$(now); t[cat-$r]+="$(ms "$t0" "$t1") "
      t0=$(now); "$mlv" status >/dev/null; t1=$(now); t[status-$r]+="$(ms "$t0" "$t1") "
      t0=$(now); "$mlv" ls-files >/dev/null; t1=$(now); t[ls-$r]+="$(ms "$t0" "$t1") "
      [ "$(sha256sum < "$work/out-$r" | cut -c1-64)" = "$sha" ] || { echo "cat of $r returned other bytes" >&2; exit 1; }
    done
  done
  echo "$1 (medians of $runs, ms; empty store / ${millions}M chunks / ratio):"
  for c in cat status ls; do
    e=$(tr ' ' '\n' <<<"${t[$c-empty]}" | grep . | median)
    b=$(tr ' ' '\n' <<<"${t[$c-big]}" | grep . | median)
    printf '  %-7s %6s %6s  %sx\n' "$c" "$e" "$b" "$(awk -v a="$b" -v e="$e" 'BEGIN { printf "%.2f", a / e }')"
  done
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg); MLV_JAVA_OPTS=$MLV_JAVA_OPTS"
measure "pack indexes searched each on its own"
head -c 4096 /dev/urandom > "$work/small.bin"
cd "$work/big"
t0=$(now); "$mlv" store put "$work/small.bin" >/dev/null 2>&1; t1=$(now)
midx="$work/big/.git/mlv/store/index/multi-pack.midx"
[ -f "$midx" ] || { echo "no multi-pack index was written" >&2; exit 1; }
echo "store put of 4 KiB that consolidated the multi-pack index: $(ms "$t0" "$t1") ms; $(du -h "$midx" | cut -f1)"
measure "multi-pack index"
