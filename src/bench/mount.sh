#!/usr/bin/env bash
# `mlv mount` of a model whose content is only on the store remote: S3Proxy on 127.0.0.1 (in
# memory), a repository pushed there, and for each measurement a fresh `mlv clone` whose local
# store lacks the model (the model is in main~1; a clone downloads only main's content).
# Measures, through the mount: the time from open() to the first byte, a sequential read of the
# whole file (baseline: `mlv cat` of the same file from the same remote, also from an empty local
# store), the median and p99 of 4 KiB random reads (POSIX_FADV_RANDOM, so each is one FUSE read),
# and the mount process's peak RSS (VmHWM) after the file is read twice, and the chunk cache's
# size on disk then. The mount reads chunk by chunk from the remote into its chunk cache, which
# starts empty in each fresh clone (CACHE_SIZE sets --cache-size, default mount's 4G). Every read
# is checked against the source's SHA-256.
# Usage: src/bench/mount.sh [SIZE_MIB] [RUNS] [RANDOM_READS]   (default 256 MiB, 3 runs, 2000 reads)
# Build first: ./mvnw -q -B -DskipTests package (the script adds the S3 server's classes with -Pbench).
# Needs root or fusermount with /dev/fuse, and about 4 x SIZE free in BENCH_DIR (default /tmp/mlv-bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
mlv=$PWD/mlv
mib=${1:-256}
runs=${2:-3}
reads=${3:-2000}
dir=${BENCH_DIR:-/tmp/mlv-bench}/mount
server=""
mounter=""
cleanup() {
  if [ -n "$mounter" ]; then kill "$mounter" 2>/dev/null || true; wait "$mounter" 2>/dev/null || true; fi
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  mountpoint -q "$dir/mnt" 2>/dev/null && { fusermount -u -z "$dir/mnt" 2>/dev/null || umount -l "$dir/mnt"; }
  rm -rf "$dir"
}
trap cleanup EXIT
cleanup
mkdir -p "$dir/mnt"
if [ ! -f "$dir/../mount-cp.txt" ] || [ pom.xml -nt "$dir/../mount-cp.txt" ] || [ ! -f target/test-classes/dev/mlv/bench/S3Server.class ]; then
  ./mvnw -q -B -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$dir/../mount-cp.txt" >/dev/null
fi

# the S3 server, in its own JVM: it keeps the objects in its heap
java -Xmx$((mib * 3 + 512))m -cp "target/classes:target/test-classes:$(cat "$dir/../mount-cp.txt")" \
  dev.mlv.bench.S3Server >"$dir/s3.out" 2>"$dir/s3.log" &
server=$!
for _ in $(seq 600); do [ -s "$dir/s3.out" ] && break; sleep 0.1; done
[ -s "$dir/s3.out" ] || { echo "the S3 server did not start: $(cat "$dir/s3.log")" >&2; exit 1; }
read -r endpoint bucket key secret <"$dir/s3.out"
export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_REGION=us-east-1

# the repository: the model in main~1, a small file in its place in main; pushed
git init -q --bare -b main "$dir/origin.git"
"$mlv" -q init "$dir/a" >/dev/null
"$mlv" -q -C "$dir/a" remote add origin "$dir/origin.git" >/dev/null
"$mlv" -q -C "$dir/a" store remote set origin "s3://$bucket/bench" --endpoint "$endpoint" --region us-east-1 --path-style >/dev/null
mkdir -p "$dir/a/models"
head -c "$((mib * 1024 * 1024))" /dev/urandom >"$dir/a/models/model.bin"
sha=$(sha256sum "$dir/a/models/model.bin" | cut -d' ' -f1)
"$mlv" -q -C "$dir/a" train-commit -m model >/dev/null
head -c 1000 /dev/urandom >"$dir/a/models/model.bin"
"$mlv" -q -C "$dir/a" train-commit -m "a small model in its place" >/dev/null
"$mlv" -q -C "$dir/a" push >/dev/null
rm -rf "$dir/a"

fresh_clone() { # NAME: a clone with the model not in its local store
  "$mlv" -q clone "$dir/origin.git" "$dir/$1" >/dev/null
}
mount_clone() { # mounts main~1:models of a clone, in the background
  "$mlv" -C "$1" mount main~1 "$dir/mnt" --path models --cache-size "${CACHE_SIZE:-4G}" 2>"$dir/mount.log" &
  mounter=$!
  for _ in $(seq 600); do grep -q "mlv: mounted" "$dir/mount.log" && return; sleep 0.05; done
  echo "not mounted: $(cat "$dir/mount.log")" >&2
  exit 1
}
unmount() {
  kill "$mounter"
  wait "$mounter" || true
  mounter=""
}

# one python process per measurement; the times are taken around the system calls
measure() { # MODE FILE [ARGS]: prints the figures as "name value" lines
  python3 - "$@" <<'PY'
import hashlib, os, random, sys, time
mode, path = sys.argv[1], sys.argv[2]
def whole(fd, digest):
    h = hashlib.sha256() if digest else None
    while True:
        b = os.read(fd, 1 << 20)
        if not b:
            break
        if h:
            h.update(b)
    return h.hexdigest() if h else None
if mode == "sequential":
    t0 = time.monotonic()
    fd = os.open(path, os.O_RDONLY)
    t1 = time.monotonic()
    first = os.read(fd, 1)
    t2 = time.monotonic()
    rest = whole(fd, False)
    t3 = time.monotonic()
    os.close(fd)
    print("open_ms %.0f" % ((t1 - t0) * 1000))
    print("first_byte_ms %.0f" % ((t2 - t0) * 1000))
    print("sequential_ms %.0f" % ((t3 - t0) * 1000))
elif mode == "digest":
    fd = os.open(path, os.O_RDONLY)
    h = hashlib.sha256()
    while True:
        b = os.read(fd, 1 << 20)
        if not b:
            break
        h.update(b)
    os.close(fd)
    print("sha256 " + h.hexdigest())
elif mode == "random":
    count = int(sys.argv[3])
    t0 = time.monotonic()
    fd = os.open(path, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
    b = os.pread(fd, 4096, 0)
    t1 = time.monotonic()
    size = os.fstat(fd).st_size
    rnd = random.Random(7)
    lat = []
    for _ in range(count):
        at = rnd.randrange(size // 4096) * 4096
        s = time.perf_counter()
        got = os.pread(fd, 4096, at)
        lat.append((time.perf_counter() - s) * 1000)
        assert len(got) == 4096
    os.close(fd)
    lat.sort()
    print("random_first_ms %.0f" % ((t1 - t0) * 1000))
    print("random_median_ms %.3f" % lat[len(lat) // 2])
    print("random_p99_ms %.3f" % lat[min(len(lat) - 1, int(len(lat) * 0.99))])
PY
}
value() { awk -v k="$1" '$1 == k { print $2 }'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: >"$dir/results"
for run in $(seq "$runs"); do
  # 1. open, first byte, whole file; then a second read and the mount's peak RSS
  fresh_clone "c$run-seq"
  mount_clone "$dir/c$run-seq"
  measure sequential "$dir/mnt/model.bin" >"$dir/r"
  got=$(measure digest "$dir/mnt/model.bin" | value sha256)
  [ "$got" = "$sha" ] || { echo "the mount's bytes differ from the model" >&2; exit 1; }
  awk '/^VmHWM/ { print "rss_kib", $2 } /^RssAnon/ { print "rss_anon_kib", $2 } /^RssFile/ { print "rss_file_kib", $2 }' \
    "/proc/$mounter/status" >>"$dir/r"
  echo "cache_kib $(du -sk "$dir/c$run-seq/.git/mlv/mount-cache" | cut -f1)" >>"$dir/r"
  unmount
  # 2. random 4 KiB reads in another fresh clone, through a new mount (no cached pages)
  fresh_clone "c$run-random"
  mount_clone "$dir/c$run-random"
  measure random "$dir/mnt/model.bin" "$reads" >>"$dir/r"
  unmount
  # 3. the baseline: mlv cat from an empty local store (JVM start included)
  fresh_clone "c$run-cat"
  start=$(date +%s%N)
  "$mlv" -C "$dir/c$run-cat" cat main~1:models/model.bin | sha256sum | cut -d' ' -f1 >"$dir/cat.sha"
  end=$(date +%s%N)
  [ "$(cat "$dir/cat.sha")" = "$sha" ] || { echo "mlv cat's bytes differ from the model" >&2; exit 1; }
  echo "cat_ms $(( (end - start) / 1000000 ))" >>"$dir/r"
  rm -rf "$dir"/c*
  echo "run $run: $(tr '\n' ' ' <"$dir/r")"
  cat "$dir/r" >>"$dir/results"
done

m() { value "$1" <"$dir/results" | median; }
echo "size: $mib MiB, runs: $runs, random reads: $reads, cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mount, open():                       median $(m open_ms) ms"
echo "mount, open() to first byte:         median $(m first_byte_ms) ms"
echo "mount, open() to last byte:          median $(m sequential_ms) ms"
echo "mlv cat, whole file (JVM included):  median $(m cat_ms) ms"
echo "mount/cat: $(awk -v a="$(m sequential_ms)" -v b="$(m cat_ms)" 'BEGIN { if (b < 1) b = 1; printf "%.2fx", a / b }')"
echo "mount, 4 KiB random reads:           median $(m random_median_ms) ms, p99 $(m random_p99_ms) ms (open and first read $(m random_first_ms) ms)"
echo "mount process peak RSS (read twice): median $(m rss_kib) KiB (at the end: anonymous $(m rss_anon_kib) KiB, file pages $(m rss_file_kib) KiB)"
echo "chunk cache on disk after two reads: median $(m cache_kib) KiB"
