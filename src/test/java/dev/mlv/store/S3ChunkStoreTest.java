package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.readAll;
import static dev.mlv.store.StoreTestData.sha256;
import static dev.mlv.store.StoreTestData.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.backend.S3Backend;
import dev.mlv.store.backend.S3Config;
import dev.mlv.store.backend.S3ProxyFixture;
import dev.mlv.testing.S3;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole chunk store on the S3 backend (S3Proxy in this JVM): the layout is the same as local. */
@S3
class S3ChunkStoreTest {
    private static S3ProxyFixture server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyFixture.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void storesVerifiesListsAndReadsFilesOnS3() throws Exception {
        // 1 MiB packs, so one file spans several packs (multipart uploads: BackendContractTest).
        StoreOptions options = StoreOptions.defaults().withPackSize(1 << 20);
        S3Config config = server.config("stores/chunk-store", S3Config.MIN_PART_SIZE);
        byte[] model = random(11, 3 * 1024 * 1024 + 17);
        byte[] log = text(12, 1024 * 1024);
        byte[] edited = Arrays.copyOf(model, model.length);
        edited[1_000_000] ^= 1;
        Oid modelOid;
        try (ChunkStore store = ChunkStore.init(new S3Backend(config), tmp.resolve("staging"), options)) {
            PutResult first = store.put(new ByteArrayInputStream(model));
            modelOid = first.pointer().oid();
            assertThat(modelOid).isEqualTo(sha256(model));
            assertThat(first.packsWritten()).isGreaterThan(1);
            store.put(new ByteArrayInputStream(log));
            PutResult second = store.put(new ByteArrayInputStream(edited));
            assertThat(second.reusedBytes()).as("an edit re-sends only the chunks around it")
                    .isGreaterThan(model.length - 300_000L);

            assertThat(store.list()).containsExactlyInAnyOrder(modelOid, sha256(log), sha256(edited));
            VerifyReport report = store.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.files()).isEqualTo(3);
            assertThat(report.chunks()).isGreaterThan(40);
            assertThat(store.verify(modelOid).problems()).isEmpty();
        }

        // A second client (a fresh backend on the same bucket and prefix) sees the same store.
        try (ChunkStore store = ChunkStore.open(new S3Backend(config), tmp.resolve("staging2"), options)) {
            try (InputStream in = store.open(modelOid)) {
                assertThat(readAll(in)).isEqualTo(model);
            }
            try (SeekableByteChannel ch = store.openChannel(sha256(edited))) {
                ByteBuffer buf = ByteBuffer.allocate(100);
                ch.position(999_950);
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // fill
                }
                assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(edited, 999_950, 1_000_050));
            }
            StoreStats stats = store.stats();
            assertThat(stats.files()).isEqualTo(3);
        }
    }
}
