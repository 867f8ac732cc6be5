package dev.mlv.store.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Appends chunk entries to a new pack in a local staging file, then writes the footer and
 * fsyncs. Bytes are gathered into {@link WriteBehind} buffers, which its thread writes while
 * the caller goes on chunking and hashing. The caller moves the finished file into place under
 * the name {@link #finish()} returns, in a task queued on the same {@link WriteBehind} after it
 * (the pack is durable only once the tasks queued by {@code finish} have run). Footer records
 * are kept as one growing byte array, not as per-chunk objects.
 */
public final class PackWriter implements AutoCloseable {
    private final Path file;
    private final WriteBehind io;
    private final FileChannel channel;
    private final byte[] entryHeader = new byte[PackFormat.ENTRY_HEADER_SIZE];
    private ByteBuffer buf;
    /** File offset of {@code buf}'s first byte. */
    private long bufStart;
    private byte[] records = new byte[64 * PackFormat.RECORD_SIZE];
    private int count;
    private long size;
    private boolean finished;
    private boolean closed;

    public PackWriter(Path file, WriteBehind io) throws IOException {
        this.file = file;
        this.io = io;
        this.channel = io.openForWrite(file);
        byte[] header = PackFormat.packHeader();
        put(header, 0, header.length);
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
        put(entryHeader, 0, entryHeader.length);
        put(data, off, stored);
        size += PackFormat.ENTRY_HEADER_SIZE + stored;
        count++;
    }

    private void put(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (buf == null) {
                buf = io.takeBuffer();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
            if (!buf.hasRemaining()) {
                flushBuffer();
            }
        }
    }

    private void flushBuffer() throws IOException {
        ByteBuffer b = buf;
        buf = null;
        int n = b.position();
        if (n == 0) {
            io.giveBack(b);
            return;
        }
        if (io.direct()) {
            // O_DIRECT writes whole aligned blocks; the zero padding is cut off by truncate below.
            int padded = (n + io.alignment() - 1) & -io.alignment();
            while (b.position() < padded) {
                b.put((byte) 0);
            }
        }
        b.flip();
        io.write(channel, b, bufStart);
        bufStart += n;
    }

    /**
     * Writes footer and trailer and queues the final write, truncation and fsync of the file on
     * the {@link WriteBehind}. Returns the pack's records; its id is the SHA-256 of footer plus
     * trailer.
     */
    public PackRecords finish() throws IOException {
        return finish(true);
    }

    /**
     * As {@link #finish()}, without the fsync when {@code sync} is false: for a pack staged only to
     * be sent elsewhere (a push), whose durability is the destination's business.
     */
    public PackRecords finish(boolean sync) throws IOException {
        long footerOffset = size;
        int footerLength = count * PackFormat.RECORD_SIZE;
        CRC32C crc = new CRC32C();
        crc.update(records, 0, footerLength);
        byte[] trailer = ByteBuffer.allocate(PackFormat.TRAILER_SIZE)
                .putLong(footerOffset).putInt(count).putInt((int) crc.getValue())
                .put(PackFormat.TRAILER_MAGIC).putShort((short) PackFormat.VERSION).putShort((short) 0).array();
        put(records, 0, footerLength);
        put(trailer, 0, trailer.length);
        size += footerLength + trailer.length;
        flushBuffer();
        long finalSize = size;
        io.submit(() -> {
            try (FileChannel ch = channel) {
                if (ch.size() != finalSize) {
                    ch.truncate(finalSize);
                }
                if (sync) {
                    ch.force(true);
                }
            }
        });
        finished = true;
        MessageDigest sha = sha256();
        sha.update(records, 0, footerLength);
        sha.update(trailer);
        return new PackRecords(sha.digest(), size, Arrays.copyOf(records, footerLength), count);
    }

    /**
     * Unless {@link #finish()} was called, closes and deletes the staging file once the
     * {@link WriteBehind} has finished with it (the caller drains or closes it first).
     */
    @Override
    public void close() throws IOException {
        if (finished || closed) {
            return;
        }
        closed = true;
        if (buf != null) {
            io.giveBack(buf);
            buf = null;
        }
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
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
