package dev.mlv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training run for the launcher's class-data-sharing archive: the daily commands, run once
 * each in one JVM on a scratch repository, so that the classes, lambdas and method-handle forms
 * they use are archived and later runs neither load nor generate them (generating method-handle
 * classes at run time also makes the JIT compile the JDK's bytecode generator, which cost several
 * hundred milliseconds of CPU per command). Not a command: after each build the launcher runs it
 * with {@code -XX:DumpLoadedClassList} and dumps a static archive from that list. Output is
 * discarded; a failing step only makes the archive smaller.
 */
public final class CdsTraining {
    /**
     * The training model's size: more than two of the put pipeline's 4 MiB read buffers, so
     * {@code store put} and {@code train-commit} run the pipeline of a large file (its threads'
     * lambdas and method-handle forms), not only the small-file path that skips it. Below one
     * buffer, a commit of a real model generated those classes at run time and the JIT compiled
     * the JDK's bytecode generator for them.
     */
    static final int MODEL_BYTES = 9 << 20;

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CdsTraining SCRATCH_DIR");
        }
        LogSetup.install(); // as Main does, so its classes are archived too
        Path scratch = Path.of(args[0]).toAbsolutePath();
        Path repo = scratch.resolve("repo");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("GIT_AUTHOR_NAME", "mlv");
        env.put("GIT_AUTHOR_EMAIL", "mlv@localhost");
        env.put("GIT_COMMITTER_NAME", "mlv");
        env.put("GIT_COMMITTER_EMAIL", "mlv@localhost");
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        CliEnvironment environment = new CliEnvironment(scratch, Map.copyOf(env), Clock.systemUTC(),
                InputStream.nullInputStream(), sink, sink, false);

        run(environment, "init", "-q", repo.toString());
        byte[] model = new byte[MODEL_BYTES];
        new Random(1).nextBytes(model);
        Files.write(repo.resolve("models/model.bin"), model);
        Files.writeString(repo.resolve("metrics/metrics.json"), "{\"accuracy\": 0.9, \"loss\": 0.3}\n");
        Path blob = scratch.resolve("blob.bin");
        Files.write(blob, model);
        String r = repo.toString();
        for (List<String> step : List.of(
                List.of("--version"),
                List.of("store", "put", "--store", scratch.resolve("store").toString(), blob.toString()),
                List.of("store", "put", "--store", scratch.resolve("store").toString(), "--json", blob.toString()),
                List.of("store", "stats", "--store", scratch.resolve("store").toString()),
                List.of("-C", r, "status"),
                List.of("-C", r, "train-commit", "-m", "first"),
                List.of("-C", r, "--json", "train-commit", "-m", "second", "--allow-empty"),
                List.of("-C", r, "status", "--json"),
                List.of("-C", r, "log"),
                List.of("-C", r, "ls-files"),
                List.of("-C", r, "cat", "HEAD:models/model.bin", "-o", scratch.resolve("out.bin").toString()),
                List.of("-C", r, "switch", "--create", "dev"))) {
            run(environment, step.toArray(String[]::new));
        }
        // Switches that change the model, as the daily loop's do: a retrained range (the file is
        // rewritten in place) and a model half retrained (rebuilt from the old file and packs).
        Path modelFile = repo.resolve("models/model.bin");
        rewrite(model, MODEL_BYTES / 2, 256 << 10, 2);
        Files.write(modelFile, model);
        run(environment, "-C", r, "-q", "train-commit", "-m", "retrained layer");
        run(environment, "-C", r, "-q", "switch", "main");
        run(environment, "-C", r, "-q", "switch", "dev");
        run(environment, "-C", r, "-q", "switch", "--create", "half");
        rewrite(model, 0, MODEL_BYTES / 2, 3);
        Files.write(modelFile, model);
        run(environment, "-C", r, "-q", "train-commit", "-m", "half retrained");
        run(environment, "-C", r, "-q", "switch", "dev");
        run(environment, "-C", r, "-q", "switch", "main");
        for (List<String> step : List.of(
                List.of("-C", r, "exp", "list"),
                List.of("-C", r, "metrics", "show"),
                List.of("-C", r, "fsck"),
                List.of("nosuchcommand"))) {
            run(environment, step.toArray(String[]::new));
        }
    }

    /** Replaces {@code length} bytes of {@code model} from {@code at} with seeded random bytes. */
    private static void rewrite(byte[] model, int at, int length, long seed) {
        byte[] fresh = new byte[length];
        new Random(seed).nextBytes(fresh);
        System.arraycopy(fresh, 0, model, at, length);
    }

    private static void run(CliEnvironment environment, String... args) {
        try {
            Cli.run(environment, args);
        } catch (RuntimeException e) {
            // A step that fails trains less; the archive is still valid.
        }
    }
}
