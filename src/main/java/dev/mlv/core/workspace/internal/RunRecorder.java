package dev.mlv.core.workspace.internal;

import dev.mlv.core.Json;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a training command for {@code train-commit --run}: its output goes to the caller's stream
 * and to {@code logs/train.log}; {@code logs/run.json} records what ran, how long, how it ended,
 * from which code and data, and on what machine.
 */
public final class RunRecorder {
    public static final String LOG = "logs/train.log";
    public static final String RECORD = "logs/run.json";

    private RunRecorder() {
    }

    /** What {@code logs/run.json} holds. */
    public record RunRecord(int version, List<String> command, String workingDirectory, String start, String end,
                     double durationSeconds, int exitCode, String codeCommit, boolean codeDirty, String dataCommit,
                     Map<String, Object> environment) {
    }

    public static RunRecord run(MlvRepository repo, List<String> command, OutputStream echo, String codeCommit,
                         boolean codeDirty, String dataCommit) throws MlvException {
        return run(repo.workTree(), ".", repo.session(), repo.config(), command, echo, codeCommit, codeDirty, dataCommit);
    }

    /**
     * Runs {@code command} in {@code workingDirectory} (relative to {@code workTree}) and writes
     * the log and record into {@code workTree}; {@code reproduce} uses it on a scratch checkout.
     */
    public static RunRecord run(Path workTree, String workingDirectory, Session session, MlvConfig config, List<String> command,
                         OutputStream echo, String codeCommit, boolean codeDirty, String dataCommit) throws MlvException {
        Path runDir = workTree.resolve(workingDirectory).normalize();
        if (!runDir.startsWith(workTree) || !Files.isDirectory(runDir)) {
            throw MlvException.notFound("the run's working directory '" + workingDirectory + "' is not a directory in "
                    + workTree);
        }
        Path log = workTree.resolve(LOG);
        Instant start = session.clock().instant();
        long startNanos = System.nanoTime();
        int exit;
        Process process;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(session.env());
            process = builder.start();
        } catch (IOException e) {
            throw MlvException.notFound("cannot run '" + String.join(" ", command) + "': " + e.getMessage());
        }
        // Ctrl-C reaches the JVM and the child alike; if the JVM goes down first, take the child along.
        Thread reaper = new Thread(process::destroyForcibly, "mlv-run-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try (InputStream out = process.getInputStream(); OutputStream file = Files.newOutputStream(log)) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = out.read(buf)) > 0) {
                file.write(buf, 0, n);
                echo.write(buf, 0, n);
                echo.flush();
            }
            exit = process.waitFor();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new MlvException("while running '" + String.join(" ", command) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MlvException("interrupted while running '" + String.join(" ", command) + "'; nothing was committed");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook runs and ends the child
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        Instant end = start.plus(took);
        RunRecord record = new RunRecord(1, List.copyOf(command), workingDirectory, start.toString(), end.toString(),
                took.toMillis() / 1000.0, exit, codeCommit, codeDirty, dataCommit, environment(workTree, session, config));
        try {
            Files.write(workTree.resolve(RECORD), (Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MlvException("cannot write " + RECORD + ": " + e.getMessage(), e);
        }
        return record;
    }

    /** The run record committed in {@code commit}, or null when it has none. */
    public static RunRecord readFrom(org.eclipse.jgit.lib.ObjectReader reader, org.eclipse.jgit.revwalk.RevCommit commit, String ref)
            throws MlvException, IOException {
        try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(reader, RECORD, commit.getTree())) {
            if (tw == null) {
                return null;
            }
            byte[] json = reader.open(tw.getObjectId(0)).getBytes(1 << 20);
            try {
                RunRecord record = Json.read(json, RunRecord.class);
                if (record.command() == null || record.command().isEmpty()) {
                    throw new MlvException(ref + ":" + RECORD + " records no command; give one with --run -- CMD ARGS...");
                }
                return record;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new MlvException(ref + ":" + RECORD + " is not a valid run record (" + e.getOriginalMessage()
                        + "); give the command with --run -- CMD ARGS...", e);
            }
        }
    }

    private static Map<String, Object> environment(Path workTree, Session session, MlvConfig config) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("java", System.getProperty("java.version"));
        env.put("python", pythonVersion(workTree));
        Map<String, String> vars = new LinkedHashMap<>();
        for (String name : config.recordedEnv()) {
            vars.put(name, session.env(name));
        }
        env.put("env", vars);
        return env;
    }

    /** {@code python3 --version}, or null when there is no Python. */
    private static String pythonVersion(Path dir) {
        try {
            Process p = new ProcessBuilder("python3", "--version").directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readNBytes(200);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            return text.startsWith("Python ") ? text.substring(7) : text;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
