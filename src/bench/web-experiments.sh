#!/usr/bin/env bash
# The web view's experiments page (GET /ui/) over a repository with many branches (default
# 1,000, each with its own metrics and params, made as src/bench/exp-list.sh makes them), against
# `mlv exp list --json` on the same repository in this invocation:
#   first   the first load after `mlv serve` starts (nothing cached; JIT cold), vs exp list --json
#   next    the load after one branch moved (`mlv record BRANCH --put metrics/metrics.json`),
#           which must show the new value, vs first (the other branches' tips come from the
#           server's cache by commit id)
# Each of N runs starts its own server. Prints medians and the two ratios; the targets are
# first <= 3x exp list --json and next <= 0.3x first.
# Usage: src/bench/web-experiments.sh [N] [BRANCHES]   (after ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-5}
branches=${2:-1000}
root=$PWD
mlv=$root/mlv
repo=$root/target/bench-web-$branches
work=$(mktemp -d "${TMPDIR:-/tmp}/mlv-web-bench.XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@mlv.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@mlv.invalid

if [ ! -f "$repo/.done" ]; then
  rm -rf "$repo"
  "$mlv" init -q "$repo"
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

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

json_ms=$(for _ in $(seq "$n"); do
  start=$(date +%s%N); "$mlv" -C "$repo" exp list --json >/dev/null; ms_since "$start"
done | median)

firsts=()
nexts=()
for run in $(seq "$n"); do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$repo" && exec "$mlv" serve --port "$port") 2>"$work/serve.log" &
  server=$!
  for _ in $(seq 200); do grep -q "serving" "$work/serve.log" 2>/dev/null && break; sleep 0.05; done
  url="http://127.0.0.1:$port/ui/"
  firsts+=("$(curl -sf -o "$work/first.html" -w '%{time_total}\n' "$url" | awk '{printf "%d\n", $1 * 1000}')")
  rows=$(grep -o '<tr data-branch=' "$work/first.html" | wc -l)
  # one branch moves: new metrics committed to it without a checkout
  value=$(printf '0.99%02d' "$run")
  printf '{"accuracy": %s, "loss": 0.1, "eval": {"f1": 0.5}}\n' "$value" > "$work/metrics.json"
  "$mlv" -C "$repo" -q record exp/run-0001 "$work/metrics.json" --put metrics/metrics.json >/dev/null
  nexts+=("$(curl -sf -o "$work/next.html" -w '%{time_total}\n' "$url" | awk '{printf "%.1f\n", $1 * 1000}')")
  grep -q "data-v=\"$value\"" "$work/next.html" || { echo "the next load does not show the moved branch's $value" >&2; exit 1; }
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
first_ms=$(printf '%s\n' "${firsts[@]}" | median)
next_ms=$(printf '%s\n' "${nexts[@]}" | median)

echo "branches: $rows, runs: $n, cores: $(nproc), load: $(cut -d' ' -f1 /proc/loadavg)"
echo "mlv exp list --json (process):           median ${json_ms} ms"
echo "GET /ui/, first load after serve starts: median ${first_ms} ms   (runs: ${firsts[*]})"
echo "GET /ui/, after one branch moved:        median ${next_ms} ms   (runs: ${nexts[*]})"
echo "first/exp-list: $(awk -v a="$first_ms" -v b="$json_ms" 'BEGIN { printf "%.2fx (target <= 3x)", a / b }')"
echo "next/first:     $(awk -v a="$next_ms" -v b="$first_ms" 'BEGIN { printf "%.2fx (target <= 0.3x)", a / b }')"
