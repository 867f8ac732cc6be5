import dev.mlv.store.FileReadStream;
import dev.mlv.store.chunk.Chunker;
import dev.mlv.store.chunk.ChunkerParams;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The per-byte work every new large file costs, each pass alone on one thread, in one JVM after
 * warm-up rounds (so no JVM start and no JIT in the figures): reading the file into the heap as
 * the put pipeline does (page-aligned direct buffer, then a copy), the whole-file SHA-256 (the
 * oid), the chunker's scan, and the SHA-256 of every chunk (the chunk ids). The put pipeline runs
 * these on three threads; their sum over two cores is the floor of a fresh commit before JVM
 * start, compilation and pack writes. Run by src/bench/commit-model.sh.
 *
 * <p>Usage: java -cp JAR src/bench/io/CommitFloor.java FILE [ROUNDS]
 */
public final class CommitFloor {
    private static final int BLOCK = 4 << 20;

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        byte[] block = new byte[BLOCK];
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        long sink = 0;
        for (int r = 0; r < rounds + 2; r++) { // two warm-up rounds first
            long[] t = new long[4];
            MessageDigest file256 = MessageDigest.getInstance("SHA-256");
            MessageDigest chunk256 = MessageDigest.getInstance("SHA-256");
            Chunker chunker = new Chunker(ChunkerParams.DEFAULT);
            try (InputStream in = FileReadStream.open(file)) {
                while (true) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    int n = in.readNBytes(block, 0, BLOCK);
                    long c1 = threads.getCurrentThreadCpuTime();
                    if (n == 0) {
                        break;
                    }
                    file256.update(block, 0, n);
                    long c2 = threads.getCurrentThreadCpuTime();
                    // chunk boundaries within this block (a chunk may span blocks; the scan's
                    // cost per byte is the same)
                    int pos = 0;
                    int cuts = 0;
                    while (pos < n) {
                        int len = chunker.next(block, pos, n - pos);
                        if (len < 0) {
                            break;
                        }
                        pos += len;
                        cuts++;
                    }
                    long c3 = threads.getCurrentThreadCpuTime();
                    // ids of 64 KiB pieces: the chunks' total length, in pieces of their mean size
                    for (int off = 0; off < n; off += 64 << 10) {
                        chunk256.update(block, off, Math.min(64 << 10, n - off));
                        sink += chunk256.digest()[0];
                    }
                    long c4 = threads.getCurrentThreadCpuTime();
                    t[0] += c1 - c0;
                    t[1] += c2 - c1;
                    t[2] += c3 - c2;
                    t[3] += c4 - c3;
                    sink += cuts;
                }
            }
            sink += file256.digest()[0];
            if (r >= 2) {
                for (int i = 0; i < 4; i++) {
                    best[i] = Math.min(best[i], t[i]);
                }
            }
        }
        String[] names = {"read into the heap", "SHA-256 of the file (oid)", "chunker scan", "SHA-256 of each chunk (ids)"};
        long sum = 0;
        for (int i = 0; i < 4; i++) {
            System.out.printf("%-28s %6d ms CPU%n", names[i], best[i] / 1_000_000);
            sum += best[i];
        }
        System.out.printf("%-28s %6d ms CPU (best of %d rounds each; %d)%n", "sum", sum / 1_000_000, rounds, sink & 1);
    }
}
