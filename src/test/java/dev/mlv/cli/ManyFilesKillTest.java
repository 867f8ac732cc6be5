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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code train-commit} of a many-file checkpoint, stored on several threads with its manifests
 * held in memory until the batch's flush, killed with SIGKILL at moments spread over its run (a
 * first, whole run on this machine gives its length): each kill leaves no reference to missing
 * content ({@code fsck --all-refs}), and the re-run commits every file with its own content.
 */
@Slow
class ManyFilesKillTest {
    private static final int FILES = 300;

    @TempDir
    Path root;

    @Test
    void aKilledManyFileCommitLeavesAtMostGarbageAndTheRerunCommitsEveryFile() throws Exception {
        Path repo = root.resolve("proj");
        assertThat(new CliHarness(root).run("init", "proj").exitCode()).isZero();
        CliHarness mlv = new CliHarness(repo).clock(Clock.systemUTC());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Random rnd = new Random(19);
        int kills = 0;
        // Round 0 runs to the end and times a whole run on this machine; rounds 1 to 3 are killed
        // early (staging), in the middle and late (flush, index, commit) of a run that long.
        long wholeRun = 0;
        double[] killAt = {0, 0.25, 0.55, 0.85};
        for (int round = 0; round < killAt.length; round++) {
            List<byte[]> files = new ArrayList<>();
            for (int f = 0; f < FILES; f++) {
                byte[] b = new byte[20_000 + rnd.nextInt(180_000)];
                rnd.nextBytes(b);
                files.add(b);
                Path p = repo.resolve(String.format("models/ckpt/shard-%03d.bin", f));
                Files.createDirectories(p.getParent());
                Files.write(p, b);
            }
            List<String> cmd = List.of(javaBin.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                    Main.class.getName(), "-C", repo.toString(), "train-commit", "-m", "round " + round);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = pb.environment();
            env.put("HOME", root.resolve(".home").toString());
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            env.put("GIT_AUTHOR_NAME", "kill");
            env.put("GIT_AUTHOR_EMAIL", "kill@example.com");
            env.put("GIT_COMMITTER_NAME", "kill");
            env.put("GIT_COMMITTER_EMAIL", "kill@example.com");
            long started = System.nanoTime();
            Process child = pb.start();
            if (round == 0) {
                assertThat(child.waitFor()).as("the timed run").isZero();
                wholeRun = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            } else if (!child.waitFor((long) (wholeRun * killAt[round]) + rnd.nextInt(100), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
                child.waitFor();
                kills++;
            }
            CliHarness.Result fsck = mlv.run("fsck", "--all-refs");
            assertThat(fsck.exitCode()).as("after round " + round + ": " + fsck).isZero();

            CliHarness.Result again = CrashTest.rerunTrainCommit(mlv, repo, "rerun " + round).result();
            assertThat(again.exitCode()).as("re-run of round " + round + ": " + again).isZero();
            for (int f = 0; f < FILES; f += 37) {
                CliHarness.Result cat = mlv.run("cat", String.format("HEAD:models/ckpt/shard-%03d.bin", f));
                assertThat(cat.exitCode()).as(cat.toString()).isZero();
                assertThat(cat.stdoutBytes()).as("round " + round + " shard " + f).isEqualTo(files.get(f));
            }
        }
        CliHarness.Result full = mlv.run("fsck", "--all-refs", "--read-data");
        assertThat(full.exitCode()).as(full.toString()).isZero();
        assertThat(kills).as("kills (a run that finished first is checked all the same)").isPositive();
    }
}
