package dev.mlv.core.experiment;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.CurveFiles;
import dev.mlv.core.internal.Revisions;
import dev.mlv.metrics.CurveParser;
import dev.mlv.metrics.Directions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The training curves of one commit ({@code metrics/**}{@code /*.jsonl}, docs/metrics.md
 * "Training curves"): per file, one {@link CurveFile.Column} per value column with its
 * summary (first, last, best in the metric's direction, and their steps) and up to
 * {@link #setMaxPoints} points for drawing. Reads the commit's tree, never the work tree; memory
 * does not grow with the number of rows.
 *
 * <pre>{@code
 * ExperimentCurves.Result r = new ExperimentCurves(repo).setRef("exp-lr").setMaxPoints(500).call();
 * for (CurveFile f : r.curves())
 *     for (CurveFile.Column c : f.columns())
 *         draw(c.key(), c.steps(), c.values());
 * }</pre>
 */
public final class ExperimentCurves {
    /** Points kept per column unless set otherwise: enough for a chart a few hundred pixels wide. */
    public static final int DEFAULT_MAX_POINTS = 1000;

    private final MlvRepository repo;
    private String ref = Constants.HEAD;
    private int maxPoints = DEFAULT_MAX_POINTS;

    public ExperimentCurves(MlvRepository repo) {
        this.repo = repo;
    }

    /** A branch, tag or commit; HEAD when not set. */
    public ExperimentCurves setRef(String ref) {
        this.ref = ref == null ? Constants.HEAD : ref;
        return this;
    }

    /** Points kept per column for drawing: 0 for summaries only, else at least 2. */
    public ExperimentCurves setMaxPoints(int maxPoints) {
        if (maxPoints < 0 || maxPoints == 1) {
            throw new IllegalArgumentException("maxPoints must be 0 or at least 2, got " + maxPoints);
        }
        this.maxPoints = maxPoints;
        return this;
    }

    /**
     * The commit's curves, in path order. {@code warnings} has one line per file with malformed
     * rows or that could not be read (also in its {@link CurveFile#warning()}), and one if the commit
     * has more curve files than are read.
     */
    public record Result(String ref, String commit, List<CurveFile> curves, List<String> warnings) {
    }

    public Result call() throws MlvException {
        Directions directions = MetricKey.directions(repo);
        try (ObjectReader reader = repo.git().newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            RevCommit c = Revisions.commit(repo.git(), walk, ref);
            CurveFiles.Read read = CurveFiles.read(reader, repo.content(), c.getTree(), directions, maxPoints);
            return new Result(ref, c.name(), files(read), warnings(read));
        } catch (IOException e) {
            throw new MlvException("cannot read the curves of '" + ref + "': " + e.getMessage(), e);
        }
    }

    static List<CurveFile> files(CurveFiles.Read read) {
        return read.curves().stream().map(CurveFile::of).toList();
    }

    static List<String> warnings(CurveFiles.Read read) {
        List<String> warnings = new ArrayList<>();
        read.curves().forEach(c -> {
            if (c.warning() != null) {
                warnings.add(c.warning());
            }
        });
        if (read.skippedFiles() > 0) {
            warnings.add("more than " + CurveFiles.MAX_FILES + " training-curve files (metrics/**/*" + CurveParser.SUFFIX
                    + "); " + read.skippedFiles() + " not read");
        }
        return List.copyOf(warnings);
    }
}
