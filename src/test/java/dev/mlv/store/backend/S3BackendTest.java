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
                    .hasMessageNotContaining(S3ProxyFixture.ACCESS_KEY);
            assertThatThrownBy(() -> b.exists("config.json")).isInstanceOf(BackendUnreachableException.class);
            assertThat(b.toString()).doesNotContain("wrong-secret-value").contains("s3://" + server.bucket() + "/creds");
        } finally {
            System.setProperty("aws.secretAccessKey", good);
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
            assertThat(b.exists("config.json")).isFalse();
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
