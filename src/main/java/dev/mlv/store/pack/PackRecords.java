package dev.mlv.store.pack;

import java.util.Arrays;

/**
 * The records of one pack (as in its footer or index): a flat byte array of
 * {@link PackFormat#RECORD_SIZE}-byte records, never one object per chunk.
 */
public record PackRecords(byte[] packId, long packSize, byte[] records, int count) {
    public long offset(int i) {
        return PackFormat.recordOffset(records, i);
    }

    public int rawLength(int i) {
        return PackFormat.recordRaw(records, i);
    }

    public int storedLength(int i) {
        return PackFormat.recordStored(records, i);
    }

    public int compression(int i) {
        return PackFormat.recordCompression(records, i);
    }

    /** Byte offset of record {@code i}'s chunk id within {@link #records()}. */
    public int idOffset(int i) {
        return i * PackFormat.RECORD_SIZE;
    }

    /** A copy with records sorted by chunk id (unsigned byte order), as an index stores them. */
    public PackRecords sortedById() {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(records, a * PackFormat.RECORD_SIZE,
                a * PackFormat.RECORD_SIZE + PackFormat.ID_LENGTH, records, b * PackFormat.RECORD_SIZE,
                b * PackFormat.RECORD_SIZE + PackFormat.ID_LENGTH));
        byte[] sorted = new byte[count * PackFormat.RECORD_SIZE];
        for (int i = 0; i < count; i++) {
            System.arraycopy(records, order[i] * PackFormat.RECORD_SIZE, sorted, i * PackFormat.RECORD_SIZE,
                    PackFormat.RECORD_SIZE);
        }
        return new PackRecords(packId, packSize, sorted, count);
    }
}
