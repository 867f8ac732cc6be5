package dev.mlv.mount;

import dev.mlv.core.MlvException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is mounted where, from {@code /proc/self/mountinfo}, and the clean-up of a FUSE mount
 * whose process died: its directory answers ENOTCONN ("Transport endpoint is not connected")
 * until it is unmounted, which the next {@code mlv mount} on that directory does.
 */
final class MountPoints {
    private static final Logger log = LoggerFactory.getLogger(MountPoints.class);
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountPoints() {
    }

    /** The file system type mounted at {@code dir} (the last mount there wins), or null. */
    static String typeAt(Path dir) throws MlvException {
        String text;
        try {
            // ISO-8859-1 keeps every byte as one char; mount points are decoded as UTF-8 below
            text = new String(Files.readAllBytes(MOUNTINFO), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new MlvException("cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
        }
        String wanted = dir.toString();
        String type = null;
        for (String line : text.split("\n")) {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
            String[] fields = line.split(" ");
            int dash = line.indexOf(" - ");
            if (fields.length >= 5 && dash >= 0 && unescape(fields[4]).equals(wanted)) {
                type = line.substring(dash + 3).split(" ")[0];
            }
        }
        return type;
    }

    /**
     * A mount point as mountinfo writes it: the path's bytes (one char each), with space, tab,
     * newline and backslash as a backslash and three octal digits.
     */
    static String unescape(String field) {
        byte[] bytes = new byte[field.length()];
        int n = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                bytes[n++] = (byte) Integer.parseInt(field.substring(i + 1, i + 4), 8);
                i += 3;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes {@code dir} ready to mount on: an existing, empty directory that nothing is mounted
     * on. A FUSE mount left by a process that died is unmounted first ({@code fusermount -u -z},
     * else {@code umount -l}); a live mount, or any other file system mounted there, is refused.
     *
     * @return whether a stale mount was cleaned up
     */
    static boolean prepare(Path dir) throws MlvException {
        String type = typeAt(dir);
        boolean cleaned = false;
        if (type != null) {
            if (!type.startsWith("fuse")) {
                throw MlvException.usage(dir + " already has a " + type + " file system mounted on it; mount on an empty directory");
            }
            if (!isStale(dir)) {
                throw MlvException.usage(dir + " is already mounted (" + type + "); unmount it first with 'fusermount -u " + dir + "'");
            }
            unmount(dir);
            if (typeAt(dir) != null) {
                throw new MlvException("cannot clean up the stale mount at " + dir + "; run 'umount -l " + dir + "' as root");
            }
            cleaned = true;
        }
        if (!Files.isDirectory(dir)) {
            throw MlvException.notFound("mount point " + dir + " is not a directory; create it with 'mkdir -p " + dir + "'");
        }
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw MlvException.usage("mount point " + dir + " is not empty; mount on an empty directory");
            }
        } catch (IOException e) {
            throw new MlvException("cannot read the mount point " + dir + ": " + e.getMessage(), e);
        }
        return cleaned;
    }

    /** A FUSE mount whose process is gone answers every call with ENOTCONN. */
    private static boolean isStale(Path dir) throws MlvException {
        try {
            Files.readAttributes(dir, BasicFileAttributes.class);
            return false;
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? "" : e.getReason();
            if (reason.contains("not connected")) {
                return true;
            }
            throw new MlvException("cannot read the mount point " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MlvException("cannot read the mount point " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Unmounts lazily, as the mount's owner ({@code fusermount}) or as root ({@code umount}). */
    static void unmount(Path dir) {
        if (run("fusermount", "-u", "-z", dir.toString()) || run("fusermount3", "-u", "-z", dir.toString())) {
            return;
        }
        run("umount", "-l", dir.toString());
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            log.debug("{}: {}", command[0], e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
