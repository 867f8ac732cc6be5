package dev.mlv.cli;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.MlvException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a command's content output to a file: beside it first, renamed into place when complete. */
final class ContentOutput {
    /** Writes content to a stream. */
    interface Writer {
        void writeTo(OutputStream out) throws MlvException, IOException;
    }

    private ContentOutput() {
    }

    static void writeAtomically(Path target, Writer writer) throws MlvException {
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
