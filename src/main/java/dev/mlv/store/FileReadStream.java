package dev.mlv.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A file read in {@link IoPieces#PIECE} pieces through a page-aligned direct buffer, then copied
 * into the caller's array: the input side of every put of a large file.
 *
 * <p>Where the kernel copies to matters more than the copy after it: {@code Files.newInputStream}
 * reads through the JDK's temporary direct buffers, which are not page-aligned, and
 * {@code src/bench/io-modes.sh} (1 GiB in the page cache) read 1 GiB that way in 0.286 s against
 * 0.157 s through a page-aligned buffer, the copy into the heap array included (see
 * docs/benchmarks.md). Buffers are pooled across streams, so opening many files allocates none.
 */
public final class FileReadStream extends InputStream {
    /**
     * Buffers kept for reuse; more streams than this at once allocate their own. Process-wide, as
     * the JDK's own temporary-buffer cache is: a direct buffer is only freed by a GC, so one per
     * stream would pile up when a commit stages many files. Nothing in it affects a result.
     */
    private static final BlockingQueue<ByteBuffer> POOL = new ArrayBlockingQueue<>(8);

    private final FileChannel channel;
    private ByteBuffer piece;

    private FileReadStream(FileChannel channel) {
        this.channel = channel;
        ByteBuffer b = POOL.poll();
        if (b == null) {
            b = IoPieces.alignedPiece();
        }
        this.piece = b.clear().flip();
    }

    /** Opens {@code file} for reading. */
    public static FileReadStream open(Path file) throws IOException {
        return new FileReadStream(FileChannel.open(file, StandardOpenOption.READ));
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return piece.get() & 0xFF;
    }

    /** Returns at most what is left of the current piece, so a read of a whole piece is one system call. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, piece.remaining());
        piece.get(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        ensureOpen();
        int inPiece = (int) Math.min(n, piece.remaining());
        piece.position(piece.position() + inPiece);
        long rest = Math.min(n - inPiece, Math.max(0, channel.size() - channel.position()));
        channel.position(channel.position() + rest);
        return inPiece + rest;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        long left = piece.remaining() + Math.max(0, channel.size() - channel.position());
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private boolean fill() throws IOException {
        ensureOpen();
        if (piece.hasRemaining()) {
            return true;
        }
        piece.clear();
        int n;
        do {
            n = channel.read(piece);
        } while (n == 0);
        piece.flip();
        return n > 0;
    }

    private void ensureOpen() throws IOException {
        if (piece == null) {
            throw new IOException("stream closed");
        }
    }

    @Override
    public void close() throws IOException {
        if (piece != null) {
            POOL.offer(piece);
            piece = null;
            channel.close();
        }
    }
}
