#!/usr/bin/env bash
# Push of SIZE_MIB of new (incompressible) content to S3 (S3Proxy on 127.0.0.1, in-memory store)
# against a whole-object upload of the same bytes with the same AWS SDK client: the ratio is what
# mlv's packing, indexing and chunk checks cost on top of moving the bytes.
# Usage: src/bench/push-s3.sh [SIZE_MIB] [RUNS]   (default 1024 MiB, 3 runs; medians reported)
# BENCH_DIR (default /tmp/mlv-bench) needs about 2 x SIZE free; S3Proxy keeps objects in the heap.
set -euo pipefail
cd "$(dirname "$0")/../.."
mib=${1:-1024}
runs=${2:-3}
dir=${BENCH_DIR:-/tmp/mlv-bench}/push-s3
rm -rf "$dir" && mkdir -p "$dir"
./mvnw -q -B -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$dir/cp.txt" >/dev/null
echo "size: $mib MiB, runs: $runs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx$((mib * 3 + 1024))m -cp "target/classes:target/test-classes:$(cat "$dir/cp.txt")" \
  dev.mlv.bench.PushS3Bench "$mib" "$runs" "$dir"
rm -rf "$dir"
