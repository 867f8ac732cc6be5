#!/usr/bin/env bash
# Throughput of `mlv serve` for one whole-file GET on loopback (curl), against `cp` of the same
# file on the same disk, both with a warm page cache, each run N times; prints the medians.
# Usage: src/bench/serve.sh [SIZE_MIB] [N]   (default 1024 MiB, 3 runs; after ./mvnw -q -DskipTests package)
# Needs about 3 x SIZE of free space in ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlv=$PWD/mlv
size_mib=${1:-1024}
n=${2:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/mlv-serve-bench.XXXXXX")
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$mlv" -q init "$work/p" >/dev/null
cd "$work/p"
mkdir -p models
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > models/model.bin
"$mlv" -q train-commit -m bench >/dev/null
"$mlv" -q promote main prod --create >/dev/null
cp models/model.bin "$work/source.bin"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$mlv" serve --port "$port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do
  grep -q "serving" "$work/serve.log" 2>/dev/null && break
  sleep 0.1
done
url="http://127.0.0.1:$port/v1/refs/prod/files/models/model.bin"
curl -s -o /dev/null "$url"   # warm-up: JIT, page cache of the packs

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
curl_ms=$(for _ in $(seq "$n"); do
  curl -s -o "$work/out.bin" -w '%{time_total}\n' "$url" | awk '{printf "%d\n", $1 * 1000}'
done | median)
cmp -s "$work/out.bin" "$work/source.bin" || { echo "served content differs from the source" >&2; exit 1; }
range_ms=$(for _ in $(seq "$n"); do
  curl -s -o /dev/null -r 1000000-1065535 -w '%{time_total}\n' "$url" | awk '{printf "%.1f\n", $1 * 1000}'
done | median)
cp_ms=$(for _ in $(seq "$n"); do
  rm -f "$work/copy.bin"
  start=$(date +%s%N)
  cp "$work/source.bin" "$work/copy.bin"
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
done | median)

mib_s() { awk -v m="$size_mib" -v t="$1" 'BEGIN { if (t < 1) t = 1; printf "%.0f", m * 1000 / t }'; }
echo "size: $size_mib MiB, runs: $n, cores: $(nproc), load: $(cut -d' ' -f1 /proc/loadavg)"
echo "mlv serve, GET whole file (curl):  median ${curl_ms} ms, $(mib_s "$curl_ms") MiB/s"
echo "cp of the same file:               median ${cp_ms} ms, $(mib_s "$cp_ms") MiB/s"
echo "mlv serve, 64 KiB range at 1 MB:   median ${range_ms} ms"
echo "serve/cp time: $(awk -v a="$curl_ms" -v b="$cp_ms" 'BEGIN { if (b < 1) b = 1; printf "%.1fx", a / b }')"
