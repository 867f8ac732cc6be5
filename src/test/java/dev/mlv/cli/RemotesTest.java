package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.testing.GitCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push, clone, pull, fetch and lazy content end to end through the CLI, with a bare Git remote on
 * disk and a directory store remote.
 */
class RemotesTest {
    @TempDir
    Path root;

    @Test
    void pushCloneAndPullMoveOnlyTheChangedChunks() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        byte[] v1 = RemoteFixture.random(RemoteFixture.MODEL_SIZE, 1);
        RemoteFixture.write(a.resolve("models/model.bin"), v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");

        JsonNode push1 = f.json("-C", "a", "push", "--json");
        assertThat(push1.path("content").path("files").asLong()).isEqualTo(1);
        assertThat(push1.path("content").path("bytes").asLong()).isGreaterThan(RemoteFixture.MODEL_SIZE);
        assertThat(push1.path("refs").get(0).path("status").asText()).isEqualTo("OK");
        assertThat(f.remoteRef("refs/heads/main")).isNotNull();
        assertThat(Files.exists(store.resolve("config.json"))).isTrue();

        JsonNode again = f.json("-C", "a", "push", "--json");
        assertThat(again.path("content").path("bytes").asLong()).as("nothing new to send").isZero();

        f.ok("clone", f.bare.toString(), "b");
        Path b = root.resolve("b");
        assertThat(Files.readAllBytes(b.resolve("models/model.bin"))).isEqualTo(v1);
        assertThat(Files.readString(b.resolve(".mlv/config.json"))).contains(store.toString());
        f.ok("-C", "b", "status");

        byte[] v2 = RemoteFixture.changeTwoPercent(v1, 2);
        RemoteFixture.write(a.resolve("models/model.bin"), v2);
        f.ok("-C", "a", "train-commit", "-m", "v2");
        JsonNode push2 = f.json("-C", "a", "push", "--json");
        long sent = push2.path("content").path("bytes").asLong();
        assertThat(sent).as("bytes uploaded for a 2%% change").isPositive().isLessThan(RemoteFixture.MODEL_SIZE / 20);

        JsonNode pull = f.json("-C", "b", "pull", "--json");
        assertThat(pull.path("state").asText()).isEqualTo("fast-forward");
        long received = pull.path("content").path("bytes").asLong();
        assertThat(received).as("bytes downloaded for a 2%% change").isPositive().isLessThan(RemoteFixture.MODEL_SIZE / 20);
        assertThat(Files.readAllBytes(b.resolve("models/model.bin"))).isEqualTo(v2);
        assertThat(f.json("-C", "b", "pull", "--json").path("state").asText()).isEqualTo("up-to-date");
    }

    @Test
    void aDownloadWaitsForGcInsteadOfWritingUnderIt() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        byte[] v1 = RemoteFixture.random(RemoteFixture.MODEL_SIZE, 31);
        RemoteFixture.write(a.resolve("models/model.bin"), v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        byte[] v2 = RemoteFixture.random(RemoteFixture.MODEL_SIZE, 32);
        RemoteFixture.write(a.resolve("models/model.bin"), v2);
        f.ok("-C", "a", "train-commit", "-m", "v2");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");
        Path manifests = root.resolve("b/.git/mlv/store/manifests");
        long before;
        try (Stream<Path> files = Files.walk(manifests)) {
            before = files.filter(Files::isRegularFile).count();
        }

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (var gc = dev.mlv.store.StoreLock.acquire(root.resolve("b/.git/mlv/lock"),
                dev.mlv.store.StoreLock.Mode.EXCLUSIVE, java.time.Duration.ZERO, "test gc")) {
            // v1 was never downloaded: cat fetches it, but must not write while gc holds the store
            var cat = pool.submit(() -> f.mlv.run("-C", "b", "cat", "main~1:models/model.bin"));
            Thread.sleep(1500);
            assertThat(cat.isDone()).as("cat finished while gc held the store lock").isFalse();
            try (Stream<Path> files = Files.walk(manifests)) {
                assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(before);
            }
            gc.close();
            CliHarness.Result r = cat.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdoutBytes()).isEqualTo(v1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fsckInALazyCloneTellsNotDownloadedFromDamaged() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        byte[] v1 = RemoteFixture.random(RemoteFixture.MODEL_SIZE, 21);
        RemoteFixture.write(a.resolve("models/model.bin"), v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(RemoteFixture.MODEL_SIZE, 22));
        f.ok("-C", "a", "train-commit", "-m", "v2");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");

        // v1 is in history but was never downloaded: not damage
        JsonNode lazy = f.json("-C", "b", "fsck", "--json");
        assertThat(lazy.path("ok").asBoolean()).isTrue();
        assertThat(lazy.path("notDownloaded").asLong()).isEqualTo(1);
        assertThat(lazy.path("files").asLong()).isEqualTo(1);
        assertThat(lazy.path("warnings").toString()).contains("not downloaded");

        CliHarness.Result all = f.mlv.run("-C", "b", "fsck", "--all");
        assertThat(all.exitCode()).as(all.toString()).isEqualTo(ExitCodes.INTEGRITY);

        // damage to what was downloaded is still damage
        try (java.util.stream.Stream<Path> packs = Files.walk(root.resolve("b/.git/mlv/store/packs"))) {
            for (Path p : (Iterable<Path>) packs.filter(p -> p.toString().endsWith(".pack"))::iterator) {
                Files.delete(p);
            }
        }
        assertThat(f.mlv.run("-C", "b", "fsck").exitCode()).isEqualTo(ExitCodes.INTEGRITY);
        // and a full fetch makes --all pass
        f.ok("-C", "b", "fsck", "--repair");
        f.ok("-C", "b", "fetch", "--content");
        f.ok("-C", "b", "fsck", "--all");
    }

    @Test
    void aPrePushHookThatRejectsIsNamedNotCalledUnreachable() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(100_000, 31));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        Path hook = a.resolve(".git/hooks/pre-push");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, "#!/bin/sh\necho 'This repository is configured for Git LFS but git-lfs was not found' >&2\n"
                + "echo 'second line' >&2\nexit 2\n");
        hook.toFile().setExecutable(true);

        CliHarness.Result push = f.mlv.run("-C", "a", "push", "--json");
        assertThat(push.exitCode()).as(push.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(push.stdout()).contains("\"schema\" : \"mlv.error/1\"").contains("pre-push hook"); // --json: the error
        assertThat(push.stderr().strip().lines().count()).as(push.stderr()).isEqualTo(1);
        assertThat(push.stderr()).contains("pre-push hook").contains("exit code 2")
                .contains("configured for Git LFS").contains("second line").contains("git lfs uninstall --local")
                .doesNotContain("unreachable");

        // fsck and status say what to do about Git LFS's hooks in an mlv repository
        Files.writeString(hook, "#!/bin/sh\ncommand -v git-lfs >/dev/null 2>&1 || { echo >&2 'no git-lfs'; exit 2; }\n"
                + "git lfs pre-push \"$@\"\n");
        CliHarness.Result status = f.mlv.run("-C", "a", "status", "--json");
        assertThat(status.exitCode()).isZero();
        assertThat(status.stderr()).contains("Git LFS hooks are installed (.git/hooks/pre-push)")
                .contains("git lfs uninstall --local");
        assertThat(status.stdout()).contains("\"warnings\"");
        CliHarness.Result fsck = f.mlv.run("-C", "a", "fsck");
        assertThat(fsck.exitCode()).isZero();
        assertThat(fsck.stdout()).contains("warning: Git LFS hooks are installed");
        Files.delete(hook);
        assertThat(f.mlv.run("-C", "a", "status", "--json").stdout()).doesNotContain("warnings");
    }

    @Test
    void aRefusedPushSaysWhyAndWhatToDo() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(100_000, 41));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");

        // A push killed while the remote's ref was locked leaves the lock file, as git's would: the
        // next push names it and says when it is safe to delete, rather than asking for a pull.
        Path lock = f.bare.resolve("refs/heads/main.lock");
        Files.writeString(lock, "");
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(100_000, 42));
        f.ok("-C", "a", "train-commit", "-m", "v2");
        String before = f.remoteRef("refs/heads/main");
        CliHarness.Result locked = f.mlv.run("-C", "a", "push");
        assertThat(locked.exitCode()).as(locked.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(locked.stderr().strip().lines().count()).as(locked.stderr()).isEqualTo(1);
        assertThat(locked.stderr()).contains("refs/heads/main").contains("locked").contains(lock.toString())
                .contains("delete").doesNotContain("mlv pull");
        assertThat(f.remoteRef("refs/heads/main")).isEqualTo(before);
        Files.delete(lock);
        f.ok("-C", "a", "push");

        // A remote with commits this clone lacks: pull first.
        f.ok("clone", f.bare.toString(), "b");
        RemoteFixture.write(root.resolve("b/models/model.bin"), RemoteFixture.random(100_000, 43));
        f.ok("-C", "b", "train-commit", "-m", "from b");
        f.ok("-C", "b", "push");
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(100_000, 44));
        f.ok("-C", "a", "train-commit", "-m", "v3");
        CliHarness.Result behind = f.mlv.run("-C", "a", "push");
        assertThat(behind.exitCode()).as(behind.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(behind.stderr()).contains("it has commits you do not have").contains("mlv pull origin")
                .doesNotContain("lock");
    }

    @Test
    void plainGitCloneThenPullWritesTheRealFiles() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.mlv.testing.GitCli.available(), "git not on PATH");
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        byte[] v1 = RemoteFixture.random(RemoteFixture.MODEL_SIZE, 7);
        RemoteFixture.write(a.resolve("models/model.bin"), v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");

        // plain git, no mlv filter configured: the model arrives as its pointer
        GitCli git = new GitCli(root.resolve(".home"), root.resolve("scratch"));
        git.run(root, "clone", "-q", "-b", "main", f.bare.toString(), "plain").assertOk();
        Path plain = root.resolve("plain");
        assertThat(Files.readString(plain.resolve("models/model.bin"))).startsWith("version https://git-lfs.github.com/spec/v1");

        boolean hadFilter = !gitConfig(git, plain, "filter.mlv.process").isEmpty(); // a global one, if any
        JsonNode pull = f.json("-C", "plain", "pull", "--json");
        assertThat(pull.path("state").asText()).isEqualTo("up-to-date");
        assertThat(pull.path("filesUpdated").asInt()).isEqualTo(1);
        assertThat(Files.readAllBytes(plain.resolve("models/model.bin"))).isEqualTo(v1);
        assertThat(f.json("-C", "plain", "status", "--json").path("clean").asBoolean()).isTrue();
        // plain git must see those files as unchanged: pull configured the filter, unless git had one
        assertThat(gitConfig(git, plain, "filter.mlv.process")).endsWith("filter-process");
        assertThat(pull.path("filterConfigured").size()).isEqualTo(hadFilter ? 0 : 2);

        // mlv clone takes a path relative to where it runs
        f.ok("clone", root.relativize(f.bare).toString(), "rel", "--branch", "main");
        assertThat(Files.readAllBytes(root.resolve("rel/models/model.bin"))).isEqualTo(v1);
    }

    /** {@code git config --get KEY} in {@code repo}, as plain git sees it; empty when unset. */
    private static String gitConfig(GitCli git, Path repo, String key) throws Exception {
        return git.run(repo, "config", "--get", key).out().trim();
    }

    @Test
    void switchAndCatFetchContentLazily() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        f.ok("-C", "a", "train-commit", "--allow-empty", "-m", "store remote");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");

        byte[] exp = RemoteFixture.random(1 << 20, 7);
        f.ok("-C", "a", "switch", "--create", "exp");
        RemoteFixture.write(a.resolve("models/exp.bin"), exp);
        f.ok("-C", "a", "train-commit", "-m", "exp");
        f.ok("-C", "a", "push", "origin", "exp");

        f.ok("-C", "b", "fetch");
        CliHarness.Result cat = f.ok("-C", "b", "cat", "origin/exp:models/exp.bin");
        assertThat(cat.stdoutBytes()).isEqualTo(exp);
        f.ok("-C", "b", "switch", "--create", "exp2", "--from", "origin/exp");
        assertThat(Files.readAllBytes(root.resolve("b/models/exp.bin"))).isEqualTo(exp);
    }

    @Test
    void aCorruptRemoteChunkIsRefusedAndNothingIsWritten() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        byte[] v1 = RemoteFixture.random(1 << 20, 3);
        RemoteFixture.write(a.resolve("models/model.bin"), v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");
        String before = f.json("-C", "b", "log", "--json").toString();

        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(1 << 20, 4));
        f.ok("-C", "a", "train-commit", "-m", "v2");
        List<Path> packsBefore = packs(store);
        f.ok("-C", "a", "push");
        List<Path> newPacks = packs(store).stream().filter(p -> !packsBefore.contains(p)).toList();
        assertThat(newPacks).hasSize(1);
        byte[] pack = Files.readAllBytes(newPacks.get(0));
        pack[pack.length / 2] ^= 0x40;
        Files.write(newPacks.get(0), pack);

        CliHarness.Result pull = f.mlv.run("-C", "b", "pull");
        assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(pull.stderr()).contains("corrupt");
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(v1);
        assertThat(f.json("-C", "b", "log", "--json").toString()).isEqualTo(before);

        CliHarness.Result clone = f.mlv.run("clone", f.bare.toString(), "c");
        assertThat(clone.exitCode()).as(clone.toString()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(Files.exists(root.resolve("c"))).as("an incomplete clone is removed").isFalse();
    }

    @Test
    void pushWithoutAStoreRemoteOrToAMissingDirectoryFailsBeforeAnyRef() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path a = f.repo("a", "origin", root.resolve("no-such-dir").toString());
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(100_000, 5));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        CliHarness.Result r = f.mlv.run("-C", "a", "push");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.REMOTE_UNREACHABLE);
        assertThat(r.stderr()).contains("no-such-dir").contains("mkdir");
        assertThat(f.remoteRef("refs/heads/main")).isNull();
        CliHarness.Result noRemote = f.mlv.run("-C", "a", "push", "nowhere");
        assertThat(noRemote.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    private static List<Path> packs(Path store) throws Exception {
        try (Stream<Path> s = Files.walk(store.resolve("packs"))) {
            return s.filter(p -> p.toString().endsWith(".pack")).sorted().toList();
        }
    }
}
