package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds small experiment repositories through the CLI for tests: {@code mlv init}, then
 * branches made with {@code mlv exp new} and committed with {@code mlv train-commit}. Every commit
 * happens at {@link CliHarness#NOW} by {@link CliHarness#AUTHOR_NAME}, so commit ids are stable.
 */
final class ExpRepo {
    final Path dir;
    final CliHarness mlv;

    ExpRepo(Path dir) {
        this.dir = dir;
        this.mlv = new CliHarness(dir);
        ok("init", "-q");
    }

    /** Runs mlv and asserts exit 0. */
    CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    ExpRepo write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return this;
    }

    /** Writes metrics/metrics.json and commits it on the current branch. */
    ExpRepo commitMetrics(String json, String message) throws IOException {
        write("metrics/metrics.json", json);
        ok("train-commit", "-q", "-m", message);
        return this;
    }

    /** {@code mlv exp new NAME [--from FROM]}, then a commit with these metrics. */
    ExpRepo branch(String name, String from, String metricsJson) throws IOException {
        if (from == null) {
            ok("exp", "new", "-q", name);
        } else {
            ok("exp", "new", "-q", name, "--from", from);
        }
        return commitMetrics(metricsJson, "train " + name);
    }
}
