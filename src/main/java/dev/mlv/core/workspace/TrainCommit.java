package dev.mlv.core.workspace;

import dev.mlv.core.FileChange;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.data.internal.Submodules;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Identity;
import dev.mlv.core.internal.MetricsLoader;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.core.workspace.internal.RunRecorder;
import dev.mlv.core.workspace.internal.Trailers;
import dev.mlv.core.workspace.internal.WorkTreeChanges;
import dev.mlv.metrics.MetricFormat;
import dev.mlv.metrics.Metrics;
import dev.mlv.store.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.mlv.git.Stager;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code mlv train-commit}: after (or while) training, commit the whole experiment as one unit:
 * every change in the work tree (large files into the store, pointers into Git), metrics checked
 * first, the run record when mlv ran the command, and trailers that let listings read metrics
 * without opening files.
 */
public final class TrainCommit {
    private final MlvRepository repo;
    private String message;
    private boolean allowEmpty;
    private String branch;
    private List<String> runCommand = List.of();
    private boolean keepFailed;
    private OutputStream runOutput = OutputStream.nullOutputStream();
    private ProgressListener progress = ProgressListener.NONE;

    public TrainCommit(MlvRepository repo) {
        this.repo = repo;
    }

    public TrainCommit setMessage(String message) {
        this.message = message;
        return this;
    }

    public TrainCommit setAllowEmpty(boolean allowEmpty) {
        this.allowEmpty = allowEmpty;
        return this;
    }

    /** Commit on this branch: created at HEAD when missing, switched to when it points at HEAD. */
    public TrainCommit setBranch(String branch) {
        this.branch = branch;
        return this;
    }

    /** Run this command first, recording it; empty for none. */
    public TrainCommit setRunCommand(List<String> command) {
        this.runCommand = List.copyOf(command);
        return this;
    }

    /** Commit even when the run command fails (the commit says so in a trailer). */
    public TrainCommit setKeepFailed(boolean keepFailed) {
        this.keepFailed = keepFailed;
        return this;
    }

    /** Told the bytes of large files as they are stored. */
    public TrainCommit setProgress(ProgressListener progress) {
        this.progress = progress;
        return this;
    }

    /** Where the run command's output is echoed (it is also written to {@code logs/train.log}). */
    public TrainCommit setRunOutput(OutputStream out) {
        this.runOutput = out;
        return this;
    }

    /** The run, as the summary shows it. */
    public record Run(List<String> command, int exitCode, double durationSeconds, String codeCommit, String dataCommit) {
    }

    /** What was committed. */
    public record Result(String commit, String branch, List<FileChange> files, long largeFiles,
                         long largeBytes, long largeNewBytes, long largeReusedBytes, Map<String, MetricCell> metrics,
                         Run run, boolean runFailed) {
    }

    public Result call() throws MlvException {
        Repository git = repo.git();
        // before the branch moves or the run starts: an hour of training must not end in "who are you?"
        Identity author = Identity.author(repo.session(), git);
        Identity committer = Identity.committer(repo.session(), git);
        try (GitLockRecovery.Section section = GitLockRecovery.enter(repo, "train-commit")) {
            if (branch != null) {
                Branches.createOrSwitchForCommit(git, branch);
            }
            ObjectId head = git.resolve(Constants.HEAD);
            // the data the run reads is what is checked out in data/, which staging records below
            java.util.Set<String> submodules = Submodules.declaredPaths(git);
            Run run = null;
            boolean runFailed = false;
            if (!runCommand.isEmpty()) {
                // before the run: a refusal after hours of training would waste them (without a run,
                // staging refuses the same gitlinks before the index changes, and the index is read once)
                DirCache index = git.readDirCache();
                refuseUndeclared(Submodules.undeclaredGitlinks(git, index, submodules));
                String dataCommit = Submodules.dataCommitToRecord(git, index);
                boolean dirty = !WorkTreeChanges.isClean(repo);
                RunRecorder.RunRecord record = RunRecorder.run(repo, runCommand, runOutput,
                        head == null ? null : head.name(), dirty, dataCommit);
                run = new Run(record.command(), record.exitCode(), record.durationSeconds(), record.codeCommit(), dataCommit);
                runFailed = record.exitCode() != 0;
                if (runFailed && !keepFailed) {
                    throw new MlvException("the run failed with exit code " + record.exitCode()
                            + "; nothing was committed (output in " + RunRecorder.LOG
                            + "; commit anyway with --keep-failed)");
                }
            }
            Metrics metrics = MetricsLoader.fromWorkTree(repo.workTree());

            repo.content().takeTotals();
            Stager stager = new Stager(repo.gitRepository()).setGitlinkAllowed(submodules::contains);
            try (RepoContent.Reporting reporting = repo.content().reportTo(progress)) {
                stager.stageAll();
            } catch (dev.mlv.git.UndeclaredGitlinkException e) {
                refuseUndeclared(e.paths());
            }
            RepoContent.PutTotals totals = repo.content().takeTotals();
            String stagedData = Submodules.dataCommit(git, stager.staged());
            List<FileChange> changes = WorkTreeChanges.staged(repo, stager.staged());
            if (changes.isEmpty() && !allowEmpty) {
                throw new MlvException("nothing to commit: the work tree matches "
                        + (head == null ? "the empty repository" : "HEAD") + "; use --allow-empty to commit anyway");
            }
            Map<String, String> shown = new LinkedHashMap<>();
            metrics.values().forEach((k, v) -> shown.put(k, MetricFormat.value(v)));

            Instant now = repo.session().clock().instant();
            RevCommit commit;
            try (Git g = new Git(git)) {
                commit = g.commit()
                        .setMessage(Trailers.message(message, shown, run, runFailed, stagedData))
                        .setAuthor(author.at(repo.session(), now))
                        .setCommitter(committer.at(repo.session(), now))
                        .setAllowEmpty(true)
                        .call();
            }
            long largeFiles = 0;
            long largeBytes = 0;
            for (FileChange c : changes) {
                if (c.large() && !c.type().equals("deleted")) {
                    largeFiles++;
                    largeBytes += c.size();
                }
            }
            return new Result(commit.name(), git.getBranch(), changes, largeFiles, largeBytes, totals.newBytes(),
                    totals.reusedBytes(), MetricCell.map(metrics.values()), run, runFailed);
        } catch (org.eclipse.jgit.api.errors.ConcurrentRefUpdateException e) {
            // JGit could not lock HEAD's branch: a live writer, or a lock left by a killed one
            String stale = dev.mlv.core.internal.RefMoves.staleLockHint(git, org.eclipse.jgit.lib.Constants.HEAD);
            throw new MlvException(dev.mlv.core.ErrorKind.CONFLICT, "cannot commit: the branch moved or is locked ("
                    + e.getMessage() + ")" + (stale.isEmpty() ? "; run train-commit again" : stale), e);
        } catch (GitAPIException | IOException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.eclipse.jgit.errors.LockFailedException locked && locked.getFile() != null) {
                    // a lock file JGit could not create: a live git's, or one a killed process left
                    // outside what GitLockRecovery can prove its own (git leaves those to the user too)
                    String path = locked.getFile().getPath();
                    java.io.File lock = new java.io.File(path.endsWith(".lock") ? path : path + ".lock");
                    throw new MlvException(dev.mlv.core.ErrorKind.CONFLICT, "cannot commit: "
                            + dev.mlv.core.internal.RefMoves.lockFilesLeft(List.of(lock.getPath())), e);
                }
            }
            throw new MlvException("cannot commit: " + e.getMessage(), e);
        }
    }

    /**
     * A gitlink that {@code .gitmodules} does not declare is a submodule no clone can check out
     * (typically a data work tree left on a branch that pins no data): refused, nothing committed.
     */
    private static void refuseUndeclared(List<String> paths) throws MlvException {
        if (paths.isEmpty()) {
            return;
        }
        String p = paths.get(0);
        throw new MlvException("refusing to commit " + String.join(", ", paths) + ": a Git repository (submodule) that "
                + Submodules.GITMODULES + " does not declare, so no clone could check it out; remove it ('rm -rf " + p
                + "', or 'git rm --cached " + p + "' if it is staged), or add data with 'mlv data add URL'; nothing was"
                + " committed");
    }
}
