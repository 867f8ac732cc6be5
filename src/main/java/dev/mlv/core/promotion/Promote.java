package dev.mlv.core.promotion;

import dev.mlv.core.internal.TreePaths;
import dev.mlv.core.ErrorKind;
import dev.mlv.core.FileChange;
import dev.mlv.core.LargeFile;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Transfer;
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
    private String push;
    private int maxAttempts = PushedPromotion.DEFAULT_ATTEMPTS;

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
     * Promote into the Git remote {@code remote}'s DST instead of the local one ({@code ""}: DST's
     * upstream remote, else origin): fetch, gate against the remote's DST, merge, push the content,
     * then the branch and the next free tag together; on a rejection start again from the fetch.
     */
    public Promote setPush(String remote) {
        this.push = remote;
        return this;
    }

    /** Attempts before a promotion that keeps losing races gives up (exit 4); at least 1. */
    public Promote setMaxAttempts(int attempts) {
        this.maxAttempts = Math.max(1, attempts);
        return this;
    }

    /**
     * What happened. {@code outcome} is one of: promoted, fast-forward, created, up-to-date,
     * gate-failed, dry-run. On gate-failed nothing was written. {@code policies}: what each path
     * policy decides between DST and SRC. {@code push}: null for a local promotion.
     */
    public record Result(String outcome, String source, String target, String sourceCommit, String previousCommit,
                         String commit, String tag, List<GateRow> gates, List<PathPolicy> policies, List<FileChange> changes,
                         List<LargeFile> models, Map<String, MetricCell> metrics, boolean workTreeUpdated, Pushed push) {
        @JsonProperty("gatesPassed")
        public boolean gatesPassed() {
            return Gating.passed(gates);
        }

        Result withPush(Pushed p, boolean updated) {
            return new Result(outcome, source, target, sourceCommit, previousCommit, commit, tag, gates, policies, changes,
                    models, metrics, updated, p);
        }
    }

    /**
     * How a {@code --push} promotion went: the Git remote, the attempts it took (each after a fresh
     * fetch), what became of the local DST branch ({@code created}, {@code moved}, {@code unchanged},
     * or {@code diverged}: it holds commits the remote's DST lacks and was left alone), the local
     * promotion tags replaced by the remote's (unpublished promotions that lost their number), and
     * the content sent to the store remote.
     */
    public record Pushed(String remote, int attempts, String localBranch, List<String> replacedLocalTags, Transfer content) {
    }

    public Result call(String src, String dst) throws MlvException {
        Branches.checkName(dst);
        if (push != null) {
            return new PushedPromotion(this, repo, push, maxAttempts).call(src, dst);
        }
        Repository git = repo.git();
        String dstRef = Branches.refName(dst);
        try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
            RevCommit source = Revisions.commit(git, walk, src);
            Ref target = git.exactRef(dstRef);
            if (target == null && !create) {
                throw MlvException.notFound("branch '" + dst + "' not found; create it with 'mlv promote " + src + " " + dst + " --create'");
            }
            RevCommit previous = target == null ? null : walk.parseCommit(target.getObjectId());
            WorkTreeSync sync = WorkTreeSync.ifCheckedOut(repo, dstRef);
            sync.refuseIfDirty("promote into");
            Plan plan = plan(walk, inserter, src, dst, source, previous);
            if (plan.result().isPresent()) {
                return plan.result().get();
            }
            PersonIdent who = identity(); // the tag's tagger: known before DST moves
            sync.checkContent(walk.getObjectReader(), previous == null ? null : previous.getTree(), plan.tree());
            RefMoves.compareAndSwap(git, dstRef, previous, plan.commit(), "promote: " + src + " into " + dst);
            String tag = Promotions.tag(git, dst, plan.commit(), summary(src, dst, source), record(plan, src, dst), who);
            boolean updated = sync.update(previous == null ? null : previous.getTree(), plan.tree());
            return plan.landed(tag, updated);
        } catch (IOException e) {
            throw new MlvException("cannot promote " + src + " into " + dst + ": " + e.getMessage(), e);
        }
    }

    /**
     * A promotion worked out in memory against {@code previous} (DST's commit, null when DST does
     * not exist yet): {@code result} is set when it ends there (gates failed, up to date, dry run);
     * otherwise DST is to become {@code commit}.
     */
    record Plan(java.util.Optional<Result> result, String outcome, String src, String dst, RevCommit source,
                RevCommit previous, ObjectId commit, ObjectId tree, List<GateRow> gates, List<PathPolicy> policies,
                List<FileChange> changes, List<LargeFile> models, Map<String, MetricCell> metrics) {
        Result landed(String tag, boolean updated) {
            return new Result(outcome, src, dst, source.name(), previous == null ? null : previous.name(), commit.name(), tag,
                    gates, policies, changes, models, metrics, updated, null);
        }
    }

    Plan plan(RevWalk walk, ObjectInserter inserter, String src, String dst, RevCommit source, RevCommit previous)
            throws IOException, MlvException {
        TreePaths.refuseUnsafe(walk.getObjectReader(), source, "'" + src + "'");
        String previousName = previous == null ? null : previous.name();
        MlvConfig config = ConfigAt.commit(repo, walk, previous != null ? previous : source);
        Directions directions = Gating.directions(config);
        Gates gates = Gating.parse(require, noRegress, config, dst);
        Metrics srcMetrics = MetricsLoader.fromTree(walk.getObjectReader(), source.getTree());
        Metrics dstMetrics = previous == null ? Metrics.empty() : MetricsLoader.fromTree(walk.getObjectReader(), previous.getTree());
        List<GateRow> gateRows = Gating.evaluate(gates, srcMetrics, dstMetrics, directions);
        Map<String, MetricCell> metrics = MetricCell.map(srcMetrics.values());
        PathPolicies policies = PathPolicies.from(config);
        List<PathPolicy> policyRows = policies.describe(walk.getObjectReader(),
                previous == null ? null : previous.getTree(), source.getTree());
        if (!Gating.passed(gateRows)) {
            return ended(new Result("gate-failed", src, dst, source.name(), previousName, null, null,
                    gateRows, policyRows, List.of(), List.of(), metrics, false, null));
        }

        // What DST becomes: SRC itself (create, fast-forward), or a merge commit.
        String outcome;
        ObjectId newCommit;
        if (previous == null) {
            outcome = "created";
            newCommit = source;
        } else if (walk.isMergedInto(source, previous)) {
            return ended(new Result("up-to-date", src, dst, source.name(), previousName, previousName, null,
                    gateRows, policyRows, List.of(), LsFiles.largeFiles(repo, walk.getObjectReader(), previous), metrics, false, null));
        } else if (walk.isMergedInto(previous, source)
                && !policies.changesKeptPaths(walk.getObjectReader(), previous.getTree(), source.getTree())) {
            outcome = "fast-forward";
            newCommit = source;
        } else {
            // diverged, or a fast-forward would replace what DST keeps (its monitoring): a merge
            outcome = "promoted";
            newCommit = mergeCommit(walk, inserter, source, previous, src, dst, policies, metrics);
        }
        RevCommit result = walk.parseCommit(newCommit);
        List<FileChange> changes = TreeDiff.between(repo, walk.getObjectReader(), previous == null ? null : previous.getTree(), result.getTree());
        List<LargeFile> models = LsFiles.largeFiles(repo, walk.getObjectReader(), result);
        if (dryRun) {
            return ended(new Result("dry-run", src, dst, source.name(), previousName, null, null,
                    gateRows, policyRows, changes, models, metrics, false, null));
        }
        return new Plan(java.util.Optional.empty(), outcome, src, dst, source, previous, newCommit, result.getTree(), gateRows,
                policyRows, changes, models, metrics);
    }

    private static Plan ended(Result r) {
        return new Plan(java.util.Optional.of(r), r.outcome(), r.source(), r.target(), null, null, null, null, r.gates(),
                r.policies(), r.changes(), r.models(), r.metrics());
    }

    /** The JSON record of a promotion tag, without its number (the tag writer adds it). */
    ObjectNode record(Plan plan, String src, String dst) {
        ObjectNode record = Promotions.newRecord("promote", dst);
        record.put("source", src);
        record.put("sourceCommit", plan.source().name());
        record.put("previousCommit", plan.previous() == null ? null : plan.previous().name());
        record.put("commit", plan.commit().name());
        record.put("outcome", plan.outcome());
        record.set("metrics", Promotions.toJson(plan.metrics()));
        record.set("gates", Promotions.toJson(plan.gates()));
        if (message != null && !message.isBlank()) {
            record.put("message", message.strip()); // kept on a fast-forward too, where no commit carries it
        }
        return record;
    }

    static String summary(String src, String dst, RevCommit source) {
        return "Promote " + src + " (" + source.abbreviate(12).name() + ") into " + dst;
    }

    boolean create() {
        return create;
    }

    boolean dryRun() {
        return dryRun;
    }

    private ObjectId mergeCommit(RevWalk walk, ObjectInserter inserter, RevCommit source, RevCommit previous, String src,
                                 String dst, PathPolicies policies, Map<String, MetricCell> metrics) throws IOException, MlvException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(source);
        walk.markStart(previous);
        RevCommit base = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
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

    /**
     * Who promotes (refuses when unknown). A dry run's merge commit is only a preview that nothing
     * references, so it needs no identity.
     */
    PersonIdent identity() throws MlvException {
        Instant now = repo.session().clock().instant();
        if (dryRun) {
            return new PersonIdent("mlv promote --dry-run", "", now, repo.session().clock().getZone());
        }
        return Identity.committer(repo.session(), repo.git()).at(repo.session(), now);
    }
}
