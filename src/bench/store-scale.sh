#!/usr/bin/env bash
# Size does not cost (the store-at-team-scale issue): a repository whose store holds one real
# 1 MiB file beside N million real chunks (64-byte chunks in real packs of 16384, with real
# manifests naming them: the point is the index, not the bytes), against the same repository
# with an empty store. In one invocation:
#  1. `mlv cat` of the 1 MiB file, `mlv status`, `mlv ls-files` and `mlv store put` of a new
#     64 MiB file on both, interleaved, RUNS times each, all at -Xmx256m: medians and ratios. The
#     big store's pack indexes are first consolidated into its multi-pack index by a `store put`
#     of 4 KiB (its time is reported).
#  2. `mlv gc` of both stores at -Xmx512m (the big store's packs made two days old, so gc reads
#     every pack's footer and checks each of its chunks against the live set): time and peak RSS.
#  3. A directory store remote holding N million chunks, `mlv gc --remote` on it at -Xmx512m
#     (which writes the remote's multi-pack index), then `mlv push` of a new 16 MiB file to it at
#     -Xmx256m against the same push to an empty directory store remote, interleaved, 3 times.
# Usage: src/bench/store-scale.sh [MILLIONS] [RUNS]   (after ./mvnw -q -DskipTests package)
# Disk: about 0.25 GB per million chunks for each of the two big stores, and the clone's index cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mlv="$root/mlv"
millions=${1:-10}
runs=${2:-7}
work=${BENCH_DIR:-/tmp/mlv-bench}/store-scale
rm -rf "$work"
mkdir -p "$work"
export MLV_JAVA_OPTS=-Xmx256m
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
chunks=$((millions * 1000000))

"$mlv" --version >/dev/null
head -c 1048576 /dev/urandom > "$work/model.bin"
for r in empty big; do
  (cd "$work" && "$mlv" -q init "$r" >/dev/null && cp model.bin "$r/models/model.bin" \
    && cd "$r" && "$mlv" -q train-commit -m model >/dev/null)
done
t0=$(now)
java -cp "$root/target/classes" "$root/src/bench/io/SyntheticStore.java" "$work/big/.git/mlv/store" "$chunks" 1000000 19
t1=$(now)
echo "synthetic store written in $(ms "$t0" "$t1") ms: packs/ $(du -sh "$work/big/.git/mlv/store/packs" | cut -f1), index/ $(du -sh "$work/big/.git/mlv/store/index" | cut -f1)"
sha=$(sha256sum "$work/model.bin" | cut -c1-64)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); MLV_JAVA_OPTS=$MLV_JAVA_OPTS"

head -c 4096 /dev/urandom > "$work/small.bin"
cd "$work/big"
t0=$(now); "$mlv" store put "$work/small.bin" >/dev/null 2>&1; t1=$(now)
midx="$work/big/.git/mlv/store/index/multi-pack.midx"
[ -f "$midx" ] || { echo "no multi-pack index was written" >&2; exit 1; }
echo "store put of 4 KiB that consolidated the multi-pack index: $(ms "$t0" "$t1") ms; $(du -h "$midx" | cut -f1)"

declare -A t
for i in $(seq "$runs"); do
  head -c $((64 << 20)) /dev/urandom > "$work/put.bin"
  for r in empty big; do
    cd "$work/$r"
    t0=$(now); "$mlv" cat HEAD:models/model.bin > "$work/out-$r"; t1=$(now); t[cat-$r]+="$(ms "$t0" "$t1") "
    t0=$(now); "$mlv" status >/dev/null; t1=$(now); t[status-$r]+="$(ms "$t0" "$t1") "
    t0=$(now); "$mlv" ls-files >/dev/null; t1=$(now); t[ls-$r]+="$(ms "$t0" "$t1") "
    t0=$(now); "$mlv" store put "$work/put.bin" >/dev/null; t1=$(now); t[put-$r]+="$(ms "$t0" "$t1") "
    [ "$(sha256sum < "$work/out-$r" | cut -c1-64)" = "$sha" ] || { echo "cat of $r returned other bytes" >&2; exit 1; }
  done
done
echo "medians of $runs, ms; empty store / ${millions}M chunks / ratio:"
for c in cat status ls put; do
  e=$(tr ' ' '\n' <<<"${t[$c-empty]}" | grep . | median)
  b=$(tr ' ' '\n' <<<"${t[$c-big]}" | grep . | median)
  printf '  %-7s %6s %6s  %sx\n' "$c" "$e" "$b" "$(awk -v a="$b" -v e="$e" 'BEGIN { printf "%.2f", a / e }')"
done

# gc at -Xmx512m: every pack two days old, so each pack's footer is read and each chunk looked up
find "$work/big/.git/mlv/store/packs" "$work/big/.git/mlv/store/index" -type f -exec touch -d '2 days ago' {} +
for r in empty big; do
  cd "$work/$r"
  t0=$(now)
  MLV_JAVA_OPTS=-Xmx512m /usr/bin/time -f '%M' -o "$work/rss" "$mlv" gc --json > "$work/gc-$r.json"
  t1=$(now)
  echo "gc ($r, -Xmx512m): $(ms "$t0" "$t1") ms, peak RSS $(( $(cat "$work/rss") / 1024 )) MiB; $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("removed packs", len(r["removedPacks"]), "repacked", len(r["repacked"]), "kept young", r["keptYoung"])' "$work/gc-$r.json")"
done
[ "$("$mlv" cat HEAD:models/model.bin | sha256sum | cut -c1-64)" = "$sha" ] || { echo "gc lost the model" >&2; exit 1; }

# push to a directory store remote holding N million chunks, against one holding none
for r in empty big; do
  git init -q --bare -b main "$work/$r.git"
  mkdir -p "$work/$r-remote"
  cd "$work/$r"
  "$mlv" -q remote add origin "$work/$r.git" >/dev/null
  "$mlv" -q store remote set origin "$work/$r-remote" >/dev/null
  "$mlv" -q train-commit -m "store remote" >/dev/null
  "$mlv" -q push >/dev/null
done
t0=$(now)
java -cp "$root/target/classes" "$root/src/bench/io/SyntheticStore.java" "$work/big-remote" "$chunks" 1000000 23 >/dev/null
t1=$(now)
rm -rf "$work/big-remote/tmp"
echo "store remote with ${millions}M chunks written in $(ms "$t0" "$t1") ms"
cd "$work/big"
t0=$(now)
MLV_JAVA_OPTS=-Xmx512m /usr/bin/time -f '%M' -o "$work/rss" "$mlv" gc --remote --json > "$work/gc-remote.json"
t1=$(now)
[ -f "$work/big-remote/index/multi-pack.midx" ] || { echo "gc --remote wrote no multi-pack index" >&2; exit 1; }
echo "gc --remote of the ${millions}M-chunk directory store remote (-Xmx512m): $(ms "$t0" "$t1") ms, peak RSS $(( $(cat "$work/rss") / 1024 )) MiB, multi-pack index $(du -h "$work/big-remote/index/multi-pack.midx" | cut -f1)"
declare -A p
for i in 1 2 3; do
  head -c $((16 << 20)) /dev/urandom > "$work/push.bin"
  for r in empty big; do
    cd "$work/$r"
    cp "$work/push.bin" models/push.bin
    "$mlv" -q train-commit -m "push $i" >/dev/null
    t0=$(now); /usr/bin/time -f '%M' -o "$work/rss-$r" "$mlv" push >/dev/null; t1=$(now)
    p[push-$r]+="$(ms "$t0" "$t1") "
    p[rss-$r]+="$(( $(cat "$work/rss-$r") / 1024 )) "
  done
done
e=$(tr ' ' '\n' <<<"${p[push-empty]}" | grep . | median)
b=$(tr ' ' '\n' <<<"${p[push-big]}" | grep . | median)
echo "push of a new 16 MiB file at $MLV_JAVA_OPTS, medians of 3, ms: empty store remote $e, ${millions}M chunks $b, $(awk -v a="$b" -v e="$e" 'BEGIN { printf "%.2f", a / e }')x; peak RSS MiB: ${p[rss-empty]}/ ${p[rss-big]}"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
