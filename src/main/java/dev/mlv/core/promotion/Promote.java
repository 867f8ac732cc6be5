package dev.mlv.core.promotion;

import dev.mlv.core.internal.TreePaths;
import dev.mlv.core.ErrorKind;
import dev.mlv.core.FileChange;
import dev.mlv.core.LargeFile;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Identity;
import dev.mlv.core.internal.MetricsLoader;
import dev.mlv.core.internal.RefMoves;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.promotion.internal.Promotions;
import dev.mlv.core.workspace.LsFiles;
import dev.mlv.core.workspace.internal.Trailers;
import dev.mlv.core.workspace.internal.TreeDiff;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlv.git.PolicyMerge;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.Gates;
import dev.mlv.metrics.Metrics;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/**
 * {@code mlv promote SRC DST}: ship SRC's model into DST. Gates on SRC's metrics (and against
 * DST's) decide first; then an in-memory merge where artifact paths take SRC's side and code
 * merges normally; then DST moves by compare-and-swap and a {@code promote/DST/N} tag records it.
 * A failed gate or a conflict changes nothing.
 */
public final class Promote {
    private final MlvRepository repo;
    private List<String> require = List.of();
    private List<String> noRegress = List.of();
    private boolean create;
    private boolean dryRun;
    private String message;

    public Promote(MlvRepository repo) {
        this.repo = repo;
    }

    public Promote setRequire(List<String> exprs) {
        this.require = List.copyOf(exprs);
        return this;
    }

    public Promote setNoRegress(List<String> specs) {
        this.noRegress = List.copyOf(specs);
        return this;
    }

    public Promote setCreate(boolean create) {
        this.create = create;
        return this;
    }

    public Promote setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Promote setMessage(String message) {
        this.message = message;
        return this;
    }

    /**
     * What happened. {@code outcome} is one of: promoted, fast-forward, created, up-to-date,
     * gate-failed, dry-run. On gate-failed nothing was written.
     */
    public record Result(String outcome, String source, String target, String sourceCommit, String previousCommit,
                         String commit, String tag, List<GateRow> gates, List<FileChange> changes,
                         List<LargeFile> models, Map<String, MetricCell> metrics, boolean workTreeUpdated) {
        @JsonProperty("gatesPassed")
        public boolean gatesPassed() {
            return Gating.passed(gates);
        }
    }

    public Result call(String src, String dst) throws MlvException {
        Branches.checkName(dst);
        Repository git = repo.git();
        String dstRef = Branches.refName(dst);
        try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
            RevCommit source = Revisions.commit(git, walk, src);
            TreePaths.refuseUnsafe(walk.getObjectReader(), source, "'" + src + "'");
            Ref target = git.exactRef(dstRef);
            if (target == null && !create) {
                throw MlvException.notFound("branch '" + dst + "' not found; create it with 'mlv promote " + src + " " + dst + " --create'");
            }
            RevCommit previous = target == null ? null : walk.parseCommit(target.getObjectId());
            WorkTreeSync sync = WorkTreeSync.ifCheckedOut(repo, dstRef);
            sync.refuseIfDirty("promote into");

            MlvConfig config = ConfigAt.commit(repo, walk, previous != null ? previous : source);
            Directions directions = Gating.directions(config);
            Gates gates = Gating.parse(require, noRegress, config, dst);
            Metrics srcMetrics = MetricsLoader.fromTree(walk.getObjectReader(), source.getTree());
            Metrics dstMetrics = previous == null ? Metrics.empty() : MetricsLoader.fromTree(walk.getObjectReader(), previous.getTree());
            List<GateRow> gateRows = Gating.evaluate(gates, srcMetrics, dstMetrics, directions);
            Map<String, MetricCell> metrics = MetricCell.map(srcMetrics.values());
            if (!Gating.passed(gateRows)) {
                return new Result("gate-failed", src, dst, source.name(), previous == null ? null : previous.name(), null, null,
                        gateRows, List.of(), List.of(), metrics, false);
            }

            // What DST becomes: SRC itself (create, fast-forward), or a merge commit.
            String outcome;
            ObjectId newCommit;
            if (previous == null) {
                outcome = "created";
                newCommit = source;
            } else if (walk.isMergedInto(source, previous)) {
                return new Result("up-to-date", src, dst, source.name(), previous.name(), previous.name(), null,
                        gateRows, List.of(), LsFiles.largeFiles(repo, walk.getObjectReader(), previous), metrics, false);
            } else if (walk.isMergedInto(previous, source)
                    && !PathPolicies.from(config).changesKeptPaths(walk.getObjectReader(), previous.getTree(), source.getTree())) {
                outcome = "fast-forward";
                newCommit = source;
            } else {
                // diverged, or a fast-forward would replace what DST keeps (its monitoring): a merge
                outcome = "promoted";
                newCommit = mergeCommit(walk, inserter, source, previous, src, dst, config, metrics);
            }
            RevCommit result = walk.parseCommit(newCommit);
            List<FileChange> changes = TreeDiff.between(repo, walk.getObjectReader(), previous == null ? null : previous.getTree(), result.getTree());
            List<LargeFile> models = LsFiles.largeFiles(repo, walk.getObjectReader(), result);
            if (dryRun) {
                return new Result("dry-run", src, dst, source.name(), previous == null ? null : previous.name(), null, null,
                        gateRows, changes, models, metrics, false);
            }
            sync.checkContent(walk.getObjectReader(), previous == null ? null : previous.getTree(), result.getTree());
            RefMoves.compareAndSwap(git, dstRef, previous, newCommit, "promote: " + src + " into " + dst);

            ObjectNode record = Promotions.newRecord("promote", dst);
            record.put("source", src);
            record.put("sourceCommit", source.name());
            record.put("previousCommit", previous == null ? null : previous.name());
            record.put("commit", newCommit.name());
            record.put("outcome", outcome);
            record.set("metrics", Promotions.toJson(metrics));
            record.set("gates", Promotions.toJson(gateRows));
            if (message != null && !message.isBlank()) {
                record.put("message", message.strip()); // kept on a fast-forward too, where no commit carries it
            }
            String tag = Promotions.tag(git, dst, newCommit, "Promote " + src + " (" + source.abbreviate(12).name() + ") into " + dst,
                    record, identity());
            boolean updated = sync.update(previous == null ? null : previous.getTree(), result.getTree());
            return new Result(outcome, src, dst, source.name(), previous == null ? null : previous.name(), newCommit.name(), tag,
                    gateRows, changes, models, metrics, updated);
        } catch (IOException e) {
            throw new MlvException("cannot promote " + src + " into " + dst + ": " + e.getMessage(), e);
        }
    }

    private ObjectId mergeCommit(RevWalk walk, ObjectInserter inserter, RevCommit source, RevCommit previous, String src,
                                 String dst, MlvConfig config, Map<String, MetricCell> metrics) throws IOException, MlvException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(source);
        walk.markStart(previous);
        RevCommit base = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        PathPolicies policies = PathPolicies.from(config);
        PolicyMerge.Outcome merged = PolicyMerge.merge(repo.git(), inserter, base == null ? null : base.getTree(),
                previous.getTree(), source.getTree(), policies::sideOf);
        if (!merged.clean()) {
            throw new MlvException(ErrorKind.CONFLICT, "promoting " + src + " into " + dst + " conflicts in "
                    + String.join(", ", merged.conflicts()) + "; merge " + dst + " into " + src
                    + " and resolve them there, then promote again; nothing was changed");
        }
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(merged.tree());
        commit.setParentIds(previous, source);
        PersonIdent who = identity();
        commit.setAuthor(who);
        commit.setCommitter(who);
        StringBuilder text = new StringBuilder();
        text.append(message == null || message.isBlank() ? "Promote " + src + " into " + dst : message.strip()).append("\n\n");
        text.append("Mlv-Promoted-From: ").append(src).append("\n");
        text.append("Mlv-Source-Commit: ").append(source.name()).append("\n");
        Map<String, String> shown = new LinkedHashMap<>();
        metrics.forEach((k, v) -> shown.put(k, v.shown()));
        String m = Trailers.metricsLine(shown);
        if (!m.isEmpty()) {
            text.append(Trailers.METRICS).append(": ").append(m).append("\n");
        }
        commit.setMessage(text.toString());
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        return id;
    }

    private PersonIdent identity() {
        Instant now = repo.session().clock().instant();
        return Identity.committer(repo.session(), repo.git().getConfig(), now);
    }
}
