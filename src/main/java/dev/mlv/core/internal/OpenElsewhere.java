package dev.mlv.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether another process holds a file open or mapped, told from {@code /proc}: a file about to be
 * rewritten in place (rather than replaced by a new file, as Git does) must not be, or that process
 * would see its bytes change under it. A Python kernel serving a memory-mapped model (safetensors,
 * {@code numpy.memmap}) is the case this is for: after {@code git checkout} it keeps reading the old
 * version from the replaced inode, and it must keep doing so after {@code mlv switch}.
 *
 * <p>Looks at every process this user may inspect: its descriptors ({@code /proc/PID/fd}, links to
 * the file's path) and its mappings ({@code /proc/PID/maps}, lines naming the file's inode and path).
 * Other users' processes cannot be inspected and are not counted; a file in one's own work tree is
 * one's own. Without a readable {@code /proc} (not Linux) the answer is "yes", so callers fall back
 * to replacing the file.
 */
final class OpenElsewhere {
    private static final Path PROC = Path.of("/proc");

    private OpenElsewhere() {
    }

    /**
     * True when a process other than this one has {@code file} open or mapped, or when that cannot
     * be told.
     */
    static boolean test(Path file) {
        Path real;
        long inode;
        try {
            real = file.toRealPath();
            inode = ((Number) Files.getAttribute(real, "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true;
        }
        if (!Files.isDirectory(PROC.resolve("self/fd"))) {
            return true;
        }
        String self = Long.toString(ProcessHandle.current().pid());
        String target = real.toString();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, OpenElsewhere::isProcess)) {
            for (Path process : processes) {
                if (!process.getFileName().toString().equals(self)
                        && (holdsOpen(process, target) || maps(process, inode, target))) {
                    return true;
                }
            }
        } catch (IOException e) {
            return true;
        }
        return false;
    }

    private static boolean isProcess(Path entry) {
        String name = entry.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return !name.isEmpty();
    }

    private static boolean holdsOpen(Path process, String target) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or gone
        }
        return false;
    }

    /** A line of {@code maps}: address, permissions, offset, device, inode, path. */
    private static boolean maps(Path process, long inode, String target) {
        String inodeField = " " + inode + " ";
        // a decoder that replaces what is not UTF-8 (the path is Unicode; a strict one would throw)
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                Files.newInputStream(process.resolve("maps")), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.endsWith(target) && line.contains(inodeField)) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or gone
        }
        return false;
    }
}
