package dev.mlv.core.workspace;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.internal.Trailers;
import dev.mlv.metrics.MetricValue;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** {@code mlv log [REF] [-n N]}: commits with the metrics and runs their trailers record. */
public final class Log {
    private final MlvRepository repo;
    private int limit = 20;

    public Log(MlvRepository repo) {
        this.repo = repo;
    }

    public Log setLimit(int limit) {
        this.limit = limit;
        return this;
    }

    /**
     * One commit. {@code metrics} come from its {@code Mlv-Metrics} trailer (values as the trailer
     * shows them, rounded for display); run and data may be null.
     */
    public record Entry(String commit, String author, String date, String subject, Map<String, MetricCell> metrics,
                        String run, String data, List<String> parents) {
    }

    public record Result(String ref, List<Entry> commits) {
    }

    public Result call(String ref) throws MlvException {
        if (limit < 1) {
            throw MlvException.usage("-n must be at least 1");
        }
        try (RevWalk walk = new RevWalk(repo.git())) {
            RevCommit start = Revisions.commit(repo.git(), walk, ref);
            walk.markStart(start);
            List<Entry> entries = new ArrayList<>();
            for (RevCommit c : walk) {
                if (entries.size() >= limit) {
                    break;
                }
                entries.add(entry(c));
            }
            return new Result(ref, entries);
        } catch (IOException e) {
            throw new MlvException("cannot read the history of " + ref + ": " + e.getMessage(), e);
        }
    }

    static Entry entry(RevCommit c) {
        Map<String, MetricCell> metrics = new LinkedHashMap<>();
        String run = null;
        String data = null;
        for (FooterLine footer : c.getFooterLines()) {
            if (footer.matches(Trailers.METRICS_KEY)) {
                Trailers.parseMetrics(footer.getValue()).forEach((k, v) -> metrics.put(k, MetricCell.of(MetricValue.parse(v))));
            } else if (footer.matches(Trailers.RUN_KEY)) {
                run = footer.getValue();
            } else if (footer.matches(Trailers.DATA_KEY)) {
                data = footer.getValue();
            }
        }
        List<String> parents = new ArrayList<>();
        for (RevCommit p : c.getParents()) {
            parents.add(p.name());
        }
        Instant when = c.getAuthorIdent().getWhenAsInstant();
        return new Entry(c.name(), c.getAuthorIdent().getName(), when.toString(), c.getShortMessage(), metrics, run, data, parents);
    }
}
