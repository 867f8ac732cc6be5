#!/usr/bin/env bash
# How much of `mlv store put`'s time is the pipeline itself, and how much is JVM start and the
# JIT's warm-up: N puts of the same 1 GiB incompressible file (page cache) into fresh stores in
# ONE JVM (each followed by a put of the same file again, which writes nothing), between two
# `openssl dgst -sha256` runs of the same file. Put 1 is cold (JIT warm-up);
# puts 2..N run compiled code, with no JVM start. Compare with ingest.sh, which starts mlv per put.
# Usage: src/bench/put-warm.sh [N] [SIZE_MIB]   (after ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-4}
mib=${2:-1024}
. src/bench/random-input.sh
jar=$(ls target/mlv-*-all.jar | head -1)
ssl() { local t0 t1; t0=$(date +%s%N); openssl dgst -sha256 "$input" >/dev/null; t1=$(date +%s%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
echo "input: $mib MiB incompressible, page cache; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "openssl dgst -sha256: $(ssl) s"
java -XX:+UseSerialGC -cp "$jar" src/bench/io/PutRepeat.java "$input" "$dir" "$n"
echo "openssl dgst -sha256: $(ssl) s"
