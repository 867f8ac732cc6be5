package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.store.backend.S3Backend;
import dev.mlv.store.backend.S3Config;
import dev.mlv.store.backend.S3ProxyFixture;
import dev.mlv.testing.LogCapture;
import dev.mlv.testing.S3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The remote halves of fsck and gc with the store remote on S3 (S3Proxy on 127.0.0.1): fsck
 * --remote with data reading, gc --remote keeping young objects and removing an unreachable
 * branch's content, fsck --repair fetching a lost local pack from the bucket, a missing
 * remote object found by fsck --remote, and incomplete multipart uploads aborted by gc --remote.
 */
@S3
class IntegrityS3Test {
    private static final String PREFIX = "team/model";

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
    void fsckGcAndRepairAgainstABucket() throws Exception {
        s3 = S3ProxyFixture.start();
        RemoteFixture f = new RemoteFixture(root);
        // gc compares object ages with "now": the real clock, as S3Proxy stamps objects with it.
        CliHarness mlv = new CliHarness(root).clock(Clock.systemUTC());
        Path a = f.repo("a", "origin", "s3://" + s3.bucket() + "/" + PREFIX, "--endpoint", s3.endpoint().toString(),
                "--region", "us-east-1", "--path-style");
        byte[] model = RemoteFixture.random(500_000, 31);
        RemoteFixture.write(a.resolve("models/model.bin"), model);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        f.ok("-C", "a", "switch", "--create", "scratch");
        RemoteFixture.write(a.resolve("models/scratch.bin"), RemoteFixture.random(300_000, 32));
        f.ok("-C", "a", "train-commit", "-m", "scratch");
        f.ok("-C", "a", "push", "origin", "scratch");
        f.ok("-C", "a", "switch", "main");

        JsonNode check = RemoteFixture.JSON.readTree(f.ok("-C", "a", "fsck", "--remote", "--read-data", "--json").stdout());
        assertThat(check.path("ok").asBoolean()).isTrue();
        assertThat(check.path("files").asLong()).as("main and scratch").isEqualTo(2);
        assertThat(check.path("chunksRead").asLong()).isGreaterThan(4);

        try (Git git = Git.open(a.toFile())) {
            git.push().setRemote("origin").setRefSpecs(new RefSpec(":refs/heads/scratch")).call();
            git.branchDelete().setBranchNames("scratch").setForce(true).call();
        }
        try (Stream<Path> s = Files.walk(a.resolve(".git/logs"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        CliHarness.Result young = mlv.run("-C", "a", "gc", "--remote", "--json");
        assertThat(young.exitCode()).as(young.toString()).isZero();
        assertThat(RemoteFixture.JSON.readTree(young.stdout()).path("removedManifests")).isEmpty();
        CliHarness.Result gc = mlv.run("-C", "a", "gc", "--remote", "--grace", "0", "--json");
        assertThat(gc.exitCode()).as(gc.toString()).isZero();
        JsonNode swept = RemoteFixture.JSON.readTree(gc.stdout());
        assertThat(swept.path("removedManifests")).hasSize(1);
        assertThat(swept.path("removedPacks")).hasSize(1);
        assertThat(swept.path("bytesFreed").asLong()).isGreaterThan(300_000);
        f.ok("-C", "a", "fsck", "--remote", "--read-data");

        // A lost local pack comes back from the bucket.
        Path localPack;
        try (Stream<Path> s = Files.walk(a.resolve(".git/mlv/store/packs"))) {
            localPack = s.filter(p -> p.toString().endsWith(".pack")).sorted().findFirst().orElseThrow();
        }
        Files.delete(localPack);
        f.ok("-C", "a", "fsck", "--repair");
        assertThat(f.ok("-C", "a", "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
        f.ok("-C", "a", "fsck", "--read-data");

        // A pack lost from the bucket is found by fsck --remote.
        try (S3Backend bucket = new S3Backend(s3.config(PREFIX, S3Config.MIN_PART_SIZE))) {
            bucket.delete(bucket.list("packs/").get(0));
        }
        CliHarness.Result damaged = f.mlv.run("-C", "a", "fsck", "--remote");
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(damaged.stdout()).contains("origin/main:models/model.bin");

        s3.stopServer(); // credentials stay set: a server that is down, retried before giving up
        try (LogCapture retries = LogCapture.of("dev.mlv.store.Retry")) {
            CliHarness.Result down = f.mlv.run("-C", "a", "fsck", "--remote");
            assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCodes.REMOTE_UNREACHABLE);
            assertThat(retries.lines()).as("retried before giving up").isNotEmpty()
                    .allSatisfy(l -> assertThat(l).startsWith("WARN ").contains("failed (attempt"));
        }
    }

    @Test
    void fsckRemoteOnAMissingBucketIsUnreachableNotDamage() throws Exception {
        s3 = S3ProxyFixture.start();
        RemoteFixture f = new RemoteFixture(root);
        Path a = f.repo("a", "origin", "s3://" + s3.bucket() + "/" + PREFIX, "--endpoint", s3.endpoint().toString(),
                "--region", "us-east-1", "--path-style");
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(200_000, 33));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        f.ok("-C", "a", "store", "remote", "set", "origin", "s3://no-such-bucket/" + PREFIX, "--endpoint",
                s3.endpoint().toString(), "--region", "us-east-1", "--path-style");

        CliHarness.Result fsck = f.mlv.run("-C", "a", "fsck", "--remote");
        assertThat(fsck.exitCode()).as(fsck.toString()).isEqualTo(ExitCodes.REMOTE_UNREACHABLE);
        assertThat(fsck.stderr()).contains("bucket 'no-such-bucket' does not exist");
        assertThat(fsck.stdout()).doesNotContain("models/model.bin");
    }

    @Test
    void incompleteMultipartUploadsOfKilledPushesAreAbortedByGcAfterTheGracePeriod() throws Exception {
        s3 = S3ProxyFixture.start();
        RemoteFixture f = new RemoteFixture(root);
        CliHarness mlv = new CliHarness(root).clock(Clock.systemUTC());
        Path a = f.repo("a", "origin", "s3://" + s3.bucket() + "/" + PREFIX, "--endpoint", s3.endpoint().toString(),
                "--region", "us-east-1", "--path-style");
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(200_000, 33));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        // A push killed while a large pack went up in parts leaves an upload no listing of objects
        // shows, whose parts the bucket keeps (and bills) until it is completed or aborted.
        String pack = PREFIX + "/packs/ab/" + "ab".repeat(32) + ".pack";
        try (S3Client raw = s3.client()) {
            for (String key : new String[] {pack, "another-store/packs/cd/" + "cd".repeat(32) + ".pack"}) {
                String id = raw.createMultipartUpload(b -> b.bucket(s3.bucket()).key(key)).uploadId();
                raw.uploadPart(b -> b.bucket(s3.bucket()).key(key).uploadId(id).partNumber(1),
                        RequestBody.fromBytes(new byte[1 << 20]));
            }
            assertThat(uploads(raw, PREFIX + "/")).containsExactly(pack);
            assertThat(f.ok("-C", "a", "fsck", "--remote").stdout()).as("fsck --remote lists it")
                    .contains("warning: packs/ab/" + "ab".repeat(32) + ".pack (incomplete upload ")
                    .contains("1048576 bytes");

            CliHarness.Result young = mlv.run("-C", "a", "gc", "--remote", "--json");
            assertThat(young.exitCode()).as(young.toString()).isZero();
            assertThat(uploads(raw, PREFIX + "/")).as("younger than the grace period: kept").containsExactly(pack);

            // gc spares writes started after it took its lock (a waiting push's lock object may be on
            // its way), and S3 reports the lock's time in whole seconds: let that second pass.
            Thread.sleep(1100);
            CliHarness.Result gc = mlv.run("-C", "a", "gc", "--remote", "--grace", "0", "--json");
            assertThat(gc.exitCode()).as(gc.toString()).isZero();
            JsonNode swept = RemoteFixture.JSON.readTree(gc.stdout());
            assertThat(swept.path("removedTemp").toString()).contains("packs/ab/" + "ab".repeat(32) + ".pack");
            assertThat(swept.path("bytesFreed").asLong()).isGreaterThanOrEqualTo(1 << 20);
            assertThat(uploads(raw, PREFIX + "/")).isEmpty();
            assertThat(uploads(raw, "another-store/")).as("another prefix is not this store's").hasSize(1);
        }
        f.ok("-C", "a", "fsck", "--remote", "--read-data");
    }

    /** The object names of the bucket's incomplete multipart uploads under {@code prefix}. */
    private List<String> uploads(S3Client raw, String prefix) {
        return raw.listMultipartUploads(b -> b.bucket(s3.bucket()).prefix(prefix)).uploads().stream()
                .map(MultipartUpload::key).toList();
    }
}
