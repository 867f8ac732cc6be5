#!/usr/bin/env bash
# A re-commit with nothing changed (`mlv train-commit --allow-empty`) of a checkpoint of FILES
# shards under models/ckpt/, against `mlv --version` (the JVM's start-up), RUNS times each,
# interleaved; medians of wall and CPU time (user + system). With BASE_DIR (a built checkout of
# an older commit, with its own ./mlv) the same is measured for that build, interleaved with this
# one, each in its own repository committed by its own build. The shards are SIZE_KIB each
# (default 4): a re-commit with nothing changed reads no file, so its cost grows with the number
# of files, not their size (src/bench/many-files.sh measures the same step on full-size shards).
# Usage: [BASE_DIR=<dir>] src/bench/recommit.sh [FILES] [RUNS] [SIZE_KIB]
#   (after ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
files=${1:-10000}
runs=${2:-5}
size_kib=${3:-4}
root=$PWD
work=${BENCH_DIR:-/tmp/mlv-bench}/recommit-$files
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@mlv.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@mlv.invalid
rm -rf "$work"
mkdir -p "$work/shards"
perl -e 'open(my $r, "<", "/dev/urandom") or die; binmode $r;
  for my $i (0 .. $ARGV[1] - 1) { read($r, my $b, $ARGV[2] * 1024) == $ARGV[2] * 1024 or die;
    open(my $f, ">", sprintf("%s/shard-%05d.bin", $ARGV[0], $i)) or die; binmode $f; print $f $b; close $f or die; }' \
  "$work/shards" "$files" "$size_kib"

builds=("this:$root/mlv")
[ -n "${BASE_DIR:-}" ] && builds=("base:$BASE_DIR/mlv" "${builds[@]}")
for b in "${builds[@]}"; do
  name=${b%%:*} mlv=${b#*:}
  "$mlv" init -q "$work/$name" # the launcher's first command makes its start-up archive: not timed
  mkdir -p "$work/$name/models/ckpt"
  cp -al "$work/shards/." "$work/$name/models/ckpt/" # same inodes and times: nothing to re-read
  "$mlv" -C "$work/$name" train-commit -m checkpoint >/dev/null
  "$mlv" -C "$work/$name" train-commit -m warm --allow-empty >/dev/null # page cache warm, as for later runs
done

# wall ms and CPU s of one command, appended to a file
timed() {
  local out=$1 s e
  shift
  s=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$work/cpu" "$@" >/dev/null 2>&1
  e=$(date +%s%N)
  echo "$(( (e - s) / 1000000 )) $(awk '{printf "%.2f", $1 + $2}' "$work/cpu")" >> "$out"
}
med() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for ((r = 0; r < runs; r++)); do
  for b in "${builds[@]}"; do
    name=${b%%:*} mlv=${b#*:}
    timed "$work/$name.again" "$mlv" -C "$work/$name" train-commit -m again --allow-empty
    timed "$work/$name.version" "$mlv" --version
  done
done

echo "files: $files of $size_kib KiB, runs: $runs, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in "${builds[@]}"; do
  name=${b%%:*}
  a_ms=$(cut -d' ' -f1 "$work/$name.again" | med) a_cpu=$(cut -d' ' -f2 "$work/$name.again" | med)
  v_ms=$(cut -d' ' -f1 "$work/$name.version" | med) v_cpu=$(cut -d' ' -f2 "$work/$name.version" | med)
  echo "$name: re-commit ${a_ms} ms, CPU ${a_cpu} s; mlv --version ${v_ms} ms, CPU ${v_cpu} s;" \
    "beyond start-up $(( a_ms - v_ms )) ms, CPU $(awk -v a="$a_cpu" -v v="$v_cpu" 'BEGIN {printf "%.2f", a - v}') s" \
    "(all runs, ms: $(cut -d' ' -f1 "$work/$name.again" | tr '\n' ' '))"
done
rm -rf "$work"
