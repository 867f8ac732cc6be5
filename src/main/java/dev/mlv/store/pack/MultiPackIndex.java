package dev.mlv.store.pack;

import dev.mlv.store.CorruptContentException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The multi-pack index ({@code index/multi-pack.midx}, {@code docs/format.md} section 5.1): the
 * records of many pack indexes merged into one file sorted by chunk id, with a 256-entry fan-out
 * table, read in place through a memory map. Opening checks only the header, the length and the
 * fan-out (constant work whatever the chunk count); {@link #verify()} checks every byte.
 */
public final class MultiPackIndex implements RecordTable {
    public static final byte[] MAGIC = PackFormat.ascii("MLVX");
    public static final int HEADER_SIZE = 16;
    public static final int PACK_ENTRY_SIZE = 40;
    public static final int FANOUT_SIZE = 256 * 8;
    /** Header, fan-out and checksum: the size of a multi-pack index of no pack. */
    public static final int FIXED_SIZE = HEADER_SIZE + FANOUT_SIZE + 4;
    /** Where a record keeps its pack's number: the last 4 of the pack index record's reserved bytes. */
    static final int PACK_FIELD = 52;

    private final String name;
    private final Slab slab;
    private final int packCount;
    private final long count;
    private final long recordsAt;
    private final long[] fanout;

    private MultiPackIndex(String name, Slab slab, int packCount, long count, long[] fanout) {
        this.name = name;
        this.slab = slab;
        this.packCount = packCount;
        this.count = count;
        this.recordsAt = HEADER_SIZE + (long) packCount * PACK_ENTRY_SIZE;
        this.fanout = fanout;
    }

    /** Maps a multi-pack index and checks its structure (not its checksum: see {@link #verify()}). */
    public static MultiPackIndex open(Path file, String name) throws IOException {
        return open(Slab.map(file), name);
    }

    public static MultiPackIndex open(Slab slab, String name) throws CorruptContentException {
        long length = slab.size();
        byte[] magic = new byte[4];
        if (length >= FIXED_SIZE) {
            slab.get(0, magic, 0, 4);
        }
        if (length < FIXED_SIZE || !Arrays.equals(magic, MAGIC)) {
            throw new CorruptContentException(name + " is not a multi-pack index (bad magic or truncated)");
        }
        int version = slab.getInt(4) >>> 16;
        if (version != PackFormat.VERSION) {
            throw new CorruptContentException(name + " has format version " + version + "; this mlv reads version "
                    + PackFormat.VERSION);
        }
        long packs = slab.getInt(8) & 0xFFFF_FFFFL;
        long recordBytes = length - FIXED_SIZE - packs * PACK_ENTRY_SIZE;
        if (packs > Integer.MAX_VALUE || recordBytes < 0 || recordBytes % PackFormat.RECORD_SIZE != 0) {
            throw new CorruptContentException(name + " has an inconsistent length");
        }
        long count = recordBytes / PackFormat.RECORD_SIZE;
        long[] fanout = new long[256];
        long fanoutAt = length - 4 - FANOUT_SIZE;
        long previous = 0;
        for (int b = 0; b < 256; b++) {
            fanout[b] = slab.getLong(fanoutAt + b * 8L);
            if (fanout[b] < previous) {
                throw new CorruptContentException(name + " has a damaged fan-out table");
            }
            previous = fanout[b];
        }
        if (fanout[255] != count) {
            throw new CorruptContentException(name + " has a damaged fan-out table");
        }
        return new MultiPackIndex(name, slab, (int) packs, count, fanout);
    }

    public int packCount() {
        return packCount;
    }

    public byte[] packId(int pack) {
        byte[] id = new byte[PackFormat.ID_LENGTH];
        slab.get(HEADER_SIZE + (long) pack * PACK_ENTRY_SIZE, id, 0, id.length);
        return id;
    }

    public long packSize(int pack) {
        return slab.getLong(HEADER_SIZE + (long) pack * PACK_ENTRY_SIZE + PackFormat.ID_LENGTH);
    }

    @Override
    public long count() {
        return count;
    }

    private long at(long i) {
        return recordsAt + i * PackFormat.RECORD_SIZE;
    }

    /** Position of the record whose id is {@code id[off, off + 32)}, or -1: a binary search within its fan-out bucket. */
    @Override
    public long find(byte[] id, int off) {
        int first = id[off] & 0xff;
        return search(id, off, first == 0 ? 0 : fanout[first - 1], fanout[first] - 1);
    }

    @Override
    public void id(long i, byte[] dst, int off) {
        slab.get(at(i), dst, off, PackFormat.ID_LENGTH);
    }

    @Override
    public int compareId(long i, byte[] id, int off) {
        return slab.compareId(at(i), id, off);
    }

    @Override
    public int pack(long i) {
        return slab.getInt(at(i) + PACK_FIELD);
    }

    @Override
    public long offset(long i) {
        return slab.getLong(at(i) + 32);
    }

    @Override
    public int rawLength(long i) {
        return slab.getInt(at(i) + 40);
    }

    @Override
    public int storedLength(long i) {
        return slab.getInt(at(i) + 44);
    }

    @Override
    public int compression(long i) {
        return slab.get(at(i) + 48) & 0xff;
    }

    /**
     * Checks every byte: the checksum, the pack table's order, the records' order and pack
     * numbers, and that the fan-out counts them. A pass over the whole file.
     */
    public void verify() throws CorruptContentException {
        long length = slab.size();
        CRC32C crc = new CRC32C();
        slab.update(crc, 0, length - 4);
        if ((int) crc.getValue() != slab.getInt(length - 4)) {
            throw new CorruptContentException(name + " checksum mismatch");
        }
        byte[] previous = null;
        for (int p = 0; p < packCount; p++) {
            byte[] id = packId(p);
            if (previous != null && Arrays.compareUnsigned(previous, id) >= 0) {
                throw new CorruptContentException(name + ": its pack table is not sorted");
            }
            previous = id;
        }
        byte[] a = new byte[PackFormat.ID_LENGTH];
        byte[] b = new byte[PackFormat.ID_LENGTH];
        long[] counts = new long[256];
        for (long i = 0; i < count; i++) {
            id(i, b, 0);
            if (i > 0 && Arrays.compareUnsigned(a, b) >= 0) {
                throw new CorruptContentException(name + ": record " + i + " is out of order");
            }
            int pack = pack(i);
            if (pack < 0 || pack >= packCount) {
                throw new CorruptContentException(name + ": record " + i + " names pack " + pack + " of " + packCount);
            }
            counts[b[0] & 0xff]++;
            byte[] t = a;
            a = b;
            b = t;
        }
        long sum = 0;
        for (int k = 0; k < 256; k++) {
            sum += counts[k];
            if (fanout[k] != sum) {
                throw new CorruptContentException(name + " has a damaged fan-out table");
            }
        }
    }

    /** Records to merge: a table and, for each of its pack numbers, that pack's id and size. */
    public record Source(RecordTable table, byte[][] packIds, long[] packSizes) {
    }

    /** What a write produced. */
    public record Written(int packs, long chunks, long bytes) {
    }

    /**
     * Writes the multi-pack index of the sources' records to {@code file} (fsynced): a k-way merge
     * of sorted tables, streaming, memory bounded by the number of sources. Where several records
     * share a chunk id, the first source's wins.
     */
    public static Written write(Path file, List<Source> sources) throws IOException {
        TreeMap<byte[], Long> packSet = new TreeMap<>(Arrays::compareUnsigned);
        for (Source s : sources) {
            for (int p = 0; p < s.packIds().length; p++) {
                packSet.putIfAbsent(s.packIds()[p], s.packSizes()[p]);
            }
        }
        List<byte[]> packs = new ArrayList<>(packSet.keySet());
        List<Cursor> cursors = new ArrayList<>();
        for (int k = 0; k < sources.size(); k++) {
            Source s = sources.get(k);
            int[] numbers = new int[s.packIds().length];
            for (int p = 0; p < numbers.length; p++) {
                byte[] id = s.packIds()[p];
                numbers[p] = java.util.Collections.binarySearch(packs, id, Arrays::compareUnsigned);
            }
            cursors.add(new Cursor(s.table(), numbers, k));
        }
        PriorityQueue<Cursor> queue = new PriorityQueue<>();
        for (Cursor c : cursors) {
            if (c.next()) {
                queue.add(c);
            }
        }
        CRC32C crc = new CRC32C();
        long[] counts = new long[256];
        long written = 0;
        long bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(new java.util.zip.CheckedOutputStream(
                    java.nio.channels.Channels.newOutputStream(ch), crc), 1 << 20);
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putShort((short) PackFormat.VERSION)
                    .putShort((short) 0).putInt(packs.size()).putInt(0);
            out.write(header.array());
            for (byte[] id : packs) {
                out.write(id);
                out.write(ByteBuffer.allocate(8).putLong(packSet.get(id)).array());
            }
            byte[] record = new byte[PackFormat.RECORD_SIZE];
            byte[] last = null;
            while (!queue.isEmpty()) {
                Cursor c = queue.poll();
                int pack = c.numbers[c.table.pack(c.i)];
                if (last == null || !Arrays.equals(last, c.id)) {
                    PackFormat.putRecord(record, 0, c.id, 0, c.table.offset(c.i), c.table.rawLength(c.i),
                            c.table.storedLength(c.i), c.table.compression(c.i));
                    ByteBuffer.wrap(record).putInt(PACK_FIELD, pack);
                    out.write(record);
                    counts[c.id[0] & 0xff]++;
                    written++;
                    last = last == null ? new byte[PackFormat.ID_LENGTH] : last;
                    System.arraycopy(c.id, 0, last, 0, last.length);
                }
                if (c.next()) {
                    queue.add(c);
                }
            }
            ByteBuffer fan = ByteBuffer.allocate(FANOUT_SIZE);
            long sum = 0;
            for (long n : counts) {
                sum += n;
                fan.putLong(sum);
            }
            out.write(fan.array());
            out.flush();
            out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            out.flush();
            ch.force(true);
            bytes = ch.size();
        }
        return new Written(packs.size(), written, bytes);
    }

    /** One source in the merge: its current record's position and id. */
    private static final class Cursor implements Comparable<Cursor> {
        final RecordTable table;
        final int[] numbers;
        final int order;
        final byte[] id = new byte[PackFormat.ID_LENGTH];
        long i = -1;

        Cursor(RecordTable table, int[] numbers, int order) {
            this.table = table;
            this.numbers = numbers;
            this.order = order;
        }

        boolean next() {
            if (++i >= table.count()) {
                return false;
            }
            table.id(i, id, 0);
            return true;
        }

        @Override
        public int compareTo(Cursor o) {
            int c = Arrays.compareUnsigned(id, o.id);
            return c != 0 ? c : Integer.compare(order, o.order);
        }
    }
}
