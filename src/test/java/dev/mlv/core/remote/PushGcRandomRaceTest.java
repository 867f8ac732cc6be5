package dev.mlv.core.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.integrity.Fsck;
import dev.mlv.core.integrity.Gc;
import dev.mlv.store.backend.S3Backend;
import dev.mlv.store.backend.S3Config;
import dev.mlv.store.backend.S3ProxyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gc --remote} in clone a against a push from clone b that re-uses the content gc is about
 * to delete, started at random offsets of each other, round after round: in each round b pushes a
 * new branch, the branch is deleted on the Git host, and then a's gc (whose clock runs two days
 * ahead, so with the default 24 h grace everything unmarked is garbage) and b's push of the same
 * branch again race. After every round the Git host's refs must reach only content that is whole
 * on the store remote, and no lock object may be left. 20 rounds against a real S3 server on
 * loopback (S3Proxy; {@code -Dmlv.race.rounds=N} for more), then one round on a directory store
 * remote where b still has the deleted branch's tracking ref. {@link PushGcRaceTest} forces the
 * bad interleavings one by one; this test samples the rest.
 */
@Tag("slow")
class PushGcRandomRaceTest {
    private static final Duration GC_CLOCK_AHEAD = Duration.ofHours(48);

    @TempDir
    Path root;
    S3ProxyFixture s3;
    ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() throws IOException {
        pool.shutdownNow();
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void gcRacingPushesOfReusedContentOnS3() throws Exception {
        s3 = S3ProxyFixture.start();
        Rounds r = new Rounds("s3://" + s3.bucket() + "/race", "--endpoint", s3.endpoint().toString(), "--region",
                "us-east-1", "--path-style");
        r.run(Integer.getInteger("mlv.race.rounds", 20), 17, false);
        try (S3Backend bucket = new S3Backend(s3.config("race", S3Config.MIN_PART_SIZE))) {
            assertThat(bucket.list("locks/")).as("every lock released").isEmpty();
        }
    }

    @Test
    void gcRacingAPushWithAStaleTrackingRefOnADirectoryStore() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        new Rounds(store.toString()).run(1, 23, true);
        assertThat(store.resolve("locks")).isEmptyDirectory();
    }

    /** Two clones of one Git host sharing one store remote, and the rounds of the race between them. */
    private final class Rounds {
        final CliHarness mlv = new CliHarness(root).clock(Clock.systemUTC());
        final Path bare = root.resolve("origin.git");

        Rounds(String... storeArgs) throws Exception {
            try (Git ignored = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
                // the Git host
            }
            ok("init", "a");
            ok("-C", "a", "remote", "add", "origin", bare.toString());
            List<String> set = new ArrayList<>(List.of("-C", "a", "store", "remote", "set", "origin"));
            set.addAll(List.of(storeArgs));
            ok(set.toArray(String[]::new));
            write(root.resolve("a/models/main.bin"), random(60_000, 1));
            ok("-C", "a", "train-commit", "-m", "main");
            ok("-C", "a", "push");
            ok("clone", bare.toString(), "b");
        }

        void run(int rounds, long seed, boolean staleTrackingRef) throws Exception {
            Random rnd = new Random(seed);
            int gcRemovedIt = 0;
            long start = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                String branch = "junk" + round;
                byte[] model = random(150_000 + rnd.nextInt(150_000), seed * 1000 + round);
                ok("-C", "b", "switch", "--create", branch, "--from", "main");
                write(root.resolve("b/models/junk.bin"), model);
                ok("-C", "b", "train-commit", "-m", branch);
                ok("-C", "b", "push", "origin", branch);
                deleteOnHost(branch, staleTrackingRef);

                long gcDelay = rnd.nextInt(300);
                long pushDelay = rnd.nextInt(600);
                Future<Gc.Result> gc = pool.submit(() -> {
                    Thread.sleep(gcDelay);
                    try (MlvRepository a = open("a", Clock.offset(Clock.systemUTC(), GC_CLOCK_AHEAD))) {
                        return new Gc(a).setRemote("").setWait(Duration.ofSeconds(120)).call();
                    }
                });
                Future<Push.Result> push = pool.submit(() -> {
                    Thread.sleep(pushDelay);
                    try (MlvRepository b = open("b", Clock.systemUTC())) {
                        return new Push(b).setBranches(List.of(branch)).call();
                    }
                });
                Push.Result pushed = push.get(5, TimeUnit.MINUTES);
                Gc.Result collected = gc.get(5, TimeUnit.MINUTES);
                assertThat(pushed.refs()).extracting(Push.RefUpdate::status).containsOnly("OK");
                if (collected.removedManifests().size() + collected.removedPacks().size() > 0) {
                    gcRemovedIt++;
                }
                try (MlvRepository b = open("b", Clock.systemUTC())) {
                    Fsck.Result check = new Fsck(b).setRemote("").call();
                    assertThat(check.problems()).as("round " + round + " (gc after " + gcDelay + " ms, push after "
                            + pushDelay + " ms): what the Git host's refs reach is whole on the store remote").isEmpty();
                }
            }
            System.out.printf("race: %d rounds (%s), gc removed the branch's content before the push re-sent it in %d,"
                            + " the push went first in %d; %.1f s%n", rounds,
                    staleTrackingRef ? "stale tracking ref" : "pruned tracking ref", gcRemovedIt, rounds - gcRemovedIt,
                    (System.nanoTime() - start) / 1e9);
        }

        /** Deletes the branch on the Git host; b keeps its branch, and its tracking ref if asked to. */
        private void deleteOnHost(String branch, boolean keepTrackingRef) throws Exception {
            try (Git host = Git.open(bare.toFile())) {
                host.branchDelete().setBranchNames(branch).setForce(true).call();
            }
            if (!keepTrackingRef) {
                try (Git b = Git.open(root.resolve("b").toFile())) {
                    RefUpdate u = b.getRepository().updateRef("refs/remotes/origin/" + branch);
                    u.setForceUpdate(true);
                    assertThat(u.delete()).isIn(RefUpdate.Result.FORCED, RefUpdate.Result.NO_CHANGE);
                }
            }
        }

        private MlvRepository open(String name, Clock clock) throws MlvException {
            return MlvRepository.open(root.resolve(name), new Session(clock, Map.of()));
        }

        private void ok(String... args) {
            CliHarness.Result r = mlv.run(args);
            assertThat(r.exitCode()).as(r.toString()).isZero();
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
}
