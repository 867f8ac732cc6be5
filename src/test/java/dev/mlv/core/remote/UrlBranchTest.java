package dev.mlv.core.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.StoreRemote;
import dev.mlv.serve.MlvServer;
import dev.mlv.serve.ServeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UrlBranch} over Git's smart HTTP ({@code mlv serve}, JGit's upload-pack): a depth-1 fetch
 * into the cache directory, the store remote from the fetched commit's {@code .mlv/config.json},
 * the repository reused by the next open, and {@link UrlBranch#fetch} bringing a new commit.
 * ({@code MountUrlTest} mounts a {@code file://} URL.)
 */
class UrlBranchTest {
    @TempDir
    Path root;

    @Test
    @Timeout(60)
    void fetchesABranchAtDepthOneOverSmartHttpReusesItsRepositoryAndFetchesItAgain() throws Exception {
        assertThat(new CliHarness(root).run("init", "a").exitCode()).isZero();
        Path a = root.resolve("a");
        CliHarness mlv = new CliHarness(a);
        Path store = Files.createDirectories(root.resolve("store"));
        assertThat(mlv.run("store", "remote", "set", "origin", store.toString()).exitCode()).isZero();
        Files.writeString(a.resolve("notes.txt"), "v1\n");
        assertThat(mlv.run("train-commit", "-m", "v1").exitCode()).isZero();
        Files.writeString(a.resolve("notes.txt"), "v2\n");
        assertThat(mlv.run("train-commit", "-m", "v2").exitCode()).isZero();
        Session session = new Session(Clock.systemUTC(), Map.of("HOME", root.resolve("home").toString()));

        try (MlvRepository served = MlvRepository.open(a, session);
             MlvServer server = MlvServer.start(served, ServeOptions.defaults())) {
            UrlBranch.Source source = UrlBranch.Source.parse(server.gitUri() + "#main", root);
            UrlBranch branch = new UrlBranch(session, source);
            Path dir;
            String first;
            try (MlvRepository fetched = branch.open().repository()) {
                dir = fetched.directory();
                assertThat(dir).startsWith(root.resolve("home/.cache/mlv/mount"));
                assertThat(fetched.isBare()).isTrue();
                assertThat(StoreRemote.pick(fetched.config(), null).url()).isEqualTo(store.toString());
                first = fetched.git().resolve("refs/heads/main").name();
                assertThat(first).isEqualTo(served.git().resolve("refs/heads/main").name());
            }
            assertParentNotFetched(dir, first);

            // the next open of the URL reuses the repository
            UrlBranch.Result again = branch.open();
            again.repository().close();
            assertThat(again.created()).isFalse();
            assertThat(again.directory()).isEqualTo(dir);
            assertThat(again.commit()).isEqualTo(first);

            Files.writeString(a.resolve("notes.txt"), "v3\n");
            assertThat(mlv.run("train-commit", "-m", "v3").exitCode()).isZero();
            String moved = branch.fetch();
            assertThat(moved).isNotEqualTo(first).isEqualTo(served.git().resolve("refs/heads/main").name());
        }
    }

    @Test
    void tellsUrlsFromRefsAndRequiresTheBranch() throws Exception {
        Path base = Files.createDirectories(root.resolve("base"));
        Files.createDirectories(base.resolve("repo.git"));
        for (String url : new String[] {"https://host/r.git#main", "git@host:r.git#main", "/srv/r.git#main", "./r#x",
                "file:///srv/r.git", "repo.git#main"}) {
            assertThat(UrlBranch.Source.isUrl(url, base)).as(url).isTrue();
        }
        for (String ref : new String[] {"main", "origin/main", "HEAD~1", "a1b2c3d", "v1.0#x"}) {
            assertThat(UrlBranch.Source.isUrl(ref, base)).as(ref).isFalse();
        }
        assertThat(UrlBranch.Source.parse("repo.git#dev", base)).isEqualTo(
                new UrlBranch.Source(base.resolve("repo.git").toString(), "dev"));
        assertThat(UrlBranch.Source.parse("https://u:pw@host/r.git#main", base).display()).isEqualTo("https://u@host/r.git#main");
        // one cache directory per URL, whatever the password
        Session session = new Session(Clock.systemUTC(), Map.of("HOME", "/home/u"));
        Path one = new UrlBranch(session, UrlBranch.Source.parse("https://u:pw@host/r.git#main", base)).directory();
        Path two = new UrlBranch(session, UrlBranch.Source.parse("https://u:other@host/r.git#dev", base)).directory();
        assertThat(one).isEqualTo(two);
        assertThat(one.getParent()).isEqualTo(Path.of("/home/u/.cache/mlv/mount"));
        assertThat(one.getFileName().toString()).startsWith("r-").endsWith(".git").doesNotContain("pw");
        // a local path and its file:// URL (with or without a trailing /) share one
        Path local = new UrlBranch(session, UrlBranch.Source.parse(base.resolve("repo.git") + "#main", base)).directory();
        assertThat(new UrlBranch(session, UrlBranch.Source.parse(base.resolve("repo.git").toUri() + "#main", base)).directory())
                .isEqualTo(local);
        assertThat(new UrlBranch(session, UrlBranch.Source.parse("file://" + base.resolve("repo.git") + "#dev", base)).directory())
                .isEqualTo(local);
        Session xdg = new Session(Clock.systemUTC(), Map.of("HOME", "/home/u", "XDG_CACHE_HOME", "/var/cache/u"));
        assertThat(UrlBranch.cacheRoot(xdg)).isEqualTo(Path.of("/var/cache/u/mlv/mount"));
    }

    /** The fetch was shallow: the commit's parent is named but not there. */
    private static void assertParentNotFetched(Path gitDir, String commit) throws Exception {
        try (Repository git = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build()) {
            assertThat(Files.readString(gitDir.resolve("shallow"))).contains(commit);
            String raw = new String(git.open(ObjectId.fromString(commit)).getBytes(), StandardCharsets.UTF_8);
            String parent = raw.lines().filter(l -> l.startsWith("parent ")).findFirst().orElseThrow().substring(7);
            assertThat(git.getObjectDatabase().has(ObjectId.fromString(parent))).isFalse();
        }
    }
}
