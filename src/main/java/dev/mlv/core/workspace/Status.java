package dev.mlv.core.workspace;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.data.DataStatus;
import dev.mlv.core.data.internal.DataModule;
import dev.mlv.core.data.internal.Submodules;
import dev.mlv.core.internal.LfsHooks;
import dev.mlv.core.internal.MetricsLoader;
import dev.mlv.core.workspace.internal.WorkTreeChanges;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlv.metrics.DiffRow;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.Metrics;
import dev.mlv.metrics.MetricsDiff;
import dev.mlv.metrics.MetricsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

/**
 * {@code mlv status}: the branch, changed large files with sizes, other changed files, metrics
 * that differ from HEAD, and the data submodule's state.
 */
public final class Status {
    private final MlvRepository repo;

    public Status(MlvRepository repo) {
        this.repo = repo;
    }

    /** A changed path: {@code state} is new, modified, deleted or conflict. */
    public record Entry(String path, String state, long size) {
    }

    /** A metric whose work-tree value differs from HEAD's; {@code change} is better, worse, added, ... */
    public record MetricChange(String key, MetricCell old, MetricCell now, String change) {
    }

    /**
     * The data submodule: the commit the index pins ({@code pinned}, what the next commit records)
     * and HEAD's ({@code committed}), the checked-out commit (null when not checked out), whether
     * it matches the pin, whether the pin is {@code staged} (differs from HEAD's), whether its work
     * tree has uncommitted changes, whether it is {@code stray} (a data work tree on a branch that
     * pins no data), and how many commits the pin is behind its tracked branch as last fetched
     * (null when unknown). {@code clean} is what {@code git status} would say of the path: no
     * stray work tree, no staged change, checked out at the pin (or not checked out), not dirty.
     */
    public record Data(String path, String pinned, String committed, String checkedOut, boolean matches, boolean staged,
                       boolean dirty, boolean stray, Integer behind) {
        @JsonProperty("clean")
        public boolean clean() {
            return !stray && !staged && !dirty && (checkedOut == null || matches);
        }
    }

    /** {@code warnings}: things to fix that are not changes (Git LFS hooks installed); omitted from JSON when none. */
    public record Result(String branch, String head, List<Entry> largeFiles, List<Entry> otherFiles,
                         List<MetricChange> metrics, String metricsError, Data data,
                         @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<String> warnings) {
        /** Nothing to commit: no changed file and the data submodule (if any) as the index pins it. */
        @JsonProperty("clean")
        public boolean clean() {
            return largeFiles.isEmpty() && otherFiles.isEmpty() && (data == null || data.clean());
        }
    }

    public Result call() throws MlvException {
        Repository git = repo.git();
        try (Git g = new Git(git)) {
            org.eclipse.jgit.api.Status s = WorkTreeChanges.status(g);
            Map<String, String> states = new TreeMap<>();
            s.getUntracked().forEach(p -> states.put(p, "new"));
            s.getAdded().forEach(p -> states.put(p, "new"));
            s.getChanged().forEach(p -> states.put(p, "modified"));
            s.getModified().forEach(p -> states.put(p, "modified"));
            s.getRemoved().forEach(p -> states.put(p, "deleted"));
            s.getMissing().forEach(p -> states.put(p, "deleted"));
            s.getConflicting().forEach(p -> states.put(p, "conflict"));
            Data data = data(git, head(git));
            if (data != null) {
                // reported as the data submodule's state, not as a changed file
                states.remove(data.path());
                states.remove(data.path() + "/");
            }
            Set<String> large = largePaths(git, states.keySet());
            List<Entry> largeFiles = new ArrayList<>();
            List<Entry> others = new ArrayList<>();
            ObjectId head = git.resolve(Constants.HEAD);
            DirCache index = git.readDirCache();
            try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
                RevTree headTree = head == null ? null : walk.parseCommit(head).getTree();
                for (Map.Entry<String, String> e : states.entrySet()) {
                    Path file = repo.workTree().resolve(e.getKey());
                    long size = Files.isRegularFile(file) ? Files.size(file)
                            : "deleted".equals(e.getValue()) ? committedSize(reader, index, headTree, e.getKey()) : 0;
                    (large.contains(e.getKey()) ? largeFiles : others).add(new Entry(e.getKey(), e.getValue(), size));
                }
            }
            List<MetricChange> metrics = new ArrayList<>();
            String metricsError = null;
            try {
                metrics = metricChanges(head);
            } catch (MlvException e) {
                metricsError = e.getMessage();
            }
            String lfsHooks = LfsHooks.warning(repo.commonDir());
            return new Result(git.getBranch(), head == null ? null : head.name(), largeFiles, others, metrics,
                    metricsError, data, lfsHooks == null ? List.of() : List.of(lfsHooks));
        } catch (GitAPIException | IOException e) {
            throw new MlvException("cannot read the status of " + repo.workTree() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The size of a deleted file as last staged (a deletion not yet staged) or committed (a staged
     * one), as {@link WorkTreeChanges#describe} reports it: a large file's real size from its
     * pointer, any other blob's size; 0 when neither has it.
     */
    private static long committedSize(ObjectReader reader, DirCache index, RevTree headTree, String path) throws IOException {
        DirCacheEntry entry = index.getEntry(path);
        if (entry != null) {
            return WorkTreeChanges.describe(reader, path, "deleted", entry.getObjectId(), entry.getFileMode()).size();
        }
        if (headTree != null) {
            try (TreeWalk tw = TreeWalk.forPath(reader, path, headTree)) {
                if (tw != null) {
                    return WorkTreeChanges.describe(reader, path, "deleted", tw.getObjectId(0), tw.getFileMode(0)).size();
                }
            }
        }
        return 0;
    }

    /** Which of the paths carry the mlv filter attribute (in the work tree or the index). */
    private static Set<String> largePaths(Repository git, Set<String> paths) throws IOException {
        Set<String> large = new java.util.HashSet<>();
        if (paths.isEmpty()) {
            return large;
        }
        try (TreeWalk tw = new TreeWalk(git)) {
            tw.setOperationType(TreeWalk.OperationType.CHECKIN_OP);
            tw.addTree(new DirCacheIterator(git.readDirCache()));
            tw.addTree(new FileTreeIterator(git));
            tw.setRecursive(true);
            tw.setFilter(PathFilterGroup.createFromStrings(paths));
            while (tw.next()) {
                Attribute filter = tw.getAttributes().get("filter");
                if (filter != null && "mlv".equals(filter.getValue())) {
                    large.add(tw.getPathString());
                }
            }
        }
        return large;
    }

    private List<MetricChange> metricChanges(ObjectId head) throws MlvException, IOException {
        Metrics before = Metrics.empty();
        if (head != null) {
            try (RevWalk walk = new RevWalk(repo.git())) {
                before = MetricsLoader.fromTree(walk.getObjectReader(), walk.parseCommit(head).getTree());
            }
        }
        Metrics now = MetricsLoader.fromWorkTree(repo.workTree());
        Directions directions;
        try {
            directions = Directions.of(repo.config().metricDirections());
        } catch (MetricsException e) {
            throw new MlvException(".mlv/config.json: " + e.getMessage(), e);
        }
        List<MetricChange> changes = new ArrayList<>();
        for (DiffRow row : MetricsDiff.between(before, now, directions).onlyChanged().rows()) {
            changes.add(new MetricChange(row.key(),
                    MetricCell.of(row.oldValue()), MetricCell.of(row.newValue()),
                    row.status().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return changes;
    }

    private static RevCommit head(Repository git) throws IOException {
        ObjectId id = git.resolve(Constants.HEAD);
        if (id == null) {
            return null;
        }
        try (RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(id);
        }
    }

    /** The data submodule's state, or null when the branch pins no data and no data work tree is in the way. */
    private Data data(Repository git, RevCommit head) throws IOException, MlvException {
        String path = Submodules.dataPath(git);
        String pinned = Submodules.dataCommit(git);
        String committed = null;
        if (head != null) {
            try (ObjectReader reader = git.newObjectReader()) {
                ObjectId link = Submodules.gitlink(reader, head, path);
                committed = link == null ? null : link.name();
            }
        }
        String checkedOut = Submodules.checkedOut(git, path);
        if (pinned == null && committed == null && checkedOut == null) {
            return null;
        }
        boolean stray = pinned == null && committed == null;
        boolean dirty = false;
        Integer behind = null;
        if (!stray && Files.exists(repo.workTree().resolve(Submodules.GITMODULES))) {
            try (DataModule module = DataModule.open(repo)) {
                DataStatus.Result state = DataStatus.of(repo, module, false);
                dirty = state.dirty();
                behind = state.behind();
            } catch (MlvException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return new Data(path, pinned, committed, checkedOut, checkedOut != null && checkedOut.equals(pinned),
                !java.util.Objects.equals(pinned, committed), dirty, stray, behind);
    }
}
