package dev.mlv.serve.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A repository for the web view's tests: main, exp-a and exp-b with metrics, parameters and a
 * 512 KiB model (exp-a keeps main's first half), three promotions into prod and a rollback, an
 * A/B test with 200 recorded rows per arm (40% and 50% converted), and a branch named like an
 * HTML injection.
 */
final class WebFixture {
    /** A branch name git's own checks refuse (spaces), written as a loose ref as a hostile pusher could. */
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    /** The same attack in a name git accepts: HTML reads the slashes as attribute separators. */
    static final String HOSTILE_VALID = "<img/src=x/onerror=alert(2)>";
    static final int MODEL = 512 << 10;

    final Path dir;
    final CliHarness mlv;

    WebFixture(Path root) throws IOException {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        dir = root.resolve("p");
        mlv = new CliHarness(dir);
        byte[] model = new byte[MODEL];
        new Random(7).nextBytes(model);
        experiment(null, model, "0.80", "0.50", "0.01");
        ok("promote", "main", "prod", "--create");
        byte[] changed = model.clone();
        byte[] tail = new byte[MODEL / 2];
        new Random(8).nextBytes(tail);
        System.arraycopy(tail, 0, changed, MODEL / 2, tail.length);
        experiment("exp-a", changed, "0.85", "0.40", "0.02");
        ok("promote", "exp-a", "prod");
        byte[] other = new byte[MODEL];
        new Random(9).nextBytes(other);
        experiment("exp-b", other, "0.90", "0.45", "0.03");
        ok("promote", "exp-b", "prod", "--require", "accuracy>=0.85", "--no-regress", "accuracy");
        ok("rollback", "prod");
        ok("switch", "main");
        ok("ab", "create", "t", "--arm", "A=prod", "--arm", "B=exp-a", "--metric", "converted");
        record("prod", 200, 80);
        record("exp-a", 200, 100);
        ok("exp", "new", HOSTILE_VALID);
        ok("switch", "main");
        String tip = Files.readString(dir.resolve(".git/refs/heads/main")).strip();
        Files.writeString(dir.resolve(".git/refs/heads/" + HOSTILE), tip + "\n");
    }

    private void experiment(String branch, byte[] model, String accuracy, String loss, String lr) throws IOException {
        if (branch != null) {
            ok("switch", "--create", branch);
        }
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models/model.bin"), model);
        write("metrics/metrics.json", "{\"accuracy\": " + accuracy + ", \"loss\": " + loss + "}");
        write("params/params.json", "{\"lr\": " + lr + ", \"batch\": 32}");
        // a training curve: loss = lr * 10 / step at steps 1..4 (exp-b logs no step 4)
        StringBuilder curve = new StringBuilder();
        int last = "0.03".equals(lr) ? 3 : 4;
        for (int step = 1; step <= last; step++) {
            curve.append("{\"step\": ").append(step).append(", \"loss\": ").append(Double.parseDouble(lr) * 10 / step).append("}\n");
        }
        write("metrics/train.jsonl", curve.toString());
        ok("train-commit", "-m", "train " + (branch == null ? "main" : branch));
    }

    void write(String path, String content) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void record(String branch, int rows, int ones) throws IOException {
        StringBuilder csv = new StringBuilder("request,converted\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(',').append(i < ones ? 1 : 0).append('\n');
        }
        Path f = dir.getParent().resolve(branch + ".csv");
        Files.writeString(f, csv);
        ok("record", branch, f.toString(), "--append-to", "monitoring/predictions.csv");
    }

    CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }
}
