import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file I/O measurements behind dev.mlv.store.IoPieces: one way of reading (or writing) a file
 * per run, in a fresh JVM, so each mode pays its own first-use costs.
 * Usage: java src/bench/io/IoModes.java MODE FILE [OUT]   (see src/bench/io-modes.sh)
 */
public class IoModes {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path in = Path.of(args[1]);
        long t0 = System.nanoTime();
        long total = 0;
        switch (mode) {
            case "newInputStream-256k" -> total = stream(Files.newInputStream(in), 256 << 10);
            case "FileInputStream-256k" -> total = stream(new FileInputStream(in.toFile()), 256 << 10);
            case "FileInputStream-1m" -> total = stream(new FileInputStream(in.toFile()), 1 << 20);
            case "channel-aligned-direct-256k" -> {
                ByteBuffer b = ByteBuffer.allocateDirect((256 << 10) + 4096).alignedSlice(4096);
                try (FileChannel ch = FileChannel.open(in)) {
                    long pos = 0;
                    int n;
                    while ((n = ch.read(b.clear(), pos)) > 0) {
                        pos += n;
                    }
                    total = pos;
                }
            }
            case "copy-FileOutputStream-256k" -> total = copy(in, Path.of(args[2]), 256 << 10);
            case "copy-FileOutputStream-1m" -> total = copy(in, Path.of(args[2]), 1 << 20);
            case "copy-newOutputStream-256k" -> total = copy(in, Path.of(args[2]), 256 << 10, true);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.printf("%-28s %6.3f s  (%d bytes)%n", mode, (System.nanoTime() - t0) / 1e9, total);
    }

    /**
     * Reads to the end one call per piece into four 4 MiB heap blocks in turn, as put's reader
     * fills its pool of blocks.
     */
    private static long stream(InputStream s, int piece) throws Exception {
        byte[][] blocks = new byte[4][4 << 20];
        long total = 0;
        try (s) {
            for (int k = 0; ; k = (k + 1) % blocks.length) {
                int filled = 0;
                int n = 0;
                while (filled < blocks[k].length && (n = s.read(blocks[k], filled, Math.min(piece, blocks[k].length - filled))) > 0) {
                    filled += n;
                }
                total += filled;
                if (n <= 0) {
                    return total;
                }
            }
        }
    }

    /** Reads with FileInputStream and writes with FileOutputStream, one call each per piece. */
    private static long copy(Path in, Path out, int piece) throws Exception {
        return copy(in, out, piece, false);
    }

    /** As above, writing through Files.newOutputStream (a channel) when {@code channel}. */
    private static long copy(Path in, Path out, int piece, boolean channel) throws Exception {
        Files.deleteIfExists(out);
        byte[] buf = new byte[piece];
        long total = 0;
        try (InputStream s = new FileInputStream(in.toFile());
             OutputStream o = channel ? Files.newOutputStream(out) : new FileOutputStream(out.toFile())) {
            int n;
            while ((n = s.read(buf, 0, piece)) > 0) {
                o.write(buf, 0, n);
                total += n;
            }
        }
        return total;
    }
}
