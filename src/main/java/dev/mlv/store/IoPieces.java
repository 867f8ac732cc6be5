package dev.mlv.store;

/**
 * The size of one read or write system call on files and standard streams.
 *
 * <p>Measured on the 2-core virtual machines mlv is benchmarked on (Java 17 and 25, 1 GiB file
 * in the page cache): {@code FileInputStream} / {@code RandomAccessFile} / {@code
 * FileOutputStream} moving 256 KiB per call read and write at about the speed of {@code cp}; the
 * same streams at 1 MiB per call were up to 9x slower (the JDK's native code mallocs a buffer
 * the size of each call, and large ones come fresh from the kernel every time), and
 * {@code FileChannel} reads into heap buffers (through the JDK's temporary direct buffer) cost
 * about 3x the kernel time. So streamed file I/O on the hot paths goes through the classic
 * streams in pieces of this size. See docs/benchmarks.md.
 */
public final class IoPieces {
    /** Bytes per read or write call. */
    public static final int PIECE = 256 << 10;

    private IoPieces() {
    }
}
