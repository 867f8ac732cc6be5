package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.testing.Fuse;
import dev.mlv.testing.FuseSupport;
import dev.mlv.testing.Slow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv mount}, mounted for real: every byte, size, mode, link and mtime of the mount agrees
 * with {@code mlv cat} and the commit; {@code --follow} swaps the tree for new opens only;
 * SIGTERM unmounts, and a mount left by a killed process is cleaned up by the next one.
 */
@Fuse
class MountTest {
    private static final String UNICODE_DIR = "data dir/ünïcödé ✓";

    @TempDir
    Path root;
    Path repo;
    Path mnt;
    CliHarness mlv;

    @BeforeEach
    void setUp() throws IOException {
        FuseSupport.assumeAvailable();
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        repo = root.resolve("p");
        mnt = Files.createDirectories(root.resolve("mnt"));
        mlv = new CliHarness(repo);
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    @Timeout(120)
    void everyFileLinkModeAndTimeMatchesTheCommit() throws Exception {
        Files.createDirectories(repo.resolve("models"));
        Files.write(repo.resolve("models/model.bin"), random(700_000, 1));
        Files.write(repo.resolve("models/empty.bin"), new byte[0]);
        Files.createDirectories(repo.resolve(UNICODE_DIR));
        Files.writeString(repo.resolve(UNICODE_DIR + "/naïve file.txt"), "héllo wörld\n");
        Files.write(repo.resolve("empty.txt"), new byte[0]);
        Files.writeString(repo.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(repo.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(repo.resolve("latest"), Path.of("models/model.bin"));
        ok("train-commit", "-m", "all kinds of files");

        try (Mounted m = mount("mount", "main", mnt.toString())) {
            Map<String, Path> files = regularFiles(mnt);
            assertThat(files.keySet()).contains("models/model.bin", "models/empty.bin", UNICODE_DIR + "/naïve file.txt",
                    "empty.txt", "run.sh", ".mlv/config.json");
            for (Map.Entry<String, Path> f : files.entrySet()) {
                byte[] expected = ok("cat", "main:" + f.getKey()).stdoutBytes();
                assertThat(Files.readAllBytes(f.getValue())).as(f.getKey()).isEqualTo(expected);
                assertThat(Files.size(f.getValue())).as(f.getKey()).isEqualTo(expected.length);
                assertThat(Files.getLastModifiedTime(f.getValue()).toInstant()).isEqualTo(CliHarness.NOW);
            }
            assertThat(Files.size(mnt.resolve("models/empty.bin"))).isZero();
            assertThat(Files.isSymbolicLink(mnt.resolve("latest"))).isTrue();
            assertThat(Files.readSymbolicLink(mnt.resolve("latest"))).isEqualTo(Path.of("models/model.bin"));
            assertThat(Files.readAllBytes(mnt.resolve("latest"))).isEqualTo(random(700_000, 1));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mnt.resolve("run.sh")))).isEqualTo("r-xr-xr-x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mnt.resolve("empty.txt")))).isEqualTo("r--r--r--");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mnt.resolve(UNICODE_DIR))))
                    .isEqualTo("r-xr-xr-x");
            assertThat(Files.getLastModifiedTime(mnt.resolve("models")).toInstant()).isEqualTo(CliHarness.NOW);
            try (Stream<Path> listed = Files.list(mnt); Stream<Path> committed = Files.list(repo)) {
                assertThat(listed.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrderElementsOf(committed.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".git")).toList())
                        .contains("data dir", "empty.txt", "latest", "models", "run.sh");
            }
            // what the shell's tools see, too
            assertThat(run("stat", "-c", "%s %A", mnt.resolve("models/model.bin").toString())).isEqualTo("700000 -r--r--r--\n");
            assertThat(run("ls", mnt.resolve(UNICODE_DIR).toString())).isEqualTo("naïve file.txt\n");

            // random reads touch the right bytes
            byte[] model = random(700_000, 1);
            Random offsets = new Random(7);
            try (RandomAccessFile raf = new RandomAccessFile(mnt.resolve("models/model.bin").toFile(), "r")) {
                for (int i = 0; i < 50; i++) {
                    int at = offsets.nextInt(model.length);
                    byte[] got = new byte[Math.min(1 + offsets.nextInt(20_000), model.length - at)];
                    raf.seek(at);
                    raf.readFully(got);
                    assertThat(got).as("at " + at).isEqualTo(java.util.Arrays.copyOfRange(model, at, at + got.length));
                }
                raf.seek(model.length - 3);
                assertThat(raf.read(new byte[10])).isEqualTo(3);
                assertThat(raf.read()).isEqualTo(-1);
            }
            // mmap, as model loaders read weights
            assertThat(mapped(mnt.resolve("models/model.bin"))).isEqualTo(model);
            System.gc(); // unmaps it: a lazy unmount ends the session only once no mapping holds the file
            // read-only
            assertThat(writeFails(mnt.resolve("empty.txt"))).isTrue();
            assertThat(writeFails(mnt.resolve("new.txt"))).isTrue();

            // unmounted from outside: the command ends, successfully
            assertThat(run("fusermount", "-u", "-z", mnt.toString())).isEmpty(); // -z: the mapping above lives until GC
            m.thread.join(30_000);
            assertThat(m.exit.get()).as(m.stderr()).isZero();
            assertThat(m.stderr()).contains("was unmounted");
        }
        assertThat(mountType(mnt)).isNull();
    }

    @Test
    @Timeout(120)
    void followingABranchGivesNewOpensTheNewCommitWhileOpenFilesKeepTheirs() throws Exception {
        byte[] v1 = random(400_000, 11);
        byte[] v2 = random(300_000, 12);
        Files.createDirectories(repo.resolve("models"));
        Files.write(repo.resolve("models/m.bin"), v1);
        ok("train-commit", "-m", "v1");

        try (Mounted m = mount("mount", "--follow", "main", mnt.toString(), "--path", "models/", "--interval", "100ms")) {
            Path file = mnt.resolve("m.bin");
            try (RandomAccessFile held = new RandomAccessFile(file.toFile(), "r")) {
                byte[] first = new byte[1000];
                held.readFully(first);
                assertThat(first).isEqualTo(java.util.Arrays.copyOf(v1, 1000));

                Files.write(repo.resolve("models/m.bin"), v2);
                ok("train-commit", "-m", "v2");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!java.util.Arrays.equals(Files.readAllBytes(file), v2)) {
                    assertThat(System.nanoTime()).as("the mount never showed v2; stderr: " + m.stderr()).isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(Files.size(file)).isEqualTo(v2.length);
                assertThat(m.stderr()).contains("main moved to");

                // the reader that opened v1 keeps reading v1, to its own end
                byte[] rest = new byte[v1.length - 1000];
                held.readFully(rest);
                assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(v1, 1000, v1.length));
                held.seek(0);
                byte[] again = new byte[v1.length];
                held.readFully(again);
                assertThat(again).isEqualTo(v1);
            }
        }
    }

    @Test
    @Timeout(180)
    void followingARemotesBranchFetchesItAtTheIntervalAndOpenFilesKeepTheirVersion() throws Exception {
        RemoteFixture f = new RemoteFixture(root.resolve("remote"));
        Path store = Files.createDirectories(f.root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        byte[] v1 = random(400_000, 41);
        byte[] v2 = random(300_000, 42);
        RemoteFixture.write(a.resolve("models/m.bin"), v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");
        Path b = f.root.resolve("b");
        // 'origin/main' is no local branch: the mount follows the remote's, fetching it

        try (Mounted m = mountIn(b, "mount", "--follow", "origin/main", mnt.toString(), "--path", "models",
                "--interval", "300ms")) {
            Path file = mnt.resolve("m.bin");
            try (RandomAccessFile held = new RandomAccessFile(file.toFile(), "r")) {
                byte[] first = new byte[1000];
                held.readFully(first);
                assertThat(first).isEqualTo(java.util.Arrays.copyOf(v1, 1000));

                RemoteFixture.write(a.resolve("models/m.bin"), v2);
                f.ok("-C", "a", "train-commit", "-m", "v2");
                f.ok("-C", "a", "push");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!java.util.Arrays.equals(Files.readAllBytes(file), v2)) {
                    assertThat(System.nanoTime()).as("the mount never showed v2; stderr: " + m.stderr()).isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(m.stderr()).contains("origin/main moved to");
                byte[] rest = new byte[v1.length - 1000];
                held.readFully(rest);
                assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(v1, 1000, v1.length));
            }
        }
        CliHarness.Result unknown = new CliHarness(b).run("mount", "--follow", "nowhere/main", mnt.toString());
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.stderr()).contains("no branch 'nowhere/main' to follow");
    }

    @Test
    @Timeout(60)
    void refusesABadRefAPathThatIsNoDirectoryAndANonEmptyMountPointChangingNothing() throws Exception {
        Files.createDirectories(repo.resolve("models"));
        Files.write(repo.resolve("models/m.bin"), random(1000, 3));
        ok("train-commit", "-m", "v1");
        CliHarness.Result r = mlv.run("mount", "nope", mnt.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("nope");
        r = mlv.run("mount", "main", mnt.toString(), "--path", "models/m.bin");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("not a directory");
        Files.writeString(mnt.resolve("x"), "x");
        r = mlv.run("mount", "main", mnt.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("not empty");
        r = mlv.run("mount", "main", "--follow", "main", mnt.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(mountType(mnt)).isNull();
    }

    @Test
    @Timeout(120)
    void contentMissingFromALazyCloneIsReadChunkByChunkFromTheStoreRemoteIntoTheCacheNotTheStore() throws Exception {
        RemoteFixture f = new RemoteFixture(root.resolve("remote"));
        Path store = Files.createDirectories(f.root.resolve("store"));
        Path a = f.repo("a", "origin", store.toString());
        byte[] v1 = random(3_000_000, 31);
        RemoteFixture.write(a.resolve("models/model.bin"), v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        RemoteFixture.write(a.resolve("models/model.bin"), random(500_000, 32));
        f.ok("-C", "a", "train-commit", "-m", "v2");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");
        Path b = f.root.resolve("b");
        assertThat(f.json("-C", "b", "fsck", "--json").path("notDownloaded").asLong()).isEqualTo(1);

        try (Mounted m = mountIn(b, "mount", "main~1", mnt.toString(), "--path", "models", "--cache-size", "300M")) {
            assertThat(Files.size(mnt.resolve("model.bin"))).isEqualTo(v1.length);
            // a read in the middle: only its chunks come into the cache
            try (RandomAccessFile raf = new RandomAccessFile(mnt.resolve("model.bin").toFile(), "r")) {
                byte[] got = new byte[100];
                raf.seek(2_000_000);
                raf.readFully(got);
                assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(v1, 2_000_000, 2_000_100));
            }
            Path cache = f.root.resolve("b/.git/mlv/mount-cache/0/chunks");
            long cached = sizeOf(cache);
            assertThat(cached).isPositive().isLessThan(v1.length);
            assertThat(Files.readAllBytes(mnt.resolve("model.bin"))).isEqualTo(v1);
            assertThat(sizeOf(cache)).isGreaterThanOrEqualTo(v1.length);
        }
        // the local store did not get it: the cache holds it
        assertThat(f.json("-C", "b", "fsck", "--json").path("notDownloaded").asLong()).isEqualTo(1);
        CliHarness.Result tooSmall = new CliHarness(b).run("mount", "main~1", mnt.toString(), "--cache-size", "1M");
        assertThat(tooSmall.exitCode()).as(tooSmall.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooSmall.stderr()).contains("at least 256 MiB");
        assertThat(mountType(mnt)).isNull();
    }

    private static long sizeOf(Path top) throws IOException {
        try (Stream<Path> files = Files.walk(top)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    @Timeout(120)
    void aDataSubmoduleShowsItsPinnedCommitsFiles() throws Exception {
        CliHarness atRoot = new CliHarness(root);
        assertThat(atRoot.run("init", "datasets").exitCode()).isZero();
        CliHarness inData = new CliHarness(root.resolve("datasets"));
        assertThat(inData.run("track", "*.csv").exitCode()).isZero();
        Files.writeString(root.resolve("datasets/data.csv"), "id,value\n1,10\n");
        assertThat(inData.run("train-commit", "-m", "snapshot 1").exitCode()).isZero();
        ok("data", "add", "../datasets");
        ok("train-commit", "--allow-empty", "-m", "with data");

        try (Mounted m = mount("mount", "main", mnt.toString())) {
            assertThat(Files.readString(mnt.resolve("data/data.csv"))).isEqualTo("id,value\n1,10\n");
            assertThat(Files.readAllBytes(mnt.resolve("data/data.csv"))).isEqualTo(
                    new CliHarness(repo.resolve("data")).run("cat", "HEAD:data.csv").stdoutBytes());
        }
        // without the submodule's checkout, the pinned commit is not available: an empty directory
        Files.move(repo.resolve("data/.git"), root.resolve("data.git-file"));
        try (Mounted m = mount("mount", "main", mnt.toString())) {
            assertThat(Files.isDirectory(mnt.resolve("data"))).isTrue();
            try (Stream<Path> inside = Files.list(mnt.resolve("data"))) {
                assertThat(inside).isEmpty();
            }
        }
    }

    @Test
    @Slow
    @Timeout(180)
    void sigtermUnmountsAndAMountLeftByAKilledProcessIsCleanedUpByTheNext() throws Exception {
        byte[] model = random(200_000, 5);
        Files.createDirectories(repo.resolve("models"));
        Files.write(repo.resolve("models/m.bin"), model);
        ok("train-commit", "-m", "v1");

        Process terminated = mountProcess();
        awaitMounted(mnt, terminated);
        assertThat(Files.readAllBytes(mnt.resolve("models/m.bin"))).isEqualTo(model);
        terminated.destroy(); // SIGTERM
        assertThat(terminated.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(mountType(mnt)).isNull();
        assertThat(Files.list(mnt).count()).isZero();

        Process killed = mountProcess();
        awaitMounted(mnt, killed);
        killed.destroyForcibly(); // SIGKILL: no chance to unmount
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(mountType(mnt)).startsWith("fuse");
        assertThat(statFails(mnt)).isTrue();

        try (Mounted m = mount("mount", "main", mnt.toString())) {
            assertThat(m.stderr()).contains("cleaned up a stale mount");
            assertThat(Files.readAllBytes(mnt.resolve("models/m.bin"))).isEqualTo(model);
        }
        assertThat(mountType(mnt)).isNull();
    }

    @Test
    @Slow
    @Timeout(300)
    void aBiggerFileReadsBackWholeAndByRanges() throws Exception {
        int size = 48 << 20;
        Files.createDirectories(repo.resolve("models"));
        try (var out = Files.newOutputStream(repo.resolve("models/big.bin"))) {
            Random r = new Random(9);
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < size / block.length; i++) {
                r.nextBytes(block);
                if (i % 3 == 0) {
                    java.util.Arrays.fill(block, (byte) 0); // sparse-looking stretches
                }
                out.write(block);
            }
        }
        ok("train-commit", "-m", "big");
        byte[] expected = ok("cat", "main:models/big.bin").stdoutBytes();
        try (Mounted m = mount("mount", "main", mnt.toString(), "--path", "models")) {
            Path big = mnt.resolve("big.bin");
            assertThat(Files.size(big)).isEqualTo(size);
            assertThat(sha256(Files.newInputStream(big))).isEqualTo(sha256(new ByteArrayInputStream(expected)));
            try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "r")) {
                Random offsets = new Random(1);
                for (int i = 0; i < 20; i++) {
                    long at = (long) (offsets.nextDouble() * (size - 4096));
                    byte[] got = new byte[4096];
                    raf.seek(at);
                    raf.readFully(got);
                    assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(expected, (int) at, (int) at + 4096));
                }
            }
        }
    }

    /**
     * A big-file test: a file just over 2 GiB, mostly zeros with random stretches (sparse on disk, as an
     * unfilled weights file looks), committed, mounted and compared byte for byte with
     * {@code mlv cat}, across the 2 GiB offsets a 32-bit position would get wrong.
     */
    @Test
    @Slow
    @Timeout(1200)
    void aTwoGibSparseLookingFileReadsBackEveryByteAsMlvCatGivesIt() throws Exception {
        long size = (2L << 30) + 12_345; // past 2^31: offsets beyond a 32-bit int
        Files.createDirectories(repo.resolve("models"));
        Path big = repo.resolve("models/sparse.bin");
        Random r = new Random(23);
        long[] stretches = {0, 700L << 20, (1L << 31) - (3 << 20), (1L << 31) - 5000, size - 1_000_000};
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(size); // holes read as zeros
            for (long at : stretches) {
                byte[] b = new byte[(int) Math.min(1 << 20, size - at)];
                r.nextBytes(b);
                raf.seek(at);
                raf.write(b);
            }
        }
        ok("track", "models/*.bin");
        ok("train-commit", "-m", "a 2 GiB sparse-looking model");
        Files.delete(big); // the disk holds the store's copy, the cat's and the mount's reads only
        Path catOut = root.resolve("cat.bin");
        ok("cat", "main:models/sparse.bin", "-o", catOut.toString());
        assertThat(Files.size(catOut)).isEqualTo(size);
        try (Mounted m = mount("mount", "main", mnt.toString(), "--path", "models")) {
            Path mounted = mnt.resolve("sparse.bin");
            assertThat(Files.size(mounted)).isEqualTo(size);
            assertThat(sha256(Files.newInputStream(mounted))).isEqualTo(sha256(Files.newInputStream(catOut)));
            try (RandomAccessFile viaMount = new RandomAccessFile(mounted.toFile(), "r");
                 RandomAccessFile viaCat = new RandomAccessFile(catOut.toFile(), "r")) {
                for (long at : new long[] {(1L << 31) - 4096, (1L << 31) - 10, size - 4096, 700L << 20}) {
                    byte[] got = new byte[4096];
                    byte[] want = new byte[4096];
                    viaMount.seek(at);
                    viaMount.readFully(got);
                    viaCat.seek(at);
                    viaCat.readFully(want);
                    assertThat(got).as("at " + at).isEqualTo(want);
                }
            }
        }
    }

    // --- helpers

    /** A mount running in this JVM on its own thread, as {@code mlv mount} runs in the foreground. */
    private final class Mounted implements AutoCloseable {
        final Thread thread;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final AtomicInteger exit = new AtomicInteger(-1);

        Mounted(Path workDir, String... args) {
            Map<String, String> env = new HashMap<>(Map.of("HOME", root.resolve(".home").toString(), "GIT_CONFIG_NOSYSTEM", "1"));
            CliEnvironment environment = new CliEnvironment(workDir, env, Clock.systemUTC(),
                    new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);
            thread = new Thread(() -> exit.set(Cli.run(environment, args)), "mount-under-test");
            thread.start();
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

    private Mounted mount(String... args) throws Exception {
        return mountIn(repo, args);
    }

    private Mounted mountIn(Path workDir, String... args) throws Exception {
        Mounted m = new Mounted(workDir, args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!m.stderr().contains("mlv: mounted ")) {
            if (!m.thread.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("not mounted: exit " + m.exit.get() + ", stderr: " + m.stderr());
            }
            Thread.sleep(50);
        }
        assertThat(mountType(mnt)).isEqualTo("fuse.mlv");
        return m;
    }

    private Process mountProcess() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                Main.class.getName(), "-C", repo.toString(), "mount", "main", mnt.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("mount-process.log").toFile());
        pb.environment().put("HOME", root.resolve(".home").toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        return pb.start();
    }

    private void awaitMounted(Path dir, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"fuse.mlv".equals(mountType(dir))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("not mounted: " + Files.readString(root.resolve("mount-process.log")));
            }
            Thread.sleep(50);
        }
    }

    /** The type mounted at {@code dir} per /proc/self/mountinfo (space as \040), or null. */
    static String mountType(Path dir) throws IOException {
        String type = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1)) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].replace("\\040", " ").equals(dir.toString())) {
                type = line.substring(line.indexOf(" - ") + 3).split(" ")[0];
            }
        }
        return type;
    }

    private static Map<String, Path> regularFiles(Path top) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(top)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> files.put(top.relativize(p).toString(), p));
        }
        return files;
    }

    private static byte[] mapped(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.MappedByteBuffer map = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size());
            byte[] bytes = new byte[map.remaining()];
            map.get(bytes);
            return bytes;
        }
    }

    private static boolean writeFails(Path file) {
        try {
            Files.writeString(file, "x");
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean statFails(Path dir) {
        try {
            Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class);
            return false;
        } catch (FileSystemException e) {
            return String.valueOf(e.getReason()).contains("not connected");
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
