package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mlv export: atomic snapshots of a branch's files, once and following the branch. */
class ExportTest {
    private static final int SIZE = 300_000;

    @TempDir
    Path root;
    Path repo;
    Path out;
    CliHarness mlv;

    @BeforeEach
    void setUp() {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        repo = root.resolve("p");
        out = root.resolve("serving/model");
        mlv = new CliHarness(repo);
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static byte[] content(int version, int file) {
        byte[] b = new byte[SIZE];
        new Random(version * 31L + file).nextBytes(b);
        return b;
    }

    /** Commits version {@code v}: two model files that belong together, in one commit on main. */
    private void commitVersion(int v) throws IOException {
        Files.createDirectories(repo.resolve("models"));
        Files.write(repo.resolve("models/a.bin"), content(v, 0));
        Files.write(repo.resolve("models/b.bin"), content(v, 1));
        Files.writeString(repo.resolve("models/version.txt"), "v" + v + "\n");
        ok("train-commit", "-m", "v" + v);
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void exportWritesAReadOnlySnapshotBehindALink() throws Exception {
        commitVersion(1);
        Files.createDirectories(out.getParent());
        CliHarness.Result r = ok("export", "main", "--to", out.toString());
        assertThat(r.stdout()).contains("Exported main").contains("added    models/a.bin");
        assertThat(Files.isSymbolicLink(out)).isTrue();
        assertThat(out.toRealPath().getParent()).isEqualTo(root.resolve("serving/model.versions").toRealPath());
        assertThat(Files.readAllBytes(out.resolve("models/a.bin"))).isEqualTo(content(1, 0));
        assertThat(Files.readString(out.resolve("models/version.txt"))).isEqualTo("v1\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("models/a.bin"))))
                .isEqualTo("r--r--r--");
        assertThat(Files.readString(out.resolve(".mlv-export.json"))).contains("\"commit\"").contains("models/b.bin");

        // the same commit again: nothing to do
        assertThat(ok("export", "main", "--to", out.toString()).stdout()).contains("already holds main");

        // a new version: only what changed is written, the unchanged file is linked
        Files.write(repo.resolve("models/b.bin"), content(2, 1));
        ok("train-commit", "-m", "b only");
        CliHarness.Result second = ok("export", "main", "--to", out.toString(), "--json");
        assertThat(second.stdout()).contains("\"changed\" : true").contains("\"bytesWritten\" : " + SIZE)
                .contains("\"type\" : \"modified\"");
        assertThat(Files.readAllBytes(out.resolve("models/b.bin"))).isEqualTo(content(2, 1));

        // a PATH that does not exist, and a DIR that is a plain directory, are refused
        assertThat(mlv.run("export", "main", "nothing/", "--to", out.toString()).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        Files.createDirectories(root.resolve("plain"));
        assertThat(mlv.run("export", "main", "--to", root.resolve("plain").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    @Slow
    void aConcurrentReaderSeesWholeVersionsOnly() throws Exception {
        int versions = 5;
        Map<String, Integer> versionOfA = new HashMap<>();
        Map<Integer, String> shaOfB = new HashMap<>();
        for (int v = 1; v <= versions; v++) {
            versionOfA.put(sha(content(v, 0)), v);
            shaOfB.put(v, sha(content(v, 1)));
        }
        commitVersion(1);
        ok("export", "main", "--to", out.toString(), "--keep", "10");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Set<Integer> seen = java.util.Collections.synchronizedSet(new HashSet<>());
        Thread reader = new Thread(() -> {
            while (!stop.get() && failure.get() == null) {
                try {
                    // A consumer resolves DIR once, then reads the whole model set from there.
                    Path version = out.toRealPath();
                    byte[] a = Files.readAllBytes(version.resolve("models/a.bin"));
                    byte[] b = Files.readAllBytes(version.resolve("models/b.bin"));
                    String text = Files.readString(version.resolve("models/version.txt"));
                    Integer v = versionOfA.get(sha(a));
                    if (v == null) {
                        failure.set("a.bin is partial or unknown (" + a.length + " bytes)");
                    } else if (!shaOfB.get(v).equals(sha(b)) || !text.equals("v" + v + "\n")) {
                        failure.set("mixed versions: a.bin of v" + v + " with another b.bin or version.txt");
                    } else {
                        seen.add(v);
                        reads.incrementAndGet();
                    }
                } catch (NoSuchFileException e) {
                    failure.set("a file vanished: " + e.getMessage());
                } catch (Exception e) {
                    failure.set(e.toString());
                }
            }
        }, "export-reader");
        reader.start();
        for (int v = 2; v <= versions; v++) {
            commitVersion(v);
            ok("export", "main", "--to", out.toString(), "--keep", "10");
        }
        Thread.sleep(50);
        stop.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(seen).contains(versions);
        assertThat(Files.readString(out.resolve("models/version.txt"))).isEqualTo("v" + versions + "\n");
    }

    @Test
    void watchFollowsTheBranchUntilInterrupted() throws Exception {
        commitVersion(1);
        AtomicReference<CliHarness.Result> result = new AtomicReference<>();
        Thread watcher = new Thread(() -> result.set(new CliHarness(repo).run("export", "main", "--to", out.toString(),
                "--watch", "50ms", "--max-rounds", "2000")), "export-watch");
        watcher.start();
        waitFor("v1\n");
        commitVersion(2);
        waitFor("v2\n");
        watcher.interrupt();
        watcher.join(10_000);
        assertThat(watcher.isAlive()).isFalse();
        CliHarness.Result r = result.get();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().lines().filter(l -> l.startsWith("Exported main"))).hasSize(2);
        assertThat(r.stdout()).contains("modified models/a.bin");
    }

    /** A container runtime sends SIGTERM and kills 10 s later: the watch must be gone well before. */
    @Test
    void watchExitsWithinSecondsOfSigterm() throws Exception {
        commitVersion(1);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classpath, Main.class.getName(), "-C", repo.toString(),
                "export", "main", "--to", out.toString(), "--watch", "30s")
                .redirectErrorStream(true).redirectOutput(root.resolve("watch.log").toFile());
        pb.environment().put("HOME", root.resolve(".home").toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process child = pb.start();
        try {
            waitFor("v1\n");
            long start = System.nanoTime();
            child.destroy(); // SIGTERM
            boolean exited = child.waitFor(3, java.util.concurrent.TimeUnit.SECONDS);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(exited).as("exited within 3 s of SIGTERM; output:%n%s", Files.readString(root.resolve("watch.log")))
                    .isTrue();
            assertThat(millis).isLessThan(3_000);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    @Test
    void watchTakesEveryDurationFormAndRefusesIntervalsUnder10ms() throws Exception {
        commitVersion(1);
        // one round: export once and return without sleeping the interval
        CliHarness.Result days = ok("export", "main", "--to", out.toString(), "--watch", "7d", "--max-rounds", "1");
        assertThat(days.stderr()).contains("Watching main every 604800000 ms");
        assertThat(days.stdout()).contains("Exported main");
        assertThat(ok("export", "main", "--to", out.toString(), "--watch", "500ms", "--max-rounds", "1").stderr())
                .contains("Watching main every 500 ms");
        assertThat(ok("export", "main", "--to", out.toString(), "--watch", "PT0.25S", "--max-rounds", "1").stderr())
                .contains("Watching main every 250 ms");

        CliHarness.Result tooShort = mlv.run("export", "main", "--to", out.toString(), "--watch", "5ms");
        assertThat(tooShort.exitCode()).as(tooShort.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooShort.stderr()).startsWith("mlv: --watch 5ms is too short; use at least 10ms");
        CliHarness.Result garbage = mlv.run("export", "main", "--to", out.toString(), "--watch", "soon");
        assertThat(garbage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(garbage.stderr().lines().findFirst().orElseThrow()).isEqualTo("mlv: Invalid value for option '--watch':"
                + " 'soon' is not a duration; use 500ms, 30s (a bare number is seconds), 5m, 24h, 7d or ISO-8601 such as PT1H30M");
    }

    private void waitFor(String version) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (Files.readString(out.resolve("models/version.txt")).equals(version)) {
                    return;
                }
            } catch (IOException e) {
                // not exported yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the export never showed " + version.strip());
    }
}
