#!/usr/bin/env bash
# A sharded checkpoint: FILES files of 100 KiB to 1 MiB of random bytes (default 10,000, about
# 5.4 GiB), committed by `mlv train-commit` and, in the same run, by `git lfs track` + `git add` +
# `git commit` in a plain repository. Then: mlv's packs written, a re-commit with nothing
# changed (three, against three `mlv --version`), and a commit after rewriting 1% of the files
# (new bytes stored).
# Usage: src/bench/many-files.sh [FILES]   (after ./mvnw -q -DskipTests package; needs git-lfs)
# Inputs go to BENCH_DIR (default /tmp/mlv-bench), which must be on a disk file system.
set -euo pipefail
cd "$(dirname "$0")/../.."
files=${1:-10000}
root=$PWD
bench=${BENCH_DIR:-/tmp/mlv-bench}/many-files-$files
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@mlv.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@mlv.invalid
command -v git-lfs >/dev/null || { echo "git-lfs is not installed" >&2; exit 1; }
rm -rf "$bench"
. src/bench/shards.sh
shards "$bench/shards" "$files"
total=$(du -sb "$bench/shards" | cut -f1)

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
# CPU seconds (user + system) of a command and its children: the machine is shared, and under
# load wall times measure the other builds as much as the command
cpu() { /usr/bin/time -f "%U %S" -o "$bench/cpu" "$@" >/dev/null 2>&1; awk '{printf "%.2f", $1 + $2}' "$bench/cpu"; }
sync

# mlv
"$root/mlv" init -q "$bench/mlv"
mkdir -p "$bench/mlv/models/ckpt"
cp -r "$bench/shards/." "$bench/mlv/models/ckpt/"
sync
s=$(date +%s%N)
mlv_cpu=$(cpu "$root/mlv" -C "$bench/mlv" train-commit -m "checkpoint")
mlv_ms=$(( ($(date +%s%N) - s) / 1000000 ))
packs=$(find "$bench/mlv/.git/mlv/store/packs" -name '*.pack' | wc -l)
stored=$(du -sb "$bench/mlv/.git/mlv/store/packs" | cut -f1)
# nothing changed: three re-commits against three bare starts of the JVM (mlv --version), interleaved;
# medians of wall and CPU time
med() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for i in 1 2 3; do
  s=$(date +%s%N)
  c=$(cpu "$root/mlv" -C "$bench/mlv" train-commit -m "nothing changed" --allow-empty)
  echo "$(( ($(date +%s%N) - s) / 1000000 )) $c" >> "$bench/again"
  s=$(date +%s%N)
  c=$(cpu "$root/mlv" --version)
  echo "$(( ($(date +%s%N) - s) / 1000000 )) $c" >> "$bench/version"
done
again_ms=$(cut -d' ' -f1 "$bench/again" | med); again_cpu=$(cut -d' ' -f2 "$bench/again" | med)
version_ms=$(cut -d' ' -f1 "$bench/version" | med); version_cpu=$(cut -d' ' -f2 "$bench/version" | med)
# rewrite 1% of the files (every 100th), same sizes
for f in $(ls "$bench/mlv/models/ckpt" | awk 'NR % 100 == 1'); do
  size=$(stat -c %s "$bench/mlv/models/ckpt/$f")
  head -c "$size" /dev/urandom > "$bench/mlv/models/ckpt/$f"
done
changed=$(ls "$bench/mlv/models/ckpt" | awk 'NR % 100 == 1' | while read -r f; do stat -c %s "$bench/mlv/models/ckpt/$f"; done | awk '{s += $1} END {print s}')
edit_ms=$(ms "$root/mlv" -C "$bench/mlv" train-commit -m "1% of the shards")
stored2=$(du -sb "$bench/mlv/.git/mlv/store/packs" | cut -f1)
rm -rf "$bench/mlv" # disk: at 10,000 files each repository holds two copies of 5.4 GiB

# git lfs, same files
git init -q "$bench/lfs"
(cd "$bench/lfs" && git lfs install --local >/dev/null && git lfs track 'models/**' >/dev/null \
  && git add .gitattributes && git commit -qm track)
mkdir -p "$bench/lfs/models/ckpt"
cp -r "$bench/shards/." "$bench/lfs/models/ckpt/"
sync
s=$(date +%s%N)
lfs_cpu=$(cpu bash -c "cd '$bench/lfs' && git add -A && git commit -qm checkpoint")
lfs_ms=$(( ($(date +%s%N) - s) / 1000000 ))

echo "files: $files, bytes: $total"
echo "load average at the end:          $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mlv train-commit:                 ${mlv_ms} ms (CPU ${mlv_cpu} s), packs written: $packs, bytes in packs: $stored"
echo "git lfs track + add + commit:     ${lfs_ms} ms (CPU ${lfs_cpu} s)   (mlv is $(awk -v a="$lfs_ms" -v b="$mlv_ms" 'BEGIN {printf "%.2f", a / b}')x faster; $(awk -v a="$lfs_cpu" -v b="$mlv_cpu" 'BEGIN {printf "%.2f", a / b}')x less CPU)"
echo "re-commit, nothing changed:       ${again_ms} ms, CPU ${again_cpu} s (mlv --version: ${version_ms} ms, CPU ${version_cpu} s; medians of 3: $(( again_ms - version_ms )) ms beyond start-up)"
echo "commit after rewriting 1%:        ${edit_ms} ms, new bytes stored: $((stored2 - stored)) for $changed changed bytes ($(awk -v a="$((stored2 - stored))" -v b="$total" 'BEGIN {printf "%.2f", 100 * a / b}')% of the checkpoint)"
