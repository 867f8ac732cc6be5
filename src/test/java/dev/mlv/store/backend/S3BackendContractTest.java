package dev.mlv.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.testing.S3;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link BackendContractTest} on the S3 backend against S3Proxy, a real S3-protocol server run in
 * this JVM. Each test uses its own key prefix in one bucket, so prefixes are exercised too.
 */
@S3
class S3BackendContractTest extends BackendContractTest {
    private static S3ProxyFixture server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyFixture.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected Backend openBackend(String name) {
        return new S3Backend(server.config("stores/" + name, PART_SIZE));
    }

    /** A multipart upload with one part uploaded, never completed. */
    @Override
    protected void leaveIncompleteWrite(String name, String key, byte[] data) {
        String object = "stores/" + name + "/" + key;
        try (S3Client raw = server.client()) {
            String id = raw.createMultipartUpload(b -> b.bucket(server.bucket()).key(object)).uploadId();
            raw.uploadPart(b -> b.bucket(server.bucket()).key(object).uploadId(id).partNumber(1),
                    RequestBody.fromBytes(data));
        }
    }

    /** A multipart object's ETag is "<hash>-<number of parts>"; a single PUT's has no suffix. */
    @Override
    protected void assertStoredInParts(String name, String key, int parts) throws IOException {
        try (S3Client raw = server.client()) {
            String etag = raw.headObject(b -> b.bucket(server.bucket()).key("stores/" + name + "/" + key)).eTag();
            assertThat(etag.replace("\"", "")).endsWith("-" + parts);
        }
    }
}
