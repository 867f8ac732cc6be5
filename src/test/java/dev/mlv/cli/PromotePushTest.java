package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.testing.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv promote SRC DST --push}: CI jobs in separate clones promoting into one bare Git remote
 * and one directory store remote. The races are real: every racer's pre-push hook waits until all
 * racers have fetched, gated and merged against the same DST, so the first round of pushes collides.
 */
class PromotePushTest {
    private static final int RACERS = 8;

    @TempDir
    Path root;

    private RemoteFixture f;
    private Path store;

    /** A seed repository whose main and prod (accuracy 0.5, one model) are on the remotes. */
    private void seed() throws Exception {
        f = new RemoteFixture(root);
        store = Files.createDirectories(root.resolve("store"));
        Path seed = f.repo("seed", "origin", store.toString());
        RemoteFixture.write(seed.resolve("models/model.bin"), RemoteFixture.random(60_000, 1));
        metrics(seed, 0.5);
        f.ok("-C", "seed", "train-commit", "-m", "base");
        f.ok("-C", "seed", "promote", "main", "prod", "--create");
        f.ok("-C", "seed", "push", "origin", "main", "prod");
    }

    /** Clone {@code name} with branch exp/{@code name}: its own model, code file and accuracy. */
    private Path candidate(String name, double accuracy, long seed) throws IOException {
        f.ok("clone", f.bare.toString(), name);
        Path clone = root.resolve(name);
        f.ok("-C", name, "switch", "--create", "exp/" + name);
        RemoteFixture.write(clone.resolve("models/model.bin"), RemoteFixture.random(60_000, seed));
        RemoteFixture.write(clone.resolve("src/" + name + ".py"), ("print('" + name + "')\n").getBytes(StandardCharsets.UTF_8));
        metrics(clone, accuracy);
        f.ok("-C", name, "train-commit", "-m", "train " + name);
        return clone;
    }

    private static void metrics(Path repo, double accuracy) throws IOException {
        RemoteFixture.write(repo.resolve("metrics/metrics.json"),
                ("{\"accuracy\": " + accuracy + "}").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A pre-push hook that holds the racer's first push until all {@code racers} have reached
     * theirs (each has fetched, gated and merged by then); later attempts pass straight through.
     */
    private static void barrierHook(Path clone, Path barrier, int racers) throws IOException {
        Path hook = clone.resolve(".git/hooks/pre-push");
        Files.createDirectories(hook.getParent());
        String me = clone.getFileName().toString();
        Files.writeString(hook, "#!/bin/sh\n"
                + "d='" + barrier + "'\n"
                + "[ -e \"$d/" + me + "\" ] && exit 0\n"
                + "touch \"$d/" + me + "\"\n"
                + "i=0\n"
                + "while [ \"$(ls \"$d\" | wc -l)\" -lt " + racers + " ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\n"
                + "exit 0\n");
        assertThat(hook.toFile().setExecutable(true)).isTrue();
    }

    /** Runs {@code promote exp/NAME prod --push --json EXTRA...} in every clone at once. */
    private Map<String, CliHarness.Result> race(List<String> names, String... extra) throws Exception {
        Path barrier = Files.createDirectories(root.resolve("barrier-" + System.nanoTime()));
        for (String n : names) {
            barrierHook(root.resolve(n), barrier, names.size());
        }
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        Map<String, Future<CliHarness.Result>> futures = new HashMap<>();
        for (String n : names) {
            List<String> args = new ArrayList<>(List.of("-C", n, "promote", "exp/" + n, "prod", "--push", "--json"));
            args.addAll(List.of(extra));
            futures.put(n, pool.submit(() -> new CliHarness(root).run(args.toArray(String[]::new))));
        }
        Map<String, CliHarness.Result> results = new HashMap<>();
        for (String n : names) {
            results.put(n, futures.get(n).get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();
        try (var files = Files.list(barrier)) {
            assertThat(files.count()).as("every racer reached the barrier").isEqualTo(names.size());
        }
        return results;
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= RACERS; i++) {
            names.add("ci" + i);
        }
        return names;
    }

    @Test
    @Slow
    void eightRacersWithPassingGatesAllLandWithDistinctTagNumbers() throws Exception {
        seed();
        List<String> names = names();
        for (int i = 0; i < names.size(); i++) {
            candidate(names.get(i), 0.6 + i / 100.0, 100 + i);
        }
        Map<String, CliHarness.Result> results = race(names, "--require", "accuracy>=0.55");

        Set<Integer> numbers = new HashSet<>();
        int retried = 0;
        for (String n : names) {
            CliHarness.Result r = results.get(n);
            assertThat(r.exitCode()).as(n + ": " + r).isZero();
            JsonNode doc = RemoteFixture.JSON.readTree(r.stdout());
            String tag = doc.path("tag").asText();
            assertThat(tag).startsWith("promote/prod/");
            numbers.add(Integer.parseInt(tag.substring("promote/prod/".length())));
            retried += doc.path("push").path("attempts").asInt() > 1 ? 1 : 0;
            // the local state follows: the tag is the remote's, local prod was created at the landed commit
            assertThat(localRef(n, "refs/tags/" + tag)).isEqualTo(f.remoteRef("refs/tags/" + tag));
            assertThat(localRef(n, "refs/heads/prod")).isEqualTo(doc.path("commit").asText());
        }
        assertThat(numbers).as("8 distinct numbers after the seed's #1").containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(retried).as("the first round collided: all but one pushed again").isGreaterThanOrEqualTo(RACERS - 1);

        String prod = f.remoteRef("refs/heads/prod");
        try (Repository bare = new FileRepositoryBuilder().setGitDir(f.bare.toFile()).build(); RevWalk walk = new RevWalk(bare)) {
            RevCommit tip = walk.parseCommit(bare.resolve(prod));
            for (String n : names) {
                JsonNode doc = RemoteFixture.JSON.readTree(results.get(n).stdout());
                walk.reset();
                assertThat(walk.isMergedInto(walk.parseCommit(bare.resolve(doc.path("sourceCommit").asText())), tip))
                        .as(n + "'s candidate is in the remote's prod").isTrue();
            }
            assertThat(bare.getRefDatabase().getRefsByPrefix("refs/tags/promote/prod/")).hasSize(RACERS + 1);
        }
        assertRemoteSound();
        // every clone's promotion tags agree with the remote's
        for (String n : names) {
            assertLocalTagsAgree(n);
        }
    }

    @Test
    @Slow
    void eightRacersWithANoRegressGateEachLandOrFailAgainstWhatTheyWouldReplace() throws Exception {
        seed();
        List<String> names = names();
        double[] accuracy = {0.71, 0.64, 0.93, 0.58, 0.86, 0.77, 0.62, 0.9};
        Map<String, Double> accuracyOf = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            candidate(names.get(i), accuracy[i], 200 + i);
            accuracyOf.put(names.get(i), accuracy[i]);
        }
        Map<String, CliHarness.Result> results = race(names, "--no-regress", "accuracy");

        Map<Integer, Double> landed = new HashMap<>();
        Map<String, Double> prodAccuracy = new HashMap<>(); // every commit the remote's prod has been, and its accuracy
        prodAccuracy.put(tagCommit("promote/prod/1"), 0.5);
        int failed = 0;
        for (String n : names) {
            CliHarness.Result r = results.get(n);
            assertThat(r.exitCode()).as(n + ": " + r).isIn(ExitCodes.OK, ExitCodes.GATE_FAILED);
            JsonNode doc = RemoteFixture.JSON.readTree(r.stdout());
            if (r.exitCode() == ExitCodes.OK) {
                int number = Integer.parseInt(doc.path("tag").asText().substring("promote/prod/".length()));
                assertThat(landed.put(number, accuracyOf.get(n))).as("tag number used once").isNull();
                prodAccuracy.put(doc.path("commit").asText(), accuracyOf.get(n));
            }
        }
        for (String n : names) {
            CliHarness.Result r = results.get(n);
            if (r.exitCode() != ExitCodes.GATE_FAILED) {
                continue;
            }
            failed++;
            JsonNode doc = RemoteFixture.JSON.readTree(r.stdout());
            assertThat(doc.path("outcome").asText()).isEqualTo("gate-failed");
            // the gate failed against a commit the remote's prod really was, whose accuracy beats this candidate's
            String replaced = doc.path("previousCommit").asText();
            assertThat(prodAccuracy).as(n + " was gated against a commit prod has been").containsKey(replaced);
            assertThat(prodAccuracy.get(replaced)).isGreaterThan(accuracyOf.get(n));
            assertThat(doc.path("gates").get(0).path("dst").asText()).isEqualTo(String.valueOf(prodAccuracy.get(replaced)));
            assertThat(localRef(n, "refs/heads/prod")).as("a failed gate creates no local prod").isNull();
        }
        assertThat(landed.size() + failed).isEqualTo(RACERS);
        assertThat(landed).as("the best candidate always lands").containsValue(0.93);
        // in tag order, each landed promotion was no worse than the one before it
        List<Integer> order = new ArrayList<>(landed.keySet());
        order.sort(Integer::compare);
        assertThat(order).as("numbers are dense from #2").isEqualTo(java.util.stream.IntStream.rangeClosed(2, landed.size() + 1)
                .boxed().toList());
        for (int i = 1; i < order.size(); i++) {
            assertThat(landed.get(order.get(i))).isGreaterThanOrEqualTo(landed.get(order.get(i - 1)));
        }
        assertRemoteSound();
        for (String n : names) {
            assertLocalTagsAgree(n);
        }
    }

    @Test
    void aPlainPushThatLostAPromotionRaceSaysToPromoteWithPushWhichRecovers() throws Exception {
        seed();
        candidate("a", 0.7, 11);
        candidate("b", 0.8, 12);
        for (String job : List.of("a", "b")) {
            f.ok("-C", job, "switch", "--create", "prod", "--from", "origin/prod");
            f.ok("-C", job, "switch", "exp/" + job);
        }
        // job a promotes locally and pushes first
        f.ok("-C", "a", "promote", "exp/a", "prod");
        f.ok("-C", "a", "push", "origin", "prod");
        // job b promoted locally too: its promote/prod/2 collides with a's, its prod diverged
        f.ok("-C", "b", "promote", "exp/b", "prod");
        String bTag2 = localRef("b", "refs/tags/promote/prod/2");
        CliHarness.Result rejected = f.mlv.run("-C", "b", "push", "origin", "prod");
        assertThat(rejected.exitCode()).as(rejected.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(rejected.stderr().strip().lines().count()).isEqualTo(1);
        assertThat(rejected.stderr()).contains("'mlv promote exp/b prod --push origin'").doesNotContain("mlv pull");

        // doing exactly that lands b's candidate after a's, gated against a's, as #3
        CliHarness.Result again = f.mlv.run("-C", "b", "promote", "exp/b", "prod", "--push", "origin", "--no-regress",
                "accuracy", "--json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode doc = RemoteFixture.JSON.readTree(again.stdout());
        assertThat(doc.path("tag").asText()).isEqualTo("promote/prod/3");
        assertThat(doc.path("previousCommit").asText()).isEqualTo(tagCommit("promote/prod/2"));
        assertThat(doc.path("gates").get(0).path("dst").asText()).isEqualTo("0.7");
        assertThat(doc.path("push").path("localBranch").asText()).as("b's lost local promotion is superseded").isEqualTo("moved");
        assertThat(doc.path("push").path("replacedLocalTags").toString()).contains("promote/prod/2");
        assertThat(again.stderr()).contains("warning: local tag promote/prod/2");
        // b's local state agrees with the remote: no colliding tag, prod at the landed commit; a plain push is a no-op
        assertThat(localRef("b", "refs/tags/promote/prod/2")).isNotEqualTo(bTag2).isEqualTo(f.remoteRef("refs/tags/promote/prod/2"));
        assertThat(localRef("b", "refs/heads/prod")).isEqualTo(f.remoteRef("refs/heads/prod")).isEqualTo(doc.path("commit").asText());
        assertLocalTagsAgree("b");
        f.ok("-C", "b", "push", "origin", "prod");
        assertThat(f.remoteRef("refs/heads/prod")).isEqualTo(doc.path("commit").asText());
        assertThat(f.mlv.run("-C", "b", "cat", "prod:models/model.bin").stdoutBytes())
                .isEqualTo(RemoteFixture.random(60_000, 12));
    }

    @Test
    void gatesRunAgainstTheRemotesDestinationNotAStaleLocalOne() throws Exception {
        seed();
        candidate("a", 0.9, 21);
        candidate("b", 0.7, 22);
        f.ok("-C", "b", "fetch");
        f.ok("-C", "b", "switch", "--create", "prod", "--from", "origin/prod"); // b's prod: 0.5, soon stale
        f.ok("-C", "b", "switch", "exp/b");
        f.ok("-C", "a", "promote", "exp/a", "prod", "--push");
        String remoteProd = f.remoteRef("refs/heads/prod");
        String bProd = localRef("b", "refs/heads/prod");

        CliHarness.Result r = f.mlv.run("-C", "b", "promote", "exp/b", "prod", "--push", "--no-regress", "accuracy", "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.GATE_FAILED);
        JsonNode doc = RemoteFixture.JSON.readTree(r.stdout());
        assertThat(doc.path("previousCommit").asText()).isEqualTo(remoteProd);
        assertThat(doc.path("gates").get(0).path("dst").asText()).isEqualTo("0.9");
        // nothing moved: not the remote, not the local branch, no tag
        assertThat(f.remoteRef("refs/heads/prod")).isEqualTo(remoteProd);
        assertThat(localRef("b", "refs/heads/prod")).isEqualTo(bProd);
        assertThat(localRef("b", "refs/tags/promote/prod/3")).isNull();
        assertLocalTagsAgree("b");
        // the local promotion would have passed against the stale local prod
        assertThat(f.mlv.run("-C", "b", "promote", "exp/b", "prod", "--no-regress", "accuracy", "--dry-run").exitCode()).isZero();
        // text output names what it was gated against
        CliHarness.Result text = f.mlv.run("-C", "b", "promote", "exp/b", "prod", "--push", "--no-regress", "accuracy");
        assertThat(text.stderr()).contains("gates failed against origin/prod (" + remoteProd.substring(0, 12) + ")");
    }

    @Test
    void aRemoteWithoutTheBranchNeedsCreateAndAnUnknownRemoteIsNamed() throws Exception {
        seed();
        candidate("a", 0.7, 31);
        CliHarness.Result missing = f.mlv.run("-C", "a", "promote", "exp/a", "staging", "--push");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.stderr()).contains("'mlv promote exp/a staging --push origin --create'");
        CliHarness.Result unknown = f.mlv.run("-C", "a", "promote", "exp/a", "prod", "--push", "backup");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.stderr()).contains("no Git remote named 'backup'");
        JsonNode created = f.json("-C", "a", "promote", "exp/a", "staging", "--push", "--create", "--json");
        assertThat(created.path("outcome").asText()).isEqualTo("created");
        assertThat(created.path("tag").asText()).isEqualTo("promote/staging/1");
        assertThat(f.remoteRef("refs/heads/staging")).isEqualTo(created.path("commit").asText());
        assertThat(f.remoteRef("refs/tags/promote/staging/1")).isEqualTo(localRef("a", "refs/tags/promote/staging/1"));
        // the store remote got the candidate's model before the refs: a fresh clone of staging checks out
        f.ok("clone", "-b", "staging", f.bare.toString(), "reader");
        assertThat(Files.readAllBytes(root.resolve("reader/models/model.bin"))).isEqualTo(RemoteFixture.random(60_000, 31));
    }

    @Test
    @Slow
    void aServerWithoutAtomicPushesStillGetsEachBranchBeforeItsTag() throws Exception {
        seed();
        // C git's receive-pack, told not to offer atomic pushes, serves the bare repository
        git(f.bare, "config", "receive.advertiseAtomic", "false");
        String receivePack = git(root, "--exec-path").strip() + "/git-receive-pack";
        List<String> names = List.of("na1", "na2", "na3");
        for (int i = 0; i < names.size(); i++) {
            candidate(names.get(i), 0.6 + i / 100.0, 300 + i);
            git(root.resolve(names.get(i)), "config", "remote.origin.receivepack", receivePack);
        }
        Map<String, CliHarness.Result> results = race(names);
        Set<String> tags = new HashSet<>();
        for (String n : names) {
            CliHarness.Result r = results.get(n);
            assertThat(r.exitCode()).as(n + ": " + r).isZero();
            tags.add(RemoteFixture.JSON.readTree(r.stdout()).path("tag").asText());
        }
        assertThat(tags).containsExactlyInAnyOrder("promote/prod/2", "promote/prod/3", "promote/prod/4");
        assertRemoteSound();
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private String tagCommit(String tag) throws IOException {
        try (Repository bare = new FileRepositoryBuilder().setGitDir(f.bare.toFile()).build(); RevWalk walk = new RevWalk(bare)) {
            return walk.peel(walk.parseAny(bare.resolve("refs/tags/" + tag))).name();
        }
    }

    private String localRef(String clone, String ref) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(root.resolve(clone + "/.git").toFile()).build()) {
            Ref r = git.exactRef(ref);
            return r == null ? null : r.getObjectId().name();
        }
    }

    private void assertLocalTagsAgree(String clone) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(root.resolve(clone + "/.git").toFile()).build()) {
            for (Ref t : git.getRefDatabase().getRefsByPrefix("refs/tags/promote/prod/")) {
                assertThat(t.getObjectId().name()).as(clone + " " + t.getName()).isEqualTo(f.remoteRef(t.getName()));
            }
        }
    }

    /**
     * {@code git fsck} finds nothing wrong on the bare remote, each promotion tag names a commit on
     * prod, and every large file on prod's history is whole on the store remote.
     */
    private void assertRemoteSound() throws Exception {
        Process fsck = new ProcessBuilder("git", "--git-dir", f.bare.toString(), "fsck", "--strict", "--no-dangling")
                .redirectErrorStream(true).start();
        String out = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fsck.waitFor()).as(out).isZero();
        assertThat(out).doesNotContain("error").doesNotContain("missing");
        try (Repository bare = new FileRepositoryBuilder().setGitDir(f.bare.toFile()).build(); RevWalk walk = new RevWalk(bare)) {
            RevCommit prod = walk.parseCommit(bare.resolve("refs/heads/prod"));
            for (Ref t : bare.getRefDatabase().getRefsByPrefix("refs/tags/promote/prod/")) {
                RevObject o = walk.parseAny(t.getObjectId());
                assertThat(o).isInstanceOf(RevTag.class);
                walk.reset();
                assertThat(walk.isMergedInto(walk.parseCommit(walk.peel(o)), prod)).as(t.getName()).isTrue();
            }
        }
        String checker = "checker-" + System.nanoTime();
        f.ok("clone", "-b", "prod", f.bare.toString(), checker);
        JsonNode check = f.json("-C", checker, "fsck", "--remote", "--read-data", "--json");
        assertThat(check.path("ok").asBoolean()).as(check.toString()).isTrue();
        assertThat(check.path("warnings").toString()).doesNotContain("lacks");
        assertThat(check.path("files").asInt()).as("the base model and every landed candidate's").isGreaterThan(1);
    }
}
