package dev.mlv.store;

import dev.mlv.store.backend.S3Backend;
import dev.mlv.store.backend.S3Config;
import dev.mlv.store.backend.S3ProxyFixture;
import dev.mlv.testing.S3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** {@link RemoteMultiPackIndexTest}'s scenario on S3 (S3Proxy in this JVM): gc writes it, push reads it. */
@S3
class RemoteMultiPackIndexS3Test {
    private static S3ProxyFixture server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyFixture.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @TempDir
    Path tmp;

    @Test
    void onS3() throws Exception {
        S3Config config = server.config("stores/midx", S3Config.MIN_PART_SIZE);
        RemoteMultiPackIndexTest scenario = new RemoteMultiPackIndexTest();
        scenario.tmp = tmp;
        scenario.aLocalStoreWithThreeFiles();
        scenario.check(() -> new S3Backend(config));
    }
}
