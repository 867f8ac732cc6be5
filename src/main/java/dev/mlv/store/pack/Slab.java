package dev.mlv.store.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only bytes addressed by {@code long} positions: a file mapped into memory (so it lives in
 * the page cache, not the heap) or a heap array. A file is mapped in segments of at most 1 GiB,
 * each overlapping the next by {@value #OVERLAP} bytes, so any read of up to {@value #OVERLAP}
 * bytes lies in one segment: no {@code int} position into a file ever overflows, whatever its size.
 */
public final class Slab {
    /** Longest read that {@link #get(long, byte[], int, int)} allows. */
    public static final int OVERLAP = 64;
    private static final int DEFAULT_SHIFT = 30;

    private final ByteBuffer[] segments;
    private final int shift;
    private final long size;

    private Slab(ByteBuffer[] segments, int shift, long size) {
        this.segments = segments;
        this.shift = shift;
        this.size = size;
    }

    /** Maps a whole file read-only; the mapping outlives the channel, which is closed at once. */
    public static Slab map(Path file) throws IOException {
        return map(file, DEFAULT_SHIFT);
    }

    /** As {@link #map(Path)} with segments of {@code 2^shift} bytes (tests use small ones). */
    static Slab map(Path file, int shift) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long step = 1L << shift;
            int n = (int) Math.max(1, (size + step - 1) / step);
            ByteBuffer[] segments = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long start = i * step;
                long length = Math.min(step + OVERLAP, size - start);
                segments[i] = ch.map(FileChannel.MapMode.READ_ONLY, start, Math.max(0, length));
            }
            return new Slab(segments, shift, size);
        }
    }

    /** Bytes already in the heap (a remote store's index, a pack just written). */
    public static Slab wrap(byte[] bytes) {
        return new Slab(new ByteBuffer[] {ByteBuffer.wrap(bytes)}, 62, bytes.length);
    }

    public long size() {
        return size;
    }

    private ByteBuffer segment(long pos) {
        return segments[(int) (pos >>> shift)];
    }

    private int at(long pos) {
        return (int) (pos & ((1L << shift) - 1));
    }

    public byte get(long pos) {
        return segment(pos).get(at(pos));
    }

    public int getInt(long pos) {
        return segment(pos).getInt(at(pos));
    }

    public long getLong(long pos) {
        return segment(pos).getLong(at(pos));
    }

    /** Copies {@code length} (at most {@value #OVERLAP}) bytes at {@code pos} into {@code dst}. */
    public void get(long pos, byte[] dst, int off, int length) {
        if (length > OVERLAP) {
            throw new IllegalArgumentException("read of " + length + " bytes crosses a segment");
        }
        segment(pos).get(at(pos), dst, off, length);
    }

    /** Compares the 32-byte id at {@code pos} with {@code id[off, off + 32)}, unsigned, as ids sort. */
    public int compareId(long pos, byte[] id, int off) {
        ByteBuffer b = segment(pos);
        int p = at(pos);
        for (int i = 0; i < PackFormat.ID_LENGTH; i += 8) {
            long x = b.getLong(p + i);
            long y = (id[off + i] & 0xffL) << 56 | (id[off + i + 1] & 0xffL) << 48 | (id[off + i + 2] & 0xffL) << 40
                    | (id[off + i + 3] & 0xffL) << 32 | (id[off + i + 4] & 0xffL) << 24 | (id[off + i + 5] & 0xffL) << 16
                    | (id[off + i + 6] & 0xffL) << 8 | (id[off + i + 7] & 0xffL);
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
        }
        return 0;
    }

    /** Feeds {@code [from, to)} to {@code crc}, segment by segment (a checksum over a whole file). */
    public void update(java.util.zip.Checksum crc, long from, long to) {
        long step = 1L << shift;
        long pos = from;
        while (pos < to) {
            long segEnd = Math.min(to, ((pos >>> shift) + 1) * step);
            ByteBuffer b = segment(pos).duplicate();
            b.limit(at(pos) + (int) (segEnd - pos)).position(at(pos));
            crc.update(b);
            pos = segEnd;
        }
    }
}
