package dev.mlv.cli;

import static dev.mlv.cli.DataWorkflowTest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.testing.GitCli;
import dev.mlv.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data pins that hold: the data submodule follows every switch (to the branch's pin, or away on a
 * branch without data), {@code data pull} checks the pin out rather than the newest data, and
 * {@code status} is clean exactly when {@code git status --porcelain}, run as a real git, says so.
 * Plain git filters large files through {@code dev.mlv.cli.Main filter-process} on this test's
 * class path (as in {@link GitInteropTest}).
 */
@Timeout(300)
@Slow
class DataPinsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILTER = GitCli.javaCommand("dev.mlv.cli.Main", "filter-process");
    private static final String ROWS_3 = "id,value\n1,10\n2,20\n3,30\n";
    private static final String ROWS_5 = ROWS_3 + "4,40\n5,50\n";
    private static final String ROWS_7 = ROWS_5 + "6,60\n7,70\n";

    @TempDir
    Path root;
    Path data;
    Path proj;
    CliHarness mlv;
    CliHarness inData;
    GitCli git;
    String s1;
    String s2;
    String s3;

    /**
     * datasets: three snapshots (3, 5, 7 rows). proj: {@code nodata} pins no data, {@code main}
     * pins the first snapshot, {@code prod} the second; the third is newer than any pin.
     */
    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(GitCli.available(), "git is not on PATH");
        git = new GitCli(Files.createDirectories(root.resolve("home")), root.resolve("scratch"));
        CliHarness atRoot = new CliHarness(root);
        ok(atRoot, "init", "datasets");
        ok(atRoot, "init", "proj");
        data = root.resolve("datasets");
        proj = root.resolve("proj");
        inData = new CliHarness(data);
        mlv = new CliHarness(proj);
        git.run(proj, "config", "filter.mlv.process", FILTER).assertOk();
        ok(inData, "track", "*.csv");
        s1 = snapshot(ROWS_3);

        ok(mlv, "switch", "--create", "nodata");
        ok(mlv, "switch", "main");
        ok(mlv, "data", "add", "../datasets");
        ok(mlv, "train-commit", "-m", "main on snapshot 1");
        s2 = snapshot(ROWS_5);
        ok(mlv, "switch", "--create", "prod");
        ok(mlv, "data", "pull", "--rev", s2);
        ok(mlv, "train-commit", "-m", "prod on snapshot 2");
        s3 = snapshot(ROWS_7);
    }

    private String snapshot(String rows) throws Exception {
        Files.writeString(data.resolve("data.csv"), rows);
        ok(inData, "train-commit", "-m", "snapshot");
        return head(data);
    }

    private static String head(Path repo) throws Exception {
        try (Git g = Git.open(repo.toFile())) {
            var id = g.getRepository().resolve("HEAD");
            return id == null ? null : id.name();
        }
    }

    /** mlv's status and git's agree, and say {@code clean}. */
    private JsonNode assertClean(CliHarness h, Path repo, boolean clean) throws Exception {
        JsonNode status = JSON.readTree(ok(h, "--json", "status").stdout());
        String porcelain = git.run(repo, "status", "--porcelain").assertOk().out();
        assertThat(porcelain.isEmpty()).as("git status --porcelain: %s", porcelain).isEqualTo(clean);
        assertThat(status.get("clean").asBoolean()).as("mlv status: %s, git: %s", status, porcelain).isEqualTo(clean);
        assertThat(ok(h, "status").stdout().contains("nothing to commit, work tree clean")).isEqualTo(clean);
        return status;
    }

    private void assertFilterLikeTheSuperproject(Path module) throws Exception {
        String process = git.run(module, "config", "filter.mlv.process").out().strip();
        // compared as a boolean: the command holds the whole test class path
        assertThat(process.equals(FILTER)).as("filter.mlv.process in %s is '%.60s'", module, process).isTrue();
    }

    @Test
    void theWholeDataStoryInAFreshClone() throws Exception {
        ok(new CliHarness(root), "clone", proj.toString(), "clone", "--branch", "prod");
        Path clone = root.resolve("clone");
        CliHarness c = new CliHarness(clone);
        git.run(clone, "config", "filter.mlv.process", FILTER).assertOk();
        // a fresh clone: the data submodule is declared, not checked out, and that is clean (as git says)
        assertThat(assertClean(c, clone, true).get("data").get("checkedOut").isNull()).isTrue();

        // the first checkout takes prod's pin, not the newest data, and stages nothing
        JsonNode pulled = JSON.readTree(ok(c, "--json", "data", "pull").stdout());
        assertThat(pulled.get("to").asText()).isEqualTo(s2);
        assertThat(pulled.get("staged").asBoolean()).isFalse();
        assertThat(head(clone.resolve("data"))).isEqualTo(s2);
        assertThat(clone.resolve("data/data.csv")).hasContent(ROWS_5);
        assertClean(c, clone, true);
        // the data module is configured like the superproject: plain git there sees no change
        assertFilterLikeTheSuperproject(clone.resolve("data"));
        assertThat(git.run(clone.resolve("data"), "status", "--porcelain").assertOk().out()).isEmpty();

        // through a branch without data: its work tree goes, .git/modules/data stays
        JsonNode away = JSON.readTree(ok(c, "--json", "switch", "--create", "nodata", "--from", "origin/nodata").stdout());
        assertThat(away.get("data").get("to").isNull()).isTrue();
        assertThat(clone.resolve("data")).doesNotExist();
        assertThat(clone.resolve(".git/modules/data/objects")).isDirectory();
        assertThat(assertClean(c, clone, true).get("data").isNull()).isTrue();

        // and on to main: its own, older data
        JsonNode toMain = JSON.readTree(ok(c, "--json", "switch", "--create", "main", "--from", "origin/main").stdout());
        assertThat(toMain.get("data").get("to").asText()).isEqualTo(s1);
        assertThat(head(clone.resolve("data"))).isEqualTo(s1);
        assertThat(clone.resolve("data/data.csv")).hasContent(ROWS_3);
        assertClean(c, clone, true);

        // nodata, then straight to prod: prod's pin again, not what was checked out last
        ok(c, "switch", "nodata");
        ok(c, "switch", "prod");
        assertThat(head(clone.resolve("data"))).isEqualTo(s2);
        assertThat(clone.resolve("data/data.csv")).hasContent(ROWS_5);
        assertClean(c, clone, true);

        // newer data is explicit, and staged: not clean until committed
        JsonNode latest = JSON.readTree(ok(c, "--json", "data", "pull", "--latest").stdout());
        assertThat(latest.get("to").asText()).isEqualTo(s3);
        assertThat(latest.get("staged").asBoolean()).isTrue();
        JsonNode staged = assertClean(c, clone, false).get("data");
        assertThat(staged.get("staged").asBoolean()).isTrue();
        assertThat(staged.get("pinned").asText()).isEqualTo(s3);
        assertThat(staged.get("committed").asText()).isEqualTo(s2);
        assertThat(ok(c, "status").stdout()).contains("(staged; HEAD has " + s2.substring(0, 12));
        // a switch with that change staged is refused like any uncommitted change
        assertThat(c.run("switch", "main").exitCode()).isEqualTo(1);
        ok(c, "train-commit", "-m", "prod on snapshot 3");
        assertClean(c, clone, true);
    }

    @Test
    void switchRemovesTheDataOfABranchWithoutItRefusesDirtyDataAndStatusSeesAStrayWorkTree() throws Exception {
        assertThat(head(proj.resolve("data"))).isEqualTo(s2);
        ok(mlv, "switch", "nodata");
        assertThat(proj.resolve("data")).doesNotExist();
        assertClean(mlv, proj, true);
        ok(mlv, "switch", "prod");
        assertThat(proj.resolve("data/data.csv")).hasContent(ROWS_5);
        assertThat(head(proj.resolve("data"))).isEqualTo(s2);
        assertClean(mlv, proj, true);

        // uncommitted changes in data/ refuse a switch that would remove it; nothing changes
        Files.writeString(proj.resolve("data/data.csv"), "id,value\n9,90\n");
        assertClean(mlv, proj, false);
        CliHarness.Result refused = mlv.run("switch", "nodata");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("data/ has uncommitted changes");
        assertThat(proj.resolve("data/data.csv")).hasContent("id,value\n9,90\n");
        assertThat(head(proj)).isEqualTo(git.run(proj, "rev-parse", "prod").assertOk().out().strip());
        Files.writeString(proj.resolve("data/data.csv"), ROWS_5);
        assertClean(mlv, proj, true);

        // checked out away from the pin: not clean, for mlv as for git
        git.run(proj.resolve("data"), "checkout", "-q", s1).assertOk();
        JsonNode moved = assertClean(mlv, proj, false).get("data");
        assertThat(moved.get("matches").asBoolean()).isFalse();
        assertThat(moved.get("checkedOut").asText()).isEqualTo(s1);
        ok(mlv, "data", "pull");
        assertThat(head(proj.resolve("data"))).isEqualTo(s2);
        assertClean(mlv, proj, true);

        // a data work tree on a branch that pins none (left by an older mlv, or put there by hand)
        ok(mlv, "switch", "nodata");
        try (Git stray = Git.init().setDirectory(proj.resolve("data").toFile()).setInitialBranch("main").call()) {
            Files.writeString(proj.resolve("data/data.csv"), ROWS_3);
            stray.add().addFilepattern("data.csv").call();
            stray.commit().setMessage("stray").setAuthor("a", "a@example.com").setCommitter("a", "a@example.com").call();
        }
        JsonNode strayState = assertClean(mlv, proj, false).get("data");
        assertThat(strayState.get("stray").asBoolean()).isTrue();
        assertThat(ok(mlv, "status").stdout()).contains("that this branch does not pin");
        // train-commit refuses to record it as a gitlink no .gitmodules declares; nothing changes
        String before = head(proj);
        CliHarness.Result commit = mlv.run("train-commit", "-m", "oops");
        assertThat(commit.exitCode()).as(commit.toString()).isEqualTo(1);
        assertThat(commit.stderr()).contains("refusing to commit data").contains(".gitmodules does not declare");
        assertThat(head(proj)).isEqualTo(before);
        assertThat(git.run(proj, "ls-files", "--stage").assertOk().out()).doesNotContain("160000");
        // even when it was staged by hand
        git.run(proj, "update-index", "--add", "--cacheinfo", "160000," + head(proj.resolve("data")) + ",data").assertOk();
        CliHarness.Result staged = mlv.run("train-commit", "-m", "oops");
        assertThat(staged.exitCode()).as(staged.toString()).isEqualTo(1);
        assertThat(staged.stderr()).contains("git rm --cached data");
        assertThat(head(proj)).isEqualTo(before);

        // a repository that is not the data submodule is never written into nor removed
        git.run(proj, "reset", "-q").assertOk();
        CliHarness.Result foreign = mlv.run("switch", "prod");
        assertThat(foreign.exitCode()).as(foreign.toString()).isEqualTo(4);
        assertThat(foreign.stderr()).contains("data/ holds a Git repository that is not the data submodule");
        assertThat(proj.resolve("data/.git")).isDirectory();
        assertThat(head(proj)).isEqualTo(before);
        try (var paths = Files.walk(proj.resolve("data"))) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        ok(mlv, "switch", "prod");
        assertThat(head(proj.resolve("data"))).isEqualTo(s2);
        assertClean(mlv, proj, true);
    }

    @Test
    void aDataModuleClonedByPullIsConfiguredLikeTheSuperproject() throws Exception {
        ok(new CliHarness(root), "clone", proj.toString(), "clone", "--branch", "prod");
        Path clone = root.resolve("clone");
        git.run(clone, "config", "filter.mlv.process", FILTER).assertOk();
        ok(new CliHarness(clone), "data", "pull", "--rev", s2);
        assertFilterLikeTheSuperproject(clone.resolve("data"));
        assertThat(git.run(clone.resolve("data"), "config", "filter.mlv.required").out().strip()).isEqualTo("true");
        // without the filter, plain git would see every large file as modified
        assertThat(git.run(clone.resolve("data"), "status", "--porcelain").assertOk().out()).isEmpty();
    }

    @Test
    void dataPullReusesTheModuleAfterDeinitOrRemoval() throws Exception {
        // git submodule deinit empties data/ and forgets submodule.data.url; .git/modules/data stays
        git.run(proj, "submodule", "deinit", "-f", "data").assertOk();
        assertThat(proj.resolve("data/data.csv")).doesNotExist();
        JsonNode pulled = JSON.readTree(ok(mlv, "--json", "data", "pull").stdout());
        assertThat(pulled.get("to").asText()).isEqualTo(s2);
        assertThat(proj.resolve("data/data.csv")).hasContent(ROWS_5);
        assertClean(mlv, proj, true);

        // rm -rf data: the same
        try (var paths = Files.walk(proj.resolve("data"))) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        ok(mlv, "data", "pull");
        assertThat(head(proj.resolve("data"))).isEqualTo(s2);
        assertThat(proj.resolve("data/data.csv")).hasContent(ROWS_5);
        assertClean(mlv, proj, true);
        // --latest and --rev move on; together they are a usage error
        assertThat(mlv.run("data", "pull", "--latest", "--rev", s1).exitCode()).isEqualTo(2);
        ok(mlv, "data", "pull", "--rev", s1);
        assertThat(proj.resolve("data/data.csv")).hasContent(ROWS_3);
    }
}
