package dev.mlv.store.backend;

import java.io.IOException;
import java.net.URI;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-protocol server (S3Proxy) in this JVM, on 127.0.0.1 and a free port, keeping objects
 * in memory (its "transient" store; the "filesystem" one was 2-3 times slower here), with one bucket. Start one per test class. {@link S3Backend} takes
 * credentials only from the SDK's default chain, so the fixture publishes its test key pair as the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties (first in that chain)
 * while it runs; test classes run one at a time in this build.
 */
public final class S3ProxyFixture implements AutoCloseable {
    public static final String ACCESS_KEY = "mlv-test-access";
    public static final String SECRET_KEY = "mlv-test-secret-not-for-production";
    private static final String KEY_PROPERTY = "aws.accessKeyId";
    private static final String SECRET_PROPERTY = "aws.secretAccessKey";

    private final BlobStore blobStore;
    private final S3Proxy proxy;
    private final URI endpoint;
    private final String bucket;

    private S3ProxyFixture(BlobStore blobStore, S3Proxy proxy, URI endpoint, String bucket) {
        this.blobStore = blobStore;
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.bucket = bucket;
    }

    public static S3ProxyFixture start() throws Exception {
        return start(null);
    }

    /**
     * As {@link #start()}, but keeping objects in files under {@code dir} (S3Proxy's "filesystem"
     * store) when it is not null: for benchmarks whose data does not fit in a heap.
     */
    public static S3ProxyFixture start(java.nio.file.Path dir) throws Exception {
        Properties properties = new Properties();
        if (dir != null) {
            properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        }
        BlobStore blobStore = BlobStores.create(dir == null ? "transient" : "filesystem", properties);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        String bucket = "mlv-test-" + UUID.randomUUID().toString().substring(0, 8);
        blobStore.createContainer(bucket);
        System.setProperty(KEY_PROPERTY, ACCESS_KEY);
        System.setProperty(SECRET_PROPERTY, SECRET_KEY);
        return new S3ProxyFixture(blobStore, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()), bucket);
    }

    public URI endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    /**
     * A plain SDK client of this server with the test key pair, for what tests do behind mlv's back
     * (a part uploaded by a push that was then killed, an object's ETag). The caller closes it.
     */
    public S3Client client() {
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
                .endpointOverride(endpoint).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** A backend on this server's bucket under {@code prefix}, with the given multipart part size. */
    public S3Config config(String prefix, long partSize) {
        return new S3Config(bucket, prefix, endpoint, "us-east-1", true, partSize);
    }

    private boolean stopped;

    @Override
    public void close() throws IOException {
        System.clearProperty(KEY_PROPERTY);
        System.clearProperty(SECRET_PROPERTY);
        stopServer();
    }

    /**
     * Stops the server but keeps the credentials set: a client then meets a server that is down
     * (retried, then unreachable), not missing credentials (reported at once).
     */
    public void stopServer() throws IOException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IOException("stopping S3Proxy: " + e.getMessage(), e);
        } finally {
            blobStore.close();
        }
    }
}
