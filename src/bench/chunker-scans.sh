#!/usr/bin/env bash
# The gear-hash chunker's throughput on this machine, with other loop shapes for the same hash
# (src/bench/io/ChunkerScans.java), against openssl's SHA-256 on 1 MiB blocks for scale.
# Usage: src/bench/chunker-scans.sh [ROUNDS]   (after ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=$(ls target/mlv-*-all.jar | head -1)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$jar" src/bench/io/ChunkerScans.java "${1:-6}"
openssl speed -seconds 2 -evp sha256 -bytes 1048576 2>/dev/null | tail -1 | awk '{ printf "openssl sha256: %s (1 MiB blocks)\n", $2 }'
