package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlv processes killed with SIGKILL at random moments of {@code train-commit} and {@code gc}:
 * after each kill {@code mlv fsck --all-refs} finds no reference to missing content, and running
 * the command again succeeds (committing what the killed one was committing). The normal test run
 * does {@value #CI_KILLS} kills; {@code src/bench/crash.sh} (or {@code -Dmlv.crash.kills=N}) runs
 * the full series. Push joins the rotation with remotes ({@link #command} is where it goes).
 */
class CrashTest {
    static final int CI_KILLS = 6;

    @TempDir
    Path root;

    private enum Op { TRAIN_COMMIT, GC }

    @Test
    void killedCommandsLeaveNoDanglingReferenceAndCanBeRerun() throws Exception {
        int target = Integer.getInteger("mlv.crash.kills", CI_KILLS);
        long seed = Long.getLong("mlv.crash.seed", 42);
        Random rnd = new Random(seed);
        Path repo = root.resolve("proj");
        assertThat(new CliHarness(root).run("init", "proj").exitCode()).isZero();
        CliHarness mlv = new CliHarness(repo).clock(Clock.systemUTC());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");

        int kills = 0;
        int finishedFirst = 0;
        int[] killsByOp = new int[Op.values().length];
        long start = System.nanoTime();
        for (int run = 0; kills < target && run < target * 4; run++) {
            Op op = run % 3 == 2 ? Op.GC : Op.TRAIN_COMMIT;
            List<byte[]> files = new ArrayList<>();
            if (op == Op.TRAIN_COMMIT) {
                for (int f = 0; f < 2; f++) {
                    byte[] b = new byte[500_000 + rnd.nextInt(1_500_000)];
                    rnd.nextBytes(b);
                    files.add(b);
                    Files.write(repo.resolve("models/m" + f + ".bin"), b);
                }
            } else {
                byte[] loose = new byte[1_000_000];
                rnd.nextBytes(loose);
                Files.write(root.resolve("loose.bin"), loose);
                assertThat(mlv.run("store", "put", root.resolve("loose.bin").toString()).exitCode()).isZero();
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
            boolean finished = child.waitFor(200 + rnd.nextInt(2500), TimeUnit.MILLISECONDS);
            if (finished) {
                finishedFirst++;
            } else {
                child.destroyForcibly(); // SIGKILL on Unix
                child.waitFor();
                kills++;
                killsByOp[op.ordinal()]++;
            }

            CliHarness.Result fsck = mlv.run("fsck", "--all-refs");
            assertThat(fsck.exitCode()).as("after " + op + " run " + run + ": " + fsck).isZero();
            if (op == Op.TRAIN_COMMIT) {
                CliHarness.Result again = mlv.run("train-commit", "-m", "retry " + run, "--allow-empty");
                assertThat(again.exitCode()).as("re-run after run " + run + ": " + again).isZero();
                for (int f = 0; f < files.size(); f++) {
                    CliHarness.Result cat = mlv.run("cat", "HEAD:models/m" + f + ".bin");
                    assertThat(cat.exitCode()).as(cat.toString()).isZero();
                    assertThat(cat.stdoutBytes()).isEqualTo(files.get(f));
                }
            } else {
                CliHarness.Result again = mlv.run("gc", "--grace", "0", "--max-unused", "0");
                assertThat(again.exitCode()).as("gc re-run after run " + run + ": " + again).isZero();
            }
        }
        CliHarness.Result full = mlv.run("fsck", "--all-refs", "--read-data");
        assertThat(full.exitCode()).as(full.toString()).isZero();
        assertThat(kills).as("kills").isEqualTo(target);
        System.out.printf("crash: %d kills (%d train-commit, %d gc), %d runs finished before their kill time,"
                        + " seed %d, %.1f s%n", kills, killsByOp[0], killsByOp[1], finishedFirst, seed,
                (System.nanoTime() - start) / 1e9);
    }

    /** The mlv arguments of one run; push joins here when remotes land. */
    private static List<String> command(Op op, int run) {
        return switch (op) {
            case TRAIN_COMMIT -> List.of("train-commit", "-m", "crash run " + run);
            case GC -> List.of("gc", "--grace", "0", "--max-unused", "0", "--wait", "30s");
        };
    }
}
