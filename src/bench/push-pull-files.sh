#!/usr/bin/env bash
# Push and pull of a sharded checkpoint (FILES files of 100 KiB to 1 MiB of random bytes, about
# 0.55 MiB each) to a directory store remote and to S3 (S3Proxy on 127.0.0.1, in memory), against
# `rclone copy` of the same files to the same place, in the same invocation, RUNS times
# (interleaved; medians). mlv push: train-commit is not timed, push is (chunks, packs, indexes,
# manifests, the Git push); rclone copy of the checkpoint directory to a directory, or to the
# same bucket under another prefix. Pull: `mlv pull` in a clone made before the checkpoint
# commit (download, check, write the work tree) against `rclone copy` back into an empty directory.
# TARGETS="dir" leaves S3 out. The S3 server keeps every object in its heap, where 10,000 files do
# not fit; S3_ON_DISK=1 keeps them in files under BENCH_DIR instead (S3Proxy's "filesystem" store,
# slower, for mlv and rclone alike).
# COLD=1 writes back and drops the page cache before every timed command, mlv's and rclone's
# alike (needs root: /proc/sys/vm/drop_caches), so each reads its source from the disk, as a pull
# of content someone else pushed earlier does. Without it, rclone copies files it has just written
# (in memory) while mlv reads packs a train-commit wrote with O_DIRECT (on the disk only).
# PUSH_JAVA_OPTS and PULL_JAVA_OPTS, if set, are the pushes' and pulls' MLV_JAVA_OPTS (a profiler: '-XX:StartFlightRecording=...').
# Usage: src/bench/push-pull-files.sh [FILES] [RUNS]   (after ./mvnw -q -B -DskipTests package;
# the script builds the S3 server's classes with -Pbench). Needs rclone (Debian: apt-get install rclone).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
mlv="$root/mlv"
files=${1:-10000}
runs=${2:-1}
targets=${TARGETS:-dir s3}
dir=${BENCH_DIR:-/tmp/mlv-bench}/push-pull-files
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
cleanup
mkdir -p "$dir"
command -v rclone >/dev/null || { echo "rclone is missing: apt-get install rclone" >&2; exit 1; }
if [ ! -f "$dir/../mount-cp.txt" ] || [ pom.xml -nt "$dir/../mount-cp.txt" ] || [ ! -f target/test-classes/dev/mlv/bench/S3Server.class ]; then
  ./mvnw -q -B -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$dir/../mount-cp.txt" >/dev/null
fi
mib=$((files * 11 / 20 + 64))
if [ -n "${S3_ON_DISK:-}" ]; then s3args=("$dir/s3-data"); mkdir -p "$dir/s3-data"; heap=1024; else s3args=(); heap=$((mib * 2 * (runs + 1) + 1024)); fi
java -Xmx${heap}m -cp "target/classes:target/test-classes:$(cat "$dir/../mount-cp.txt")" \
  dev.mlv.bench.S3Server "${s3args[@]}" >"$dir/s3.out" 2>"$dir/s3.log" &
server=$!
for _ in $(seq 600); do [ -s "$dir/s3.out" ] && break; sleep 0.1; done
[ -s "$dir/s3.out" ] || { echo "the S3 server did not start: $(cat "$dir/s3.log")" >&2; exit 1; }
read -r endpoint bucket key secret <"$dir/s3.out"
export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_REGION=us-east-1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export RCLONE_S3_PROVIDER=Other RCLONE_S3_ENDPOINT=$endpoint RCLONE_S3_ACCESS_KEY_ID=$key \
  RCLONE_S3_SECRET_ACCESS_KEY=$secret RCLONE_S3_FORCE_PATH_STYLE=true RCLONE_S3_REGION=us-east-1 RCLONE_CONFIG=/dev/null
s3remote=":s3:$bucket"
if [ -n "${COLD:-}" ] && ! [ -w /proc/sys/vm/drop_caches ]; then echo "COLD=1 needs root (/proc/sys/vm/drop_caches)" >&2; exit 1; fi
cold() { if [ -n "${COLD:-}" ]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi; }
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# rclone's AWS SDK refuses a CA bundle from the environment on a plain-http endpoint
rc() { env -u AWS_CA_BUNDLE rclone -q --transfers 4 "$@"; }

# What mlv does and rclone does not: make what it wrote durable before it reports success (mlv
# syncs packs before a manifest or ref names them). The second baseline is rclone copy, then an
# fsync of every file it wrote (coreutils sync FILE...).
durable() { find "$1" -type f -print0 | xargs -0 -r sync; }

checkpoint() { # DIR SEED: FILES files of 100 KiB to 1 MiB
  python3 - "$1" "$2" "$files" <<'PY'
import os, random, sys
d, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed)
os.makedirs(d, exist_ok=True)
for i in range(n):
    with open(os.path.join(d, "shard-%05d.bin" % i), "wb") as f:
        f.write(os.urandom(r.randint(100 << 10, 1 << 20)))
PY
}

for target in $targets; do
  git init -q --bare -b main "$dir/$target.git"
  "$mlv" -q init "$dir/a-$target" >/dev/null
  "$mlv" -q -C "$dir/a-$target" remote add origin "$dir/$target.git" >/dev/null
  if [ "$target" = dir ]; then
    mkdir -p "$dir/store-remote"
    "$mlv" -q -C "$dir/a-$target" store remote set origin "$dir/store-remote" >/dev/null
  else
    "$mlv" -q -C "$dir/a-$target" store remote set origin "s3://$bucket/mlv" --endpoint "$endpoint" --region us-east-1 --path-style >/dev/null
  fi
  "$mlv" -q -C "$dir/a-$target" train-commit -m "store remote" >/dev/null
  "$mlv" -q -C "$dir/a-$target" push >/dev/null
done
echo "files: $files a run, runs: $runs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A t
for i in $(seq "$runs"); do
  rm -rf "$dir/ckpt"
  checkpoint "$dir/ckpt" "$i"
  bytes=$(du -sb "$dir/ckpt" | cut -f1)
  for target in $targets; do
    a="$dir/a-$target"
    rm -rf "$dir/b-$target"
    "$mlv" -q clone "$dir/$target.git" "$dir/b-$target" >/dev/null
    rm -rf "$a/models/ckpt"
    cp -r "$dir/ckpt" "$a/models/ckpt"
    "$mlv" -q -C "$a" train-commit -m "checkpoint $i" >/dev/null
    cold; t0=$(now); MLV_JAVA_OPTS="${PUSH_JAVA_OPTS:-${MLV_JAVA_OPTS:-}}" "$mlv" -q -C "$a" push >/dev/null
    t1=$(now); t[push-mlv-$target]+="$(ms "$t0" "$t1") "
    if [ "$target" = dir ]; then dest="$dir/rclone-remote/run-$i"; else dest="$s3remote/rclone/run-$i"; fi
    cold; t0=$(now); rc copy "$dir/ckpt" "$dest"; t1=$(now); t[push-rclone-$target]+="$(ms "$t0" "$t1") "
    if [ "$target" = dir ]; then durable "$dest"; t2=$(now); t[push-synced-$target]+="$(ms "$t0" "$t2") "; fi
    cold; t0=$(now); MLV_JAVA_OPTS="${PULL_JAVA_OPTS:-${MLV_JAVA_OPTS:-}}" "$mlv" -q -C "$dir/b-$target" pull >/dev/null
    t1=$(now); t[pull-mlv-$target]+="$(ms "$t0" "$t1") "
    rm -rf "$dir/down"
    cold; t0=$(now); rc copy "$dest" "$dir/down"; t1=$(now); t[pull-rclone-$target]+="$(ms "$t0" "$t1") "
    durable "$dir/down"; t2=$(now); t[pull-synced-$target]+="$(ms "$t0" "$t2") "
    diff -rq "$dir/ckpt" "$dir/b-$target/models/ckpt" >/dev/null || { echo "pulled checkpoint differs ($target)" >&2; exit 1; }
    diff -rq "$dir/ckpt" "$dir/down" >/dev/null || { echo "rclone's copy differs ($target)" >&2; exit 1; }
    rm -rf "$dir/down"
  done
done
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }')
echo "checkpoint: $files files, $mb MiB; medians of $runs, ms (MiB/s); mlv / rclone copy / ratio / rclone copy + sync / ratio"
echo "  (every run, ms: mlv; rclone copy; rclone copy + sync)"
for op in push pull; do
  for target in $targets; do
    m=$(median <<<"${t[$op-mlv-$target]}")
    r=$(median <<<"${t[$op-rclone-$target]}")
    synced="${t[$op-synced-$target]:-}"
    if [ -n "$synced" ]; then
      sm=$(median <<<"$synced")
      sr="$(printf '%7s  %sx' "$sm" "$(awk -v a="$m" -v e="$sm" 'BEGIN { printf "%.2f", a / e }')")"
    else
      sr="      -  (the server's own durability)"
    fi
    printf '  %-4s %-3s  %7s (%4s)  %7s (%4s)  %sx  %s\n' "$op" "$target" "$m" "$(awk -v b="$mb" -v t="$m" 'BEGIN { printf "%.0f", b * 1000 / t }')" \
      "$r" "$(awk -v b="$mb" -v t="$r" 'BEGIN { printf "%.0f", b * 1000 / t }')" "$(awk -v a="$m" -v e="$r" 'BEGIN { printf "%.2f", a / e }')" "$sr"
    echo "             (${t[$op-mlv-$target]% }; ${t[$op-rclone-$target]% }; ${synced% })"
  done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
