package dev.mlv.cli;

import static dev.mlv.cli.DataWorkflowTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data commands' refusals: forbidden transports, missing or unreachable repositories, dirty data. */
class DataErrorsTest {
    @TempDir
    Path root;
    Path data;
    Path proj;
    CliHarness mlv;

    @BeforeEach
    void setUp() throws IOException {
        CliHarness atRoot = new CliHarness(root);
        ok(atRoot, "init", "datasets");
        ok(atRoot, "init", "proj");
        data = root.resolve("datasets");
        proj = root.resolve("proj");
        mlv = new CliHarness(proj);
        CliHarness inData = new CliHarness(data);
        ok(inData, "track", "*.csv");
        Files.writeString(data.resolve("data.csv"), "id,value\n1,10\n");
        ok(inData, "train-commit", "-m", "snapshot 1");
    }

    private void assertNothingAdded() {
        assertThat(proj.resolve(".gitmodules")).doesNotExist();
        assertThat(proj.resolve("data")).doesNotExist();
        assertThat(proj.resolve(".git/modules")).doesNotExist();
        assertThat(ok(mlv, "status").stdout()).contains("work tree clean");
    }

    @Test
    void forbiddenTransportsAreRefusedWithUsageErrorAndChangeNothing() {
        for (String url : new String[] {"ext::sh -c touch% /tmp/mlv-pwned", "fd::3", "http://example.com/d.git",
            "git://example.com/d.git", "--upload-pack=touch /tmp/x"}) {
            CliHarness.Result r = mlv.run("data", "add", "--", url);
            assertThat(r.exitCode()).as(url + ": " + r).isEqualTo(2);
            assertThat(r.stderr()).as(url).startsWith("mlv: refusing data repository URL").hasLineCount(1);
        }
        assertThat(Path.of("/tmp/mlv-pwned")).doesNotExist();
        assertNothingAdded();
    }

    @Test
    void missingRepositoryIsNotFoundAndUnreachableHostIsExit7() {
        CliHarness.Result missing = mlv.run("data", "add", "../no-such-data");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(5);
        assertThat(missing.stderr()).contains("no-such-data").contains("does not exist");
        CliHarness.Result unreachable = mlv.run("data", "add", "https://127.0.0.1:1/data.git");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(7);
        assertThat(unreachable.stderr()).contains("cannot reach the data repository");
        assertNothingAdded();
        assertThat(mlv.run("data", "status").exitCode()).isEqualTo(5);
    }

    @Test
    void dirtyDataIsRefusedWithAdvice() throws Exception {
        ok(mlv, "data", "add", data.toString());
        ok(mlv, "train-commit", "-m", "with data");
        Files.writeString(proj.resolve("data/data.csv"), "id,value\n1,999\n");
        String before = ok(mlv, "--json", "data", "status").stdout();
        assertThat(before).contains("\"dirty\" : true").contains("data.csv");
        assertThat(ok(mlv, "status").stdout()).contains("uncommitted changes in data/");

        CliHarness.Result pull = mlv.run("data", "pull");
        assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(1);
        assertThat(pull.stderr()).contains("data/ has uncommitted changes (data.csv)").contains("git -C data checkout");
        CliHarness.Result retrain = mlv.run("retrain", "main", "exp", "--run", "--", "true");
        assertThat(retrain.exitCode()).as(retrain.toString()).isEqualTo(1);
        assertThat(proj.resolve(".git/refs/heads/exp")).doesNotExist();
        assertThat(Files.readString(proj.resolve("data/data.csv"))).contains("999");

        Files.writeString(proj.resolve("data/data.csv"), "id,value\n1,10\n");
        assertThat(mlv.run("data", "pull", "--rev", "no-such-rev").exitCode()).isEqualTo(5);
        assertThat(ok(mlv, "data", "pull").stdout()).contains("already at");
        assertThat(mlv.run("reproduce", "HEAD", "--tolerance", "abc").exitCode()).isEqualTo(2);
        assertThat(mlv.run("reproduce", "HEAD").exitCode()).isEqualTo(5);
    }
}
