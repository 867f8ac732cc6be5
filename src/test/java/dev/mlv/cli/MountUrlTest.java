package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.store.backend.S3ProxyFixture;
import dev.mlv.testing.Fuse;
import dev.mlv.testing.FuseSupport;
import dev.mlv.testing.S3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv mount URL#BRANCH DIR}, mounted for real, on a side with no clone at all: the branch is
 * fetched at depth 1 into a repository under the cache directory, its large files read from the
 * directory store remote its {@code .mlv/config.json} names, every byte as {@code mlv cat} of a
 * clone gives it; a second mount reuses that repository and its chunk cache; {@code --follow}
 * fetches the branch again.
 */
@Fuse
class MountUrlTest {
    @TempDir
    Path root;
    Path mnt;
    /** Where the mounting side runs: no repository here or above. */
    Path elsewhere;
    RemoteFixture f;
    Path a;

    @BeforeEach
    void setUp() throws Exception {
        FuseSupport.assumeAvailable();
        mnt = Files.createDirectories(root.resolve("mnt"));
        elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        f = new RemoteFixture(root.resolve("remote"));
        Path store = Files.createDirectories(f.root.resolve("store"));
        a = f.repo("a", "origin", store.toString());
    }

    @Test
    @Timeout(120)
    void mountsABareUrlsBranchFromItsStoreRemoteAndTheNextMountReusesTheFetchAndFollowsIt() throws Exception {
        byte[] old = RemoteFixture.random(500_000, 1);
        byte[] model = RemoteFixture.random(3_000_000, 2);
        RemoteFixture.write(a.resolve("models/model.bin"), old);
        f.ok("-C", "a", "train-commit", "-m", "v0");
        RemoteFixture.write(a.resolve("models/model.bin"), model);
        RemoteFixture.write(a.resolve("models/empty.bin"), new byte[0]);
        RemoteFixture.write(a.resolve("src/train.py"), "print('hi')\n".getBytes(StandardCharsets.UTF_8));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b"); // only for 'mlv cat'
        // the content lives only in the store remote and the Git objects only in the bare repository
        deleteTree(a);
        String url = f.bare.toUri() + "#main";

        Path fetched;
        try (Mounted m = new Mounted(elsewhere, "mount", url, mnt.toString(), "--json")) {
            while (m.stdout().isEmpty()) { // printed just after the note the constructor waits for
                Thread.sleep(20);
            }
            JsonNode json = RemoteFixture.JSON.readTree(m.stdout());
            fetched = Path.of(json.path("repository").asText());
            assertThat(fetched).startsWith(elsewhere.resolve(".home/.cache/mlv/mount"));
            assertThat(json.path("ref").asText()).isEqualTo(url);
            Map<String, Path> files = regularFiles(mnt);
            assertThat(files.keySet()).contains("models/model.bin", "models/empty.bin", "src/train.py", ".mlv/config.json");
            for (Map.Entry<String, Path> file : files.entrySet()) {
                byte[] expected = f.ok("-C", "b", "cat", "main:" + file.getKey()).stdoutBytes();
                assertThat(Files.readAllBytes(file.getValue())).as(file.getKey()).isEqualTo(expected);
            }
            assertThat(m.stderr()).contains("mlv: fetched " + url);
        }
        // a depth-1 fetch: the tip's parent was not fetched
        try (Repository git = new FileRepositoryBuilder().setGitDir(fetched.toFile()).build()) {
            assertThat(Files.exists(fetched.resolve("shallow"))).isTrue();
            String raw = new String(git.open(git.resolve("refs/heads/main")).getBytes(), StandardCharsets.UTF_8);
            String parent = raw.lines().filter(l -> l.startsWith("parent ")).findFirst().orElseThrow().substring(7);
            assertThat(git.getObjectDatabase().has(org.eclipse.jgit.lib.ObjectId.fromString(parent))).isFalse();
        }
        Path chunks = fetched.resolve("mlv/mount-cache/0/chunks");
        long cached = sizeOf(chunks);
        assertThat(cached).isGreaterThanOrEqualTo(model.length);
        long packs = packFiles(fetched);

        // the next mount of the URL reuses the repository (nothing new to fetch) and its chunk cache,
        // and follows the branch: a push shows at the next fetch
        try (Mounted m = new Mounted(elsewhere, "mount", "--follow", url, mnt.toString(), "--path", "models",
                "--interval", "300ms")) {
            assertThat(m.stderr()).contains("kept from an earlier mount");
            assertThat(packFiles(fetched)).isEqualTo(packs);
            Path file = mnt.resolve("model.bin");
            try (RandomAccessFile held = new RandomAccessFile(file.toFile(), "r")) {
                byte[] first = new byte[1000];
                held.readFully(first);
                assertThat(first).isEqualTo(Arrays.copyOf(model, 1000));
                assertThat(sizeOf(chunks)).isEqualTo(cached);

                byte[] v2 = RemoteFixture.random(200_000, 3);
                RemoteFixture.write(f.root.resolve("b/models/model.bin"), v2);
                f.ok("-C", "b", "train-commit", "-m", "v2");
                f.ok("-C", "b", "push");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Arrays.equals(Files.readAllBytes(file), v2)) {
                    assertThat(System.nanoTime()).as("the mount never showed v2; stderr: " + m.stderr()).isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(m.stderr()).contains(url + " moved to");
                byte[] rest = new byte[model.length - 1000];
                held.readFully(rest);
                assertThat(rest).isEqualTo(Arrays.copyOfRange(model, 1000, model.length));
            }
        }
        assertThat(MountTest.mountType(mnt)).isNull();
    }

    /** The same from an S3 store remote (S3Proxy on loopback; the push is most of the time, the mount about 2 s). */
    @Test
    @S3
    @Timeout(120)
    void readsTheLargeFilesFromAnS3StoreRemote() throws Exception {
        try (S3ProxyFixture s3 = S3ProxyFixture.start()) {
            RemoteFixture g = new RemoteFixture(root.resolve("s3"));
            Path c = g.repo("c", "origin", "s3://" + s3.bucket() + "/team/model", "--endpoint", s3.endpoint().toString(),
                    "--region", "us-east-1", "--path-style");
            byte[] model = RemoteFixture.random(2_000_000, 5);
            RemoteFixture.write(c.resolve("models/model.bin"), model);
            g.ok("-C", "c", "train-commit", "-m", "v1");
            g.ok("-C", "c", "push");
            deleteTree(c);
            try (Mounted m = new Mounted(elsewhere, "mount", g.bare.toUri() + "#main", mnt.toString(), "--path", "models")) {
                assertThat(Files.size(mnt.resolve("model.bin"))).isEqualTo(model.length);
                assertThat(Files.readAllBytes(mnt.resolve("model.bin"))).isEqualTo(model);
            }
        }
    }

    // --- helpers

    /** A mount running in this JVM on its own thread, as {@code mlv mount} runs in the foreground; waits until mounted. */
    private final class Mounted implements AutoCloseable {
        final Thread thread;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final AtomicInteger exit = new AtomicInteger(-1);

        Mounted(Path workDir, String... args) throws Exception {
            Map<String, String> env = new HashMap<>(Map.of("HOME", workDir.resolve(".home").toString(), "GIT_CONFIG_NOSYSTEM", "1",
                    "XDG_CONFIG_HOME", root.resolve(".config").toString()));
            CliEnvironment environment = new CliEnvironment(workDir, env, Clock.systemUTC(), new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
            thread = new Thread(() -> exit.set(Cli.run(environment, args)), "mount-under-test");
            thread.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stderr().contains("mlv: mounted ")) {
                if (!thread.isAlive() || System.nanoTime() > deadline) {
                    thread.interrupt();
                    throw new AssertionError("not mounted: exit " + exit.get() + ", stderr: " + stderr());
                }
                Thread.sleep(50);
            }
            assertThat(MountTest.mountType(mnt)).isEqualTo("fuse.mlv");
        }

        String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String stderr() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() throws Exception {
            thread.interrupt();
            thread.join(30_000);
            assertThat(thread.isAlive()).isFalse();
            assertThat(exit.get()).as(stderr()).isZero();
        }
    }

    private static Map<String, Path> regularFiles(Path top) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(top)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> files.put(top.relativize(p).toString(), p));
        }
        return files;
    }

    private static long sizeOf(Path top) throws IOException {
        try (Stream<Path> files = Files.walk(top)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long packFiles(Path gitDir) throws IOException {
        try (Stream<Path> files = Files.list(gitDir.resolve("objects/pack"))) {
            return files.filter(p -> p.toString().endsWith(".pack")).count();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
