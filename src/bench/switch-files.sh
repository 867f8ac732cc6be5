#!/usr/bin/env bash
# Switch between branches of a sharded checkpoint: FILES files of 100 KiB to 1 MiB of random bytes
# (default 2,000, about 1.1 GiB) committed on branch `ckpt`, none on `main`. Times `mlv switch ckpt`
# (writes every shard) and `mlv switch main` (removes them) against `git checkout` of the same
# branches in a git-lfs repository holding the same files (its smudge filter copies each from
# .git/lfs/objects) and `cp -r` of the shards, RUNS rounds interleaved, medians. MLV_OLD, if set,
# is another mlv launcher (an older build) timed the same way in its own repository.
# Usage: src/bench/switch-files.sh [FILES] [RUNS]   (after ./mvnw -q -DskipTests package; needs git-lfs)
# Inputs go to BENCH_DIR (default /tmp/mlv-bench), which must be on a disk file system.
set -euo pipefail
cd "$(dirname "$0")/../.."
files=${1:-2000}
runs=${2:-3}
root=$PWD
bench=${BENCH_DIR:-/tmp/mlv-bench}/switch-files-$files
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@mlv.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@mlv.invalid
command -v git-lfs >/dev/null || { echo "git-lfs is not installed" >&2; exit 1; }
rm -rf "$bench"
. src/bench/shards.sh
shards "$bench/shards" "$files"
total=$(du -sb "$bench/shards" | cut -f1)

setup_mlv() { # LAUNCHER DIR
  "$1" init -q "$2"
  "$1" -q -C "$2" train-commit -m base --allow-empty >/dev/null
  "$1" -q -C "$2" switch --create ckpt >/dev/null
  mkdir -p "$2/models/ckpt" && cp -r "$bench/shards/." "$2/models/ckpt/"
  "$1" -q -C "$2" train-commit -m checkpoint >/dev/null
}
setup_mlv "$root/mlv" "$bench/mlv"
[ -n "${MLV_OLD:-}" ] && setup_mlv "$MLV_OLD" "$bench/old"
git init -q -b main "$bench/lfs"
(cd "$bench/lfs" && git lfs install --local >/dev/null && git lfs track 'models/**' >/dev/null \
  && git add .gitattributes && git commit -qm track && git checkout -qb ckpt \
  && mkdir -p models/ckpt && cp -r "$bench/shards/." models/ckpt/ && git add -A && git commit -qm checkpoint)
sync

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
med() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
declare -A t
for i in $(seq "$runs"); do
  for who in mlv old lfs cp; do
    case $who in
      mlv) t[main-mlv]+="$(ms "$root/mlv" -C "$bench/mlv" switch main) "; sync
           t[ckpt-mlv]+="$(ms "$root/mlv" -C "$bench/mlv" switch ckpt) "; sync ;;
      old) [ -n "${MLV_OLD:-}" ] || continue
           t[main-old]+="$(ms "$MLV_OLD" -C "$bench/old" switch main) "; sync
           t[ckpt-old]+="$(ms "$MLV_OLD" -C "$bench/old" switch ckpt) "; sync ;;
      lfs) t[main-lfs]+="$(ms git -C "$bench/lfs" checkout -q main) "; sync
           t[ckpt-lfs]+="$(ms git -C "$bench/lfs" checkout -q ckpt) "; sync ;;
      cp)  rm -rf "$bench/copy"; sync
           t[ckpt-cp]+="$(ms cp -r "$bench/shards" "$bench/copy") "; sync ;;
    esac
  done
done
cmp <(cd "$bench/mlv/models/ckpt" && sha256sum ./*) <(cd "$bench/shards" && sha256sum ./*) >/dev/null \
  || { echo "mlv's checkout differs from the shards" >&2; exit 1; }
mib=$(awk -v b="$total" 'BEGIN { printf "%.0f", b / 1048576 }')
echo "switch of $files files ($mib MiB), medians of $runs, ms; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
ckpt=$(med <<<"${t[ckpt-mlv]}")
for who in mlv old lfs cp; do
  [ -n "${t[ckpt-$who]:-}" ] || continue
  m=$(med <<<"${t[ckpt-$who]}")
  line=$(printf '  %-4s to ckpt %6s (mlv %sx)' "$who" "$m" "$(awk -v a="$ckpt" -v b="$m" 'BEGIN { printf "%.2f", a / b }')")
  [ -n "${t[main-$who]:-}" ] && line+=$(printf ', to main %6s' "$(med <<<"${t[main-$who]}")")
  echo "$line   (every run: ${t[ckpt-$who]% }; ${t[main-$who]:-})"
done
