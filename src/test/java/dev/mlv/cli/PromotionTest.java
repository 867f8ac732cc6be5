package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.testing.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mlv promote, check, history and rollback end to end. */
class PromotionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;

    @BeforeEach
    void setUp() throws IOException {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        repo = root.resolve("p");
        mlv = new CliHarness(repo);
        write("src/train.py", "print('v1')\n");
        write("models/model.bin", "model-base");
        metrics(0.85, 0.40);
        ok("train-commit", "-m", "base");
        ok("promote", "main", "prod", "--create");
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private void write(String path, String content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void metrics(double accuracy, double loss) throws IOException {
        write("metrics/metrics.json", "{\"accuracy\": " + accuracy + ", \"loss\": " + loss + "}");
    }

    /** A branch from main with a model and metrics. */
    private void experiment(String name, String model, double accuracy, double loss) throws IOException {
        ok("switch", "main");
        ok("switch", "--create", name);
        write("models/model.bin", model);
        metrics(accuracy, loss);
        ok("train-commit", "-m", name);
        ok("switch", "main");
    }

    private String tip(String branch) throws IOException {
        try (Git git = Git.open(repo.toFile())) {
            return git.getRepository().resolve("refs/heads/" + branch).name();
        }
    }

    private String cat(String spec) {
        return ok("cat", spec).stdout();
    }

    @Test
    void failedRequireGateExitsThreeWithATableAndChangesNothing() throws Exception {
        experiment("exp", "model-exp", 0.88, 0.35);
        String before = tip("prod");
        CliHarness.Result r = mlv.run("promote", "exp", "prod", "--require", "accuracy>=0.9");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(r.stdout()).contains("metric").contains("accuracy >= 0.9").contains("FAIL");
        assertThat(tip("prod")).isEqualTo(before);
        assertThat(mlv.run("history", "prod").stdout()).doesNotContain("#2");
    }

    @Test
    void noRegressUsesDirectionsAndTolerance() throws Exception {
        experiment("worse-loss", "m2", 0.90, 0.41);
        // loss is minimised: 0.41 > 0.40 is a regression ...
        assertThat(mlv.run("promote", "worse-loss", "prod", "--no-regress", "loss").exitCode()).isEqualTo(ExitCodes.GATE_FAILED);
        // ... unless within tolerance
        assertThat(mlv.run("promote", "worse-loss", "prod", "--no-regress", "loss:0.02", "--dry-run").exitCode()).isZero();
        assertThat(mlv.run("promote", "worse-loss", "prod", "--no-regress", "loss:5%", "--dry-run").exitCode()).isZero();
        // accuracy is maximised: 0.90 > 0.85 passes
        CliHarness.Result r = mlv.run("promote", "worse-loss", "prod", "--no-regress", "accuracy", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.get("outcome").asText()).isEqualTo("fast-forward");
        assertThat(doc.get("gates").get(0).get("direction").asText()).isEqualTo("max");
        assertThat(tip("prod")).isEqualTo(tip("worse-loss"));
    }

    @Test
    void malformedGateIsAUsageError() {
        CliHarness.Result r = mlv.run("promote", "main", "prod", "--require", "accuracy=>0.9");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("accuracy=>0.9");
    }

    @Test
    void configuredGatesOfTheDestinationApply() throws Exception {
        ok("switch", "prod");
        write(".mlv/config.json", "{\"version\": 1, \"gates\": {\"prod\": {\"require\": [\"accuracy >= 0.95\"]}}}");
        ok("train-commit", "-m", "gate prod");
        ok("switch", "main");
        experiment("exp", "model-exp", 0.93, 0.3);
        CliHarness.Result r = mlv.run("promote", "exp", "prod");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(r.stdout()).contains("accuracy >= 0.95");
        // check runs the same gates for CI
        assertThat(mlv.run("check", "exp", "--for", "prod").exitCode()).isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(mlv.run("check", "exp", "--require", "accuracy>0.9").exitCode()).isZero();
        assertThat(mlv.run("check", "exp").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("check", "exp", "--no-regress", "accuracy", "--against", "prod").exitCode()).isZero();
    }

    @Test
    void artifactConflictsTakeTheSourceAndCodeMergesNormally() throws Exception {
        // prod gets its own hotfix in code and its own monitoring data and model
        ok("switch", "prod");
        write("src/serve.py", "serve()\n");
        write("models/model.bin", "model-hotfix");
        write("monitoring/drift.csv", "day,drift\n1,0.1\n");
        ok("train-commit", "-m", "prod hotfix");
        experiment("exp", "model-exp", 0.9, 0.3);
        ok("switch", "exp");
        write("src/train.py", "print('v2')\n");
        ok("train-commit", "-m", "train v2");
        ok("switch", "main");

        JsonNode doc = JSON.readTree(ok("promote", "exp", "prod", "--json", "-m", "ship exp").stdout());
        assertThat(doc.get("outcome").asText()).isEqualTo("promoted");
        assertThat(cat("prod:models/model.bin")).isEqualTo("model-exp");       // artifact: SRC's side
        assertThat(cat("prod:src/serve.py")).isEqualTo("serve()\n");           // DST's code kept
        assertThat(cat("prod:src/train.py")).isEqualTo("print('v2')\n");       // SRC's code merged in
        assertThat(cat("prod:monitoring/drift.csv")).isEqualTo("day,drift\n1,0.1\n"); // DST's monitoring/ kept
        try (Git git = Git.open(repo.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit merge = walk.parseCommit(git.getRepository().resolve("prod"));
            assertThat(merge.getParentCount()).isEqualTo(2);
            assertThat(merge.getFullMessage()).startsWith("ship exp").contains("Mlv-Promoted-From: exp")
                    .contains("Mlv-Source-Commit: " + tip("exp")).contains("Mlv-Metrics: accuracy=0.9 loss=0.3");
        }
    }

    @Test
    void codeConflictExitsFourAndChangesNothing() throws Exception {
        ok("switch", "prod");
        write("src/train.py", "print('prod')\n");
        ok("train-commit", "-m", "prod edit");
        ok("switch", "main");
        write("src/train.py", "print('main')\n");
        ok("train-commit", "-m", "main edit");
        String before = tip("prod");
        CliHarness.Result r = mlv.run("promote", "main", "prod");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(r.stderr()).contains("src/train.py").contains("nothing was changed");
        assertThat(tip("prod")).isEqualTo(before);
        assertThat(mlv.run("history", "prod", "--json").stdout()).doesNotContain("\"number\" : 2");
    }

    @Test
    void missingDestinationNeedsCreate() {
        CliHarness.Result r = mlv.run("promote", "main", "staging");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("mlv promote main staging --create");
        assertThat(mlv.run("promote", "nope", "prod").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        experiment("exp", "model-exp", 0.9, 0.3);
        String before = tip("prod");
        JsonNode doc = JSON.readTree(ok("promote", "exp", "prod", "--dry-run", "--json").stdout());
        assertThat(doc.get("outcome").asText()).isEqualTo("dry-run");
        assertThat(doc.get("changes").toString()).contains("models/model.bin");
        assertThat(tip("prod")).isEqualTo(before);
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.tagList().call()).extracting(Ref::getName).containsExactly("refs/tags/promote/prod/1");
        }
    }

    @Test
    void checkedOutDestinationIsUpdatedWhenCleanAndRefusedWhenDirty() throws Exception {
        experiment("exp", "model-exp", 0.9, 0.3);
        ok("switch", "prod");
        write("notes.txt", "wip\n");
        ok("train-commit", "-m", "notes");
        write("notes.txt", "dirty\n");
        String before = tip("prod");
        CliHarness.Result dirty = mlv.run("promote", "exp", "prod");
        assertThat(dirty.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(dirty.stderr()).contains("uncommitted changes").contains("nothing was changed");
        assertThat(tip("prod")).isEqualTo(before);

        write("notes.txt", "wip\n");
        JsonNode doc = JSON.readTree(ok("promote", "exp", "prod", "--json").stdout());
        assertThat(doc.get("workTreeUpdated").asBoolean()).isTrue();
        assertThat(Files.readString(repo.resolve("models/model.bin"))).isEqualTo("model-exp");
        assertThat(JSON.readTree(ok("status", "--json").stdout()).get("clean").asBoolean()).isTrue();
    }

    @Test
    void concurrentPromotionsNeverLoseACommit() throws Exception {
        List<String> branches = List.of("a", "b", "c", "d");
        for (int i = 0; i < branches.size(); i++) {
            ok("switch", "main");
            ok("switch", "--create", branches.get(i));
            write("src/part-" + branches.get(i) + ".py", "x = " + i + "\n");
            ok("train-commit", "-m", branches.get(i));
        }
        ok("switch", "main");
        ExecutorService pool = Executors.newFixedThreadPool(branches.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CliHarness.Result>> results = new ArrayList<>();
        for (String b : branches) {
            results.add(pool.submit(() -> {
                start.await();
                return new CliHarness(repo).run("promote", b, "prod", "--json");
            }));
        }
        start.countDown();
        List<String> promotedCommits = new ArrayList<>();
        for (Future<CliHarness.Result> f : results) {
            CliHarness.Result r = f.get();
            assertThat(r.exitCode()).as(r.toString()).isIn(ExitCodes.OK, ExitCodes.CONFLICT);
            if (r.exitCode() == ExitCodes.OK) {
                promotedCommits.add(JSON.readTree(r.stdout()).get("commit").asText());
            } else {
                assertThat(r.stderr()).contains("changed while this command ran");
            }
        }
        pool.shutdown();
        assertThat(promotedCommits).isNotEmpty();
        try (Git git = Git.open(repo.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit prod = walk.parseCommit(git.getRepository().resolve("prod"));
            for (String c : promotedCommits) {
                assertThat(walk.isMergedInto(walk.parseCommit(ObjectId.fromString(c)), prod)).as(c).isTrue();
            }
            assertThat(git.tagList().call()).hasSize(1 + promotedCommits.size());
        }
    }

    @Test
    void rollbackTwiceStepsBackTwiceAndHistoryListsNewestFirst() throws Exception {
        experiment("v2", "model-2", 0.90, 0.3);
        ok("promote", "v2", "prod");
        experiment("v3", "model-3", 0.95, 0.2);
        ok("promote", "v3", "prod");
        assertThat(cat("prod:models/model.bin")).isEqualTo("model-3");

        JsonNode first = JSON.readTree(ok("rollback", "prod", "--json").stdout());
        assertThat(first.get("restored").asInt()).isEqualTo(2);
        assertThat(cat("prod:models/model.bin")).isEqualTo("model-2");
        JsonNode second = JSON.readTree(ok("rollback", "prod", "--json").stdout());
        assertThat(second.get("restored").asInt()).isEqualTo(1);
        assertThat(cat("prod:models/model.bin")).isEqualTo("model-base");
        CliHarness.Result none = mlv.run("rollback", "prod");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        ok("rollback", "prod", "--to", "promote/prod/3");
        assertThat(cat("prod:models/model.bin")).isEqualTo("model-3");

        JsonNode history = JSON.readTree(ok("history", "prod", "--json").stdout()).get("promotions");
        assertThat(history).hasSize(6);
        assertThat(history.get(0).get("number").asInt()).isEqualTo(6);
        assertThat(history.get(0).get("kind").asText()).isEqualTo("rollback");
        assertThat(history.get(3).get("source").asText()).isEqualTo("v3");
        assertThat(history.get(5).get("number").asInt()).isEqualTo(1);
        try (Git git = Git.open(repo.toFile())) {
            // history was never rewritten: every earlier tip is still an ancestor
            assertThat(git.log().add(git.getRepository().resolve("prod")).call()).extracting(RevCommit::getShortMessage)
                    .contains("Roll back prod to promote/prod/2", "Roll back prod to promote/prod/1");
        }
    }

    @Test
    void tagsAreReadableByPlainGit() throws Exception {
        experiment("v2", "model-2", 0.9, 0.3);
        ok("promote", "v2", "prod");
        GitCli git = new GitCli(root.resolve(".home"), root.resolve("scratch"));
        String out = git.run(repo, "tag", "-n", "-l", "promote/prod/*").assertOk().out();
        assertThat(out).contains("promote/prod/1").contains("promote/prod/2").contains("Promote v2");
        String text = git.run(repo, "show", "-s", "--format=%B", "promote/prod/2").assertOk().out();
        assertThat(text).contains("\"schema\" : \"mlv.promotion/2\"").contains("\"source\" : \"v2\"");
    }

    @Test
    void aGateOnAMetricNoSideHasIsAUsageErrorWithTheLikelyName() throws Exception {
        experiment("exp/typo", "model-typo", 0.90, 0.30);
        String before = tip("prod");
        CliHarness.Result r = mlv.run("promote", "exp/typo", "prod", "--require", "acuracy>=0.8");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("did you mean 'accuracy'?");
        assertThat(tip("prod")).isEqualTo(before);
        CliHarness.Result check = mlv.run("check", "exp/typo", "--require", "acuracy>=0.8");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(ExitCodes.USAGE);
        // a metric only one side has is still a gate that can fail, not a usage error
        assertThat(mlv.run("check", "exp/typo", "--require", "accuracy>=0.95").exitCode()).isEqualTo(ExitCodes.GATE_FAILED);
    }

    @Test
    void aFastForwardKeepsPromoteMessageInItsTag() throws Exception {
        experiment("exp/ff", "model-ff", 0.90, 0.30);
        ok("promote", "exp/ff", "prod", "-m", "ship the ff model, ticket ML-42");
        String history = ok("history", "prod").stdout();
        assertThat(history).contains("ship the ff model, ticket ML-42");
        JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok("history", "prod", "--json").stdout());
        assertThat(doc.path("promotions").get(0).path("message").asText()).isEqualTo("ship the ff model, ticket ML-42");
        assertThat(doc.path("promotions").get(1).has("message")).as("no message, no field").isFalse();
    }

    @Test
    void rollbackToAPromotionThatDoesNotExistSaysWhichDo() throws Exception {
        CliHarness.Result r = mlv.run("rollback", "prod", "--to", "9");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("no promotion #9 into 'prod'").contains("it has #1").contains("mlv history prod");
    }

    @Test
    void promotionKeepsTheDestinationsMonitoring() throws Exception {
        Path rows = root.resolve("rows.csv");
        Files.writeString(rows, "id,score\n1,0.5\n2,0.7\n");
        ok("record", "prod", rows.toString(), "--append-to", "monitoring/predictions.csv");
        String served = cat("prod:monitoring/predictions.csv");

        // a candidate from main never had prod's monitoring: the merge keeps prod's
        experiment("exp/new", "model-new", 0.90, 0.30);
        CliHarness.Result merged = ok("promote", "exp/new", "prod", "--json");
        assertThat(JSON.readTree(merged.stdout()).path("changes").toString()).doesNotContain("monitoring/predictions.csv");
        assertThat(cat("prod:monitoring/predictions.csv")).isEqualTo(served);
        assertThat(cat("prod:models/model.bin")).isEqualTo("model-new");

        // a candidate that descends from prod but dropped its monitoring: not a fast-forward
        // (that would delete it) but a merge that keeps it
        ok("switch", "--create", "exp/desc", "--from", "prod");
        Files.delete(repo.resolve("monitoring/predictions.csv"));
        write("models/model.bin", "model-desc");
        metrics(0.91, 0.29);
        ok("train-commit", "-m", "descendant");
        ok("switch", "main");
        JsonNode doc = new ObjectMapper().readTree(ok("promote", "exp/desc", "prod", "--json").stdout());
        assertThat(doc.path("outcome").asText()).isEqualTo("promoted");
        assertThat(cat("prod:monitoring/predictions.csv")).isEqualTo(served);
        assertThat(cat("prod:models/model.bin")).isEqualTo("model-desc");

        // a plain descendant that leaves monitoring alone still fast-forwards
        ok("switch", "--create", "exp/plain", "--from", "prod");
        write("models/model.bin", "model-plain");
        metrics(0.92, 0.28);
        ok("train-commit", "-m", "plain");
        ok("switch", "main");
        assertThat(new ObjectMapper().readTree(ok("promote", "exp/plain", "prod", "--json").stdout())
                .path("outcome").asText()).isEqualTo("fast-forward");
        assertThat(cat("prod:monitoring/predictions.csv")).isEqualTo(served);
    }
    @Test
    void dryRunSaysWhatEachPathPolicyWillDo() throws Exception {
        Path rows = root.resolve("rows.csv");
        Files.writeString(rows, "id,score\n1,0.5\n");
        ok("record", "prod", rows.toString(), "--append-to", "monitoring/predictions.csv");
        experiment("exp/cand", "model-cand", 0.90, 0.30);

        CliHarness.Result text = ok("promote", "exp/cand", "prod", "--dry-run");
        assertThat(text.stdout()).contains("Path policies:")
                .containsPattern("monitoring/\\*\\*\\s+keeps prod's side \\(default\\): monitoring/predictions.csv")
                .containsPattern("models/\\*\\*\\s+takes exp/cand's side \\(default\\): models/model.bin")
                .contains("everything else merges three-way");
        JsonNode doc = JSON.readTree(ok("promote", "exp/cand", "prod", "--dry-run", "--json").stdout());
        JsonNode monitoring = null;
        for (JsonNode p : doc.path("policies")) {
            if (p.path("pattern").asText().equals("monitoring/**")) {
                monitoring = p;
            }
        }
        assertThat(monitoring).as(doc.toString()).isNotNull();
        assertThat(monitoring.path("side").asText()).isEqualTo("target");
        assertThat(monitoring.path("configured").asBoolean()).isFalse();
        assertThat(monitoring.path("paths").toString()).isEqualTo("[\"monitoring/predictions.csv\"]");
        // a failed gate shows the policies beside the gate table; a landed promotion says what it kept
        CliHarness.Result failed = mlv.run("promote", "exp/cand", "prod", "--require", "accuracy>=0.95");
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(failed.stdout()).contains("FAIL").contains("keeps prod's side");
        assertThat(ok("promote", "exp/cand", "prod").stdout())
                .contains("kept prod's monitoring/predictions.csv (monitoring/** keeps prod's side)");
    }
}
