# Sourced by the benchmarks of sharded checkpoints (many-files.sh, switch-files.sh).
# shards DIR FILES: FILES files shard-NNNNN.bin of 100 KiB to 1 MiB of random bytes in DIR (sizes
# from a fixed seed, so every run and both repositories get the same sizes), written by one
# process: a process per file took half an hour for 10,000 on a loaded machine.
shards() {
  mkdir -p "$1"
  awk -v n="$2" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "%05d %d\n", i, 102400 + int(rand() * 946176) }' |
    perl -e 'open(my $r, "<", "/dev/urandom") or die; binmode $r;
      while (<STDIN>) { my ($i, $size) = split; read($r, my $b, $size) == $size or die;
        open(my $f, ">", "$ARGV[0]/shard-$i.bin") or die; binmode $f; print $f $b; close $f or die; }' "$1"
}
