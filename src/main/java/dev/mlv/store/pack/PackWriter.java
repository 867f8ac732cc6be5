package dev.mlv.store.pack;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Appends chunk entries to a new pack in a local staging file, then writes the footer and
 * fsyncs. The caller moves the finished file into place under the name {@link #finish()} returns.
 * Footer records are kept as one growing byte array, not as per-chunk objects.
 */
public final class PackWriter implements AutoCloseable {
    private final Path file;
    private final FileOutputStream fileOut;
    private final OutputStream out;
    private final byte[] entryHeader = new byte[PackFormat.ENTRY_HEADER_SIZE];
    private byte[] records = new byte[64 * PackFormat.RECORD_SIZE];
    private int count;
    private long size;
    private boolean finished;

    public PackWriter(Path file) throws IOException {
        this.file = file;
        this.fileOut = new FileOutputStream(file.toFile());
        this.out = new BufferedOutputStream(fileOut, 1 << 20);
        byte[] header = PackFormat.packHeader();
        out.write(header);
        size = header.length;
    }

    public Path file() {
        return file;
    }

    /** Bytes written so far (header and entries). */
    public long size() {
        return size;
    }

    public int count() {
        return count;
    }

    /**
     * Appends one entry. {@code data[off, off+stored)} are the stored bytes (compressed if
     * {@code compression} says so); {@code rawLength} the chunk's uncompressed length.
     */
    public void add(byte[] id, int idOff, int rawLength, int compression, byte[] data, int off, int stored)
            throws IOException {
        System.arraycopy(id, idOff, entryHeader, 0, PackFormat.ID_LENGTH);
        ByteBuffer.wrap(entryHeader, PackFormat.ID_LENGTH, 12)
                .putInt(rawLength).putInt(stored).put((byte) compression).put((byte) 0).putShort((short) 0);
        if ((count + 1) * PackFormat.RECORD_SIZE > records.length) {
            records = Arrays.copyOf(records, records.length * 2);
        }
        PackFormat.putRecord(records, count * PackFormat.RECORD_SIZE, id, idOff, size, rawLength, stored, compression);
        out.write(entryHeader);
        out.write(data, off, stored);
        size += PackFormat.ENTRY_HEADER_SIZE + stored;
        count++;
    }

    /**
     * Writes footer and trailer, flushes and fsyncs the file, and closes it. Returns the pack's
     * records; its id is the SHA-256 of footer plus trailer.
     */
    public PackRecords finish() throws IOException {
        long footerOffset = size;
        int footerLength = count * PackFormat.RECORD_SIZE;
        CRC32C crc = new CRC32C();
        crc.update(records, 0, footerLength);
        byte[] trailer = ByteBuffer.allocate(PackFormat.TRAILER_SIZE)
                .putLong(footerOffset).putInt(count).putInt((int) crc.getValue())
                .put(PackFormat.TRAILER_MAGIC).putShort((short) PackFormat.VERSION).putShort((short) 0).array();
        out.write(records, 0, footerLength);
        out.write(trailer);
        out.flush();
        fileOut.getFD().sync();
        out.close();
        finished = true;
        size += footerLength + trailer.length;
        MessageDigest sha = sha256();
        sha.update(records, 0, footerLength);
        sha.update(trailer);
        return new PackRecords(sha.digest(), size, Arrays.copyOf(records, footerLength), count);
    }

    /** Closes and deletes the staging file unless {@link #finish()} completed. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
