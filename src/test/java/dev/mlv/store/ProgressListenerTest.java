package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.backend.LocalBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener receives increments: what a put or a transfer reports adds up to exactly the bytes
 * it processed, however many calls and threads it took. (A listener once got running totals from
 * the store and increments elsewhere; summing totals drew a put at many times its size.)
 */
class ProgressListenerTest {
    @TempDir
    Path dir;

    /** Sums what it is told, from any thread, and counts the calls. */
    private static final class Sum implements ProgressListener {
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void bytesDone(long n) {
            assertThat(n).isPositive();
            bytes.addAndGet(n);
            calls.incrementAndGet();
        }
    }

    @Test
    void aPutReportsIncrementsThatAddUpToTheContentSize() throws IOException {
        byte[] data = random(51, 3 * 1024 * 1024 + 17);
        Sum sum = new Sum();
        try (ChunkStore store = ChunkStore.init(dir, StoreOptions.defaults().withBuffers(256 * 1024, 3))) {
            store.put(new ByteArrayInputStream(data), sum);
        }
        assertThat(sum.calls.get()).isGreaterThan(2);
        assertThat(sum.bytes.get()).isEqualTo(data.length);
    }

    @Test
    void parallelTransfersReportIncrementsThatAddUpToTheBytesMoved() throws IOException {
        Path remoteDir = dir.resolve("remote");
        Oid a;
        Oid b;
        Sum up = new Sum();
        Sum down = new Sum();
        TransferResult sent;
        TransferResult received;
        try (ChunkStore local = ChunkStore.init(dir.resolve("local"));
             RemoteStore remote = RemoteStore.open(new LocalBackend(remoteDir), dir.resolve("cache"),
                     StoreOptions.defaults(), 0, 1)) {
            a = local.put(new ByteArrayInputStream(random(52, 2_000_000))).pointer().oid();
            b = local.put(new ByteArrayInputStream(random(53, 1_500_000))).pointer().oid();
            sent = new StoreTransfer(local, remote).setJobs(4).setListener(up).upload(List.of(a, b), false);
        }
        try (ChunkStore other = ChunkStore.init(dir.resolve("other"));
             RemoteStore remote = RemoteStore.open(new LocalBackend(remoteDir), dir.resolve("cache2"),
                     StoreOptions.defaults(), 0, 1)) {
            received = new StoreTransfer(other, remote).setJobs(4).setListener(down).download(List.of(a, b));
        }
        assertThat(sent.bytes()).isGreaterThan(3_500_000);
        assertThat(up.bytes.get()).isEqualTo(sent.bytes());
        assertThat(received.bytes()).isGreaterThan(3_500_000);
        assertThat(down.bytes.get()).isEqualTo(received.bytes());
    }
}
