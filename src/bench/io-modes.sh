#!/usr/bin/env bash
# Ways of reading and writing a cached 1 GiB file from Java (the measurements behind IoPieces),
# each in a fresh JVM with /usr/bin/time for user and system CPU, then cp for comparison.
# Usage: src/bench/io-modes.sh [SIZE_MIB]   (BENCH_DIR as for ingest.sh; needs a JDK 17+)
set -euo pipefail
cd "$(dirname "$0")/../.."
mib=${1:-1024}
. src/bench/random-input.sh
echo "input: $mib MiB in the page cache; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in newInputStream-256k FileInputStream-256k FileInputStream-1m channel-aligned-direct-256k \
            copy-FileOutputStream-256k copy-FileOutputStream-1m copy-newOutputStream-256k; do
  /usr/bin/time -f "    %U s user, %S s system" java src/bench/io/IoModes.java "$mode" "$input" "$dir/io-out.bin"
done
rm -f "$dir/io-out.bin"
/usr/bin/time -f "cp                            %e s  (%U s user, %S s system)" cp "$input" "$dir/io-out.bin"
rm -f "$dir/io-out.bin"
