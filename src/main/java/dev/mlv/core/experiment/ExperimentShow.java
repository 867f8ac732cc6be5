package dev.mlv.core.experiment;

import dev.mlv.core.Json;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.CommitMetrics;
import dev.mlv.core.internal.CurveFiles;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.internal.RunRecorder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.Metric;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code mlv exp show [REF]}: one experiment commit in full: commit, message, author, date, its run
 * record ({@code logs/run.json}), metrics with their directions, parameters, training curves
 * summarised (last, best, at which step; no points), and large files. Reads the
 * commit's tree only; the work tree is not looked at.
 */
public final class ExperimentShow {
    private static final int MAX_RUN_RECORD_BYTES = 1 << 20;

    private final MlvRepository repo;
    private String ref = Constants.HEAD;

    public ExperimentShow(MlvRepository repo) {
        this.repo = repo;
    }

    /** A branch, tag or commit; HEAD when not set. */
    public ExperimentShow setRef(String ref) {
        this.ref = ref == null ? Constants.HEAD : ref;
        return this;
    }

    /** What {@code logs/run.json} says about the run that produced the commit; absent fields are null. */
    public record Run(List<String> command, Double durationSeconds, Integer exitCode, String start, String end,
                      String codeCommit, Boolean codeDirty, String dataCommit) {
    }

    /** A large file: path, size in bytes and content oid ({@code sha256:...}). */
    public record LargeFile(String path, long size, String oid) {
    }

    /** One metric with its direction and origin. */
    public record MetricEntry(String key, MetricCell value, String direction, String directionRule, String origin) {
    }

    /** One parameter ({@code params/*.json}, flattened as metrics are) with its origin. */
    public record ParamEntry(String key, MetricCell value, String origin) {
    }

    /**
     * The commit. {@code run} is null without a readable run record; {@code runError} says why
     * when the file exists but cannot be read. {@code metricsError} likewise for metrics,
     * {@code paramsError} for parameters. {@code curves} are summaries without points;
     * {@code curveWarnings} one line per file with malformed rows or that could not be read.
     */
    public record Result(String ref, String commit, String shortCommit, String subject, String message,
                         String author, String authorEmail, String date, List<String> parents, Run run,
                         String runError, List<MetricEntry> metrics, String metricsError, List<LargeFile> largeFiles,
                         List<ParamEntry> params, String paramsError, List<CurveFile> curves,
                         List<String> curveWarnings) {
    }

    public Result call() throws MlvException {
        Repository git = repo.git();
        Directions directions = MetricKey.directions(repo);
        try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            RevCommit c = Revisions.commit(git, walk, ref);
            CommitMetrics.Outcome outcome = new CommitMetrics(reader).of(c);
            List<MetricEntry> metrics = new ArrayList<>();
            for (Metric m : outcome.metrics().list()) {
                MetricKey k = MetricKey.of(m.key(), directions);
                metrics.add(new MetricEntry(m.key(), MetricCell.of(m.value()), k.direction(), k.directionRule(), m.origin()));
            }
            CommitMetrics.Outcome paramsOutcome = CommitMetrics.params(reader).of(c);
            List<ParamEntry> params = new ArrayList<>();
            for (Metric m : paramsOutcome.metrics().list()) {
                params.add(new ParamEntry(m.key(), MetricCell.of(m.value()), m.origin()));
            }
            CurveFiles.Read curves = CurveFiles.read(reader, repo.content(), c.getTree(), directions, 0);
            Run run = null;
            String runError = null;
            try {
                run = runRecord(reader, c);
            } catch (MlvException e) {
                runError = e.getMessage();
            }
            PersonIdent author = c.getAuthorIdent();
            List<String> parents = new ArrayList<>();
            for (RevCommit p : c.getParents()) {
                parents.add(p.name());
            }
            return new Result(ref, c.name(), Revisions.abbreviate(c), c.getShortMessage(), c.getFullMessage(),
                    author.getName(), author.getEmailAddress(), Instant.ofEpochSecond(c.getCommitTime()).toString(),
                    List.copyOf(parents), run, runError, List.copyOf(metrics), outcome.error(),
                    List.copyOf(LargeFiles.in(reader, c.getTree())), List.copyOf(params), paramsOutcome.error(),
                    ExperimentCurves.files(curves), ExperimentCurves.warnings(curves));
        } catch (IOException e) {
            throw new MlvException("cannot read '" + ref + "': " + e.getMessage(), e);
        }
    }

    /** The run record of a commit, or null when it has none. */
    private static Run runRecord(ObjectReader reader, RevCommit c) throws IOException, MlvException {
        byte[] bytes;
        try (TreeWalk walk = TreeWalk.forPath(reader, RunRecorder.RECORD, c.getTree())) {
            if (walk == null || walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                return null;
            }
            var loader = reader.open(walk.getObjectId(0));
            if (loader.getSize() > MAX_RUN_RECORD_BYTES) {
                throw new MlvException(RunRecorder.RECORD + " is larger than " + MAX_RUN_RECORD_BYTES + " bytes");
            }
            bytes = loader.getBytes();
        }
        JsonNode node;
        try {
            node = Json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new MlvException(RunRecorder.RECORD + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new MlvException(RunRecorder.RECORD + " does not hold a JSON object");
        }
        List<String> command = new ArrayList<>();
        node.path("command").forEach(n -> command.add(n.asText()));
        return new Run(List.copyOf(command), number(node, "durationSeconds"),
                node.path("exitCode").isInt() ? node.get("exitCode").asInt() : null,
                text(node, "start"), text(node, "end"), text(node, "codeCommit"),
                node.path("codeDirty").isBoolean() ? node.get("codeDirty").asBoolean() : null, text(node, "dataCommit"));
    }

    private static Double number(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && n.isNumber() ? n.asDouble() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
