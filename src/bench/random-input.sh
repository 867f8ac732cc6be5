# Sourced by the benchmark scripts: sets $dir (BENCH_DIR, default /tmp/mlv-bench) and $input, an
# incompressible file of $mib MiB made once and kept there, and reads it into the page cache.
# BENCH_DIR must be on a disk file system (not tmpfs) for the figures to mean anything.
dir=${BENCH_DIR:-/tmp/mlv-bench}
mkdir -p "$dir"
input="$dir/random-${mib}m.bin"
[ -f "$input" ] || head -c "$((mib * 1024 * 1024))" /dev/urandom >"$input"
cat "$input" >/dev/null # into the page cache
