#!/usr/bin/env bash
# A model through stock git-lfs from `mlv serve` against curl of the same file from serve's
# /v1/refs/BRANCH/files/... endpoint, same run, same server: `git lfs pull` in a fresh pointer-only
# clone (download into .git/lfs/objects, then the checkout writes the work-tree file) versus
# `curl -o FILE`, and `git lfs fetch` (the download alone) likewise. Each is run N times; prints the medians and their ratio. git and git-lfs run with
# a sandbox HOME, no system config and PATH=/usr/bin:/bin: no mlv anywhere.
# Usage: src/bench/lfs-serve.sh [SIZE_MIB] [N]   (default 1024 MiB, 3 runs; after ./mvnw -q -DskipTests package)
# Needs about (3 + N) x SIZE of free space in ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlv=$PWD/mlv
size_mib=${1:-1024}
n=${2:-3}
command -v git-lfs >/dev/null || { echo "git-lfs is not installed" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mlv-lfs-bench.XXXXXX")
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$mlv" -q init "$work/models-repo" >/dev/null
cd "$work/models-repo"
mkdir -p models
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > models/model.bin
"$mlv" -q train-commit -m bench >/dev/null
cp models/model.bin "$work/source.bin"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$mlv" serve --port "$port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 300); do
  grep -q "serving" "$work/serve.log" 2>/dev/null && break
  sleep 0.1
done
file_url="http://127.0.0.1:$port/v1/refs/main/files/models/model.bin"
git_url="http://127.0.0.1:$port/models-repo.git"

mkdir -p "$work/home"
stock() { env -i HOME="$work/home" PATH=/usr/bin:/bin GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 "$@"; }
stock git lfs install --skip-repo >/dev/null
clone() {
  rm -rf "$work/clone"
  stock env GIT_LFS_SKIP_SMUDGE=1 git clone -q -c filter.mlv.process='git-lfs filter-process' \
    -c filter.mlv.required=true "$git_url" "$work/clone"
}
curl -s -o /dev/null "$file_url"   # warm-up: JIT, page cache of the packs

# download alone: git lfs fetch into .git/lfs/objects (hashing what it receives), no checkout
fetch_ms=$(for _ in $(seq "$n"); do
  clone
  start=$(date +%s%N)
  (cd "$work/clone" && stock git lfs fetch >/dev/null)
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
lfs_ms=$(for _ in $(seq "$n"); do
  clone
  start=$(date +%s%N)
  (cd "$work/clone" && stock git lfs pull)
  end=$(date +%s%N)
  ms "$start" "$end"
done | median)
cmp -s "$work/clone/models/model.bin" "$work/source.bin" || { echo "git lfs pull wrote other bytes" >&2; exit 1; }
[ -z "$(cd "$work/clone" && stock git status --porcelain)" ] || { echo "git status is not clean after git lfs pull" >&2; exit 1; }
rm -rf "$work/clone"
curl_ms=$(for _ in $(seq "$n"); do
  rm -f "$work/out.bin"
  curl -s -o "$work/out.bin" -w '%{time_total}\n' "$file_url" | awk '{printf "%d\n", $1 * 1000}'
done | median)
cmp -s "$work/out.bin" "$work/source.bin" || { echo "curl got other bytes" >&2; exit 1; }
# The least a client that checks what it receives can do: download, write and SHA-256 the bytes
# (openssl's, which uses the CPU's SHA instructions as git-lfs's Go runtime does). On two cores
# the hash competes with the server for the CPU, so this, not curl alone, is the floor of
# `git lfs fetch`.
hash_ms=$(for _ in $(seq "$n"); do
  rm -f "$work/out.bin"
  start=$(date +%s%N)
  curl -s "$file_url" | tee "$work/out.bin" | openssl dgst -sha256 >/dev/null
  end=$(date +%s%N)
  ms "$start" "$end"
done | median)
rm -f "$work/out.bin"

mib_s() { awk -v m="$size_mib" -v t="$1" 'BEGIN { if (t < 1) t = 1; printf "%.0f", m * 1000 / t }'; }
echo "size: $size_mib MiB, runs: $n, cores: $(nproc), load: $(cut -d' ' -f1 /proc/loadavg), $(git lfs version | cut -d' ' -f1)"
echo "git lfs pull from mlv serve:      median ${lfs_ms} ms, $(mib_s "$lfs_ms") MiB/s"
echo "git lfs fetch (download only):    median ${fetch_ms} ms, $(mib_s "$fetch_ms") MiB/s"
echo "curl of /v1/refs/main/files/...:  median ${curl_ms} ms, $(mib_s "$curl_ms") MiB/s"
echo "curl | tee | openssl dgst (floor): median ${hash_ms} ms, $(mib_s "$hash_ms") MiB/s"
echo "pull/curl time: $(awk -v a="$lfs_ms" -v b="$curl_ms" 'BEGIN { if (b < 1) b = 1; printf "%.2fx", a / b }')," \
  "fetch/curl time: $(awk -v a="$fetch_ms" -v b="$curl_ms" 'BEGIN { if (b < 1) b = 1; printf "%.2fx", a / b }')"
echo "fetch/floor time: $(awk -v a="$fetch_ms" -v b="$hash_ms" 'BEGIN { if (b < 1) b = 1; printf "%.2fx", a / b }')"
