package dev.mlv.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Holds content that must be echoed back to Git only after Git has finished sending it (the
 * filter protocol forbids answering early, and answering early deadlocks once the pipes fill).
 * Small content stays in memory; beyond {@code memoryLimit} bytes it spills to a temp file, so
 * memory stays bounded for content of any size.
 */
final class FilterProcessSpool implements AutoCloseable {
    private final Path tempDir;
    private final int memoryLimit;
    private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream fileOut;

    /** {@code tempDir} null means the JVM's temp directory. */
    FilterProcessSpool(Path tempDir, int memoryLimit) {
        this.tempDir = tempDir;
        this.memoryLimit = memoryLimit;
    }

    void write(byte[] data, int off, int len) throws IOException {
        if (fileOut == null && memory.size() + len <= memoryLimit) {
            memory.write(data, off, len);
            return;
        }
        if (fileOut == null) {
            file = tempDir == null
                    ? Files.createTempFile("mlv-filter-", ".tmp")
                    : Files.createTempFile(tempDir, "mlv-filter-", ".tmp");
            fileOut = Files.newOutputStream(file);
            memory.writeTo(fileOut);
            memory.reset();
        }
        fileOut.write(data, off, len);
    }

    /** Copies all of {@code in} into the spool. */
    void writeAll(InputStream in) throws IOException {
        byte[] buf = new byte[PktLineReader.MAX_DATA];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            write(buf, 0, n);
        }
    }

    /** Writes the spooled content to Git as content packets (no flush packet). */
    void sendTo(PktLineWriter writer) throws IOException {
        if (fileOut == null) {
            byte[] bytes = memory.toByteArray();
            writer.writeContent(bytes, 0, bytes.length);
            return;
        }
        byte[] buf = new byte[PktLineReader.MAX_DATA];
        try (InputStream in = openSpilled()) {
            for (int n = readSpilled(in, buf); n > 0; n = readSpilled(in, buf)) {
                writer.writePacket(buf, 0, n);
            }
        }
    }

    private InputStream openSpilled() throws ReadException {
        try {
            fileOut.close();
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new ReadException(file, e);
        }
    }

    private int readSpilled(InputStream in, byte[] buf) throws ReadException {
        try {
            return in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            throw new ReadException(file, e);
        }
    }

    /** Reading the spilled content back failed: a local problem, not one of the channel to Git. */
    static final class ReadException extends IOException {
        private static final long serialVersionUID = 1L;

        ReadException(Path file, IOException cause) {
            super("reading back temp file " + file + " failed: " + cause.getMessage(), cause);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (fileOut != null) {
                fileOut.close();
            }
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
