package dev.mlv.core.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The file a Git checkout is writing a large file into, found from the stream JGit hands the
 * smudge filter, so that writing it does not set off ext4's forced write-backs.
 *
 * <p>JGit writes a checked-out file into a temporary file it opens with {@code O_TRUNC}, then
 * renames that over the old file. ext4 ("auto_da_alloc", on by default) takes both as signs of an
 * application replacing a file without {@code fsync}: it starts writing back every dirty page of the
 * new file when the truncating descriptor is closed, and again when it is renamed over an existing
 * file, and the caller waits while a gigabyte is queued. Measured on this project's machines for a
 * 1 GiB model: 0.2-0.3 s at the close and 0.4-1.1 s at the rename, on top of a 0.2 s copy. Git
 * itself never truncates (it unlinks the old file and creates the new one), so git-annex and
 * git-lfs checkouts do not pay this. Two steps spare it, neither changing what ends up on disk:
 *
 * <ul>
 *   <li>{@link #settle}: before any byte is written, a second descriptor on the file is opened and
 *       closed; ext4 clears the truncation mark at that close, when there is nothing to write back.
 *   <li>{@link #releaseReplaced}: once the new version is complete, the file it replaces is removed
 *       (its chunks were copied from it), so the rename has no file to replace.
 * </ul>
 *
 * <p>A file that differs from its new version in a few ranges only skips both: it is rewritten in
 * those ranges and handed to the checkout in place of its temporary file ({@link #mayRewriteInPlace},
 * {@link #takeOver}), so nothing is truncated and nothing replaced.
 *
 * <p>Finding the file needs the stream's descriptor number, a private field of
 * {@link FileDescriptor} (the command line's jar opens {@code java.io} for it in its manifest) and
 * {@code /proc/self/fd}; elsewhere {@link #of} answers null and the checkout runs as before.
 */
public final class CheckoutFile {
    /**
     * Files smaller than this are written as JGit writes them: their forced write-back is short, and
     * finding the file costs a few system calls per file of a checkout of thousands.
     */
    public static final long WORTH_IT = 8L << 20;

    private static final Field FD = descriptorField();
    private static final Path PROC_FD = Path.of("/proc/self/fd");

    private CheckoutFile() {
    }

    private static Field descriptorField() {
        try {
            Field f = FileDescriptor.class.getDeclaredField("fd");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) { // java.io not opened to us, or another JDK
            return null;
        }
    }

    /**
     * The path of the empty regular file {@code out} writes to, or null when it cannot be told
     * (not Linux, {@code java.io} not opened, a descriptor without a path, a file not empty).
     */
    static Path of(FileOutputStream out) {
        if (FD == null) {
            return null;
        }
        try {
            int fd = FD.getInt(out.getFD());
            if (fd < 0) {
                return null;
            }
            Path link = PROC_FD.resolve(Integer.toString(fd));
            if (!Files.isSymbolicLink(link)) {
                return null;
            }
            Path file = Files.readSymbolicLink(link);
            if (!file.isAbsolute() || file.getFileName().toString().endsWith(" (deleted)")
                    || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != 0
                    || !Files.isSameFile(file, link)) {
                return null;
            }
            return file;
        } catch (IOException | IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Opens and closes a second descriptor on {@code file} before anything is written to it, which
     * ends ext4's forced write-back at the close of the descriptor that truncated it. Harmless
     * elsewhere; a failure only means the close may be slower.
     */
    static void settle(Path file) {
        try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // opened and closed: nothing else to do
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(CheckoutFile.class).debug("not settling {}: {}", file, e.getMessage());
        }
    }

    /**
     * Removes {@code replaced}, the work-tree file whose version {@code written} (the checkout's
     * temporary file beside it, {@code ._NAME<digits>.tmp}) now holds in full, when it is still the
     * file that was offered; the checkout's rename then creates the name instead of replacing a
     * file. The caller keeps {@code replaced} open until this returns, so the blocks are freed at its
     * close, as git frees them when it unlinks the old file. Returns whether it was removed.
     */
    static boolean releaseReplaced(Path written, RepoContent.PreviousFile replaced) {
        try {
            if (!isTemporaryFileFor(written, replaced.file()) || !replaced.unchanged()) {
                return false;
            }
            Files.delete(replaced.file());
            return true;
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(CheckoutFile.class).debug("keeping {}: {}", replaced.file(), e.getMessage());
            return false;
        }
    }

    /** Whether {@code written} is the checkout's temporary file for {@code file}: {@code ._NAME<digits>.tmp} beside it. */
    private static boolean isTemporaryFileFor(Path written, Path file) throws IOException {
        Path dir = file.getParent();
        String tmp = written.getFileName().toString();
        String prefix = "._" + file.getFileName();
        return dir != null && tmp.startsWith(prefix) && tmp.endsWith(".tmp") && tmp.length() > prefix.length() + 4
                && tmp.substring(prefix.length(), tmp.length() - 4).chars().allMatch(c -> c >= '0' && c <= '9')
                && Files.isSameFile(dir, written.getParent());
    }

    /**
     * Whether the offered file may be rewritten in place to become the version the checkout is
     * writing into {@code written}: the checkout writes that very path (its temporary file is the
     * one beside it), the file has no other hard link, whose content would change with it, and no
     * other process has it open or mapped ({@link OpenElsewhere}), which would see its bytes change.
     * The caller still checks, once it has the file open, that it is as offered.
     */
    static boolean mayRewriteInPlace(Path written, RepoContent.PreviousFile offer) {
        if (offer == null || FD == null) {
            return false;
        }
        try {
            return isTemporaryFileFor(written, offer.file())
                    && ((Number) Files.getAttribute(offer.file(), "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() == 1
                    && !OpenElsewhere.test(offer.file());
        } catch (IOException | RuntimeException e) { // no unix view, or the file is gone
            return false;
        }
    }

    /**
     * Puts {@code file}, rewritten in place into the version the checkout is writing, where the
     * checkout will rename its temporary file {@code written} from: the temporary file (open in
     * the checkout, which closes it unread) is removed first, so the rename replaces nothing and
     * ext4 forces no write-back. The checkout's own rename then puts the file back under its name;
     * in between, for a moment, the name is missing (docs/reliability.md, promise 4). Refuses when
     * the name no longer leads to the rewritten file (another program replaced it meanwhile), whose
     * bytes the checkout would otherwise record as the new version.
     */
    static void takeOver(Path written, RepoContent.PreviousFile rewritten) throws IOException {
        Path file = rewritten.file();
        Object now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (!Objects.equals(now, rewritten.fileKey())) {
            throw new IOException(file + " was replaced by another program during the checkout; check it and run the switch again");
        }
        Files.delete(written);
        Files.move(file, written, StandardCopyOption.ATOMIC_MOVE);
    }
}
