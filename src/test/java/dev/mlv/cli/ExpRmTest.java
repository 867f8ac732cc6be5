package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exp rm: a removed experiment's content is collectable at once; what others still need is refused. */
class ExpRmTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;

    @BeforeEach
    void init() {
        repo = root.resolve("proj");
        assertThat(new CliHarness(root).run("init", "proj").exitCode()).isZero();
        // gc compares file ages with now: the real clock
        mlv = new CliHarness(repo).clock(Clock.systemUTC());
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    /** Commits a random model on the current branch; returns its SHA-256. */
    private String commitModel(long seed) throws Exception {
        byte[] model = new byte[64 << 10];
        new Random(seed).nextBytes(model);
        Path p = repo.resolve("models/model.bin");
        Files.createDirectories(p.getParent());
        Files.write(p, model);
        Files.writeString(repo.resolve("metrics.json"), "{\"accuracy\": 0.9}");
        ok("train-commit", "-m", "model " + seed);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    }

    private String head(String rev) throws IOException {
        try (Git git = Git.open(repo.toFile())) {
            return git.getRepository().resolve(rev).name();
        }
    }

    @Test
    void aRemovedExperimentsContentIsCollectableWithoutWaitingForReflogExpiry() throws Exception {
        commitModel(1);
        ok("exp", "new", "exp-a");
        String modelA = commitModel(2);
        String tipA = head("exp-a");
        ok("switch", "main");

        // deleted the plain way, its content would stay: HEAD's reflog still names its commit
        JsonNode before = JSON.readTree(ok("gc", "--dry-run", "--grace", "0", "--json").stdout());
        assertThat(before.get("removedManifests").toString()).doesNotContain(modelA);

        JsonNode dry = JSON.readTree(ok("exp", "rm", "exp-a", "--dry-run", "--json").stdout());
        assertThat(dry.at("/removed/0/branch").asText()).isEqualTo("exp-a");
        assertThat(dry.get("commitsFreed").asInt()).isEqualTo(1);
        assertThat(dry.get("reflogEntriesDropped").asInt()).isPositive();
        assertThat(head("exp-a")).as("a dry run changes nothing").isEqualTo(tipA);

        CliHarness.Result removed = ok("exp", "rm", "exp-a");
        assertThat(removed.stdout()).contains("removed exp-a (was " + tipA.substring(0, 12) + ")");
        assertThat(repo.resolve(".git/logs/refs/heads/exp-a")).doesNotExist();
        assertThat(Files.readString(repo.resolve(".git/logs/HEAD"))).doesNotContain(tipA).isNotBlank();

        CliHarness.Result gc = ok("gc", "--dry-run", "--grace", "0");
        assertThat(gc.stdout()).contains("would remove").contains(modelA).contains("would free");
        JsonNode after = JSON.readTree(ok("gc", "--dry-run", "--grace", "0", "--json").stdout());
        assertThat(after.get("removedManifests").toString()).contains(modelA);
        // main's model stays
        ok("gc", "--grace", "0");
        ok("fsck");
        ok("cat", "main:models/model.bin");
    }

    @Test
    void refusesWhatOthersStillNeedAndSelectsByMergeAndAge() throws Exception {
        commitModel(1);
        ok("promote", "main", "prod", "--create");
        ok("exp", "new", "exp-b");
        commitModel(3);
        ok("switch", "main");
        ok("exp", "new", "done");   // no commits of its own: merged into main
        ok("switch", "main");
        ok("ab", "create", "t", "--arm", "A=prod", "--arm", "B=exp-b");

        assertThat(mlv.run("exp", "rm", "main").exitCode()).isEqualTo(ExitCodes.CONFLICT);
        CliHarness.Result prod = mlv.run("exp", "rm", "prod");
        assertThat(prod.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(prod.stderr()).contains("an environment").contains("--force");
        CliHarness.Result arm = mlv.run("exp", "rm", "done", "exp-b");
        assertThat(arm.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(arm.stderr()).contains("arm B of running A/B test t").contains("nothing was removed");
        assertThat(head("done")).as("nothing removed when one is refused").isNotNull();
        assertThat(mlv.run("exp", "rm", "nope").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(mlv.run("exp", "rm").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("exp", "rm", "done", "--merged").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("exp", "rm", "--older-than", "soon").exitCode()).isEqualTo(ExitCodes.USAGE);

        // --merged picks done (prod is merged too, but an environment is kept); exp-b is not merged
        JsonNode merged = JSON.readTree(ok("exp", "rm", "--merged", "--dry-run", "--json").stdout());
        assertThat(merged.get("removed").toString()).contains("\"done\"").doesNotContain("exp-b");
        assertThat(merged.get("kept").toString()).contains("prod").contains("an environment");
        assertThat(merged.get("commitsFreed").asInt()).isZero();

        // --older-than: nothing is 30 days old today; 40 days on, every unprotected branch is
        assertThat(JSON.readTree(ok("exp", "rm", "--older-than", "30d", "--json").stdout()).get("removed")).isEmpty();
        CliHarness later = new CliHarness(repo).clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(40)));
        CliHarness.Result old = later.run("exp", "rm", "--older-than", "30d", "--json");
        assertThat(old.exitCode()).as(old.toString()).isZero();
        JsonNode aged = JSON.readTree(old.stdout());
        assertThat(aged.get("removed").toString()).contains("\"done\"").doesNotContain("exp-b").doesNotContain("main");
        assertThat(aged.get("kept").toString()).contains("exp-b").contains("main").contains("checked out");

        // forced, a running arm goes
        ok("exp", "rm", "exp-b", "--force");
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.getRepository().exactRef("refs/heads/exp-b")).isNull();
        }
    }
}
