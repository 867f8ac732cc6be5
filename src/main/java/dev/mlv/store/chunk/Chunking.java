package dev.mlv.store.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Whole-stream conveniences over {@link Chunker}, for tests and tools. */
public final class Chunking {
    private static final int BUFFER_SIZE = 1 << 20;

    private Chunking() {
    }

    /** The lengths of the chunks of a stream with Xet's parameters, in order; empty for an empty stream. */
    public static List<Integer> lengths(InputStream in) throws IOException {
        return lengths(in, ChunkerParams.DEFAULT);
    }

    /** The lengths of the chunks of a stream, in order; empty for an empty stream. */
    public static List<Integer> lengths(InputStream in, ChunkerParams params) throws IOException {
        Objects.requireNonNull(in, "in");
        Chunker chunker = new Chunker(params);
        List<Integer> lengths = new ArrayList<>();
        byte[] buf = new byte[BUFFER_SIZE];
        int n;
        while ((n = in.read(buf)) != -1) {
            addChunks(chunker, buf, 0, n, lengths);
        }
        addFinalChunk(chunker, lengths);
        return lengths;
    }

    /** The lengths of the chunks of {@code data}, in order, with Xet's parameters. */
    public static List<Integer> lengths(byte[] data) {
        return lengths(data, ChunkerParams.DEFAULT);
    }

    /** The lengths of the chunks of {@code data}, in order; empty for empty data. */
    public static List<Integer> lengths(byte[] data, ChunkerParams params) {
        List<Integer> lengths = new ArrayList<>();
        Chunker chunker = new Chunker(params);
        addChunks(chunker, data, 0, data.length, lengths);
        addFinalChunk(chunker, lengths);
        return lengths;
    }

    /** The end offset of each chunk (the running sum of {@code lengths}), the form Xet's tests use. */
    public static List<Long> boundaries(List<Integer> lengths) {
        List<Long> ends = new ArrayList<>(lengths.size());
        long end = 0;
        for (int len : lengths) {
            end += len;
            ends.add(end);
        }
        return ends;
    }

    /** Feeds one buffer to the chunker and adds the length of each chunk it completes. */
    private static void addChunks(Chunker chunker, byte[] buf, int off, int len, List<Integer> lengths) {
        int pos = off;
        int end = off + len;
        while (pos < end) {
            long before = chunker.pending();
            int used = chunker.next(buf, pos, end - pos);
            if (used < 0) {
                return;
            }
            lengths.add((int) (before + used));
            pos += used;
        }
    }

    private static void addFinalChunk(Chunker chunker, List<Integer> lengths) {
        if (chunker.pending() > 0) {
            lengths.add((int) chunker.pending());
            chunker.reset();
        }
    }
}
