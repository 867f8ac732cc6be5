package dev.mlv.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code git} (and {@code git lfs}) binary in a sandbox: no system config, a temp
 * {@code HOME}, a fixed author, committer and date, so tests see only the config they write.
 */
public final class GitCli {
    private final Path home;
    private final Path scratch;

    /** {@code home} becomes git's HOME; {@code scratch} holds captured output. */
    public GitCli(Path home, Path scratch) {
        this.home = home;
        this.scratch = scratch;
    }

    /** Whether {@code git} (with {@code args}, e.g. {@code lfs version}) runs here. */
    public static boolean available(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args.length == 0 ? new String[] {"--version"} : args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A java command line that runs {@code mainClass} on this test JVM's class path, quoted for the shell. */
    public static String javaCommand(String mainClass, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may start the test JVM from a manifest-only jar; its real class path is here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringBuilder s = new StringBuilder(shellQuote(java))
                .append(" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp ").append(shellQuote(classPath))
                .append(' ').append(mainClass);
        for (String arg : args) {
            s.append(' ').append(shellQuote(arg));
        }
        return s.toString();
    }

    public static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** What one git command printed and returned. */
    public record Result(List<String> command, int exitCode, String out, String err) {
        public Result assertOk() {
            assertThat(exitCode).as("%s failed:%n%s", command, err).isZero();
            return this;
        }
    }

    /** Runs {@code git ARGS} in {@code dir}. */
    public Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, Map.of(), args);
    }

    /**
     * Runs {@code git ARGS} in {@code dir} with {@code env} added to (or, for an empty value,
     * removed from) the sandboxed environment.
     */
    public Result run(Path dir, Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("HOME", home.toString());
        env.put("GIT_AUTHOR_NAME", "Test Author");
        env.put("GIT_AUTHOR_EMAIL", "author@example.com");
        env.put("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z");
        env.put("GIT_COMMITTER_NAME", "Test Committer");
        env.put("GIT_COMMITTER_EMAIL", "committer@example.com");
        env.put("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z");
        extraEnv.forEach((k, v) -> {
            if (v.isEmpty()) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        Files.createDirectories(scratch);
        File outFile = Files.createTempFile(scratch, "git", ".out").toFile();
        File errFile = Files.createTempFile(scratch, "git", ".err").toFile();
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
