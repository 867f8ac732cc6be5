#!/usr/bin/env bash
# Commit of a new model (issue 23's "commit v1"): `mlv train-commit` of one incompressible file
# of SIZE_MIB in a fresh repository, against `openssl dgst -sha256` of the same file (the floor:
# one read and one SHA-256) and `mlv store put` of it into a fresh store (the same store work
# without Git), all in this invocation, RUNS rounds interleaved. Two kinds of commit: "settled"
# (the model was written long ago: a hard link to the input) and "fresh" (copied with cp just
# before, so its pages are still dirty, as after training; daily-loop.sh commits this way).
# Each mlv command's CPU time (user + system) is printed beside its wall time: on a shared
# machine the CPU time moves less with the load. MLV_JAVA_OPTS applies to every mlv run.
# Then the floor: one more settled commit under strace, split into its phases (JVM start to the
# model's first read, reading the model, last read to exit), and the per-byte passes alone in a
# warm JVM (src/bench/io/CommitFloor.java: read, file SHA-256, chunker, chunk SHA-256).
#
# Usage: [BASE_DIR=<a built older checkout>] src/bench/commit-model.sh [SIZE_MIB] [RUNS]
#        (after ./mvnw -q -B -DskipTests package). With BASE_DIR, that build's ./mlv commits
#        (settled) too, interleaved. TMPDIR must be on a disk file system; about 5x SIZE_MIB free.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mlv="$root/mlv"
size_mib=${1:-1024}
runs=${2:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/mlv-bench-commit.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_CONFIG_GLOBAL="$work/gitconfig"
: >"$GIT_CONFIG_GLOBAL"

head -c "$((size_mib * 1048576))" /dev/urandom >"$work/model.bin"
sync
cat "$work/model.bin" >/dev/null
"$mlv" --version >/dev/null # makes the class-data archive if the jar is new
[ -n "${BASE_DIR:-}" ] && "$BASE_DIR/mlv" --version >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed NAME CMD...: runs CMD in the current directory, output discarded; appends wall ms to
# NAME and CPU ms (user + system, children included) to NAME_cpu
timed() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r e u s <"$work/time"
  eval "$name+=($(awk -v e="$e" 'BEGIN { printf "%d", e * 1000 }'))"
  eval "${name}_cpu+=($(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }'))"
}
fresh_repo() { # fresh_repo DIR MLV: an mlv repository whose models/ is tracked, empty
  rm -rf "$1"; "$2" -q init "$1" >/dev/null; mkdir -p "$1/models"
}

ssl=() ssl_cpu=() put=() put_cpu=() settled=() settled_cpu=() fresh=() fresh_cpu=() base=() base_cpu=()
oid=$(sha256sum "$work/model.bin" | cut -c1-64)
for _ in $(seq "$runs"); do
  timed ssl openssl dgst -sha256 "$work/model.bin"

  rm -rf "$work/store"; sync
  timed put "$mlv" store put --store "$work/store" "$work/model.bin"

  fresh_repo "$work/repo" "$mlv"; ln "$work/model.bin" "$work/repo/models/model.bin"; sync
  (cd "$work/repo" && timed settled "$mlv" -q train-commit -m v1 && declare -p settled settled_cpu >"$work/vars")
  . "$work/vars"
  [ "$(git -C "$work/repo" show HEAD:models/model.bin | sed -n 's/^oid sha256://p')" = "$oid" ] \
    || { echo "the commit's pointer does not name the model's SHA-256" >&2; exit 1; }

  if [ -n "${BASE_DIR:-}" ]; then
    fresh_repo "$work/repo" "$BASE_DIR/mlv"; ln "$work/model.bin" "$work/repo/models/model.bin"; sync
    (cd "$work/repo" && timed base "$BASE_DIR/mlv" -q train-commit -m v1 && declare -p base base_cpu >"$work/vars")
    . "$work/vars"
  fi

  fresh_repo "$work/repo" "$mlv"; sync; cp "$work/model.bin" "$work/repo/models/model.bin"
  (cd "$work/repo" && timed fresh "$mlv" -q train-commit -m v1 && declare -p fresh fresh_cpu >"$work/vars")
  . "$work/vars"
  rm -rf "$work/repo"
done

med() { eval "printf '%s\n' \"\${$1[@]}\"" | median; }
all() { eval "echo \"\${$1[*]}\""; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / (b < 1 ? 1 : b) }'; }
ssl_ms=$(med ssl)
echo "model: ${size_mib} MiB incompressible, page cache; rounds: $runs (medians); load after: $(cut -d' ' -f1-3 /proc/loadavg); nproc $(nproc)"
echo "MLV_JAVA_OPTS: ${MLV_JAVA_OPTS:-(none)}"
printf '| %s | %s | %s | %s | %s |\n' command "wall ms" "/ openssl" "CPU ms" "all wall ms"
printf '|---|---|---|---|---|\n'
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$(med "$2")" "$(ratio "$(med "$2")" "$ssl_ms")" "$(med "$2_cpu")" "$(all "$2")"; }
row "openssl dgst -sha256 (baseline)" ssl
row "mlv store put, new store" put
row "mlv train-commit, settled model" settled
[ -n "${BASE_DIR:-}" ] && row "base build's train-commit, settled" base
row "mlv train-commit, just copied" fresh
echo "goal: train-commit <= 2x openssl: settled $(ratio "$(med settled)" "$ssl_ms"), just copied $(ratio "$(med fresh)" "$ssl_ms")"

# --- the floor --------------------------------------------------------------------------------
if command -v strace >/dev/null 2>&1; then
  fresh_repo "$work/repo" "$mlv"; ln "$work/model.bin" "$work/repo/models/model.bin"; sync
  (cd "$work/repo" && strace -f -tt -e trace=execve,read -o "$work/strace" "$mlv" -q train-commit -m v1 >/dev/null 2>&1)
  # the model's reads are the 256 KiB ones (the JVM's own reads are smaller)
  awk -v start="$(head -1 "$work/strace" | awk '{print $2}')" '
    function s(t,  a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
    /execve\("[^"]*java"/ && !java { java = s($2) }
    /read/ && / = 262144$/ { if (!first) first = s($2); last = s($2) }
    { end = s($2) }
    END { printf "one settled commit under strace, ms: launcher %d, JVM start to first read of the model %d, reading the model %d, last read to exit %d; total %d\n",
            (java - s(start)) * 1000, (first - java) * 1000, (last - first) * 1000, (end - last) * 1000, (end - s(start)) * 1000 }' "$work/strace"
  rm -rf "$work/repo"
fi
jar=$(ls "$root"/target/mlv-*-all.jar | head -1)
echo "the per-byte passes alone, one thread each, warm JVM (src/bench/io/CommitFloor.java):"
java -XX:+UseSerialGC -cp "$jar" "$root/src/bench/io/CommitFloor.java" "$work/model.bin" 2
