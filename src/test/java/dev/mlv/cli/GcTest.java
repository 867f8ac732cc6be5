package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gc never deletes what a ref, reflog entry or the index reaches; deletes unreachable content
 * older than the grace period; rewrites mostly-unused packs; and a train-commit running
 * alongside loses nothing (the store lock serialises them).
 */
class GcTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;
    StoreDamage store;

    @BeforeEach
    void init() {
        repo = root.resolve("proj");
        assertThat(new CliHarness(root).run("init", "proj").exitCode()).isZero();
        // File ages are compared with "now": gc tests need the real clock, not the harness's fixed one.
        mlv = new CliHarness(repo).clock(Clock.systemUTC());
        store = new StoreDamage(repo);
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

    private void write(String path, byte[] content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
    }

    /** Deletes a branch and every reflog, as 'git branch -D' plus 'git reflog expire --expire=now --all' would. */
    private void dropBranchAndReflogs(String... branches) throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            if (branches.length > 0) {
                git.branchDelete().setBranchNames(branches).setForce(true).call();
            }
        }
        Path logs = repo.resolve(".git/logs");
        if (Files.exists(logs)) {
            try (Stream<Path> s = Files.walk(logs)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void unreachableContentIsRemovedOnlyAfterTheGracePeriod() throws Exception {
        byte[] kept = random(200_000, 1);
        write("models/model.bin", kept);
        ok("train-commit", "-m", "kept");
        write("loose.bin", random(150_000, 2));
        ok("store", "put", "loose.bin");
        Files.createDirectories(repo.resolve(".git/mlv/store/tmp"));
        Files.write(repo.resolve(".git/mlv/store/tmp/pack-dead.tmp"), new byte[1000]);

        JsonNode young = JSON.readTree(ok("gc", "--json").stdout());
        assertThat(young.get("removedManifests")).isEmpty();
        assertThat(young.get("keptYoung").asLong()).isGreaterThanOrEqualTo(2);

        CliHarness.Result dry = ok("gc", "--grace", "0", "--dry-run");
        assertThat(dry.stdout()).contains("would remove manifests/").contains("would remove tmp/pack-dead.tmp");
        assertThat(store.files("manifests", "")).hasSize(2);

        JsonNode done = JSON.readTree(ok("gc", "--grace", "0", "--json").stdout());
        assertThat(done.get("removedManifests")).hasSize(1);
        assertThat(done.get("removedPacks")).hasSize(1);
        assertThat(done.get("removedTemp")).hasSize(1);
        assertThat(done.get("bytesFreed").asLong()).isGreaterThan(150_000);
        assertThat(store.files("manifests", "")).hasSize(1);
        assertThat(ok("cat", "main:models/model.bin").stdoutBytes()).isEqualTo(kept);
        ok("fsck", "--all-refs", "--read-data");
        assertThat(ok("gc", "--grace", "0").stdout()).startsWith("removed 0 manifests, 0 packs");
    }

    @Test
    void graceTakesEveryDurationForm() throws Exception {
        write("loose.bin", random(150_000, 5));
        ok("store", "put", "loose.bin");

        JsonNode week = JSON.readTree(ok("gc", "--grace", "7d", "--json").stdout());
        assertThat(week.get("removedManifests")).isEmpty();
        assertThat(week.get("keptYoung").asLong()).isPositive();
        assertThat(JSON.readTree(ok("gc", "--grace", "PT1H", "--json").stdout()).get("removedManifests")).isEmpty();

        Thread.sleep(700);
        JsonNode halfASecond = JSON.readTree(ok("gc", "--grace", "500ms", "--json").stdout());
        assertThat(halfASecond.get("removedManifests")).hasSize(1);

        CliHarness.Result negative = mlv.run("gc", "--grace", "-PT1H");
        assertThat(negative.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.stderr()).contains("'-PT1H' is negative; give a duration of 0 or more");
    }

    @Test
    void aMostlyUnusedPackIsRewrittenKeepingItsLiveChunks() throws Exception {
        byte[] a = random(600_000, 3);
        ok("switch", "--create", "scratch");
        write("models/model.bin", a);
        ok("train-commit", "-m", "a");
        ok("switch", "main");
        byte[] b = new byte[600_000];
        System.arraycopy(a, 0, b, 0, 300_000);
        System.arraycopy(random(300_000, 4), 0, b, 300_000, 300_000);
        write("models/model.bin", b);
        ok("train-commit", "-m", "b shares half of a");
        dropBranchAndReflogs("scratch");

        CliHarness.Result dry = ok("gc", "--grace", "0", "--dry-run");
        assertThat(dry.stdout()).contains("would merge 2 small packs into 1;");
        JsonNode r = JSON.readTree(ok("gc", "--grace", "0", "--json").stdout());
        assertThat(r.get("removedManifests")).hasSize(1);
        // a's pack (half unused) and b's pack are both small: merged into one, a's unused half left out
        assertThat(r.get("repacked")).isEmpty();
        assertThat(r.get("merged")).hasSize(1);
        assertThat(r.get("merged").get(0).get("oldPacks")).hasSize(2);
        assertThat(r.get("merged").get(0).get("newPack").asText()).startsWith("packs/");
        assertThat(r.get("bytesFreed").asLong()).isGreaterThan(100_000);
        assertThat(ok("cat", "main:models/model.bin").stdoutBytes()).isEqualTo(b);
        ok("fsck", "--all-refs", "--read-data");
    }

    @Test
    void nothingReachableIsEverDeleted() throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            Random rnd = new Random(seed);
            List<String> branches = new ArrayList<>(List.of("main"));
            String current = "main";
            for (int step = 0; step < 10; step++) {
                int op = rnd.nextInt(10);
                if (op < 5) {
                    write("models/m" + rnd.nextInt(3) + ".bin", random(20_000 + rnd.nextInt(60_000), rnd.nextLong()));
                    ok("train-commit", "-m", "step " + step);
                } else if (op < 7) {
                    String b = "b" + seed + "-" + step;
                    ok("switch", "--create", b);
                    branches.add(b);
                    current = b;
                } else if (op < 8 && branches.size() > 1) {
                    String b = branches.get(rnd.nextInt(branches.size()));
                    if (!b.equals(current) && !b.equals("main")) {
                        dropBranchAndReflogs(b);
                        branches.remove(b);
                    }
                } else if (op < 9 && !current.equals("main")) {
                    ok("promote", current, "prod" + seed, "--create");
                } else {
                    current = branches.get(rnd.nextInt(branches.size()));
                    ok("switch", current);
                }
            }
            dropBranchAndReflogs();
            ok("gc", "--grace", "0", "--max-unused", "0");
            CliHarness.Result fsck = ok("fsck", "--all-refs", "--read-data", "--json");
            assertThat(JSON.readTree(fsck.stdout()).get("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aTrainCommitRunningAlongsideGcLosesNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 3; i++) {
                    write("models/m" + i + ".bin", random(150_000, 10 + i));
                    ok("train-commit", "-m", "model " + i);
                }
                return null;
            });
            Future<?> gc = pool.submit(() -> {
                for (int i = 0; i < 3; i++) {
                    ok("gc", "--grace", "0", "--max-unused", "0", "--wait", "60s");
                }
                return null;
            });
            writer.get();
            gc.get();
        } finally {
            pool.shutdownNow();
        }
        ok("gc", "--grace", "0");
        ok("fsck", "--read-data");
        for (int i = 0; i < 3; i++) {
            assertThat(ok("cat", "main:models/m" + i + ".bin").stdoutBytes()).isEqualTo(random(150_000, 10 + i));
        }
    }

    @Test
    void gcFailsClearlyWhileAWriterHoldsTheLock() throws Exception {
        try (var lock = dev.mlv.store.StoreLock.acquire(repo.resolve(".git/mlv/lock"),
                dev.mlv.store.StoreLock.Mode.SHARED, java.time.Duration.ZERO, "test writer")) {
            CliHarness.Result r = mlv.run("gc", "--wait", "0");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.stderr()).contains("store lock").contains("mlv gc --wait");
        }
        ok("gc", "--wait", "0");
    }
}
