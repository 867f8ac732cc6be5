package dev.mlv.store.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.BackendUnreachableException;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.testing.S3;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What only the S3 backend does: failures of the service, the network and the credentials. */
@S3
class S3BackendTest {
    private static S3ProxyFixture server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyFixture.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void rejectedCredentialsMeanUnreachableAndAreNeverShown() throws Exception {
        String good = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.secretAccessKey", "wrong-secret-value");
        try (S3Backend b = new S3Backend(server.config("creds", S3Config.DEFAULT_PART_SIZE))) {
            assertThatThrownBy(() -> b.write("config.json", new byte[] {1}))
                    .isInstanceOf(BackendUnreachableException.class)
                    .hasMessageContaining("credentials")
                    .hasMessageNotContaining("wrong-secret-value")
                    .hasMessageNotContaining(S3ProxyFixture.ACCESS_KEY)
                    .isInstanceOfSatisfying(BackendUnreachableException.class, e -> assertThat(e.retryable()).isFalse());
            assertThatThrownBy(() -> b.exists("config.json")).isInstanceOf(BackendUnreachableException.class);
            assertThat(b.toString()).doesNotContain("wrong-secret-value").contains("s3://" + server.bucket() + "/creds");
        } finally {
            System.setProperty("aws.secretAccessKey", good);
        }
    }

    @Test
    void missingCredentialsAreOneLineAndNotRetried() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null
                && System.getenv("AWS_PROFILE") == null && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
                && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null, "credentials in the environment");
        String[] names = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sharedCredentialsFile", "aws.configFile",
                "aws.disableEc2Metadata"};
        String[] saved = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            saved[i] = System.getProperty(names[i]);
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.setProperty("aws.sharedCredentialsFile", "/nonexistent/mlv-test/credentials");
        System.setProperty("aws.configFile", "/nonexistent/mlv-test/config");
        System.setProperty("aws.disableEc2Metadata", "true"); // never ask an instance-metadata address
        try (S3Backend b = new S3Backend(server.config("nocreds", S3Config.DEFAULT_PART_SIZE))) {
            assertThatThrownBy(() -> b.exists("config.json"))
                    .isInstanceOfSatisfying(BackendUnreachableException.class, e -> {
                        assertThat(e.retryable()).as("asking again cannot help").isFalse();
                        assertThat(e.getMessage()).startsWith("no AWS credentials found for s3://")
                                .contains("AWS_ACCESS_KEY_ID").doesNotContain("\n").hasSizeLessThan(300);
                    });
        } finally {
            for (int i = 0; i < names.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(names[i]);
                } else {
                    System.setProperty(names[i], saved[i]);
                }
            }
        }
    }

    @Test
    void aBodyCutMidwayResumesFromWhereItStopped() throws Exception {
        byte[] content = new byte[3 << 20];
        new java.util.Random(5).nextBytes(content);
        try (S3Backend direct = new S3Backend(server.config("cut", S3Config.DEFAULT_PART_SIZE))) {
            direct.write("packs/ab/x.pack", content);
        }
        try (CuttingProxy proxy = new CuttingProxy(server.endpoint());
             S3Backend b = new S3Backend(new S3Config(server.bucket(), "cut", proxy.endpoint(), "us-east-1", true,
                     S3Config.DEFAULT_PART_SIZE))) {
            // three connections in a row drop after ~256 KiB of their answers (headers included)
            proxy.cutNext(3, 256 << 10);
            byte[] got = b.read("packs/ab/x.pack", 1000, content.length - 2000);
            assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(content, 1000, content.length - 1000));

            // a network that keeps cutting is unreachable (retryable), never wrong bytes or a false EOF
            proxy.cutNext(100, 64 << 10);
            assertThatThrownBy(() -> b.read("packs/ab/x.pack", 0, content.length))
                    .isInstanceOfSatisfying(BackendUnreachableException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("was cut off");
            proxy.cutNext(0, 0);
            // the object really ending early is still EOF
            assertThatThrownBy(() -> b.read("packs/ab/x.pack", content.length - 10, 20))
                    .isInstanceOf(java.io.EOFException.class).hasMessageContaining("ends before byte");
        }
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        S3Config config = new S3Config("some-bucket", "", URI.create("http://127.0.0.1:" + port), "us-east-1", true,
                S3Config.DEFAULT_PART_SIZE);
        try (S3Backend b = new S3Backend(config)) {
            assertThatThrownBy(() -> b.readAll("config.json")).isInstanceOf(BackendUnreachableException.class)
                    .hasMessageContaining("config.json").hasMessageContaining("127.0.0.1:" + port);
            assertThatThrownBy(() -> b.list("")).isInstanceOf(BackendUnreachableException.class);
        }
    }

    @Test
    void aMissingBucketIsUnreachable() throws Exception {
        S3Config config = new S3Config("no-such-bucket", "", server.endpoint(), "us-east-1", true,
                S3Config.DEFAULT_PART_SIZE);
        try (S3Backend b = new S3Backend(config)) {
            // HEAD answers a bare 404 for a missing bucket too: not "no such object"
            assertThatThrownBy(() -> b.exists("config.json")).isInstanceOfSatisfying(BackendUnreachableException.class,
                    e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist");
            assertThatThrownBy(() -> b.write("config.json", new byte[] {1})).isInstanceOf(BackendUnreachableException.class)
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist");
        }
    }

    @Test
    void configRefusesCredentialsInTheEndpointAndBadNames() {
        assertThatThrownBy(() -> S3Config.compatible(URI.create("http://key:secret@minio:9000"), "models", "", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret@");
        assertThatThrownBy(() -> S3Config.compatible(URI.create("ftp://minio"), "models", "", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3Config.aws("a/b", "", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3Config.aws("models", "/team", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3Config.aws("models", "team/", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3Config.aws("models", "", null).withPartSize(1 << 20))
                .isInstanceOf(IllegalArgumentException.class);
        S3Config ok = S3Config.aws("models", "team/store", "eu-west-1");
        assertThat(ok.objectKey("packs/ab/x.pack")).isEqualTo("team/store/packs/ab/x.pack");
        assertThat(S3Config.aws("models", null, null).objectKey("config.json")).isEqualTo("config.json");
        assertThat(ok.partSize()).isEqualTo(S3Config.DEFAULT_PART_SIZE);
    }
}
