#!/usr/bin/env bash
# The daily loop, measured side by side with git-lfs and git-annex in one run (issue 23's table):
# a random model of SIZE_MIB, then version 2 with 2% of it rewritten in 10 places; for each tool,
# in a fresh repository per round: commit v1, commit v2, the new bytes stored for v2, status after
# `touch` (and the status after that), and switching between the two versions (each switch
# followed, outside the timing, by a sha256sum of the file). Baselines in the same run: cp,
# openssl dgst -sha256, a one-line Java program and mlv --version.
# The mlv repository's checks: store growth, git fsck --strict, the LFS pointer in Git, mlv cat of
# v1, a train-commit with nothing changed. With BASE_DIR (a built checkout of an older commit, with
# its own ./mlv) or BASE_REF (a commit of this repository, built here into the work directory),
# ingest (store put), cat and exp list are run with that build's jar and this one's, interleaved.
#
# Usage: [BASE_REF=<commit> | BASE_DIR=<dir>] src/bench/daily-loop.sh [SIZE_MIB] [RUNS]
#        (after ./mvnw -q -B -DskipTests package; installs git-lfs and git-annex from Debian if missing)
# TMPDIR must be on a disk file system; the run needs about 12 times SIZE_MIB free.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mlv="$root/mlv"
size_mib=${1:-1024}
runs=${2:-3}
size=$((size_mib * 1048576))
work=$(mktemp -d "${TMPDIR:-/tmp}/mlv-bench-daily.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_CONFIG_GLOBAL="$work/gitconfig"   # the peers' settings below, nobody's ~/.gitconfig
: >"$GIT_CONFIG_GLOBAL"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

missing=()
git lfs version >/dev/null 2>&1 || missing+=(git-lfs)
command -v git-annex >/dev/null 2>&1 || missing+=(git-annex)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} from Debian" >&2
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / (b < 1 ? 1 : b) }'; }
sha() { sha256sum "$1" | cut -c1-64; }
# timed NAME CMD...: runs CMD (output discarded), appends its wall time in ms to the array NAME
timed() { local name=$1 t0 t1; shift; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); eval "$name+=($(ms "$t0" "$t1"))"; }
check() { # check FILE SHA WHAT: the result of a step, outside the timing
  local got; got=$(sha "$1")
  if [ "$got" != "$2" ]; then echo "MISMATCH after $3: $1 has sha256 $got, expected $2" >&2; exit 1; fi
}

"$mlv" --version >/dev/null   # makes the class-data archive if the jar is new
cat >"$work/Hello.java" <<'EOF'
public class Hello { public static void main(String[] args) { System.out.println("hello"); } }
EOF
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac -d "$work" "$work/Hello.java"

# The two versions: v2 is v1 with 2% rewritten in 10 regions spread over the file.
head -c "$size" /dev/urandom >"$work/v1.bin"
cp "$work/v1.bin" "$work/v2.bin"
region=$((size / 50 / 10)); stride=$((size / 10))
for i in $(seq 0 9); do
  head -c "$region" /dev/urandom | dd of="$work/v2.bin" bs=4096 seek=$(( (i * stride + 12345) / 4096 )) conv=notrunc status=none
done
v1=$(sha "$work/v1.bin"); v2=$(sha "$work/v2.bin")

# --- one fresh repository per tool and round -------------------------------------------------
setup_mlv() { "$mlv" -q init "$1" >/dev/null; }
commit_mlv() { "$mlv" -q train-commit -m "$1"; }
branch_mlv() { "$mlv" -q switch --create v2; }
status_mlv() { "$mlv" status; }
switch_mlv() { "$mlv" -q switch "$1"; }
store_mlv() { du -sb .git/mlv/store | cut -f1; }

setup_lfs() { git init -q "$1" && (cd "$1" && git lfs install --local >/dev/null && git lfs track 'models/*.bin' >/dev/null \
  && git add .gitattributes && git commit -q -m init); mkdir -p "$1/models"; }
commit_lfs() { git add models/model.bin && git commit -q -m "$1"; }
branch_lfs() { git checkout -q -b v2; }
status_lfs() { git status; }
switch_lfs() { git checkout -q "$1"; }
store_lfs() { du -sb .git/lfs/objects | cut -f1; }

setup_annex() { git init -q "$1" && (cd "$1" && git annex init -q bench >/dev/null 2>&1 \
  && git config annex.addunlocked true && git commit -q --allow-empty -m init); mkdir -p "$1/models"; }
commit_annex() { git annex add -q models/model.bin && git commit -q -m "$1"; }
branch_annex() { git checkout -q -b v2; }
status_annex() { git status; }
switch_annex() { git checkout -q "$1"; }
store_annex() { du -sb .git/annex/objects | cut -f1; }

tools=(mlv lfs annex)
declare -A label=([mlv]=mlv [lfs]="git-lfs" [annex]="git-annex")
for t in "${tools[@]}"; do
  eval "c1_$t=(); c2_$t=(); grow_$t=(); st_$t=(); st2_$t=(); swa_$t=(); swb_$t=()"
done
cpt=(); ssl=(); hello=(); ver=()

for r in $(seq "$runs"); do
  for t in "${tools[@]}"; do
    repo="$work/$t-$r"
    "setup_$t" "$repo" >/dev/null
    cd "$repo"
    cp "$work/v1.bin" models/model.bin
    timed "c1_$t" "commit_$t" v1
    before=$("store_$t")
    "branch_$t" >/dev/null 2>&1
    cp "$work/v2.bin" models/model.bin
    timed "c2_$t" "commit_$t" v2
    after=$("store_$t")
    eval "grow_$t+=($(awk -v a="$after" -v b="$before" -v s="$size" 'BEGIN { printf "%.1f", (a - b) * 100 / s }'))"
    touch models/model.bin
    timed "st_$t" "status_$t"
    timed "st2_$t" "status_$t"
    [ -z "$(git status --porcelain --untracked-files=no)" ] || { echo "$t: status after touch is not clean" >&2; git status --short >&2; exit 1; }
    timed "swa_$t" "switch_$t" main; check models/model.bin "$v1" "$t switch to v1"
    timed "swb_$t" "switch_$t" v2; check models/model.bin "$v2" "$t switch to v2"
    timed "swa_$t" "switch_$t" main; check models/model.bin "$v1" "$t switch to v1"
    timed "swb_$t" "switch_$t" v2; check models/model.bin "$v2" "$t switch to v2"
    cd "$work"
    [ "$r" -lt "$runs" ] && rm -rf "$repo"
  done
  rm -f "$work/copy.bin"; sync
  timed cpt cp "$work/v1.bin" "$work/copy.bin"
  timed ssl openssl dgst -sha256 "$work/v1.bin"
  timed hello "$java_bin" -cp "$work" Hello
  timed ver "$mlv" --version
done
rm -f "$work/copy.bin"

# --- the last mlv repository's checks ---------------------------------------------------------
cd "$work/mlv-$runs"
git fsck --strict >/dev/null 2>&1 && fsck=ok || fsck=FAILED
pointer_ok=$(git show HEAD:models/model.bin | head -1 | grep -c '^version https://git-lfs.github.com/spec/v1$' || true)
[ "$("$mlv" cat main:models/model.bin | sha256sum | cut -c1-64)" = "$v1" ] && cat_ok=ok || cat_ok=MISMATCH
nochange_commit() { "$mlv" -q train-commit -m none || true; }   # exits 1: nothing to commit
nochange=()
for _ in $(seq "$runs"); do timed nochange nochange_commit; done
cd "$work"

med() { eval "printf '%s\n' \"\${$1[@]}\"" | median; }
all() { eval "echo \"\${$1[*]}\""; }
cp_ms=$(med cpt); ssl_ms=$(med ssl); hello_ms=$(med hello); ver_ms=$(med ver)

echo "model: ${size_mib} MiB, v2 = 2% rewritten in 10 places; rounds: $runs (medians, ms); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(git --version); $(git lfs version | cut -d' ' -f1); git-annex $(git annex version --raw)"
echo "git-annex settings: annex.addunlocked=true (unlocked files: real bytes in the work tree), annex.thin=$(git config --global annex.thin || echo false), annex.backend=$(git config --global annex.backend || echo SHA256E), add with 'git annex add', checkout with 'git checkout'"
echo "baselines: cp ${cp_ms} ms; openssl dgst -sha256 ${ssl_ms} ms; java Hello (one line, same JVM) ${hello_ms} ms; mlv --version ${ver_ms} ms"
echo
printf '| %s | %s | %s | %s |\n' step mlv git-lfs "git-annex (unlocked)"
printf '|---|---|---|---|\n'
row() { # row TITLE ARRAY-PREFIX
  printf '| %s | %s ms | %s ms (mlv %s) | %s ms (mlv %s) |\n' "$1" "$(med "$2_mlv")" \
    "$(med "$2_lfs")" "$(ratio "$(med "$2_mlv")" "$(med "$2_lfs")")" \
    "$(med "$2_annex")" "$(ratio "$(med "$2_mlv")" "$(med "$2_annex")")"
}
row "commit v1" c1
row "commit v2 (2% edit)" c2
printf '| new bytes stored for v2 | %s%% | %s%% | %s%% |\n' "$(med grow_mlv)" "$(med grow_lfs)" "$(med grow_annex)"
row "status after touch" st
row "status again" st2
row "switch to v1" swa
row "switch to v2" swb
echo
sw_mlv=("${swa_mlv[@]}" "${swb_mlv[@]}"); sw_annex=("${swa_annex[@]}" "${swb_annex[@]}")
echo "goal switch <= 1.5x git-annex: mlv $(med sw_mlv) ms, git-annex $(med sw_annex) ms: $(ratio "$(med sw_mlv)" "$(med sw_annex)") (to v1 $(ratio "$(med swa_mlv)" "$(med swa_annex)"), to v2 $(ratio "$(med swb_mlv)" "$(med swb_annex)"))"
echo "goal status after touch <= 1.5x (openssl + mlv --version): $(med st_mlv) ms vs $((ssl_ms + ver_ms)) ms: $(ratio "$(med st_mlv)" $((ssl_ms + ver_ms)))"
echo "goal commit v1 <= 2x openssl: $(ratio "$(med c1_mlv)" "$ssl_ms")"
echo "goal mlv --version <= 1.5x java Hello: $(ratio "$ver_ms" "$hello_ms")"
echo "mlv repository: git fsck --strict $fsck; LFS pointer in Git: $([ "$pointer_ok" = 1 ] && echo yes || echo NO); mlv cat main (v1) sha256: $cat_ok;" \
  "train-commit with nothing changed: median $(med nochange) ms ($(( $(med nochange) - ver_ms )) ms beyond mlv --version)"
echo "all runs: switch mlv to v1 $(all swa_mlv), to v2 $(all swb_mlv); git-annex to v1 $(all swa_annex), to v2 $(all swb_annex);" \
  "status after touch mlv $(all st_mlv); openssl $(all ssl); mlv --version $(all ver); java Hello $(all hello)"

# --- the base build's jar against this one: ingest, cat, exp list ---------------------------------
if [ -n "${BASE_REF:-}" ] && [ -z "${BASE_DIR:-}" ]; then
  BASE_DIR="$work/base"
  mkdir -p "$BASE_DIR"
  git -C "$root" archive "$BASE_REF" | tar -x -C "$BASE_DIR"
  echo "building $BASE_REF in $BASE_DIR" >&2
  (cd "$BASE_DIR" && ./mvnw -q -B -DskipTests package >/dev/null)
fi
if [ -n "${BASE_DIR:-}" ]; then
  base="$BASE_DIR/mlv"
  "$base" --version >/dev/null
  # exp list over 300 experiment branches, each with its own metrics and params
  exp="$work/exp-repo"
  "$mlv" -q init "$exp" >/dev/null
  awk -v n=300 -v base="$(git -C "$exp" rev-parse main)" 'BEGIN { srand(42);
    for (i = 1; i <= n; i++) {
      m = sprintf("{\"accuracy\": %.4f, \"loss\": %.4f}\n", 0.7 + rand() * 0.3, rand());
      p = sprintf("{\"lr\": %.5f}\n", rand() * 0.1);
      printf "commit refs/heads/exp/run-%04d\ncommitter bench <bench@example.com> %d +0000\ndata 3\nrun\nfrom %s\n", i, 1767000000 + i * 60, base;
      printf "M 100644 inline metrics/metrics.json\ndata %d\n%s\n", length(m), m;
      printf "M 100644 inline params/params.json\ndata %d\n%s\n", length(p), p;
    } }' | git -C "$exp" fast-import --quiet
  put_b=(); put_n=(); cat_b=(); cat_n=(); exp_b=(); exp_n=()
  for _ in $(seq "$runs"); do
    for which in b n; do
      cmd=$([ "$which" = b ] && echo "$base" || echo "$mlv")
      rm -rf "$work/ab-store"
      timed "put_$which" "$cmd" store put --store "$work/ab-store" "$work/v1.bin"
      oid=$(sha "$work/v1.bin")
      rm -f "$work/ab-out.bin"
      t0=$(now); "$cmd" store cat --store "$work/ab-store" "$oid" >"$work/ab-out.bin"; t1=$(now); eval "cat_$which+=($(ms "$t0" "$t1"))"
      check "$work/ab-out.bin" "$v1" "store cat"
      timed "exp_$which" "$cmd" -C "$exp" exp list
    done
  done
  rm -rf "$work/ab-store" "$work/ab-out.bin"
  echo
  echo "base build: ${BASE_REF:-$BASE_DIR} against this build ($(git -C "$root" rev-parse --short HEAD)): medians of $runs, interleaved"
  printf '| %s | %s | %s | %s |\n' workflow base "this build" "this/base"
  printf '|---|---|---|---|\n'
  printf '| store put of %s MiB (fresh store) | %s ms | %s ms | %s |\n' "$size_mib" "$(med put_b)" "$(med put_n)" "$(ratio "$(med put_n)" "$(med put_b)")"
  printf '| store cat of %s MiB to a file | %s ms | %s ms | %s |\n' "$size_mib" "$(med cat_b)" "$(med cat_n)" "$(ratio "$(med cat_n)" "$(med cat_b)")"
  printf '| exp list, 300 branches | %s ms | %s ms | %s |\n' "$(med exp_b)" "$(med exp_n)" "$(ratio "$(med exp_n)" "$(med exp_b)")"
fi
