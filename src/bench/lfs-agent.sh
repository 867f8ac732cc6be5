#!/usr/bin/env bash
# A plain Git LFS repository pushing two versions of a model (the second with 2% of its bytes
# rewritten, one contiguous block) through `mlv lfs-agent` into a chunked directory store remote,
# against git-lfs on its own pushing the same two commits to a file:// remote (git-lfs's built-in
# standalone file transfer, whole objects), same run. Reports how much each store grew for the
# second version (as % of the first version's growth), the push times, and a fresh clone through
# the agent, checked byte for byte.
# Usage: src/bench/lfs-agent.sh [SIZE_MIB]   (default 256; after ./mvnw -q -DskipTests package)
# Needs about 6 x SIZE of free space in ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlv=$PWD/mlv
size_mib=${1:-256}
command -v git-lfs >/dev/null || { echo "git-lfs is not installed" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mlv-lfs-agent-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/chunks"
g() { env -i HOME="$work/home" PATH=/usr/bin:/bin GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 \
  GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@b GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b git "$@"; }
g lfs install --skip-repo >/dev/null
size=$((size_mib * 1024 * 1024))
head -c "$size" /dev/urandom >"$work/v1.bin"
cp "$work/v1.bin" "$work/v2.bin"
head -c $((size / 50)) /dev/urandom | dd of="$work/v2.bin" bs=1M seek=$((size / 3)) oflag=seek_bytes conv=notrunc status=none
ms() { echo $(( ($2 - $1) / 1000000 )); }
bytes() { du -sb "$1" | cut -f1; }

# repo DIR REMOTE: a Git LFS repository tracking *.bin with a remote
repo() {
  g init -q -b main "$1" && g -C "$1" lfs track '*.bin' >/dev/null && g -C "$1" remote add origin "$2"
}
# push_two DIR STORE: commits and pushes v1 then v2; prints "v1_ms v2_ms growth1 growth2"
push_two() {
  local dir=$1 store=$2 s0 s1 s2 t0 t1 t2 t3
  s0=$(bytes "$store")
  cp "$work/v1.bin" "$dir/model.bin" && g -C "$dir" add -A && g -C "$dir" commit -q -m v1
  t0=$(date +%s%N); g -C "$dir" push -q origin main >/dev/null 2>&1; t1=$(date +%s%N)
  s1=$(bytes "$store")
  cp "$work/v2.bin" "$dir/model.bin" && g -C "$dir" commit -q -a -m v2
  t2=$(date +%s%N); g -C "$dir" push -q origin main >/dev/null 2>&1; t3=$(date +%s%N)
  s2=$(bytes "$store")
  echo "$(ms "$t0" "$t1") $(ms "$t2" "$t3") $((s1 - s0)) $((s2 - s1))"
}

# mlv's agent: the chunk store is a directory store remote
g init -q --bare -b main "$work/agent.git"
repo "$work/agent" "$work/agent.git"
(cd "$work/agent" && HOME="$work/home" "$mlv" -q install --lfs-agent >/dev/null \
  && HOME="$work/home" "$mlv" -q store remote set origin "$work/chunks" >/dev/null)
g -C "$work/agent" add .mlv/config.json
read -r a1 a2 ag1 ag2 <<<"$(push_two "$work/agent" "$work/chunks")"

# baseline: git-lfs alone to a file:// remote (objects whole under the bare repository's lfs/)
g init -q --bare -b main "$work/plain.git"
repo "$work/plain" "file://$work/plain.git"
mkdir -p "$work/plain.git/lfs"
read -r p1 p2 pg1 pg2 <<<"$(push_two "$work/plain" "$work/plain.git/lfs")"

# a fresh clone through the agent (registered globally, chosen for this clone)
HOME="$work/home" "$mlv" -q install --global --lfs-agent >/dev/null
t0=$(date +%s%N)
g clone -q -c lfs.standalonetransferagent=mlv "$work/agent.git" "$work/clone"
t1=$(date +%s%N)
cmp -s "$work/clone/model.bin" "$work/v2.bin" || { echo "the clone got other bytes" >&2; exit 1; }
[ -z "$(g -C "$work/clone" status --porcelain)" ] || { echo "git status is not clean in the clone" >&2; exit 1; }

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f%%", 100 * a / b }'; }
echo "size: $size_mib MiB, cores: $(nproc), load: $(cut -d' ' -f1 /proc/loadavg), $(g lfs version | cut -d' ' -f1)"
echo "mlv lfs-agent -> chunk store: v1 push ${a1} ms (+${ag1} B), v2 push ${a2} ms (+${ag2} B = $(pct "$ag2" "$ag1") of v1)"
echo "git-lfs alone -> file:// :   v1 push ${p1} ms (+${pg1} B), v2 push ${p2} ms (+${pg2} B = $(pct "$pg2" "$pg1") of v1)"
echo "fresh clone through the agent: $(ms "$t0" "$t1") ms, byte-identical, git status clean"
