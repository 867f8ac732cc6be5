package dev.mlv.core.ab;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.internal.AbTests;
import dev.mlv.core.RepoFile;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Csv;
import dev.mlv.metrics.MetricFormat;
import dev.mlv.metrics.Significance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code mlv ab report NAME}: per arm, the count and mean of the metric column over the rows of
 * the monitoring CSV added since the test pinned the arm (the file at the branch's tip, where
 * {@code mlv record} appends, or its {@code origin/} tracking branch in a clone without a local
 * one, minus the rows it held at the pinned commit), and a two-sided
 * significance test of each arm against the first (the control): the two-proportion z-test when
 * every value is 0 or 1, Welch's t-test otherwise.
 */
public final class AbReport {
    private final MlvRepository repo;
    private String metric;
    private double alpha = 0.05;

    public AbReport(MlvRepository repo) {
        this.repo = repo;
    }

    /** The CSV column to compare (default: the one recorded at create). */
    public AbReport setMetric(String column) {
        this.metric = column;
        return this;
    }

    /** Significance level (default 0.05). */
    public AbReport setAlpha(double alpha) throws MlvException {
        if (!(alpha > 0 && alpha < 1)) {
            throw MlvException.usage("--alpha must be between 0 and 1, for example 0.05");
        }
        this.alpha = alpha;
        return this;
    }

    /**
     * One arm's data: the rows recorded since the test pinned the arm. {@code skipped} counts rows
     * whose metric cell is empty or not a number; {@code olderRows} the rows the file already held
     * at the pinned commit, left out; {@code rewritten} is true when the tip's file does not start
     * with those rows (replaced rather than appended to), so every row at the tip is counted;
     * {@code modelChanged} is true when the branch's models/ differ from the pinned commit's.
     */
    public record ArmStats(String arm, String branch, String pinnedCommit, String commit, boolean modelChanged,
                           long count, double mean, double stddev, long skipped, boolean binary, long olderRows,
                           boolean rewritten) {
    }

    /**
     * The 95% confidence interval of an arm's mean (a rate, for 0/1 values) by the normal
     * approximation, as {@code {low, high}}; null with fewer than two values.
     */
    public static double[] interval95(ArmStats arm) {
        return Significance.interval95(new Significance.Sample(arm.count(), arm.mean(), arm.stddev() * arm.stddev()));
    }

    /** An arm compared with the control. */
    public record Comparison(String control, String arm, String test, double statistic, Double df, double pValue,
                             boolean significant, String verdict) {
    }

    public record Result(AbTest test, String metric, String file, double alpha, List<ArmStats> arms,
                         List<Comparison> comparisons, String verdict) {
    }

    public Result call(String name) throws MlvException {
        AbTest test = AbTests.read(repo, name).test();
        String column = metric != null ? metric : test.metric();
        if (column == null || column.isBlank()) {
            throw MlvException.usage("A/B test '" + name + "' has no metric column; give one with --metric COLUMN");
        }
        List<ArmStats> stats = new ArrayList<>();
        List<Significance.Accumulator> samples = new ArrayList<>();
        for (AbTest.Arm arm : test.arms()) {
            Significance.Accumulator acc = new Significance.Accumulator();
            samples.add(acc);
            stats.add(read(test, arm, column, acc));
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 1; i < stats.size(); i++) {
            comparisons.add(compare(stats.get(0), samples.get(0), stats.get(i), samples.get(i)));
        }
        String verdict = comparisons.size() == 1 ? comparisons.get(0).verdict()
                : comparisons.stream().map(c -> c.arm() + ": " + c.verdict()).reduce((a, b) -> a + "; " + b).orElse("");
        return new Result(test, column, test.monitoringFile(), alpha, stats, comparisons, verdict);
    }

    private Comparison compare(ArmStats a, Significance.Accumulator sa, ArmStats b, Significance.Accumulator sb) {
        if (a.count() < 2 || b.count() < 2) {
            return new Comparison(a.arm(), b.arm(), null, Double.NaN, null, Double.NaN, false,
                    "not enough data: each arm needs at least 2 values (" + a.arm() + " has " + a.count() + ", "
                            + b.arm() + " has " + b.count() + ")");
        }
        Significance.Outcome o;
        if (sa.binary() && sb.binary()) {
            o = Significance.twoProportion(Math.round(a.mean() * a.count()), a.count(), Math.round(b.mean() * b.count()), b.count());
        } else {
            o = Significance.welch(sa.sample(), sb.sample());
        }
        boolean significant = o.pValue() < alpha;
        String p = "p = " + MetricFormat.number(round(o.pValue()));
        String verdict;
        if (significant) {
            verdict = b.arm() + " is " + (b.mean() > a.mean() ? "higher" : "lower") + " than " + a.arm() + " ("
                    + MetricFormat.number(round(b.mean())) + " vs " + MetricFormat.number(round(a.mean())) + "), " + p
                    + " < " + MetricFormat.number(alpha) + ": significant";
        } else {
            verdict = "no significant difference between " + b.arm() + " and " + a.arm() + " (" + p + " >= "
                    + MetricFormat.number(alpha) + "); keep collecting data";
        }
        return new Comparison(a.arm(), b.arm(), o.test(), o.statistic(), Double.isNaN(o.df()) ? null : o.df(), o.pValue(),
                significant, verdict);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", v)) : v;
    }

    private ArmStats read(AbTest test, AbTest.Arm arm, String column, Significance.Accumulator acc) throws MlvException {
        String tip;
        boolean modelChanged;
        try (RevWalk walk = new RevWalk(repo.git())) {
            Ref ref = repo.git().exactRef(Branches.refName(arm.branch()));
            if (ref == null) {
                // a clone that fetched the test may track the arm's branch without a local one
                ref = repo.git().exactRef(Constants.R_REMOTES + StoreRemote.DEFAULT_NAME + "/" + arm.branch());
            }
            if (ref == null) {
                throw MlvException.notFound("branch '" + arm.branch() + "' of arm " + arm.name() + " no longer exists");
            }
            RevCommit head = walk.parseCommit(ref.getObjectId());
            tip = head.name();
            ObjectReader reader = walk.getObjectReader();
            modelChanged = !java.util.Objects.equals(models(reader, head), models(reader, walk.parseCommit(ObjectId.fromString(arm.commit()))));
        } catch (IOException e) {
            throw new MlvException("cannot read arm " + arm.name() + " (" + arm.branch() + "): " + e.getMessage(), e);
        }
        RepoFile file = monitoringFile(tip, test);
        if (file == null) {
            // no data recorded yet on this arm
            return new ArmStats(arm.name(), arm.branch(), arm.commit(), tip, modelChanged, 0, Double.NaN, Double.NaN, 0, false,
                    0, false);
        }
        RepoFile before = monitoringFile(arm.commit(), test);
        Older older = before == null ? new Older(0, false) : older(arm, test, before, file);
        long skipped = 0;
        try (InputStream in = file.open();
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            int col = column(lines.readLine(), arm, test, column);
            long toSkip = older.rows();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                if (toSkip > 0) {
                    toSkip--;
                    continue;
                }
                List<String> cells = Csv.split(line);
                Double v = col < cells.size() ? Csv.number(cells.get(col)) : null;
                if (v == null) {
                    skipped++;
                } else {
                    acc.add(v);
                }
            }
        } catch (IOException e) {
            throw new MlvException("cannot read " + arm.branch() + ":" + test.monitoringFile() + ": " + e.getMessage(), e);
        }
        Significance.Sample s = acc.sample();
        return new ArmStats(arm.name(), arm.branch(), arm.commit(), tip, modelChanged, s.count(), s.mean(),
                Math.sqrt(s.variance()), skipped, s.count() > 0 && acc.binary(), older.rows(), older.rewritten());
    }

    /** The monitoring file at a commit, or null when that commit has none. */
    private RepoFile monitoringFile(String commit, AbTest test) throws MlvException {
        try {
            return repo.file(commit, test.monitoringFile());
        } catch (MlvException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            return null;
        }
    }

    private static int column(String header, AbTest.Arm arm, AbTest test, String column) throws MlvException {
        List<String> names = header == null ? List.of() : Csv.split(header);
        int col = names.stream().map(String::strip).toList().indexOf(column);
        if (col < 0) {
            throw MlvException.notFound(arm.branch() + ":" + test.monitoringFile() + " has no column '" + column
                    + "' (columns: " + String.join(", ", names) + ")");
        }
        return col;
    }

    /** How many leading data rows of the tip's file were already there at the pin; rewritten: they were not a prefix. */
    private record Older(long rows, boolean rewritten) {
    }

    /**
     * The rows recorded before the test: the pinned commit's data rows, when the tip's file starts
     * with them ({@code mlv record --append-to} only appends). When it does not (the file was
     * replaced, e.g. rotated with {@code record --put}), which rows are new cannot be told: none
     * are left out and the arm is marked rewritten. Both files are streamed side by side.
     */
    private Older older(AbTest.Arm arm, AbTest test, RepoFile pinned, RepoFile tip) throws MlvException {
        try (BufferedReader then = new BufferedReader(new InputStreamReader(pinned.open(), StandardCharsets.UTF_8), 1 << 16);
             BufferedReader now = new BufferedReader(new InputStreamReader(tip.open(), StandardCharsets.UTF_8), 1 << 16)) {
            then.readLine(); // headers: a column added later does not make the rows new
            now.readLine();
            long rows = 0;
            String old;
            while ((old = nextRow(then)) != null) {
                if (!old.equals(nextRow(now))) {
                    return new Older(0, true);
                }
                rows++;
            }
            return new Older(rows, false);
        } catch (IOException e) {
            throw new MlvException("cannot read " + arm.branch() + ":" + test.monitoringFile() + " at the pinned commit "
                    + arm.commit().substring(0, 12) + ": " + e.getMessage(), e);
        }
    }

    private static String nextRow(BufferedReader lines) throws IOException {
        String line;
        do {
            line = lines.readLine();
        } while (line != null && line.isBlank());
        return line;
    }

    /** The id of the commit's models/ tree, or null. */
    static ObjectId models(ObjectReader reader, RevCommit commit) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(reader, "models", commit.getTree())) {
            return tw == null ? null : tw.getObjectId(0);
        }
    }
}
