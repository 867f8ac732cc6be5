package dev.mlv.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The store's writer/gc lock on one file: writers hold it shared, gc exclusive, so gc never
 * decides what is garbage while a writer has stored content it has not yet referenced.
 *
 * <p>Across processes it is an OS file lock ({@link FileChannel#tryLock}), which the OS releases
 * when a process dies, so a crash never leaves it held. Such locks belong to the whole JVM (a
 * second lock on the same file in one JVM throws {@link OverlappingFileLockException}), so within
 * a JVM a fair semaphore per file (many permits shared, all of them exclusive) orders holders, and
 * one OS lock is held while any in-JVM holder has it. That table is process-wide by nature, hence
 * static. The file's text records the latest holder (pid, host, mode, since), for messages only:
 * when the lock is busy and the recorded pid is a dead process on this host, or the record is
 * older than {@link #STALE_AFTER}, the message says it looks stale and how to clear it.
 */
public final class StoreLock implements AutoCloseable {
    /** Shared for writers, exclusive for gc. */
    public enum Mode { SHARED, EXCLUSIVE }

    /** A holder record older than this is reported as possibly stale. */
    public static final Duration STALE_AFTER = Duration.ofHours(24);
    private static final int PERMITS = Integer.MAX_VALUE;
    private static final int RECORD_SIZE = 160;
    private static final ConcurrentHashMap<Path, Entry> TABLE = new ConcurrentHashMap<>();

    /** One lock file's in-JVM state. */
    private static final class Entry {
        final Semaphore permits = new Semaphore(PERMITS, true);
        int sharedHolders;
        FileChannel channel;
        FileLock osLock;
    }

    private final Path file;
    private final Entry entry;
    private final Mode mode;
    private boolean released;

    private StoreLock(Path file, Entry entry, Mode mode) {
        this.file = file;
        this.entry = entry;
        this.mode = mode;
    }

    /**
     * Takes the lock, waiting up to {@code wait}. {@code purpose} (e.g. {@code gc}) is recorded
     * for other processes' messages.
     *
     * @throws LockBusyException when it is still held by others after {@code wait}
     */
    public static StoreLock acquire(Path file, Mode mode, Duration wait, String purpose) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path key = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
        Entry entry = TABLE.computeIfAbsent(key, k -> new Entry());
        long deadline = System.nanoTime() + wait.toNanos();
        int permits = mode == Mode.SHARED ? 1 : PERMITS;
        try {
            if (!entry.permits.tryAcquire(permits, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw busy(key, mode, "another " + (mode == Mode.SHARED ? "gc" : "writer") + " in this process", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for " + key);
        }
        boolean ok = false;
        try {
            synchronized (entry) {
                if (mode == Mode.EXCLUSIVE || entry.sharedHolders == 0) {
                    entry.channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    entry.osLock = poll(entry.channel, mode == Mode.SHARED, deadline);
                    if (entry.osLock == null) {
                        String holder = describeHolder(entry.channel);
                        entry.channel.close();
                        entry.channel = null;
                        throw busy(key, mode, holder, wait);
                    }
                    record(entry.channel, mode, purpose);
                }
                if (mode == Mode.SHARED) {
                    entry.sharedHolders++;
                }
            }
            ok = true;
            return new StoreLock(key, entry, mode);
        } finally {
            if (!ok) {
                entry.permits.release(permits);
            }
        }
    }

    private static FileLock poll(FileChannel channel, boolean shared, long deadline) throws IOException {
        long sleep = 10;
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            } catch (OverlappingFileLockException e) {
                lock = null; // cannot happen while the semaphore orders this JVM's holders
            }
            if (lock != null || System.nanoTime() >= deadline) {
                return lock;
            }
            try {
                Thread.sleep(Math.min(sleep, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for a lock");
            }
            sleep = Math.min(sleep * 2, 200);
        }
    }

    private static void record(FileChannel channel, Mode mode, String purpose) throws IOException {
        String text = "pid=" + ProcessHandle.current().pid() + " host=" + host() + " mode=" + mode.name().toLowerCase()
                + " since=" + Instant.now() + " for=" + purpose.replaceAll("\\s", "_");
        byte[] line = Arrays.copyOf(text.getBytes(StandardCharsets.UTF_8), RECORD_SIZE);
        Arrays.fill(line, Math.min(text.length(), RECORD_SIZE - 1), RECORD_SIZE - 1, (byte) ' ');
        line[RECORD_SIZE - 1] = '\n';
        // Fixed-size positional write: concurrent shared holders overwrite whole records.
        channel.write(ByteBuffer.wrap(line), 0);
    }

    private static String readRecord(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(RECORD_SIZE);
            channel.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** What the lock file records about its latest holder, judged for staleness. */
    private static String describeHolder(FileChannel channel) {
        String text = readRecord(channel);
        if (text.isEmpty()) {
            return "another process (not recorded)";
        }
        String pid = field(text, "pid");
        String host = field(text, "host");
        String since = field(text, "since");
        String who = "process " + pid + " on " + host + " (" + field(text, "for") + ", " + field(text, "mode")
                + ", since " + since + ")";
        boolean dead = false;
        try {
            dead = host().equals(host) && ProcessHandle.of(Long.parseLong(pid)).isEmpty();
        } catch (NumberFormatException e) {
            // unreadable record: say what we have
        }
        boolean old = false;
        try {
            old = Instant.parse(since).isBefore(Instant.now().minus(STALE_AFTER));
        } catch (java.time.format.DateTimeParseException e) {
            // unreadable time
        }
        if (dead || old) {
            return who + "; that record looks stale (" + (dead ? "the process is not running" : "it is over 24 hours old")
                    + "), yet the OS reports the lock held: another mlv on a machine sharing this repository, or a"
                    + " network file system keeping a dead process's lock. If no mlv process runs anywhere, delete the"
                    + " lock file to clear it";
        }
        return who;
    }

    private static String field(String text, String name) {
        for (String part : text.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "?";
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static LockBusyException busy(Path file, Mode mode, String holder, Duration wait) {
        return new LockBusyException("the store lock " + file + " is held by " + holder + "; "
                + (mode == Mode.EXCLUSIVE ? "gc needs it alone" : "writers wait while gc runs")
                + " (waited " + wait.toSeconds() + " s)");
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public void close() throws IOException {
        synchronized (entry) {
            if (released) {
                return;
            }
            released = true;
            try {
                if (mode == Mode.SHARED) {
                    entry.sharedHolders--;
                }
                if (mode == Mode.EXCLUSIVE || entry.sharedHolders == 0) {
                    if (mode == Mode.EXCLUSIVE) {
                        entry.channel.truncate(0);
                    }
                    entry.osLock.release();
                    entry.channel.close();
                    entry.channel = null;
                    entry.osLock = null;
                }
            } finally {
                entry.permits.release(mode == Mode.SHARED ? 1 : PERMITS);
            }
        }
    }

    @Override
    public String toString() {
        return "StoreLock[" + file + ", " + mode + "]";
    }
}
