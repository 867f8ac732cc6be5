package dev.mlv.cli;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.MlvException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a command's content to the path a user named with {@code -o}, as Unix tools do: {@code -}
 * is standard output; an existing device, FIFO or symlink is opened and written through (renaming
 * over it would replace {@code /dev/null} or a link with a regular file); a regular file or a new
 * path is written beside the target first and renamed into place when complete, so it is never left
 * half-written or with content that failed its check.
 */
final class ContentOutput {
    /** Writes content to a stream. */
    interface Writer {
        void writeTo(OutputStream out) throws MlvException, IOException;
    }

    private ContentOutput() {
    }

    /** Whether {@code -o PATH} names standard output. */
    static boolean isStdout(Path output) {
        return output != null && output.toString().equals("-");
    }

    /** Writes to {@code target}, already resolved against the working directory; not {@code -}. */
    static void write(Path target, Writer writer) throws MlvException {
        if (Files.isDirectory(target)) {
            throw MlvException.usage(target + " is a directory; name a file to write to");
        }
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            writeThrough(target, writer);
        } else {
            writeAtomically(target, writer);
        }
    }

    private static void writeThrough(Path target, Writer writer) throws MlvException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16)) {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new MlvException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path target, Writer writer) throws MlvException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = AtomicFiles.tempBeside(target);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.writeTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new MlvException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file is only clutter
                }
            }
        }
    }
}
