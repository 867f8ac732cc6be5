package dev.mlv.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlv.testing.Slow;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code git} binary drives {@link FilterProcess} as {@code filter.mlv.process} (through
 * {@link FilterProcessTestMain}): add, commit and checkout of a large file. Each git command that
 * filters starts a JVM, so the test keeps to a handful of them.
 */
@Timeout(120)
@Slow
class FilterProcessGitTest {
    @TempDir
    Path temp;
    private Path work;
    private Path storeDir;
    private Path home;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(gitAvailable(), "git is not on PATH");
        work = Files.createDirectories(temp.resolve("work"));
        storeDir = Files.createDirectories(temp.resolve("store"));
        home = Files.createDirectories(temp.resolve("home"));
        git("init", "-q", "-b", "main").assertOk();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may start the test JVM from a manifest-only jar; its real class path is here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String command = shellQuote(java) + " -XX:TieredStopAtLevel=1 -cp " + shellQuote(classPath)
                + " dev.mlv.git.FilterProcessTestMain " + shellQuote(storeDir.toString());
        git("config", "filter.mlv.process", command).assertOk();
        git("config", "filter.mlv.required", "true").assertOk();
        Files.writeString(work.resolve(".gitattributes"), "*.bin filter=mlv -text\n");
    }

    @Test
    void gitStoresAndRestoresALargeFileThroughTheFilterProcess() throws Exception {
        byte[] model = new byte[1 << 20];
        new Random(42).nextBytes(model);
        Files.write(work.resolve("model.bin"), model);
        String oid = FilterProcessMemoryStore.sha256(model).hex();

        git("add", ".gitattributes", "model.bin").assertOk();
        git("commit", "-q", "-m", "add model").assertOk();

        Result blob = git("cat-file", "-p", "HEAD:model.bin").assertOk();
        assertThat(blob.out).isEqualTo("version https://git-lfs.github.com/spec/v1\n"
                + "oid sha256:" + oid + "\n" + "size " + model.length + "\n");
        assertThat(Files.readAllBytes(storeDir.resolve(oid))).isEqualTo(model);
        assertThat(git("status", "--porcelain").assertOk().out).isEmpty();

        Files.delete(work.resolve("model.bin"));
        git("checkout", "--", "model.bin").assertOk();
        assertThat(Files.readAllBytes(work.resolve("model.bin"))).isEqualTo(model);

        git("fsck", "--strict").assertOk();

        // Content missing from the store: with filter.mlv.required git fails, and says why.
        Files.delete(storeDir.resolve(oid));
        Files.delete(work.resolve("model.bin"));
        Result failed = git("checkout", "--", "model.bin");
        assertThat(failed.exitCode).isNotZero();
        assertThat(failed.err).contains("model.bin").contains(oid).contains("mlv pull");
        assertThat(work.resolve("model.bin")).doesNotExist();
    }

    private static boolean gitAvailable() {
        try {
            Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private record Result(List<String> command, int exitCode, String out, String err) {
        Result assertOk() {
            assertThat(exitCode).as("%s failed:%n%s", command, err).isZero();
            return this;
        }
    }

    private Result git(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_AUTHOR_NAME", "Test Author");
        env.put("GIT_AUTHOR_EMAIL", "author@example.com");
        env.put("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z");
        env.put("GIT_COMMITTER_NAME", "Test Committer");
        env.put("GIT_COMMITTER_EMAIL", "committer@example.com");
        env.put("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z");
        File outFile = temp.resolve("git.out").toFile();
        File errFile = temp.resolve("git.err").toFile();
        pb.redirectOutput(outFile).redirectError(errFile);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 60 s; stderr:\n"
                    + Files.readString(errFile.toPath(), StandardCharsets.UTF_8));
        }
        return new Result(command, p.exitValue(),
                Files.readString(outFile.toPath(), StandardCharsets.UTF_8),
                Files.readString(errFile.toPath(), StandardCharsets.UTF_8));
    }
}
