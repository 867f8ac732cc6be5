package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.store.backend.LocalBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer that ignores the store remote's lock (an mlv from before it existed) can push while gc
 * runs; then the grace period is the protection, so gc must cope with such a push landing midway.
 * These tests inject that push at the two moments that matter: after gc's first listing of
 * the manifests (a new manifest reusing old, unreachable chunks) and right before gc deletes an
 * unreachable manifest (a push reusing the whole file rewrites it). In both, nothing the pushed
 * file needs is deleted.
 */
class RemoteGcRaceTest {
    private static final Duration GRACE = Duration.ofHours(24);

    @TempDir
    Path tmp;
    Path storeDir;
    byte[] old;
    Oid oldOid;
    Oid liveOid;

    @BeforeEach
    void anOldStoreWithOneUnreachableFile() throws IOException {
        storeDir = tmp.resolve("remote");
        old = random(1, 600_000);
        try (ChunkStore store = ChunkStore.init(storeDir)) {
            oldOid = store.put(new ByteArrayInputStream(old)).pointer().oid();
            liveOid = store.put(new ByteArrayInputStream(random(2, 300_000))).pointer().oid();
        }
        FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofHours(48)));
        try (Stream<Path> s = Files.walk(storeDir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, twoDaysAgo);
            }
        }
    }

    private GcReport gc(Backend backend) throws IOException {
        try (RemoteStore remote = RemoteStore.open(backend, tmp.resolve("cache"), StoreOptions.defaults(), 0, 1);
             RemoteLock lock = remote.lock(RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO)) {
            return remote.gc(Set.of(liveOid), Instant.now().minus(GRACE), 0.05, false, lock);
        }
    }

    @Test
    void withoutAConcurrentPushTheUnreachableFileGoes() throws IOException {
        GcReport r = gc(new LocalBackend(storeDir));
        assertThat(r.removedManifests()).containsExactly(StoreLayout.manifestKey(oldOid));
        try (ChunkStore store = ChunkStore.open(storeDir)) {
            assertThat(store.has(oldOid)).isFalse();
            assertThat(store.verify(liveOid).problems()).isEmpty();
        }
    }

    @Test
    void theLockOfAKilledPushIsRemoved() throws Exception {
        // A push on this machine whose process is gone left its lock object behind.
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        LockRecord self = LockRecord.ofThisProcess("shared", "push");
        String key = RemoteLock.PREFIX + "shared-0123456789abcdef0123456789abcdef.json";
        try (LocalBackend store = new LocalBackend(storeDir)) {
            store.write(key, new LockRecord("shared", "push", self.host(), finished.pid(), null, Instant.now()).encode());
        }
        GcReport r = gc(new LocalBackend(storeDir));
        assertThat(r.removedTemp()).anyMatch(t -> t.startsWith(key) && t.contains("stale lock"));
        assertThat(Files.exists(storeDir.resolve(key))).isFalse();
        assertThat(r.removedManifests()).as("the dead push held nothing back").containsExactly(
                StoreLayout.manifestKey(oldOid));
    }

    @Test
    void aManifestPushedAfterTheFirstListingKeepsTheOldChunksItReuses() throws IOException {
        byte[] grown = new byte[old.length + 200_000];
        System.arraycopy(old, 0, grown, 0, old.length);
        System.arraycopy(random(3, 200_000), 0, grown, old.length, 200_000);
        Oid[] pushed = new Oid[1];
        AtomicInteger listings = new AtomicInteger();
        Backend racing = new ForwardingBackend(new LocalBackend(storeDir)) {
            @Override
            public List<ObjectInfo> listInfo(String prefix) throws IOException {
                List<ObjectInfo> listed = super.listInfo(prefix);
                if (prefix.equals(StoreLayout.MANIFESTS) && listings.incrementAndGet() == 1) {
                    // Another clone pushes a file sharing most chunks with the unreachable one.
                    try (ChunkStore other = ChunkStore.open(storeDir)) {
                        PutResult put = other.put(new ByteArrayInputStream(grown));
                        assertThat(put.reusedBytes()).as("the push dedupes against the old pack").isPositive();
                        pushed[0] = put.pointer().oid();
                    }
                }
                return listed;
            }
        };
        GcReport r = gc(racing);
        assertThat(r.removedManifests()).containsExactly(StoreLayout.manifestKey(oldOid));
        assertThat(r.removedPacks()).isEmpty();
        try (ChunkStore store = ChunkStore.open(storeDir)) {
            assertThat(store.verify(pushed[0]).problems()).isEmpty();
            assertThat(readAll(store.open(pushed[0]))).isEqualTo(grown);
        }
    }

    @Test
    void aManifestRewrittenJustBeforeItsDeletionIsKeptWithItsChunks() throws IOException {
        String key = StoreLayout.manifestKey(oldOid);
        Backend racing = new ForwardingBackend(new LocalBackend(storeDir)) {
            @Override
            public ObjectInfo stat(String k) throws IOException {
                if (k.equals(key)) {
                    // A push that needs the whole old file rewrites its manifest: it is young again.
                    write(k, readAll(k));
                }
                return super.stat(k);
            }
        };
        GcReport r = gc(racing);
        assertThat(r.removedManifests()).isEmpty();
        assertThat(r.removedPacks()).isEmpty();
        try (ChunkStore store = ChunkStore.open(storeDir)) {
            assertThat(readAll(store.open(oldOid))).isEqualTo(old);
        }
    }
}
