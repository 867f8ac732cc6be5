package dev.mlv.git;

import java.io.IOException;
import java.io.InputStream;

/**
 * The payloads of consecutive data packets, ending at the next flush packet. A protocol error
 * met while reading is remembered, so the caller can tell it from a failure of whoever consumed
 * the stream (a store may wrap or swallow the exception). Closing does not close the underlying
 * channel; the rest of the content is left for {@link #drain()}.
 */
final class PktLineInputStream extends InputStream {
    private final PktLineReader reader;
    private int pos;
    private int limit;
    private boolean finished;
    private long delivered;
    private IOException failure;

    PktLineInputStream(PktLineReader reader) {
        this.reader = reader;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        delivered++;
        return reader.buffer()[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(reader.buffer(), pos, b, off, n);
        pos += n;
        delivered += n;
        return n;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    /** Whether the flush that ends the content has been read. */
    boolean finished() {
        return finished;
    }

    /** How many content bytes were read through this stream (drained bytes not counted). */
    long delivered() {
        return delivered;
    }

    /** The protocol error met while reading, if any. */
    IOException failure() {
        return failure;
    }

    /** Reads and discards the rest of the content, up to and including its flush. */
    void drain() throws IOException {
        pos = limit;
        while (fill()) {
            pos = limit;
        }
    }

    /** Makes bytes available; false at the end of the content. */
    private boolean fill() throws IOException {
        if (failure != null) {
            throw failure;
        }
        while (pos == limit) {
            if (finished) {
                return false;
            }
            PktLineReader.Kind kind;
            try {
                kind = reader.next();
                if (kind == PktLineReader.Kind.END) {
                    throw new PktLineException("input ended before the flush packet that ends the content");
                }
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (kind == PktLineReader.Kind.FLUSH) {
                finished = true;
                pos = limit = 0;
                return false;
            }
            pos = 0;
            limit = reader.length();
        }
        return true;
    }
}
