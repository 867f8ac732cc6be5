package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.store.backend.S3ProxyFixture;
import dev.mlv.testing.LogCapture;
import dev.mlv.testing.S3;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push, clone and pull with the store remote on S3 (S3Proxy on 127.0.0.1) and a bare Git remote on disk. */
@S3
class RemotesS3Test {
    @TempDir
    Path root;
    S3ProxyFixture s3;

    @AfterEach
    void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void pushCloneAndPullThroughS3ThenAStoppedServerStopsThePushBeforeAnyRef() throws Exception {
        s3 = S3ProxyFixture.start();
        RemoteFixture f = new RemoteFixture(root);
        String url = "s3://" + s3.bucket() + "/team/model";
        Path a = f.repo("a", "origin", url, "--endpoint", s3.endpoint().toString(), "--region", "us-east-1", "--path-style");
        String config = Files.readString(a.resolve(".mlv/config.json"));
        assertThat(config).contains(url).contains("\"pathStyle\" : true").doesNotContain(S3ProxyFixture.SECRET_KEY)
                .doesNotContain(S3ProxyFixture.ACCESS_KEY);

        byte[] v1 = RemoteFixture.random(RemoteFixture.MODEL_SIZE, 11);
        RemoteFixture.write(a.resolve("models/model.bin"), v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        JsonNode push1 = f.json("-C", "a", "push", "--json");
        assertThat(push1.path("storeRemote").asText()).isEqualTo("origin");
        assertThat(push1.path("content").path("files").asLong()).isEqualTo(1);

        f.ok("clone", f.bare.toString(), "b");
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(v1);

        byte[] v2 = RemoteFixture.changeTwoPercent(v1, 12);
        RemoteFixture.write(a.resolve("models/model.bin"), v2);
        f.ok("-C", "a", "train-commit", "-m", "v2");
        long sent = f.json("-C", "a", "push", "--json").path("content").path("bytes").asLong();
        assertThat(sent).isPositive().isLessThan(RemoteFixture.MODEL_SIZE / 20);
        long received = f.json("-C", "b", "pull", "--json").path("content").path("bytes").asLong();
        assertThat(received).isPositive().isLessThan(RemoteFixture.MODEL_SIZE / 20);
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(v2);

        String pushed = f.remoteRef("refs/heads/main");
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.changeTwoPercent(v2, 13));
        f.ok("-C", "a", "train-commit", "-m", "v3");
        s3.stopServer(); // credentials stay set: a server that is down, retried before giving up
        CliHarness.Result down;
        try (LogCapture retries = LogCapture.of("dev.mlv.store.Retry")) {
            down = f.mlv.run("-C", "a", "push");
            assertThat(retries.lines()).as("retried before giving up").isNotEmpty()
                    .allSatisfy(l -> assertThat(l).startsWith("WARN ").contains("failed (attempt"));
        }
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCodes.REMOTE_UNREACHABLE);
        assertThat(down.stderr().lines().filter(l -> l.startsWith("mlv: ")).count()).as(down.stderr()).isEqualTo(1);
        assertThat(f.remoteRef("refs/heads/main")).as("no ref moves when the content did not arrive").isEqualTo(pushed);
    }
}
