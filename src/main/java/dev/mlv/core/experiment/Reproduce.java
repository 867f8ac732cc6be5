package dev.mlv.core.experiment;

import dev.mlv.core.internal.TreePaths;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.data.internal.DataModule;
import dev.mlv.core.data.internal.Submodules;
import dev.mlv.core.internal.MetricsLoader;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.internal.Scratch;
import dev.mlv.core.workspace.internal.RunRecorder;
import dev.mlv.glob.Glob;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlv.metrics.MetricFormat;
import dev.mlv.metrics.MetricValue;
import dev.mlv.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv reproduce REF}: checks REF out in a temporary directory (code, the data submodule
 * at its pinned commit, large files from the local stores), re-runs the command its
 * {@code logs/run.json} records, and compares every metric (within tolerances) and every file
 * under {@code models/} (bit for bit, unless {@link #setMetricsOnly} or {@link #setIgnore} excuse
 * it) with what REF recorded. The user's work tree is not touched.
 */
public final class Reproduce {
    static final String MODELS = "models/";

    private final MlvRepository repo;
    private List<String> tolerances = List.of();
    private boolean metricsOnly;
    private List<String> ignore = List.of();
    private boolean keep;
    private OutputStream runOutput = OutputStream.nullOutputStream();
    private Path tempParent;

    public Reproduce(MlvRepository repo) {
        this.repo = repo;
    }

    /** {@code T}, {@code T%}, {@code METRIC=T} or {@code METRIC=T%}; see {@link ReproduceTolerances}. */
    public Reproduce setTolerances(List<String> specs) {
        this.tolerances = List.copyOf(specs);
        return this;
    }

    /**
     * Models may differ (GPU training is rarely bit-identical): files under {@code models/} are
     * still compared and listed, but a difference does not fail the reproduction; metrics decide.
     */
    public Reproduce setMetricsOnly(boolean metricsOnly) {
        this.metricsOnly = metricsOnly;
        return this;
    }

    /**
     * Paths under {@code models/} whose difference does not count ({@link Glob.Dialect#PATH} globs
     * against the repository path, e.g. {@code models/*.onnx} or {@code *.pt}).
     */
    public Reproduce setIgnore(List<String> globs) {
        this.ignore = List.copyOf(globs);
        return this;
    }

    /** Leave the temporary directory in place. */
    public Reproduce setKeep(boolean keep) {
        this.keep = keep;
        return this;
    }

    /** Where the re-run's output is echoed. */
    public Reproduce setRunOutput(OutputStream out) {
        this.runOutput = out;
        return this;
    }

    /** Where the temporary directory is created; the system's temp directory by default. */
    public Reproduce setTempParent(Path dir) {
        this.tempParent = dir;
        return this;
    }

    /**
     * One compared item: {@code kind} is metric, file or run. {@code ignored}: a file that differs
     * (or is missing or new) but counts as reproduced because of {@code --metrics-only} or
     * {@code --ignore}; {@code ok} is then true.
     */
    public record Row(String kind, String name, String recorded, String reproduced, String diff, String tolerance,
                      boolean ok, boolean ignored) {
        Row(String kind, String name, String recorded, String reproduced, String diff, String tolerance, boolean ok) {
            this(kind, name, recorded, reproduced, diff, tolerance, ok, false);
        }
    }

    /** {@code directory} is the temporary checkout when kept, else null. */
    public record Result(String ref, String commit, List<String> command, String dataCommit, int exitCode,
                         List<Row> rows, String directory) {
        @JsonProperty("reproduced")
        public boolean reproduced() {
            return rows.stream().allMatch(Row::ok);
        }
    }

    public Result call(String ref) throws MlvException {
        ReproduceTolerances limits = ReproduceTolerances.parse(tolerances);
        List<Glob> ignored = new ArrayList<>();
        for (String g : ignore) {
            if (g.isBlank()) {
                throw MlvException.usage("--ignore needs a path glob, for example --ignore 'models/*.onnx'");
            }
            ignored.add(Glob.compile(Glob.Dialect.PATH, g.strip()));
        }
        Path dir = null;
        boolean leave = keep;
        try (RevWalk walk = new RevWalk(repo.git()); ObjectReader reader = repo.git().newObjectReader()) {
            RevCommit commit = Revisions.commit(repo.git(), walk, ref);
            TreePaths.refuseUnsafe(reader, commit, ref);
            RunRecorder.RunRecord record = RunRecorder.readFrom(reader, commit, ref);
            if (record == null) {
                throw MlvException.notFound(ref + " (" + commit.abbreviate(12).name() + ") has no run record ("
                        + RunRecorder.RECORD + "); only commits made with 'mlv train-commit --run -- CMD' can be reproduced");
            }
            String dataPath = Submodules.dataPath(reader, commit);
            ObjectId dataCommit = Submodules.gitlink(reader, commit, dataPath);
            dir = tempParent == null ? Files.createTempDirectory("mlv-reproduce-")
                    : Files.createTempDirectory(Files.createDirectories(tempParent), "mlv-reproduce-");
            Scratch.checkout(dir, repo.commonDir(), repo.content(), commit);
            if (dataCommit != null) {
                checkoutData(dir.resolve(dataPath), dataCommit);
            }
            RunRecorder.RunRecord rerun = RunRecorder.run(dir, record.workingDirectory() == null ? "." : record.workingDirectory(),
                    repo.session(), repo.config(), record.command(), runOutput, commit.name(), false,
                    dataCommit == null ? null : dataCommit.name());
            List<Row> rows = new ArrayList<>();
            if (rerun.exitCode() != record.exitCode()) {
                rows.add(new Row("run", "exit code", String.valueOf(record.exitCode()), String.valueOf(rerun.exitCode()),
                        "differs", "", false));
            }
            compareMetrics(limits, MetricsLoader.fromTree(reader, commit.getTree()), MetricsLoader.fromWorkTree(dir), rows);
            List<Row> files = new ArrayList<>();
            ReproduceFiles.compare(reader, commit, dir, MODELS, files);
            for (Row f : files) {
                boolean excused = !f.ok() && (metricsOnly || ignored.stream().anyMatch(g -> g.matches(f.name())));
                rows.add(excused ? new Row(f.kind(), f.name(), f.recorded(), f.reproduced(), f.diff() + " (ignored)",
                        f.tolerance(), true, true) : f);
            }
            return new Result(ref, commit.name(), record.command(), dataCommit == null ? null : dataCommit.name(),
                    rerun.exitCode(), List.copyOf(rows), leave ? dir.toString() : null);
        } catch (IOException e) {
            throw new MlvException("cannot reproduce " + ref + ": " + e.getMessage()
                    + (dir != null && keep ? " (the checkout is in " + dir + ")" : ""), e);
        } finally {
            if (dir != null && !leave) {
                Scratch.deleteQuietly(dir);
            }
        }
    }

    /** The data submodule at its pinned commit, from the repository's data module and its store. */
    private void checkoutData(Path target, ObjectId pinned) throws MlvException, IOException {
        try (DataModule module = DataModule.open(repo)) {
            if (!module.isCloned()) {
                throw MlvException.notFound("the data submodule is not checked out here, so data commit "
                        + pinned.abbreviate(12).name() + " is not available; run 'mlv data pull' first");
            }
            if (!module.has(pinned)) {
                module.fetch();
            }
            if (!module.has(pinned)) {
                throw MlvException.notFound("data commit " + pinned.name() + " is not in the data repository "
                        + module.url().url() + "; it may have been rewritten or not pushed");
            }
            RevCommit commit;
            try (RevWalk walk = new RevWalk(module.git())) {
                commit = walk.parseCommit(pinned);
            }
            module.importContent(commit);
            Scratch.checkout(target, module.git().getDirectory().toPath(), module.content(), commit);
        }
    }

    private static void compareMetrics(ReproduceTolerances limits, Metrics recorded, Metrics reproduced, List<Row> rows) {
        TreeSet<String> keys = new TreeSet<>(recorded.keys());
        keys.addAll(reproduced.keys());
        for (String key : keys) {
            MetricValue before = recorded.get(key).orElse(null);
            MetricValue after = reproduced.get(key).orElse(null);
            String tolerance = limits.of(key).isNone() ? "" : limits.of(key).toString();
            if (before == null || after == null) {
                rows.add(new Row("metric", key, show(before), show(after), before == null ? "new" : "missing", tolerance, false));
            } else if (before.isNumber() && after.isNumber()) {
                double diff = after.asDouble() - before.asDouble();
                String shown = diff == 0 ? "0" : before.isIntegral() && after.isIntegral() && Math.abs(diff) < 1e15
                        ? String.format(Locale.ROOT, "%+d", (long) diff) : String.format(Locale.ROOT, "%+.6g", diff);
                rows.add(new Row("metric", key, show(before), show(after), shown,
                        tolerance, limits.within(key, before.asDouble(), after.asDouble())));
            } else {
                boolean same = before.sameAs(after);
                rows.add(new Row("metric", key, show(before), show(after), same ? "same" : "differs", tolerance, same));
            }
        }
    }

    private static String show(MetricValue v) {
        return v == null ? "-" : MetricFormat.value(v);
    }
}
