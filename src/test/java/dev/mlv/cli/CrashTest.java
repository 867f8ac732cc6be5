package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlv processes killed with SIGKILL at random moments of {@code train-commit}, {@code push} (to a
 * bare Git remote and a directory store remote) and {@code gc} (of the local store and, every other
 * time, of the store remote): after each kill {@code mlv fsck --all-refs} finds no reference to
 * missing content, {@code mlv fsck --remote} finds no ref of the Git remote pointing at content the
 * store remote lacks, and running the command again succeeds (a re-run train-commit commits what
 * the killed one was committing). Each command's first run goes to its end and times it; later
 * runs are killed at 20 to 95% of the quickest whole run so far, until every command has had its
 * share of the kills. The normal test run does at least {@value #CI_KILLS} kills;
 * {@code src/bench/crash.sh} (or {@code -Dmlv.crash.kills=N}) runs the full series.
 */
@Slow
class CrashTest {
    static final int CI_KILLS = 6;

    @TempDir
    Path root;

    private enum Op { TRAIN_COMMIT, PUSH, GC }

    @Test
    void killedCommandsLeaveNoDanglingReferenceAndCanBeRerun() throws Exception {
        int target = Integer.getInteger("mlv.crash.kills", CI_KILLS);
        long seed = Long.getLong("mlv.crash.seed", 42);
        Random rnd = new Random(seed);
        Path repo = root.resolve("proj");
        assertThat(new CliHarness(root).run("init", "proj").exitCode()).isZero();
        CliHarness mlv = new CliHarness(repo).clock(Clock.systemUTC());
        Path bare = root.resolve("origin.git");
        try (Git ignored = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
            // the Git host
        }
        Path storeRemote = Files.createDirectories(root.resolve("store-remote"));
        assertThat(mlv.run("remote", "add", "origin", bare.toString()).exitCode()).isZero();
        assertThat(mlv.run("store", "remote", "set", "origin", storeRemote.toString()).exitCode()).isZero();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");

        int kills = 0;
        int finishedFirst = 0;
        int[] killsByOp = new int[Op.values().length];
        int remoteGcKills = 0;
        int leftovers = 0;
        int staleLocks = 0;
        Map<String, Long> usualMillis = new java.util.HashMap<>();
        List<byte[]> committed = List.of();
        long start = System.nanoTime();
        // every command gets its share of the kills (train-commits are quick and finished before
        // their kill moment most often)
        for (int run = 0; (kills < target || java.util.Arrays.stream(killsByOp).anyMatch(k -> k < target / 3))
                && run < target * 10; run++) {
            Op op = Op.values()[run % 3];
            List<byte[]> files = new ArrayList<>();
            if (op == Op.TRAIN_COMMIT) {
                for (int f = 0; f < 2; f++) {
                    byte[] b = new byte[500_000 + rnd.nextInt(1_500_000)];
                    rnd.nextBytes(b);
                    files.add(b);
                    Files.write(repo.resolve("models/m" + f + ".bin"), b);
                }
            } else if (op == Op.GC) {
                // Garbage for gc to remove: an unreferenced file in the store it collects.
                byte[] loose = new byte[1_000_000];
                rnd.nextBytes(loose);
                Files.write(root.resolve("loose.bin"), loose);
                List<String> put = new ArrayList<>(List.of("store", "put", root.resolve("loose.bin").toString()));
                if (remoteGc(run)) {
                    put.addAll(List.of("--store", storeRemote.toString()));
                }
                assertThat(mlv.run(put.toArray(String[]::new)).exitCode()).isZero();
            }
            List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-cp", classpath, Main.class.getName(), "-C", repo.toString()));
            cmd.addAll(command(op, run));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = pb.environment();
            env.put("HOME", root.resolve(".home").toString());
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            env.put("GIT_AUTHOR_NAME", "crash");
            env.put("GIT_AUTHOR_EMAIL", "crash@example.com");
            env.put("GIT_COMMITTER_NAME", "crash");
            env.put("GIT_COMMITTER_EMAIL", "crash@example.com");
            Process child = pb.start();
            long started = System.nanoTime();
            String kind = op + (op == Op.GC && remoteGc(run) ? " --remote" : "");
            Long usual = usualMillis.get(kind);
            boolean finished;
            if (usual == null) {
                // The first run of each command goes to its end: its time on this machine, now,
                // sets the kill moments of the later ones (a fixed delay stopped killing any
                // train-commit once commits got fast).
                assertThat(child.waitFor(5, TimeUnit.MINUTES)).as(kind + " finished").isTrue();
                assertThat(child.exitValue()).as(kind + " exit code").isZero();
                usualMillis.put(kind, Math.max(1, (System.nanoTime() - started) / 1_000_000));
                finished = true;
            } else {
                finished = child.waitFor(killDelayMillis(usual, rnd), TimeUnit.MILLISECONDS);
            }
            if (finished) {
                finishedFirst++;
                // the quickest whole run so far: later runs are often quicker than the first
                usualMillis.merge(kind, Math.max(1, (System.nanoTime() - started) / 1_000_000), Math::min);
            } else {
                child.destroyForcibly(); // SIGKILL on Unix
                child.waitFor();
                kills++;
                killsByOp[op.ordinal()]++;
                remoteGcKills += op == Op.GC && remoteGc(run) ? 1 : 0;
            }

            CliHarness.Result fsck = mlv.run("fsck", "--all-refs");
            assertThat(fsck.exitCode()).as("after " + op + " run " + run + ": " + fsck).isZero();
            // Whatever temp files the kill left, fsck lists them (the space they hold is not invisible).
            for (Path leftover : tempFiles(repo)) {
                assertThat(fsck.stdout()).as("fsck lists " + leftover).contains(leftover.getFileName().toString());
                leftovers++;
            }
            if (op != Op.TRAIN_COMMIT) {
                // The Git remote's refs never point at content the store remote lacks.
                CliHarness.Result remote = mlv.run("fsck", "--remote");
                assertThat(remote.exitCode()).as("store remote after " + op + " run " + run + ": " + remote).isZero();
            }
            if (op == Op.TRAIN_COMMIT) {
                Rerun rerun = rerunTrainCommit(mlv, repo, "retry " + run);
                CliHarness.Result again = rerun.result();
                staleLocks += rerun.lockDeleted() ? 1 : 0;
                assertThat(again.exitCode()).as("re-run after run " + run + ": " + again).isZero();
                for (int f = 0; f < files.size(); f++) {
                    CliHarness.Result cat = mlv.run("cat", "HEAD:models/m" + f + ".bin");
                    assertThat(cat.exitCode()).as(cat.toString()).isZero();
                    assertThat(cat.stdoutBytes()).isEqualTo(files.get(f));
                }
                committed = files;
            } else {
                List<String> rerun = new ArrayList<>(command(op, run));
                rerun.remove("--wait");
                rerun.remove("30s");
                CliHarness.Result again = mlv.run(rerun.toArray(String[]::new));
                java.util.regex.Matcher lock = java.util.regex.Pattern.compile("delete (\\S+\\.lock), then push again")
                        .matcher(again.stderr());
                if (op == Op.PUSH && again.exitCode() == ExitCodes.CONFLICT && lock.find()) {
                    // Killed while it held the bare remote's ref lock (JGit pushes to a directory in
                    // process): as with git, the lock stays and the re-run names it; delete it as a user would.
                    assertThat(Path.of(lock.group(1))).startsWith(bare).exists();
                    Files.delete(Path.of(lock.group(1)));
                    staleLocks++;
                    again = mlv.run(rerun.toArray(String[]::new));
                }
                assertThat(again.exitCode()).as(op + " re-run after run " + run + ": " + again).isZero();
                CliHarness.Result remote = mlv.run("fsck", "--remote");
                assertThat(remote.exitCode()).as("store remote after re-run " + run + ": " + remote).isZero();
            }
        }
        CliHarness.Result full = mlv.run("fsck", "--all-refs", "--read-data");
        assertThat(full.exitCode()).as(full.toString()).isZero();
        assertThat(mlv.run("push").exitCode()).isZero();
        CliHarness.Result fullRemote = mlv.run("fsck", "--remote", "--read-data");
        assertThat(fullRemote.exitCode()).as(fullRemote.toString()).isZero();
        // A fresh clone gets exactly the last committed files from the Git remote and the store remote.
        assertThat(new CliHarness(root).run("clone", bare.toString(), "clone").exitCode()).isZero();
        for (int f = 0; f < committed.size(); f++) {
            assertThat(Files.readAllBytes(root.resolve("clone/models/m" + f + ".bin"))).isEqualTo(committed.get(f));
        }
        assertThat(kills).as("kills").isGreaterThanOrEqualTo(target);
        assertThat(java.util.Arrays.stream(killsByOp).min().orElseThrow()).as("kills of each of train-commit, push, gc")
                .isGreaterThanOrEqualTo(target / 3);
        System.out.printf("crash: %d kills (%d train-commit, %d push, %d gc of which %d gc --remote), %d runs finished"
                        + " before their kill time, %d leftover temp files listed by fsck, %d stale ref locks named by push or train-commit, seed %d,"
                        + " %.1f s%n", kills, killsByOp[0], killsByOp[1], killsByOp[2], remoteGcKills, finishedFirst, leftovers,
                staleLocks, seed,
                (System.nanoTime() - start) / 1e9);
    }

    /** The temp files of interrupted writes: in the store's and mlv's tmp/, and beside work-tree files. */
    private static List<Path> tempFiles(Path repo) throws java.io.IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(repo.resolve(".git/mlv/store/tmp"), repo.resolve(".git/mlv/tmp"))) {
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    s.filter(Files::isRegularFile).forEach(found::add);
                }
            }
        }
        try (var s = Files.walk(repo)) {
            s.filter(p -> !p.startsWith(repo.resolve(".git")) && p.getFileName().toString().endsWith(".mlv-tmp"))
                    .forEach(found::add);
        }
        return found;
    }

    /**
     * When to kill: a random moment between 20% and 95% of the command's first, whole run here (JVM
     * start included), so that most runs die somewhere in their work rather than finishing first.
     */
    private static long killDelayMillis(long usualMillis, Random rnd) {
        return Math.max(1, (long) (usualMillis * (0.2 + 0.75 * rnd.nextDouble())));
    }

    /** Every other gc run collects the store remote instead of the local store. */
    private static boolean remoteGc(int run) {
        return run % 6 == 5;
    }

    /** The mlv arguments of one run. */
    private static List<String> command(Op op, int run) {
        return switch (op) {
            case TRAIN_COMMIT -> List.of("train-commit", "-m", "crash run " + run);
            case PUSH -> List.of("push");
            case GC -> remoteGc(run) ? List.of("gc", "--remote", "--grace", "0", "--max-unused", "0")
                    : List.of("gc", "--grace", "0", "--max-unused", "0", "--wait", "30s");
        };
    }

    /** A re-run of train-commit, and whether a lock a kill left had to be deleted first. */
    record Rerun(CliHarness.Result result, boolean lockDeleted) {
    }

    /**
     * Runs {@code train-commit --allow-empty} after a kill. A commit killed in the moment JGit held
     * the branch's lock leaves it, as git does, and the re-run names it: it is deleted as a user
     * would, and the re-run runs again.
     */
    static Rerun rerunTrainCommit(CliHarness mlv, Path repo, String message) throws Exception {
        CliHarness.Result again = mlv.run("train-commit", "-m", message, "--allow-empty");
        java.util.regex.Matcher lock = java.util.regex.Pattern.compile("(\\S+\\.lock) exists .*if none is running, delete it")
                .matcher(again.stderr());
        if (again.exitCode() != ExitCodes.CONFLICT || !lock.find()) {
            return new Rerun(again, false);
        }
        assertThat(Path.of(lock.group(1))).startsWith(repo.resolve(".git")).exists();
        Files.delete(Path.of(lock.group(1)));
        return new Rerun(mlv.run("train-commit", "-m", message, "--allow-empty"), true);
    }
}
