package dev.mlv.store.manifest;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Streams a manifest to a local staging file while a file is ingested, so memory stays bounded
 * whatever the file's size. {@link #finish} writes the trailer and fsyncs; the caller then moves
 * the file into place.
 */
public final class ManifestWriter implements AutoCloseable {
    private final Path file;
    private final FileOutputStream fileOut;
    private final OutputStream out;
    private final CRC32C crc = new CRC32C();
    private final byte[] entry = new byte[ManifestFormat.ENTRY_SIZE];
    private long count;
    private long size;
    private boolean finished;

    public ManifestWriter(Path file) throws IOException {
        this.file = file;
        this.fileOut = new FileOutputStream(file.toFile());
        this.out = new BufferedOutputStream(fileOut, 64 * 1024);
        byte[] header = ByteBuffer.allocate(ManifestFormat.HEADER_SIZE).put(ManifestFormat.MAGIC)
                .putShort((short) ManifestFormat.VERSION).putShort((short) 0).array();
        write(header);
    }

    public Path file() {
        return file;
    }

    /** Appends the next chunk of the file. */
    public void add(byte[] id, int idOff, int length) throws IOException {
        System.arraycopy(id, idOff, entry, 0, 32);
        ByteBuffer.wrap(entry, 32, 4).putInt(length);
        write(entry);
        count++;
        size += length;
    }

    public long size() {
        return size;
    }

    /** Writes the trailer for the file whose SHA-256 is {@code oid}, and fsyncs. */
    public void finish(byte[] oid) throws IOException {
        finish(oid, true);
    }

    /**
     * Writes the trailer; fsyncs when {@code sync}, else leaves that to whoever moves the file into
     * place (a backend's {@code writeFiles} syncs a batch of them together).
     */
    public void finish(byte[] oid, boolean sync) throws IOException {
        ByteBuffer t = ByteBuffer.allocate(ManifestFormat.TRAILER_SIZE);
        t.put(oid).putLong(size).putLong(count).put(ManifestFormat.END_MAGIC);
        crc.update(t.array(), 0, ManifestFormat.TRAILER_SIZE - 4);
        t.putInt((int) crc.getValue());
        out.write(t.array());
        out.flush();
        if (sync) {
            fileOut.getFD().sync();
        }
        out.close();
        finished = true;
    }

    private void write(byte[] b) throws IOException {
        crc.update(b, 0, b.length);
        out.write(b);
    }

    /** Closes and deletes the staging file unless {@link #finish} completed. */
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
}
