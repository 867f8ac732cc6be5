package dev.mlv.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.UUID;

/**
 * Files replaced whole: written to a temp file beside the target, then renamed over it.
 *
 * <p>The temp file gets the permissions a new file would get ({@code 0666} less the umask, as git
 * gives the files it writes), or the target's own when the target exists, so a rewrite keeps a
 * user's mode. {@code Files.createTempFile} is not used: it makes files readable by their owner
 * only, which a renamed file would keep ({@code .gitattributes} and {@code .mlv/config.json} came
 * out {@code 0600}).
 */
public final class AtomicFiles {
    /**
     * The gitignore pattern of {@link #tempBeside} names, which {@link #excludeTempFiles} puts in a
     * repository's {@code .git/info/exclude}: a temp file left by a crash in the work tree is
     * garbage, not something for train-commit to commit or status to list.
     */
    public static final String TEMP_PATTERN = ".*.mlv-tmp";

    private AtomicFiles() {
    }

    /**
     * Adds {@link #TEMP_PATTERN} to {@code gitDir/info/exclude} (read by git and JGit for that
     * repository only) unless it is there. Returns whether the file changed.
     */
    public static boolean excludeTempFiles(Path gitDir) throws IOException {
        Path exclude = gitDir.resolve("info").resolve("exclude");
        String content = Files.exists(exclude) ? Files.readString(exclude, StandardCharsets.UTF_8) : "";
        if (content.lines().anyMatch(line -> line.strip().equals(TEMP_PATTERN))) {
            return false;
        }
        if (!content.isEmpty() && !content.endsWith("\n")) {
            content += "\n";
        }
        content += "# temp files of mlv's atomic writes (only a crash leaves one)\n" + TEMP_PATTERN + "\n";
        write(exclude, content.getBytes(StandardCharsets.UTF_8));
        return true;
    }

    /**
     * As {@link #tempBeside}, always with a new file's permissions: for a checkout, which writes a
     * new version of {@code target} as git does, whatever mode the old one had.
     */
    public static Path newTempBeside(Path target) throws IOException {
        return Files.createFile(tempNameBeside(target));
    }

    /** A new name for a temp file in {@code target}'s directory ({@code .NAME.RANDOM.mlv-tmp}), not created. */
    public static Path tempNameBeside(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        return dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".mlv-tmp");
    }

    /**
     * Creates an empty temp file in {@code target}'s directory, named after it and hidden
     * ({@code .NAME.RANDOM.mlv-tmp}), with the permissions described above. The caller writes it
     * and moves it over {@code target}, or deletes it.
     */
    public static Path tempBeside(Path target) throws IOException {
        Path tmp = newTempBeside(target);
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (view != null && Files.exists(target)) {
            try {
                Set<PosixFilePermission> mode = view.readAttributes().permissions();
                Files.setPosixFilePermissions(tmp, mode);
            } catch (IOException | UnsupportedOperationException e) {
                // the default mode is still right for a new file
            }
        }
        return tmp;
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = tempBeside(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
