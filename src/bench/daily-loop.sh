#!/usr/bin/env bash
# The daily-loop scenario of the repository-layer issue, measured against baselines in the same run:
#   1. init, a 1 GiB model + metrics, train-commit; then edit 2% of the model in 64 scattered
#      regions and train-commit again: how much the store grows (goal: < 5% of the model size);
#      git fsck --strict, git log, the LFS pointer in Git, and mlv cat of the first version.
#   2. train-commit with nothing changed after the 1 GiB commit, minus JVM start (mlv --version)
#      (goal: under 1 s).
#   3. mlv switch between two branches holding different 1 GiB models, against cp of the same
#      file (goal: within 2x).
# Usage: src/bench/daily-loop.sh [SIZE_MIB] [RUNS]   (after ./mvnw -q -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mlv="$root/mlv"
size_mib=${1:-1024}
runs=${2:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/mlv-bench-daily.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
store_bytes() { du -sb "$1/.git/mlv/store" | cut -f1; }

"$mlv" --version >/dev/null
cd "$work"
"$mlv" -q init repo >/dev/null
cd repo
head -c $((size_mib * 1048576)) /dev/urandom > models/model.bin
echo '{"accuracy": 0.90, "loss": 0.30}' > metrics/metrics.json
t0=$(now); "$mlv" -q train-commit -m first >/dev/null; t1=$(now)
first_ms=$(ms "$t0" "$t1")
v1_sha=$(sha256sum models/model.bin | cut -c1-64)
before=$(store_bytes .)

# 2% of the model rewritten, in 64 regions spread evenly over the file
region=$(( size_mib * 1048576 / 50 / 64 ))
stride=$(( size_mib * 1048576 / 64 ))
for i in $(seq 0 63); do
  head -c "$region" /dev/urandom | dd of=models/model.bin bs=4096 seek=$(( (i * stride + 12345) / 4096 )) conv=notrunc status=none
done
echo '{"accuracy": 0.91, "loss": 0.28}' > metrics/metrics.json
"$mlv" -q train-commit -m second >/dev/null
after=$(store_bytes .)
growth=$(awk -v a="$after" -v b="$before" -v s=$((size_mib * 1048576)) 'BEGIN { printf "%.2f", (a - b) * 100 / s }')

git fsck --strict >/dev/null 2>&1 && fsck=ok || fsck=FAILED
commits=$(git log --oneline | wc -l)
pointer_ok=$(git show HEAD:models/model.bin | head -1 | grep -c '^version https://git-lfs.github.com/spec/v1$' || true)
cat_sha=$("$mlv" cat HEAD~1:models/model.bin | sha256sum | cut -c1-64)
[ "$cat_sha" = "$v1_sha" ] && cat_ok=ok || cat_ok=MISMATCH

# no-change train-commit vs JVM start
nochange=(); start=()
for _ in $(seq "$runs"); do
  t0=$(now); "$mlv" -q train-commit -m none >/dev/null 2>&1 || true; t1=$(now); nochange+=($(ms "$t0" "$t1"))
  t0=$(now); "$mlv" --version >/dev/null; t1=$(now); start+=($(ms "$t0" "$t1"))
done
nochange_ms=$(printf '%s\n' "${nochange[@]}" | median)
start_ms=$(printf '%s\n' "${start[@]}" | median)

# switch between two branches with different models vs cp
"$mlv" -q switch --create other >/dev/null
head -c $((size_mib * 1048576)) /dev/urandom > models/model.bin
"$mlv" -q train-commit -m other >/dev/null
sw=(); cpt=(); ddt=()
for _ in $(seq "$runs"); do
  t0=$(now); "$mlv" -q switch main >/dev/null; t1=$(now); sw+=($(ms "$t0" "$t1"))
  t0=$(now); "$mlv" -q switch other >/dev/null; t1=$(now); sw+=($(ms "$t0" "$t1"))
  rm -f ../copy.bin; sync
  t0=$(now); cp models/model.bin ../copy.bin; t1=$(now); cpt+=($(ms "$t0" "$t1"))
  # cp (coreutils 9) copies inside the kernel (copy_file_range); dd moves the bytes through a
  # user-space buffer, as any program that looks at them (mlv checks every chunk) must
  rm -f ../copy.bin; sync
  t0=$(now); dd if=models/model.bin of=../copy.bin bs=256k status=none; t1=$(now); ddt+=($(ms "$t0" "$t1"))
done
rm -f ../copy.bin
sw_ms=$(printf '%s\n' "${sw[@]}" | median)
cp_ms=$(printf '%s\n' "${cpt[@]}" | median)
dd_ms=$(printf '%s\n' "${ddt[@]}" | median)

echo "model: ${size_mib} MiB, runs: $runs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "first train-commit:               ${first_ms} ms"
echo "store growth for 2% scattered edit: ${growth}% of the model (goal < 5%)"
echo "git fsck --strict: $fsck; commits in git log: $commits; LFS pointer in Git: $([ "$pointer_ok" = 1 ] && echo yes || echo NO); mlv cat HEAD~1 sha256: $cat_ok"
echo "no-change train-commit: median ${nochange_ms} ms; mlv --version: median ${start_ms} ms; beyond JVM start: $((nochange_ms - start_ms)) ms (goal < 1000)"
echo "switch (materialise ${size_mib} MiB): median ${sw_ms} ms; cp: median ${cp_ms} ms; ratio $(awk -v a="$sw_ms" -v b="$cp_ms" 'BEGIN { printf "%.2f", a / (b < 1 ? 1 : b) }')x (goal <= 2x)"
echo "  same file through a user-space buffer (dd bs=256k): median ${dd_ms} ms; switch/dd $(awk -v a="$sw_ms" -v b="$dd_ms" 'BEGIN { printf "%.2f", a / (b < 1 ? 1 : b) }')x; all switch: ${sw[*]}; cp: ${cpt[*]}; dd: ${ddt[*]}"
