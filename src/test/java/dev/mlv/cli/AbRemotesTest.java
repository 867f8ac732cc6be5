package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A/B tests travel with push, clone, fetch and pull; ab list and ab show read them. */
class AbRemotesTest {
    @TempDir
    Path root;

    private static String localRef(Path repo, String ref) throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            var r = git.getRepository().exactRef(ref);
            return r == null ? null : r.getObjectId().name();
        }
    }

    @Test
    void abTestsArePushedOnceTheirArmsAreThereAndFetchedBack() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        RemoteFixture.write(a.resolve("models/model.bin"), "model-a".getBytes());
        RemoteFixture.write(a.resolve("metrics/metrics.json"), "{\"accuracy\": 0.9}".getBytes());
        f.ok("-C", "a", "train-commit", "-m", "a");
        f.ok("-C", "a", "promote", "main", "prod", "--create");
        f.ok("-C", "a", "switch", "--create", "cand");
        RemoteFixture.write(a.resolve("models/model.bin"), "model-b".getBytes());
        f.ok("-C", "a", "train-commit", "-m", "b");
        f.ok("-C", "a", "switch", "main");
        f.ok("-C", "a", "ab", "create", "t", "--arm", "A=prod", "--arm", "B=cand", "--metric", "converted");

        // cand's pinned commit is neither on the remote nor in this push: the test is held back
        CliHarness.Result first = f.mlv.run("-C", "a", "push", "origin", "main", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        JsonNode held = RemoteFixture.JSON.readTree(first.stdout());
        assertThat(held.at("/heldBack/0/test").asText()).isEqualTo("t");
        assertThat(held.at("/heldBack/0/reason").asText()).contains("push branch 'cand' too");
        assertThat(first.stderr()).contains("A/B test t was not pushed");
        assertThat(f.remoteRef("refs/mlv/ab/t")).isNull();

        // with its arms' branches (their content first) it goes
        JsonNode second = f.json("-C", "a", "push", "origin", "prod", "cand", "--json");
        assertThat(second.get("abTests").toString()).isEqualTo("[\"t\"]");
        assertThat(f.remoteRef("refs/mlv/ab/t")).isEqualTo(localRef(a, "refs/mlv/ab/t"));
        assertThat(f.json("-C", "a", "push", "origin", "main", "--json").get("heldBack")).isEmpty();

        // a clone has it: list and show work there
        f.ok("clone", f.bare.toString(), "b");
        Path b = root.resolve("b");
        assertThat(localRef(b, "refs/mlv/ab/t")).isEqualTo(localRef(a, "refs/mlv/ab/t"));
        JsonNode list = f.json("-C", "b", "ab", "list", "--json");
        assertThat(list.at("/tests/0/name").asText()).isEqualTo("t");
        assertThat(list.at("/tests/0/status").asText()).isEqualTo("running");
        assertThat(list.at("/tests/0/arms/1/branch").asText()).isEqualTo("cand");
        assertThat(f.ok("-C", "b", "ab", "list").stdout()).contains("t  running  A=prod 50.0%, B=cand 50.0%  metric converted");
        JsonNode show = f.json("-C", "b", "ab", "show", "t", "--json");
        assertThat(show.at("/ref").asText()).isEqualTo("refs/mlv/ab/t");
        assertThat(show.at("/history/0/subject").asText()).isEqualTo("A/B test t: create");
        assertThat(f.ok("-C", "b", "ab", "show", "t").stdout()).contains("arm B").contains("History:");
        assertThat(f.mlv.run("-C", "b", "ab", "show", "nope").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        // b has no local cand: the report reads the arm from origin/cand
        JsonNode report = f.json("-C", "b", "ab", "report", "t", "--json");
        assertThat(report.at("/arms/1/commit").asText()).isEqualTo(localRef(b, "refs/remotes/origin/cand"));

        // concluded in a and pushed with prod: fetch brings the new state to b
        f.ok("-C", "a", "ab", "conclude", "t", "--winner", "B");
        f.ok("-C", "a", "push", "origin", "prod");
        assertThat(f.remoteRef("refs/mlv/ab/t")).isEqualTo(localRef(a, "refs/mlv/ab/t"));
        f.ok("-C", "b", "fetch");
        assertThat(f.json("-C", "b", "ab", "show", "t", "--json").at("/test/status").asText()).isEqualTo("concluded");
        assertThat(f.json("-C", "b", "ab", "show", "t", "--json").get("history")).hasSize(2);
    }
}
