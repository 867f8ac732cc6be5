package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.Backend.ObjectInfo;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of a store that several clones write (a store remote): lock objects under
 * {@code locks/}, restic's protocol. A push holds it shared from before it decides what the store
 * already has until its refs are on the Git host; {@code gc --remote} holds it exclusively from
 * before it marks until it has deleted. Each side writes its own lock object first and only then
 * lists the others, so of two that start together at least one sees the other: a gc that sees a
 * live lock removes its own and waits, a push that sees a live exclusive lock keeps its own and
 * waits (pushes never wait for a gc that is only trying).
 *
 * <p>Nothing releases a lock when its holder dies, so a lock expires: its holder rewrites it every
 * {@link #REFRESH_EVERY}, and one the store's clock says was last written over {@link #STALE_AFTER}
 * ago is stale, as is one whose holder is a process on this host that no longer runs. A holder
 * that could not rewrite its lock in time can no longer count on it: {@link #check} fails from then
 * on, and the holder must stop before it deletes anything (gc) or moves a ref (push). The
 * protocol and why each interleaving is safe: docs/reliability.md, "gc of a store remote".
 */
public final class RemoteLock implements Closeable {
    /** Shared for writers (push, repairs of the store remote), exclusive for gc. */
    public enum Kind {
        SHARED, EXCLUSIVE;

        String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where lock objects live in the store. */
    public static final String PREFIX = "locks/";
    /** How often a holder rewrites its lock object. */
    public static final Duration REFRESH_EVERY = Duration.ofMinutes(5);
    /** A lock object not rewritten for this long (by the store's clock) is stale. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(30);

    private static final Logger log = LoggerFactory.getLogger(RemoteLock.class);

    /** The protocol's durations; tests shorten them. */
    record Timing(Duration refresh, Duration stale, Duration firstPoll, Duration maxPoll) {
        static final Timing DEFAULT = new Timing(REFRESH_EVERY, STALE_AFTER, Duration.ofMillis(100),
                Duration.ofSeconds(2));

        /** How long after its last rewrite began a holder may still count on its lock. */
        Duration valid() {
            return stale.minus(refresh);
        }
    }

    private final Backend backend;
    private final String key;
    private final byte[] body;
    private final Timing timing;
    private final List<String> staleLocks;
    private final Instant acquiredAt;
    private final ScheduledExecutorService refresher;
    /** When the last successful write of the lock object began. */
    private Moment lastWrite;
    private String lost;
    private boolean released;

    private RemoteLock(Backend backend, String key, byte[] body, Timing timing, Moment lastWrite, Instant acquiredAt,
                       List<String> staleLocks) {
        this.backend = backend;
        this.acquiredAt = acquiredAt;
        this.key = key;
        this.body = body;
        this.timing = timing;
        this.lastWrite = lastWrite;
        this.staleLocks = List.copyOf(staleLocks);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlv-lock-refresh");
            t.setDaemon(true);
            return t;
        });
        long every = timing.refresh().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock of the store on {@code backend}, waiting up to {@code wait} while conflicting
     * live locks exist ({@code operation} names the holder in other processes' messages).
     *
     * @throws LockBusyException when a conflicting lock is still live after {@code wait}; it names its holders
     */
    public static RemoteLock acquire(Backend backend, Kind kind, String operation, Duration wait) throws IOException {
        return acquire(backend, kind, operation, wait, Timing.DEFAULT);
    }

    static RemoteLock acquire(Backend backend, Kind kind, String operation, Duration wait, Timing timing)
            throws IOException {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        String key = PREFIX + kind.keyword() + "-" + HexFormat.of().formatHex(id) + ".json";
        byte[] body = LockRecord.ofThisProcess(kind.keyword(), operation).encode();
        long deadline = System.nanoTime() + wait.toNanos();
        long poll = timing.firstPoll().toMillis();
        boolean told = false;
        boolean written = false;
        try {
            while (true) {
                Moment start = Moment.now();
                backend.write(key, body); // first our own lock, then the others': see the class comment
                written = true;
                Instant now = backend.stat(key).lastModified(); // the store's clock
                List<String> blockers = new ArrayList<>();
                List<String> stale = new ArrayList<>();
                scan(backend, key, kind, now, timing.stale(), blockers, stale);
                if (blockers.isEmpty()) {
                    return new RemoteLock(backend, key, body, timing, start, now, stale);
                }
                boolean late = System.nanoTime() >= deadline;
                if (kind == Kind.EXCLUSIVE || late) {
                    backend.delete(key);
                    written = false;
                }
                if (late) {
                    throw new LockBusyException("the store " + backend + " is locked by " + String.join(", ", blockers)
                            + " (waited " + wait.toSeconds() + " s); " + (kind == Kind.EXCLUSIVE
                            ? "gc needs it alone" : "a push waits while gc --remote runs"));
                }
                if (!told) {
                    log.warn("{} waits for the store {}: locked by {}", operation, backend, String.join(", ", blockers));
                    told = true;
                }
                long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                Thread.sleep(Math.min(remaining, poll + ThreadLocalRandom.current().nextLong(poll / 2 + 1)));
                poll = Math.min(poll * 2, timing.maxPoll().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(backend, key, written);
            throw new InterruptedIOException("interrupted waiting for the lock of " + backend);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(backend, key, written);
            throw e;
        }
    }

    /**
     * Sorts the other lock objects: a live one that conflicts with {@code kind} blocks (described
     * in {@code blockers}); a stale one (not rewritten for {@code staleAfter} by the store's clock
     * {@code now}, or held by a dead process on this host) is added to {@code stale}.
     */
    private static void scan(Backend backend, String own, Kind kind, Instant now, Duration staleAfter,
                             List<String> blockers, List<String> stale) throws IOException {
        for (ObjectInfo other : backend.listInfo(PREFIX)) {
            if (other.key().equals(own)) {
                continue;
            }
            if (other.lastModified().isBefore(now.minus(staleAfter))) {
                stale.add(other.key());
                continue;
            }
            // An object in locks/ that is not named as this version names locks counts as exclusive.
            boolean shared = other.key().startsWith(PREFIX + Kind.SHARED.keyword() + "-");
            if (kind == Kind.SHARED && shared) {
                continue;
            }
            LockRecord holder = null;
            try {
                holder = LockRecord.decode(other.key(), backend.readAll(other.key()));
            } catch (ContentNotFoundException e) {
                continue; // released since the listing
            } catch (CorruptContentException e) {
                // unreadable: it blocks until it is stale
            }
            if (holder != null && holder.holderIsGone()) {
                stale.add(other.key());
                continue;
            }
            blockers.add(holder == null ? other.key() : holder.describe());
        }
    }

    /**
     * Fails once this holder can no longer count on its lock: it was not rewritten within
     * {@link Timing#valid} (others may take it for stale), or it was removed. Call it before each
     * step that another holder's work could undo: gc before deleting, push before moving refs.
     */
    public synchronized void check() throws LockLostException {
        expireIfLate(Moment.now());
        if (lost != null) {
            throw new LockLostException("lost the lock " + key + " of the store " + backend + ": " + lost);
        }
    }

    /** Marks the lock lost once it went unrefreshed too long for others to count it live; true if lost. */
    private synchronized boolean expireIfLate(Moment now) {
        if (lost == null && now.since(lastWrite).compareTo(timing.valid()) > 0) {
            lost = "it was not refreshed for over " + timing.valid().toSeconds() + " s, so other clones may take it for"
                    + " stale";
        }
        return lost != null;
    }

    /**
     * When the lock was taken, by the store's clock. A write the store shows as started before
     * then, under an exclusive lock, belongs to no live holder; a later one may be a waiting
     * holder's lock object on its way.
     */
    public Instant acquiredAt() {
        return acquiredAt;
    }

    /** Lock objects that acquiring found stale: their holders are gone; gc removes them. */
    public List<String> staleLocks() {
        return staleLocks;
    }

    private void refresh() {
        Moment start = Moment.now();
        synchronized (this) {
            if (released || lost != null) {
                return;
            }
            if (expireIfLate(start)) {
                return;
            }
        }
        try {
            if (!backend.exists(key)) {
                synchronized (this) {
                    lost = "its lock object was removed (another process took it for stale)";
                }
                return;
            }
            backend.write(key, body);
            synchronized (this) {
                lastWrite = start;
            }
        } catch (IOException e) {
            synchronized (this) {
                if (released) {
                    return; // close() interrupted it
                }
            }
            // tried again at the next tick; check() fails if that keeps happening
            log.warn("could not refresh the lock {} of the store {}: {}", key, backend, e.getMessage());
        }
    }

    /** Stops refreshing and deletes the lock object (one that cannot be deleted expires). */
    @Override
    public void close() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        refresher.shutdownNow();
        try {
            // a refresh under way must not write the object again after it is deleted
            if (!refresher.awaitTermination(1, TimeUnit.MINUTES)) {
                log.warn("the refresh of lock {} did not stop; it expires after {}", key, timing.stale());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(backend, key, true);
    }

    private static void deleteQuietly(Backend backend, String key, boolean written) {
        if (!written) {
            return;
        }
        try {
            backend.delete(key);
        } catch (IOException e) {
            log.warn("could not remove the lock {} of the store {}: {}; it expires after {}", key, backend,
                    e.getMessage(), STALE_AFTER);
        }
    }

    /**
     * A point in time by both clocks of this machine: the monotonic one stops while the machine
     * sleeps (a suspended laptop), the wall clock may jump; the time since is the larger of the
     * two, so neither hides that others may have taken the lock for stale.
     */
    private record Moment(long nanos, long wallMillis) {
        static Moment now() {
            return new Moment(System.nanoTime(), System.currentTimeMillis());
        }

        Duration since(Moment earlier) {
            return Duration.ofNanos(Math.max(nanos - earlier.nanos, (wallMillis - earlier.wallMillis) * 1_000_000));
        }
    }

    @Override
    public String toString() {
        return "RemoteLock[" + key + " on " + backend + "]";
    }
}
