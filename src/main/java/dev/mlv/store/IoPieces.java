package dev.mlv.store;

import java.nio.ByteBuffer;

/**
 * The size of one read or write system call on files and standard streams.
 *
 * <p>Measured by {@code src/bench/io-modes.sh} (1 GiB file in the page cache, 2-core virtual
 * machine): {@code FileOutputStream} writes of 1 MiB per call took 0.6-4.4 s per GiB from run to
 * run (the JDK's native code mallocs a buffer the size of each call), 256 KiB per call a steady
 * 0.5 s, about {@code cp}'s time; reads at either size cost about the same, and a {@code
 * FileChannel} read into a page-aligned direct buffer was the cheapest (0.14 s). So streamed file
 * I/O on the hot paths moves this many bytes per call. See docs/benchmarks.md.
 */
public final class IoPieces {
    /** Bytes per read or write call. */
    public static final int PIECE = 256 << 10;

    /** A new direct buffer of {@link #PIECE} bytes starting on a page boundary. */
    public static ByteBuffer alignedPiece() {
        return ByteBuffer.allocateDirect(PIECE + 4096).alignedSlice(4096).limit(PIECE).slice();
    }

    private IoPieces() {
    }
}
