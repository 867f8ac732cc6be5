#!/usr/bin/env bash
# `mlv exp list` over a repository with many branches (default 1,000), each with its own
# metrics/metrics.json and params/params.json, against `git for-each-ref` on the same repository, both run N times in
# this invocation. Prints the median wall time of each and their ratio.
# Usage: src/bench/exp-list.sh [N] [BRANCHES]   (after ./mvnw -q -DskipTests package)
# The repository is made with `mlv init` and one `git fast-import` stream (a few seconds); it is
# kept in target/bench-exp-list-<BRANCHES> and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10}
branches=${2:-1000}
root=$PWD
repo=$root/target/bench-exp-list-params-$branches
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@mlv.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@mlv.invalid

if [ ! -f "$repo/.done" ]; then
  rm -rf "$repo"
  "$root/mlv" init -q "$repo"
  # One commit per branch on top of main: its own metrics (accuracy, loss, eval.f1), params and a src file.
  base=$(git -C "$repo" rev-parse main)
  awk -v n="$branches" -v base="$base" 'BEGIN {
    srand(42);
    for (i = 1; i <= n; i++) {
      m = sprintf("{\"accuracy\": %.4f, \"loss\": %.4f, \"eval\": {\"f1\": %.4f}}\n", 0.7 + rand() * 0.3, rand(), rand());
      s = sprintf("lr = %d\n", i);
      p = sprintf("{\"lr\": %.5f, \"batch_size\": %d, \"optimizer\": \"adam\"}\n", rand() * 0.1, 2 ^ (4 + i % 4));
      printf "commit refs/heads/exp/run-%04d\n", i;
      printf "committer bench <bench@mlv.invalid> %d +0000\n", 1767000000 + i * 60;
      printf "data 8\nrun %04d\n", i;
      printf "from %s\n", base;
      printf "M 100644 inline metrics/metrics.json\ndata %d\n%s\n", length(m), m;
      printf "M 100644 inline params/params.json\ndata %d\n%s\n", length(p), p;
      printf "M 100644 inline src/train.py\ndata %d\n%s\n", length(s), s;
    }
  }' | git -C "$repo" fast-import --quiet
  git -C "$repo" pack-refs --all
  touch "$repo/.done"
fi

median_ms() {
  local times=()
  for _ in $(seq "$n"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

rows=$("$root/mlv" -C "$repo" exp list --csv | tail -n +2 | wc -l)
mlv_ms=$(median_ms "$root/mlv" -C "$repo" exp list)
json_ms=$(median_ms "$root/mlv" -C "$repo" exp list --json --sort accuracy)
where_ms=$(median_ms "$root/mlv" -C "$repo" exp list --json --where 'lr<0.05' --sort params.lr)
ver_ms=$(median_ms "$root/mlv" --version)
git_ms=$(median_ms git -C "$repo" for-each-ref --format='%(refname:short) %(objectname:short) %(committerdate:relative) %(authorname)' refs/heads)
echo "branches: $rows, runs: $n"
echo "mlv exp list:                     median ${mlv_ms} ms"
echo "mlv exp list --json --sort acc.:  median ${json_ms} ms"
echo "mlv exp list --where lr --sort p.: median ${where_ms} ms"
echo "mlv --version (JVM start):        median ${ver_ms} ms"
echo "git for-each-ref (no metrics):    median ${git_ms} ms"
echo "mlv/git: $(awk -v a="$mlv_ms" -v b="$git_ms" 'BEGIN { if (b < 1) b = 1; printf "%.1fx", a / b }')"
