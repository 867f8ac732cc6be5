import dev.mlv.store.chunk.Chunker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Throughput of mlv's chunker against other ways of running the same gear hash (h = (h << 1) +
 * TABLE[b], test the top 16 bits), over 1 GiB of random bytes (a 64 MiB buffer 16 times), in one
 * JVM after warm-up rounds. The variants only hash and count candidate cut points; they show what
 * the hash loop itself costs on this machine. Run by src/bench/chunker-scans.sh.
 */
public final class ChunkerScans {
    /** Any 256 random words cost the same as Xet's table, which is package-private in mlv. */
    private static final long[] T = new Random(7).longs(256).toArray();
    private static final long M = 0xFFFF000000000000L;
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static int oneLane(byte[] d, int from, int to) {
        long h = 0;
        int hits = 0;
        for (int i = from; i < to; i++) {
            h = (h << 1) + T[d[i] & 0xFF];
            if ((h & M) == 0) {
                hits++;
            }
        }
        return hits;
    }

    static int fourLanes(byte[] d, int from, int to) {
        int l = (to - from) / 4;
        long a = 0, b = 0, c = 0, e = 0;
        int hits = 0;
        for (int i = from; i < from + l; i++) {
            a = (a << 1) + T[d[i] & 0xFF];
            b = (b << 1) + T[d[i + l] & 0xFF];
            c = (c << 1) + T[d[i + 2 * l] & 0xFF];
            e = (e << 1) + T[d[i + 3 * l] & 0xFF];
            if (((a & M) == 0) | ((b & M) == 0) | ((c & M) == 0) | ((e & M) == 0)) {
                hits++;
            }
        }
        return hits;
    }

    /** Two bytes per step: h2 = 4h + (2 g0 + g1), h1 = 2h + g0 off the dependency chain. */
    static int jumpTwo(byte[] d, int from, int to) {
        long h = 0;
        int hits = 0;
        for (int i = from; i + 1 < to; i += 2) {
            long g0 = T[d[i] & 0xFF];
            long g1 = T[d[i + 1] & 0xFF];
            long h1 = (h << 1) + g0;
            h = (h << 2) + ((g0 << 1) + g1);
            if (((h1 & M) == 0) | ((h & M) == 0)) {
                hits++;
            }
        }
        return hits;
    }

    /** Two lanes fed by 8-byte loads. */
    static int longLoads(byte[] d, int from, int to) {
        int l = ((to - from) / 2) & ~7;
        long a = 0, b = 0;
        int hits = 0;
        for (int i = from; i < from + l; i += 8) {
            long wa = (long) LE.get(d, i);
            long wb = (long) LE.get(d, i + l);
            for (int k = 0; k < 64; k += 8) {
                a = (a << 1) + T[(int) (wa >>> k) & 0xFF];
                b = (b << 1) + T[(int) (wb >>> k) & 0xFF];
                if (((a & M) == 0) | ((b & M) == 0)) {
                    hits++;
                }
            }
        }
        return hits;
    }

    static int mlvChunker(byte[] d, int from, int to) {
        Chunker chunker = new Chunker();
        int cuts = 0;
        for (int pos = from; pos < to; ) {
            int n = chunker.next(d, pos, to - pos);
            if (n < 0) {
                break;
            }
            pos += n;
            cuts++;
        }
        return cuts;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        byte[] buf = new byte[64 << 20];
        new Random(1).nextBytes(buf);
        String[] names = {"mlv Chunker (2 lanes, skipping)", "one lane", "four lanes", "two-byte jump", "8-byte loads"};
        System.out.println("seconds per GiB; rounds after the first " + rounds / 2 + " (warm-up) are printed");
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < names.length; v++) {
                long t0 = System.nanoTime();
                long sink = 0;
                for (int rep = 0; rep < 16; rep++) {
                    for (int off = 0; off < buf.length; off += 1 << 20) {
                        int to = off + (1 << 20);
                        sink += switch (v) {
                            case 0 -> mlvChunker(buf, off, to);
                            case 1 -> oneLane(buf, off, to);
                            case 2 -> fourLanes(buf, off, to);
                            case 3 -> jumpTwo(buf, off, to);
                            default -> longLoads(buf, off, to);
                        };
                    }
                }
                if (r >= rounds / 2) {
                    System.out.printf("  %-32s %.3f (%d)%n", names[v], (System.nanoTime() - t0) / 1e9, sink);
                }
            }
        }
    }
}
