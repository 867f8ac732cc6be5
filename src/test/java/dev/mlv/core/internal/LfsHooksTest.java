package dev.mlv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When Git LFS's hooks in a repository are worth a warning (status, fsck, install). */
class LfsHooksTest {
    @TempDir
    Path gitDir;

    @Test
    void hooksAreReportedUnlessGitLfsMovesTheObjectsThroughMlvsAgent() throws Exception {
        Files.createDirectories(gitDir.resolve("hooks"));
        Files.writeString(gitDir.resolve("hooks/pre-push"), "#!/bin/sh\ngit lfs pre-push \"$@\"\n");
        Files.writeString(gitDir.resolve("config"), "[core]\n\tbare = false\n");
        assertThat(LfsHooks.warning(gitDir)).contains("pre-push", "git lfs uninstall --local");

        Files.writeString(gitDir.resolve("config"), "[core]\n\tbare = false\n[lfs]\n\tstandalonetransferagent = mlv\n");
        assertThat(LfsHooks.warning(gitDir)).as("the agent's uploads need the hook").isNull();
        assertThat(LfsHooks.missingPrePush(gitDir)).isNull();
        Files.delete(gitDir.resolve("hooks/pre-push"));
        assertThat(LfsHooks.missingPrePush(gitDir)).contains("git lfs install --local");
    }
}
