package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlv store remote set} refuses URLs that would commit a secret or be taken for a directory. */
class StoreRemoteUrlTest {
    @TempDir
    Path root;

    @Test
    void refusedUrlsAreUsageErrorsAndLeaveTheCommittedConfigAsItWas() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        CliHarness mlv = new CliHarness(dir);
        byte[] before = Files.readAllBytes(dir.resolve(".mlv/config.json"));
        for (String url : new String[] {"ftp://host/store", "https://user:pw@host/repo.git/info/lfs",
                "https://host/repo.git/info/lfs?X-Amz-Signature=abc",
                "s3://bucket/p?X-Amz-Credential=AKIA&X-Amz-Signature=abc"}) {
            CliHarness.Result set = mlv.run("store", "remote", "set", "origin", url);
            assertThat(set.exitCode()).as(set.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(set.stderr().strip().lines().count()).as("one line: " + set.stderr()).isEqualTo(1);
            assertThat(set.stderr()).doesNotContain("X-Amz-Signature=abc").doesNotContain("pw@");
        }
        assertThat(Files.readAllBytes(dir.resolve(".mlv/config.json"))).isEqualTo(before);
        assertThat(dir.resolve("ftp:")).doesNotExist();
    }
}
