package dev.mlv.cli;

import dev.mlv.testing.GitSandbox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs mlv in-process through the same factory as {@link Main}, in a given working directory,
 * with a fixed clock, a fixed author and a sandboxed environment, capturing stdout, stderr and
 * the exit code.
 */
public final class CliHarness {
    /** The instant every test run sees as "now": 2026-01-02T03:04:05Z. */
    public static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    public static final String AUTHOR_NAME = "Test Author";
    public static final String AUTHOR_EMAIL = "author@example.com";

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private boolean terminal;

    public CliHarness(Path workDir) {
        GitSandbox.install();
        this.workDir = workDir;
        // git's config homes, sandboxed: nothing is read from the developer's or the machine's
        env.put("HOME", workDir.resolve(".home").toString());
        env.put("XDG_CONFIG_HOME", workDir.resolve(".home").resolve(".config").toString());
        env.put("GIT_AUTHOR_NAME", AUTHOR_NAME);
        env.put("GIT_AUTHOR_EMAIL", AUTHOR_EMAIL);
        env.put("GIT_COMMITTER_NAME", AUTHOR_NAME);
        env.put("GIT_COMMITTER_EMAIL", AUTHOR_EMAIL);
        env.put("GIT_CONFIG_NOSYSTEM", "1");
    }

    public CliHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Removes a variable from the environment mlv sees. */
    public CliHarness unsetEnv(String name) {
        env.remove(name);
        return this;
    }

    /** No {@code GIT_AUTHOR_*} or {@code GIT_COMMITTER_*}: the identity comes from Git config, or there is none. */
    public CliHarness withoutIdentityVariables() {
        env.keySet().removeIf(k -> k.startsWith("GIT_AUTHOR_") || k.startsWith("GIT_COMMITTER_"));
        return this;
    }

    /** The environment mlv sees (a copy). */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    public CliHarness clock(Clock newClock) {
        this.clock = newClock;
        return this;
    }

    /** Runs as if stderr were a terminal (progress bars drawn), or not (the default). */
    public CliHarness terminal(boolean on) {
        this.terminal = on;
        return this;
    }

    public Result run(String... args) {
        return runWithInput(new byte[0], args);
    }

    /** Runs the command and fails the test, showing its output, unless it exits 0. */
    public Result ok(String... args) {
        Result r = run(args);
        org.assertj.core.api.Assertions.assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    /** A harness working in {@code root/name}, a new repository made there with {@code mlv init}. */
    public static CliHarness inNewRepository(Path root, String name) {
        new CliHarness(root).ok("init", name);
        return new CliHarness(root.resolve(name));
    }

    /** {@code size} bytes from a random stream seeded with {@code seed}: content that neither compresses nor repeats. */
    public static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    public Result runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment environment = new CliEnvironment(
                workDir,
                Map.copyOf(env),
                clock,
                new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                terminal);
        int exit = Cli.run(environment, args);
        return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** What one run printed and returned. */
    public record Result(int exitCode, byte[] stdoutBytes, String stderr) {
        public String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout() + "--- stderr\n" + stderr;
        }
    }
}
