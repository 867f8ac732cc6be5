#!/usr/bin/env bash
# Start-up time of `mlv --version` against `git --version`, both run N times in this invocation.
# Usage: src/bench/startup.sh [N]   (after ./mvnw -q -DskipTests package)
# Prints the median wall time of each and their ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-20}
./mlv --version >/dev/null   # makes the class-data archive if the jar is new

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

mlv_ms=$(median_ms ./mlv --version)
git_ms=$(median_ms git --version)
nocds_ms=$(MLV_CDS=0 median_ms ./mlv --version)
echo "runs: $n"
echo "mlv --version (CDS archive): median ${mlv_ms} ms"
echo "mlv --version (no archive):  median ${nocds_ms} ms"
echo "git --version:               median ${git_ms} ms"
echo "mlv/git: $(awk -v a="$mlv_ms" -v b="$git_ms" 'BEGIN { if (b < 1) b = 1; printf "%.0fx", a / b }')"
