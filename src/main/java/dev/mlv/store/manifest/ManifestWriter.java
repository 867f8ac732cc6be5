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
 * Streams a manifest while a file is ingested: to a local staging file, so memory stays bounded
 * whatever the file's size, or, for a small manifest, into memory until it outgrows a limit and
 * spills to a staging file ({@link #spilling}). {@link #finish} writes the trailer (and fsyncs a
 * file); the caller then moves the file, or writes the bytes, into place. A batch of small files
 * then creates no staging file per manifest: a file creation cost about as much CPU as hashing
 * the file's megabyte (ext4's inode allocation, measured in docs/benchmarks.md "Many files").
 */
public final class ManifestWriter implements AutoCloseable {
    private Path file;
    private FileOutputStream fileOut;
    private OutputStream out;
    /** The manifest so far while it is in memory; null once it went to a file. */
    private java.io.ByteArrayOutputStream memory;
    private final int memoryLimit;
    private final java.util.concurrent.Callable<Path> spillTo;
    private final CRC32C crc = new CRC32C();
    private final byte[] entry = new byte[ManifestFormat.ENTRY_SIZE];
    private long count;
    private long size;
    private boolean finished;

    /** A manifest written to {@code file}. */
    public ManifestWriter(Path file) throws IOException {
        this(() -> file, -1);
    }

    private ManifestWriter(java.util.concurrent.Callable<Path> spillTo, int memoryLimit) throws IOException {
        this.spillTo = spillTo;
        this.memoryLimit = memoryLimit;
        if (memoryLimit < 0) {
            openFile();
        } else {
            this.memory = new java.io.ByteArrayOutputStream(Math.min(memoryLimit, 1024));
            this.out = memory;
        }
        byte[] header = ByteBuffer.allocate(ManifestFormat.HEADER_SIZE).put(ManifestFormat.MAGIC)
                .putShort((short) ManifestFormat.VERSION).putShort((short) 0).array();
        write(header);
    }

    /**
     * A manifest kept in memory while it stays within {@code memoryLimit} bytes, then moved to the
     * new file {@code spillTo} returns (created empty).
     */
    public static ManifestWriter spilling(int memoryLimit, java.util.concurrent.Callable<Path> spillTo)
            throws IOException {
        return new ManifestWriter(spillTo, Math.max(0, memoryLimit));
    }

    private void openFile() throws IOException {
        try {
            file = spillTo.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot create a manifest staging file: " + e, e);
        }
        fileOut = new FileOutputStream(file.toFile());
        out = new BufferedOutputStream(fileOut, 64 * 1024);
    }

    /** The staging file, or null while (and if, after {@link #finish}) the manifest is in memory. */
    public Path file() {
        return file;
    }

    /** The whole manifest after {@link #finish}, when it stayed in memory; else null. */
    public byte[] bytes() {
        return finished && memory != null ? memory.toByteArray() : null;
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
        if (memory != null) {
            memory.write(t.array());
            finished = true;
            return;
        }
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
        if (memory != null && memory.size() + b.length > memoryLimit) {
            openFile();
            memory.writeTo(out);
            memory = null;
        }
        out.write(b);
    }

    /** Closes and deletes the staging file unless {@link #finish} completed. */
    @Override
    public void close() throws IOException {
        if (!finished && file != null) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
