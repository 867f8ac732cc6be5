#!/usr/bin/env bash
# Ingest and read-back speed of `mlv store put` / `mlv store cat` on an incompressible file in the
# page cache, against `openssl dgst -sha256` (the floor: read + one SHA-256) and `git lfs clean`
# (what Git LFS does on `git add`), all run N times in this invocation, interleaved.
# Usage: src/bench/ingest.sh [N] [SIZE_MIB]   (after ./mvnw -q -DskipTests package)
# BENCH_DIR (default /tmp/mlv-bench) holds the input, the stores and the outputs; it must be on a
# disk file system (not tmpfs) for the figures to mean anything.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-5}
mib=${2:-1024}
. src/bench/random-input.sh
./mlv --version >/dev/null # makes the class-data archive if the jar is new

have_lfs=0
if git lfs version >/dev/null 2>&1; then
  have_lfs=1
  rm -rf "$dir/lfs-repo" && git init -q "$dir/lfs-repo" && (cd "$dir/lfs-repo" && git lfs install --local >/dev/null)
fi

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ssl=() put=() reput=() cat_=() lfs=()
oid=""
for i in $(seq "$n"); do
  t0=$(now); openssl dgst -sha256 "$input" >/dev/null; t1=$(now); ssl+=("$(secs "$t0" "$t1")")

  rm -rf "$dir/store"
  t0=$(now); out=$(./mlv store put --store "$dir/store" --json "$input"); t1=$(now); put+=("$(secs "$t0" "$t1")")
  oid=$(sed -n 's/.*"oid" : "\([0-9a-f]*\)".*/\1/p' <<<"$out")

  t0=$(now); ./mlv store put --store "$dir/store" --json "$input" >/dev/null; t1=$(now); reput+=("$(secs "$t0" "$t1")")

  rm -f "$dir/out.bin"
  t0=$(now); ./mlv store cat --store "$dir/store" "$oid" >"$dir/out.bin"; t1=$(now); cat_+=("$(secs "$t0" "$t1")")
  cmp -s "$input" "$dir/out.bin" || { echo "store cat output differs from the input" >&2; exit 1; }

  if [ "$have_lfs" = 1 ]; then
    rm -rf "$dir/lfs-repo/.git/lfs/objects"
    t0=$(now); (cd "$dir/lfs-repo" && git lfs clean f <"$input" >/dev/null); t1=$(now); lfs+=("$(secs "$t0" "$t1")")
  fi
done
rm -f "$dir/out.bin"

m_ssl=$(median "${ssl[@]}"); m_put=$(median "${put[@]}"); m_reput=$(median "${reput[@]}"); m_cat=$(median "${cat_[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v s="$1" -v m="$mib" 'BEGIN { printf "%.0f MiB/s", m / s }'; }
echo "input: $mib MiB incompressible, page cache; runs: $n; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "openssl dgst -sha256:  median ${m_ssl} s ($(rate "$m_ssl"))   all: ${ssl[*]}"
echo "mlv store put (new):   median ${m_put} s ($(rate "$m_put"))   all: ${put[*]}"
echo "mlv store put (again): median ${m_reput} s ($(rate "$m_reput"))   all: ${reput[*]}"
echo "mlv store cat:         median ${m_cat} s ($(rate "$m_cat"))   all: ${cat_[*]}"
if [ "$have_lfs" = 1 ]; then
  m_lfs=$(median "${lfs[@]}")
  echo "git lfs clean:         median ${m_lfs} s ($(rate "$m_lfs"))   all: ${lfs[*]}"
fi
echo "put/openssl: $(ratio "$m_put" "$m_ssl")x (median of per-run ratios: $(median $(for i in $(seq 0 $((n - 1))); do ratio "${put[$i]}" "${ssl[$i]}"; echo; done))x)"
echo "cat/put: $(ratio "$m_cat" "$m_put")x; re-put/openssl: $(ratio "$m_reput" "$m_ssl")x"
[ "$have_lfs" = 1 ] && echo "put/git-lfs-clean: $(ratio "$m_put" "$m_lfs")x"
exit 0
