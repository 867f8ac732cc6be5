#!/usr/bin/env bash
# Pull of a sharded checkpoint from a directory store remote, the clone in the same state every
# round: FILES files of 100 KiB to 1 MiB of random bytes (default 2,000, about 1.1 GiB) pushed by
# one repository; a clone made before that push is copied afresh (cp -a, then sync) before each
# timed `mlv pull`, and `rclone copy --transfers 4` of the same files into an empty directory is
# timed the same way, ROUNDS rounds interleaved. Prints wall time and CPU (user, system) of each,
# then medians. MLV_OLD, if set, is another mlv launcher (an older build) timed in its own copy of
# the clone. Unlike push-pull-files.sh nothing else runs between the rounds, so each command starts
# with the same page cache: the pack files warm from the push, the shards warm for rclone.
# Usage: src/bench/pull-files.sh [FILES] [ROUNDS]   (after ./mvnw -q -DskipTests package; needs rclone)
# Inputs go to BENCH_DIR (default /tmp/mlv-bench), which must be on a disk file system.
set -euo pipefail
cd "$(dirname "$0")/../.."
files=${1:-2000}
rounds=${2:-3}
mlv=$PWD/mlv
bench=${BENCH_DIR:-/tmp/mlv-bench}/pull-files-$files
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@mlv.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@mlv.invalid
command -v rclone >/dev/null || { echo "rclone is missing: apt-get install rclone" >&2; exit 1; }
rm -rf "$bench"
trap 'rm -rf "$bench"' EXIT
. src/bench/shards.sh
shards "$bench/shards" "$files"

git init -q --bare -b main "$bench/team.git"
mkdir -p "$bench/store"
"$mlv" -q init "$bench/a" >/dev/null
"$mlv" -q -C "$bench/a" remote add origin "$bench/team.git" >/dev/null
"$mlv" -q -C "$bench/a" store remote set origin "$bench/store" >/dev/null
"$mlv" -q -C "$bench/a" train-commit -m base >/dev/null
"$mlv" -q -C "$bench/a" push >/dev/null
"$mlv" -q clone "$bench/team.git" "$bench/b" >/dev/null
mkdir -p "$bench/a/models/ckpt" && cp -r "$bench/shards/." "$bench/a/models/ckpt/"
"$mlv" -q -C "$bench/a" train-commit -m checkpoint >/dev/null
"$mlv" -q -C "$bench/a" push >/dev/null

declare -A t
run() { # NAME COMMAND...: times it from a fresh copy of the clone; prints "NAME wall user sys"
  rm -rf "$bench/run" "$bench/down"; cp -a "$bench/b" "$bench/run"; sync
  /usr/bin/time -o "$bench/time" -f '%e %U %S' "${@:2}" >/dev/null 2>"$bench/stderr" \
    || { echo "$1 failed: $(cat "$bench/stderr")" >&2; exit 1; }
  read -r wall user sys <"$bench/time"
  t[$1]+="$(awk -v w="$wall" 'BEGIN { printf "%d", w * 1000 }') "
  echo "  $1: ${wall} s wall, ${user} s user, ${sys} s system"
}
echo "files: $files ($(du -sm "$bench/shards" | cut -f1) MiB), rounds: $rounds, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$rounds"); do
  [ -n "${MLV_OLD:-}" ] && run old "$MLV_OLD" -q -C "$bench/run" pull
  run mlv "$mlv" -q -C "$bench/run" pull
  cmp -s "$bench/shards/shard-00000.bin" "$bench/run/models/ckpt/shard-00000.bin" || { echo "pull wrote wrong content" >&2; exit 1; }
  run rclone rclone -q --transfers 4 copy "$bench/shards" "$bench/down"
done
med() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
m=$(med <<<"${t[mlv]}"); r=$(med <<<"${t[rclone]}")
echo "medians: mlv pull $m ms, rclone copy $r ms ($(awk -v a="$m" -v b="$r" 'BEGIN { printf "%.2f", a / b }')x)"
[ -n "${MLV_OLD:-}" ] && echo "         the other build $(med <<<"${t[old]}") ms"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
