package dev.mlv.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.testing.S3;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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

    /** A multipart object's ETag is "<hash>-<number of parts>"; a single PUT's has no suffix. */
    @Override
    protected void assertStoredInParts(String name, String key, int parts) throws IOException {
        try (UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.create();
             S3Client raw = S3Client.builder().httpClient(http).region(Region.US_EAST_1)
                     .endpointOverride(server.endpoint()).forcePathStyle(true)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY)))
                     .build()) {
            String etag = raw.headObject(b -> b.bucket(server.bucket()).key("stores/" + name + "/" + key)).eTag();
            assertThat(etag.replace("\"", "")).endsWith("-" + parts);
        }
    }
}
