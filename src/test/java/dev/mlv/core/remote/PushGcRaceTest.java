package dev.mlv.core.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.integrity.Fsck;
import dev.mlv.core.integrity.Gc;
import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gc --remote} in one clone against a push in another of content gc is about to delete,
 * with the bad interleavings forced: gc paused right after it lists the packs (it has already
 * removed the unreachable manifest) while the push decides what to reuse, and the push paused
 * right after that decision while gc runs. Scenario of the issue "Nothing lost": branch
 * {@code junk} was pushed, deleted on the Git host (the pushing clone keeps the branch, without a
 * tracking ref, as after {@code git fetch --prune}), its objects are two days old, and the default
 * 24 h grace applies. Each case ends with the Git host's refs reaching only content that is whole
 * on the store remote. The seams are backend wrappers (the same hook fault-injection tests use);
 * while a process waits for the store remote's lock it lists {@code locks/}, which is how the test
 * sees that it waits rather than guessing with sleeps.
 */
class PushGcRaceTest {
    /** Longest the test waits for a moment it forces; far above what each takes here. */
    private static final long MOMENT_SECONDS = 120;

    @TempDir
    Path root;
    CliHarness mlv;
    Path bare;
    Path store;
    ExecutorService pool;

    @BeforeEach
    void aBranchPushedDeletedOnTheHostAndAged() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        mlv = new CliHarness(root).clock(Clock.systemUTC());
        bare = root.resolve("origin.git");
        try (Git ignored = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
            // the Git host
        }
        store = Files.createDirectories(root.resolve("store"));
        ok("init", "a");
        ok("-C", "a", "remote", "add", "origin", bare.toString());
        ok("-C", "a", "store", "remote", "set", "origin", store.toString());
        write(root.resolve("a/models/main.bin"), random(100_000, 1));
        ok("-C", "a", "train-commit", "-m", "main");
        ok("-C", "a", "push");
        ok("clone", bare.toString(), "b");
        ok("-C", "b", "switch", "--create", "junk");
        write(root.resolve("b/models/junk.bin"), random(400_000, 2));
        ok("-C", "b", "train-commit", "-m", "junk");
        ok("-C", "b", "push", "origin", "junk");
        try (Git git = Git.open(root.resolve("b").toFile())) {
            git.push().setRemote("origin").setRefSpecs(new RefSpec(":refs/heads/junk")).call();
            assertThat(git.getRepository().exactRef("refs/remotes/origin/junk")).as("pruned").isNull();
        }
        FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofHours(48)));
        try (Stream<Path> s = Files.walk(store)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, twoDaysAgo);
            }
        }
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void gcPausedAfterListingWhileAPushReusesWhatItIsAboutToDelete() throws Exception {
        Seam gcSeam = new Seam();
        Seam pushSeam = new Seam();
        // gc stops right after it lists the packs: junk's manifest is gone, its pack not yet.
        Future<Gc.Result> gc = pool.submit(() -> gc(gcSeam.pausingAfterListing("packs/")));
        gcSeam.awaitReached();
        Future<Push.Result> push = pool.submit(() -> push(pushSeam.counting()));
        awaitUntil("the push finishes or waits for gc", () -> push.isDone() || pushSeam.lockPolls.get() >= 2);
        gcSeam.release();
        push.get(MOMENT_SECONDS, TimeUnit.SECONDS);
        gc.get(MOMENT_SECONDS, TimeUnit.SECONDS);
        assertEverythingTheHostReachesIsWhole();
    }

    @Test
    void pushPausedAfterItsDedupeDecisionWhileGcRuns() throws Exception {
        Seam gcSeam = new Seam();
        Seam pushSeam = new Seam();
        // The push stops at its first write after listing the remote's manifests: it has decided
        // what it reuses (here: junk's whole file, whose old manifest it is about to write again).
        Future<Push.Result> push = pool.submit(() -> push(pushSeam.pausingAtFirstWriteAfterListing("manifests/")));
        pushSeam.awaitReached();
        Future<Gc.Result> gc = pool.submit(() -> gc(gcSeam.counting()));
        awaitUntil("gc finishes or waits for the push", () -> gc.isDone() || gcSeam.lockPolls.get() >= 2);
        pushSeam.release();
        push.get(MOMENT_SECONDS, TimeUnit.SECONDS);
        gc.get(MOMENT_SECONDS, TimeUnit.SECONDS);
        assertEverythingTheHostReachesIsWhole();
    }

    private Gc.Result gc(java.util.function.UnaryOperator<Backend> wrapper) throws MlvException {
        try (MlvRepository a = open("a")) {
            return new Gc(a).setRemote("").setWait(Duration.ofSeconds(MOMENT_SECONDS)).setBackendWrapper(wrapper)
                    .call();
        }
    }

    private Push.Result push(java.util.function.UnaryOperator<Backend> wrapper) throws MlvException {
        try (MlvRepository b = open("b")) {
            return new Push(b).setBranches(List.of("junk")).setBackendWrapper(wrapper).call();
        }
    }

    private void assertEverythingTheHostReachesIsWhole() throws Exception {
        try (Git git = Git.open(bare.toFile())) {
            assertThat(git.getRepository().exactRef("refs/heads/junk")).as("junk is on the host again").isNotNull();
        }
        try (MlvRepository b = open("b")) {
            Fsck.Result check = new Fsck(b).setRemote("").setReadDataPercent(100).call();
            assertThat(check.problems()).as("what the Git host's refs reach is whole on the store remote").isEmpty();
        }
        try (Stream<Path> s = Files.walk(store)) {
            assertThat(s.filter(p -> p.startsWith(store.resolve("locks")) && Files.isRegularFile(p)))
                    .as("push and gc released their locks").isEmpty();
        }
        CliHarness.Result clone = mlv.run("clone", bare.toString(), "c", "--branch", "junk");
        assertThat(clone.exitCode()).as(clone.toString()).isZero();
        assertThat(Files.readAllBytes(root.resolve("c/models/junk.bin"))).isEqualTo(random(400_000, 2));
    }

    private MlvRepository open(String name) throws MlvException {
        return MlvRepository.open(root.resolve(name), new Session(Clock.systemUTC(), Map.of()));
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MOMENT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    /**
     * One process's view of the store remote: it can stop that process once at a chosen call,
     * until the test releases it, and counts the listings of {@code locks/} (one per look at who
     * holds the store remote's lock).
     */
    private static final class Seam {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final AtomicInteger lockPolls = new AtomicInteger();
        final AtomicBoolean paused = new AtomicBoolean();

        void awaitReached() throws InterruptedException {
            assertThat(reached.await(MOMENT_SECONDS, TimeUnit.SECONDS)).as("the seam was reached").isTrue();
        }

        void release() {
            released.countDown();
        }

        private void pause() throws IOException {
            if (paused.compareAndSet(false, true)) {
                reached.countDown();
                try {
                    if (!released.await(MOMENT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IOException("test seam never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted at the test seam");
                }
            }
        }

        java.util.function.UnaryOperator<Backend> counting() {
            return b -> new Counting(b);
        }

        /** Pauses right after the first listing of {@code prefix}. */
        java.util.function.UnaryOperator<Backend> pausingAfterListing(String prefix) {
            return b -> new Counting(b) {
                @Override
                public List<ObjectInfo> listInfo(String p) throws IOException {
                    List<ObjectInfo> listed = super.listInfo(p);
                    if (p.equals(prefix)) {
                        pause();
                    }
                    return listed;
                }
            };
        }

        /** Pauses at the first write of a pack or manifest after {@code prefix} was listed. */
        java.util.function.UnaryOperator<Backend> pausingAtFirstWriteAfterListing(String prefix) {
            AtomicBoolean listed = new AtomicBoolean();
            return b -> new Counting(b) {
                @Override
                public List<ObjectInfo> listInfo(String p) throws IOException {
                    List<ObjectInfo> result = super.listInfo(p);
                    if (p.equals(prefix)) {
                        listed.set(true);
                    }
                    return result;
                }

                private void maybePause(String key) throws IOException {
                    if (listed.get() && (key.startsWith("manifests/") || key.startsWith("packs/"))) {
                        pause();
                    }
                }

                @Override
                public void write(String key, byte[] data) throws IOException {
                    maybePause(key);
                    super.write(key, data);
                }

                @Override
                public void writeFile(String key, Path file) throws IOException {
                    maybePause(key);
                    super.writeFile(key, file);
                }
            };
        }

        private class Counting extends ForwardingBackend {
            Counting(Backend delegate) {
                super(delegate);
            }

            @Override
            public List<ObjectInfo> listInfo(String prefix) throws IOException {
                if (prefix.startsWith("locks")) {
                    lockPolls.incrementAndGet();
                }
                return super.listInfo(prefix);
            }

            @Override
            public List<String> list(String prefix) throws IOException {
                if (prefix.startsWith("locks")) {
                    lockPolls.incrementAndGet();
                }
                return super.list(prefix);
            }
        }
    }
}
