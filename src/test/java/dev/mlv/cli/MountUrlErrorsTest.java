package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv mount URL#BRANCH DIR}'s refusals, which come before anything is mounted (no FUSE
 * needed): one line, the right exit code, nothing mounted and no fetched repository left behind.
 */
class MountUrlErrorsTest {
    @TempDir
    Path root;
    Path elsewhere;
    Path mnt;
    CliHarness mlv;
    /** The cache directory the harness's HOME gives. */
    Path cache;

    @BeforeEach
    void setUp() throws Exception {
        elsewhere = Files.createDirectories(root.resolve("elsewhere")); // no repository here
        mnt = Files.createDirectories(root.resolve("mnt"));
        mlv = new CliHarness(elsewhere);
        cache = elsewhere.resolve(".home/.cache/mlv/mount");
    }

    private CliHarness.Result fails(int exit, String... args) throws Exception {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        assertThat(r.stderr().strip().lines().count()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(MountTest.mountType(mnt)).isNull();
        return r;
    }

    /** The fetched repositories kept in the cache (none after a failed first fetch). */
    private long cachedRepositories() throws Exception {
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".git")).count();
        }
    }

    @Test
    @Timeout(60)
    void aUrlWithoutBranchAnUnreachableUrlAndAMissingBranchAreRefusedLeavingNothing() throws Exception {
        Path bare = root.resolve("origin.git");
        try (Git ignored = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
            // a bare repository with one branch, pushed below
        }
        assertThat(new CliHarness(root).run("init", "a").exitCode()).isZero();
        CliHarness a = new CliHarness(root.resolve("a"));
        assertThat(a.run("remote", "add", "origin", bare.toString()).exitCode()).isZero();
        assertThat(a.run("train-commit", "--allow-empty", "-m", "first").exitCode()).isZero();
        assertThat(a.run("push").exitCode()).isZero();
        String url = bare.toUri().toString();

        CliHarness.Result r = fails(ExitCodes.USAGE, "mount", url, mnt.toString());
        assertThat(r.stderr()).contains("URL#BRANCH").contains("#main");
        r = fails(ExitCodes.USAGE, "mount", "--follow", url, mnt.toString());
        assertThat(r.stderr()).contains("URL#BRANCH");

        r = fails(ExitCodes.NOT_FOUND, "mount", url + "#nope", mnt.toString());
        assertThat(r.stderr()).contains("has no branch 'nope'").contains("its branches: main");
        r = fails(ExitCodes.REMOTE_UNREACHABLE, "mount", root.resolve("missing.git").toUri() + "#main", mnt.toString());
        assertThat(r.stderr()).contains("missing.git");
        r = fails(ExitCodes.REMOTE_UNREACHABLE, "mount", "http://127.0.0.1:9/repo.git#main", mnt.toString());
        assertThat(r.stderr()).contains("127.0.0.1:9");
        // a password in the URL is never repeated
        r = fails(ExitCodes.REMOTE_UNREACHABLE, "mount", "http://me:s3cret@127.0.0.1:9/repo.git#main", mnt.toString());
        assertThat(r.stderr()).doesNotContain("s3cret");
        assertThat(cachedRepositories()).isZero();

        // a mount point that is missing, or not empty, is refused before the URL is fetched
        r = fails(ExitCodes.NOT_FOUND, "mount", "http://127.0.0.1:9/repo.git#main", root.resolve("nowhere").toString());
        assertThat(r.stderr()).contains("mkdir -p");
        Files.writeString(mnt.resolve("x"), "x");
        r = fails(ExitCodes.USAGE, "mount", "http://127.0.0.1:9/repo.git#main", mnt.toString());
        assertThat(r.stderr()).contains("not empty");
        Files.delete(mnt.resolve("x"));
        r = fails(ExitCodes.USAGE, "mount", "http://127.0.0.1:9/repo.git#main", mnt.toString(), "--cache-size", "1M");
        assertThat(r.stderr()).contains("at least 256 MiB");
        assertThat(cachedRepositories()).isZero();
    }

    @Test
    @Timeout(60)
    void largeFilesWithoutAStoreRemoteOrWithARelativeOneAreRefusedSayingWhatToConfigure() throws Exception {
        RemoteFixture f = new RemoteFixture(root.resolve("remote"));
        Path store = Files.createDirectories(f.root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        RemoteFixture.write(a.resolve("models/m.bin"), RemoteFixture.random(100_000, 1));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        String url = f.bare.toUri() + "#main";

        // the store remote dropped from .mlv/config.json (pushed by plain Git: mlv's push would need one)
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) RemoteFixture.JSON.readTree(a.resolve(".mlv/config.json").toFile());
        config.remove("store");
        RemoteFixture.JSON.writeValue(a.resolve(".mlv/config.json").toFile(), config);
        assertThat(Files.readString(a.resolve(".mlv/config.json"))).doesNotContain(store.toString());
        f.ok("-C", "a", "train-commit", "-m", "no store remote");
        try (Git git = Git.open(a.toFile())) {
            git.push().setRemote("origin").call();
        }
        CliHarness.Result r = fails(ExitCodes.NOT_FOUND, "mount", url, mnt.toString());
        assertThat(r.stderr()).contains("names no store remote").contains("mlv store remote set origin");

        // a relative directory: relative to a clone's work tree, which a mount of a URL has not
        f.ok("-C", "a", "store", "remote", "set", "origin", "../store");
        f.ok("-C", "a", "train-commit", "-m", "relative store remote");
        try (Git git = Git.open(a.toFile())) {
            git.push().setRemote("origin").call();
        }
        r = fails(ExitCodes.USAGE, "mount", url, mnt.toString());
        assertThat(r.stderr()).contains("relative path (../store)");
    }
}
