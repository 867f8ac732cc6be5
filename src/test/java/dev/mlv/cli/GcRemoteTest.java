package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv gc --remote} on a directory store remote: it fetches the Git remotes first, keeps what
 * any ref reaches (another clone's pushed branch included) and anything younger than the grace
 * period, removes the rest, and repacks mostly-unused remote packs; clones still get every byte.
 */
class GcRemoteTest {
    @TempDir
    Path root;
    RemoteFixture f;
    Path store;
    Path a;

    @BeforeEach
    void setUp() throws Exception {
        f = new RemoteFixture(root);
        store = Files.createDirectories(root.resolve("store"));
        a = f.repo("a", "origin", store.toString());
    }

    private CliHarness.Result ok(String... args) {
        // File ages are compared with "now": the real clock, not the harness's fixed one.
        CliHarness.Result r = new CliHarness(root).clock(Clock.systemUTC()).run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private JsonNode json(String... args) throws IOException {
        return RemoteFixture.JSON.readTree(ok(args).stdout());
    }

    private List<Path> storeFiles(String dir) throws IOException {
        if (!Files.isDirectory(store.resolve(dir))) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(store.resolve(dir))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Makes every object of the store remote look {@code age} old, as if pushed long ago. */
    private void age(Duration age) throws IOException {
        FileTime then = FileTime.from(Instant.now().minus(age));
        try (Stream<Path> s = Files.walk(store)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, then);
            }
        }
    }

    /** Deletes a branch on the Git host and in {@code repo}, with its tracking ref and every reflog. */
    private static void deleteEverywhere(Path repo, String branch) throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            git.push().setRemote("origin").setRefSpecs(new RefSpec(":refs/heads/" + branch)).call();
            git.branchDelete().setBranchNames(branch).setForce(true).call();
        }
        try (Stream<Path> s = Files.walk(repo.resolve(".git/logs"))) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String oidHex(byte[] content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }

    private void commit(Path repo, String path, byte[] content, String message) throws IOException {
        RemoteFixture.write(repo.resolve(path), content);
        ok("-C", repo.getFileName().toString(), "train-commit", "-m", message);
    }

    @Test
    void unreachableRemoteContentGoesOnlyAfterTheGracePeriod() throws Exception {
        byte[] kept = RemoteFixture.random(300_000, 1);
        commit(a, "models/model.bin", kept, "v1");
        ok("-C", "a", "push");
        ok("-C", "a", "switch", "--create", "scratch");
        commit(a, "models/scratch.bin", RemoteFixture.random(200_000, 2), "scratch");
        ok("-C", "a", "push", "origin", "scratch");
        ok("-C", "a", "switch", "main");
        deleteEverywhere(a, "scratch");
        assertThat(storeFiles("manifests")).hasSize(2);

        JsonNode young = json("-C", "a", "gc", "--remote", "--json");
        assertThat(young.path("storeRemote").asText()).isEqualTo("origin");
        assertThat(young.path("fetched").toString()).isEqualTo("[\"origin\"]");
        assertThat(young.path("removedManifests")).isEmpty();
        assertThat(young.path("removedPacks")).isEmpty();
        assertThat(young.path("keptYoung").asLong()).as("the scratch manifest and its pack").isGreaterThanOrEqualTo(2);

        age(Duration.ofHours(48));
        CliHarness.Result dry = ok("-C", "a", "gc", "--remote", "--dry-run");
        assertThat(dry.stdout()).contains("would remove manifests/").contains("would remove packs/")
                .contains("store remote 'origin': would remove 1 manifests, 1 packs");
        assertThat(storeFiles("manifests")).hasSize(2);

        JsonNode done = json("-C", "a", "gc", "--remote", "--json");
        assertThat(done.path("dryRun").asBoolean()).isFalse();
        assertThat(done.path("removedManifests")).hasSize(1);
        assertThat(done.path("removedPacks")).hasSize(1);
        assertThat(done.path("bytesFreed").asLong()).isGreaterThan(200_000);
        assertThat(storeFiles("manifests")).hasSize(1);
        assertThat(storeFiles("packs")).hasSize(1);
        // the pack's index, and the multi-pack index gc --remote writes over the packs there now
        assertThat(storeFiles("index")).hasSize(2).anyMatch(p -> p.getFileName().toString().equals("multi-pack.midx"));
        assertThat(ok("-C", "a", "gc", "--remote").stdout()).contains("removed 0 manifests, 0 packs");

        ok("clone", f.bare.toString(), "b");
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(kept);
        assertThat(Files.exists(a.resolve(".git/mlv/store/config.json"))).as("the local store is untouched").isTrue();
        assertThat(json("-C", "a", "fsck", "--json").path("ok").asBoolean()).isTrue();
    }

    @Test
    void anotherClonesBranchIsKeptAndAMostlyUnusedPackIsRewritten() throws Exception {
        byte[] model = RemoteFixture.random(400_000, 3);
        commit(a, "models/model.bin", model, "v1");
        ok("-C", "a", "switch", "--create", "scratch");
        commit(a, "models/scratch.bin", RemoteFixture.random(400_000, 4), "scratch");
        ok("-C", "a", "switch", "main");
        ok("-C", "a", "push", "--all");
        assertThat(storeFiles("packs")).as("main and scratch went up in one pack").hasSize(1);

        // Clone b pushes a branch that a has never fetched.
        ok("clone", f.bare.toString(), "b");
        Path b = root.resolve("b");
        ok("-C", "b", "switch", "--create", "feature");
        byte[] feature = RemoteFixture.random(250_000, 5);
        commit(b, "models/feature.bin", feature, "feature");
        ok("-C", "b", "push", "origin", "feature");

        deleteEverywhere(a, "scratch");
        age(Duration.ofHours(48));
        JsonNode r = json("-C", "a", "gc", "--remote", "--grace", "1h", "--max-unused", "0", "--json");
        assertThat(r.path("removedManifests")).as("only scratch's").hasSize(1);
        // a's pack (half unused) and b's feature pack are both small: merged into one on the remote
        assertThat(r.path("repacked")).isEmpty();
        assertThat(r.path("merged")).hasSize(1);
        String newPack = r.path("merged").get(0).path("newPack").asText();
        assertThat(store.resolve(newPack)).exists();
        assertThat(r.path("merged").get(0).path("oldPacks")).hasSize(2);
        r.path("merged").get(0).path("oldPacks").forEach(old -> assertThat(store.resolve(old.asText())).doesNotExist());
        assertThat(storeFiles("packs")).hasSize(1);
        assertThat(r.path("bytesFreed").asLong()).isGreaterThan(300_000);

        ok("clone", f.bare.toString(), "c", "--branch", "feature");
        assertThat(Files.readAllBytes(root.resolve("c/models/feature.bin"))).isEqualTo(feature);
        assertThat(Files.readAllBytes(root.resolve("c/models/model.bin"))).isEqualTo(model);
    }

    @Test
    void aPushThatNeedsAnOldUnreachableFileMakesItYoungAgain() throws Exception {
        byte[] model = RemoteFixture.random(200_000, 7);
        commit(a, "models/first.bin", RemoteFixture.random(50_000, 8), "first");
        ok("-C", "a", "push");
        ok("-C", "a", "switch", "--create", "scratch");
        commit(a, "models/model.bin", model, "on a branch that will be deleted");
        ok("-C", "a", "push", "origin", "scratch");
        ok("-C", "a", "switch", "main");
        deleteEverywhere(a, "scratch");
        age(Duration.ofHours(48));
        Path manifest = store.resolve("manifests/" + oidHex(model).substring(0, 2) + "/" + oidHex(model));
        Instant aged = Files.getLastModifiedTime(manifest).toInstant();

        // The same bytes committed again on main: the push sends nothing new but needs that manifest,
        // which a concurrent gc --remote could be about to delete; the push writes it again first.
        commit(a, "models/model.bin", model, "the same model on main");
        JsonNode push = json("-C", "a", "push", "--json");
        assertThat(push.path("content").path("filesSkipped").asLong()).isEqualTo(1);
        assertThat(Files.getLastModifiedTime(manifest).toInstant()).isAfter(aged.plus(Duration.ofHours(47)));
        JsonNode gc = json("-C", "a", "gc", "--remote", "--json");
        assertThat(gc.path("removedManifests")).isEmpty();
        ok("clone", f.bare.toString(), "b");
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(model);
    }

    @Test
    void aPushDoesNotTrustAStaleTrackingRef() throws Exception {
        commit(a, "models/first.bin", RemoteFixture.random(50_000, 10), "first");
        ok("-C", "a", "push");
        ok("clone", f.bare.toString(), "b");
        Path b = root.resolve("b");
        ok("-C", "b", "switch", "--create", "junk");
        byte[] junk = RemoteFixture.random(200_000, 11);
        commit(b, "models/junk.bin", junk, "junk");
        ok("-C", "b", "push", "origin", "junk");
        // junk is deleted on the Git host; clone b still has origin/junk (it has not fetched with --prune).
        try (Git host = Git.open(f.bare.toFile())) {
            host.branchDelete().setBranchNames("junk").setForce(true).call();
        }
        try (Git git = Git.open(b.toFile())) {
            assertThat(git.getRepository().exactRef("refs/remotes/origin/junk")).as("stale tracking ref").isNotNull();
        }
        age(Duration.ofHours(48));
        JsonNode gc = json("-C", "a", "gc", "--remote", "--json");
        assertThat(gc.path("removedManifests")).as("junk's content is gone from the store remote").hasSize(1);

        // Pushing junk again must send its content: what the host has now decides, not origin/junk.
        CliHarness.Result push = ok("-C", "b", "push", "origin", "junk");
        assertThat(push.stdout()).contains("content: sent 1 file(s)").doesNotContain("no large files");
        assertThat(f.remoteRef("refs/heads/junk")).isNotNull();
        ok("-C", "b", "fsck", "--remote");
        ok("clone", f.bare.toString(), "c", "--branch", "junk");
        assertThat(Files.readAllBytes(root.resolve("c/models/junk.bin"))).isEqualTo(junk);
    }

    @Test
    void aMissingStoreRemoteIsNotFoundAnUnreachableOneExits7AndNothingIsRemoved() throws Exception {
        CliHarness.Result none = new CliHarness(root).run("-C", "a", "gc", "--remote", "nowhere");
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(none.stderr()).contains("no store remote named 'nowhere'");

        commit(a, "models/model.bin", RemoteFixture.random(100_000, 6), "v1");
        ok("-C", "a", "push");
        Path moved = root.resolve("store-moved");
        Files.move(store, moved);
        CliHarness.Result gone = new CliHarness(root).run("-C", "a", "gc", "--remote");
        assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(ExitCodes.REMOTE_UNREACHABLE);
        assertThat(gone.stderr().lines().filter(l -> l.startsWith("mlv: ")).count()).isEqualTo(1);
        Files.move(moved, store);

        Files.move(f.bare, root.resolve("origin-moved.git"));
        CliHarness.Result noHost = new CliHarness(root).run("-C", "a", "gc", "--remote", "--grace", "0");
        // A Git remote that cannot be fetched stops gc before it removes anything (a vanished path is
        // "not a repository", as for 'mlv fetch'; a host that does not answer exits 7).
        assertThat(noHost.exitCode()).as(noHost.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noHost.stderr()).contains("cannot fetch from 'origin'");
        assertThat(storeFiles("manifests")).hasSize(1);
    }
}
