package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.store.backend.LocalBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store remote's lock objects (restic's protocol): shared holders coexist, an exclusive one is
 * alone, a push waits for a gc while a gc backs off for a push, stale locks (old by the store's
 * clock, or of a dead process on this host) neither block nor linger, and a holder that could not
 * refresh its lock in time is told it lost it.
 */
class RemoteLockTest {
    /** Short durations so that expiry happens within a test (yet a loaded machine refreshes in time). */
    private static final RemoteLock.Timing FAST = new RemoteLock.Timing(Duration.ofMillis(200), Duration.ofMillis(2000),
            Duration.ofMillis(10), Duration.ofMillis(50));

    @TempDir
    Path root;
    LocalBackend backend;

    @BeforeEach
    void store() throws IOException {
        backend = new LocalBackend(root);
    }

    private long lockObjects() throws IOException {
        return backend.list(RemoteLock.PREFIX).size();
    }

    @Test
    void anExclusiveLockIsAloneAndTheRefusalNamesItsHolder() throws IOException {
        try (RemoteLock gc = RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO)) {
            assertThat(lockObjects()).isEqualTo(1);
            assertThatThrownBy(() -> RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO))
                    .isInstanceOf(LockBusyException.class)
                    .hasMessageContaining("gc --remote (process " + ProcessHandle.current().pid());
            assertThatThrownBy(() -> RemoteLock.acquire(backend, RemoteLock.Kind.SHARED, "push", Duration.ZERO))
                    .isInstanceOf(LockBusyException.class).hasMessageContaining("a push waits while gc --remote runs");
            assertThat(lockObjects()).as("the refused ones removed their lock objects").isEqualTo(1);
            gc.check();
        }
        assertThat(lockObjects()).isZero();
    }

    @Test
    void sharedLocksCoexistAndKeepGcOut() throws IOException {
        try (RemoteLock one = RemoteLock.acquire(backend, RemoteLock.Kind.SHARED, "push", Duration.ZERO);
             RemoteLock two = RemoteLock.acquire(backend, RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            assertThatThrownBy(() -> RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote",
                    Duration.ofMillis(200))).isInstanceOf(LockBusyException.class).hasMessageContaining("push (process");
            assertThat(lockObjects()).isEqualTo(2);
        }
        try (RemoteLock gc = RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO)) {
            assertThat(gc.staleLocks()).isEmpty();
        }
    }

    @Test
    void aPushWaitsForARunningGcAndProceedsWhenItIsDone() throws Exception {
        RemoteLock gc = RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO);
        CompletableFuture<RemoteLock> push = CompletableFuture.supplyAsync(() -> {
            try {
                return RemoteLock.acquire(backend, RemoteLock.Kind.SHARED, "push", Duration.ofSeconds(30));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(push).as("waiting while gc runs").isNotDone();
        assertThat(lockObjects()).as("the waiting push keeps its own lock object").isEqualTo(2);
        gc.close();
        try (RemoteLock held = push.get(30, TimeUnit.SECONDS)) {
            held.check();
            assertThatThrownBy(() -> RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO))
                    .isInstanceOf(LockBusyException.class);
        }
    }

    @Test
    void staleLocksNeitherBlockNorGoUnreported() throws Exception {
        // A gc on another machine that died 31 minutes ago (by the store's clock), and a push of
        // this machine whose process is gone.
        LockRecord self = LockRecord.ofThisProcess("exclusive", "gc --remote");
        writeLock("locks/exclusive-00000000000000000000000000000001.json",
                new LockRecord("exclusive", "gc --remote", "elsewhere", 42, null, Instant.now()), Duration.ofMinutes(31));
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        writeLock("locks/shared-00000000000000000000000000000002.json",
                new LockRecord("shared", "push", self.host(), finished.pid(), null, Instant.now()), Duration.ZERO);
        try (RemoteLock gc = RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO)) {
            assertThat(gc.staleLocks()).containsExactlyInAnyOrder("locks/exclusive-00000000000000000000000000000001.json",
                    "locks/shared-00000000000000000000000000000002.json");
        }
        // A lock of another machine written a minute ago is live, and so is an object this version
        // cannot read: both block, a push too (an unknown lock counts as exclusive).
        backend.delete("locks/exclusive-00000000000000000000000000000001.json");
        backend.delete("locks/shared-00000000000000000000000000000002.json");
        writeLock("locks/shared-00000000000000000000000000000003.json",
                new LockRecord("shared", "push", "elsewhere", 42, null, Instant.now()), Duration.ofMinutes(1));
        assertThatThrownBy(() -> RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO))
                .isInstanceOf(LockBusyException.class).hasMessageContaining("push (process 42 on elsewhere");
        backend.delete("locks/shared-00000000000000000000000000000003.json");
        backend.write("locks/from-a-later-version.json", "{\"version\": 2}".getBytes());
        assertThatThrownBy(() -> RemoteLock.acquire(backend, RemoteLock.Kind.SHARED, "push", Duration.ZERO))
                .isInstanceOf(LockBusyException.class);
    }

    @Test
    void aHolderThatKeepsRefreshingStaysLive() throws Exception {
        try (RemoteLock gc = RemoteLock.acquire(backend, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO, FAST)) {
            Thread.sleep(3000); // well past the stale time: refreshed all along
            gc.check();
            assertThatThrownBy(() -> RemoteLock.acquire(backend, RemoteLock.Kind.SHARED, "push", Duration.ZERO, FAST))
                    .isInstanceOf(LockBusyException.class);
        }
    }

    @Test
    void aHolderThatCannotRefreshInTimeIsToldItLostTheLock() throws Exception {
        AtomicBoolean cutOff = new AtomicBoolean();
        Backend flaky = new ForwardingBackend(backend) {
            @Override
            public void write(String key, byte[] data) throws IOException {
                if (cutOff.get()) {
                    throw new BackendUnreachableException("write '" + key + "' failed: connection reset (injected)");
                }
                super.write(key, data);
            }
        };
        try (RemoteLock gc = RemoteLock.acquire(flaky, RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO, FAST)) {
            cutOff.set(true);
            Thread.sleep(2500); // past valid (stale - refresh = 1.8 s) without a successful refresh
            assertThatThrownBy(gc::check).isInstanceOf(LockLostException.class)
                    .hasMessageContaining("not refreshed");
            // Others now take it for stale (by the store's clock) and go ahead.
            try (RemoteLock push = RemoteLock.acquire(backend, RemoteLock.Kind.SHARED, "push", Duration.ZERO, FAST)) {
                push.check();
            }
        }
    }

    @Test
    void aLockRemovedAsStaleIsLostEvenIfItsHolderComesBack() throws Exception {
        try (RemoteLock push = RemoteLock.acquire(backend, RemoteLock.Kind.SHARED, "push", Duration.ZERO, FAST)) {
            String key = backend.list(RemoteLock.PREFIX).get(0);
            backend.delete(key); // what a gc does with a lock it found stale
            Thread.sleep(700);
            assertThatThrownBy(push::check).isInstanceOf(LockLostException.class).hasMessageContaining("removed");
            assertThat(lockObjects()).as("not written again").isZero();
        }
    }

    private void writeLock(String key, LockRecord record, Duration age) throws IOException {
        backend.write(key, record.encode());
        Files.setLastModifiedTime(root.resolve(key), FileTime.from(Instant.now().minus(age)));
    }
}
