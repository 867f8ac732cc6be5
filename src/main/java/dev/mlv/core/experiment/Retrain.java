package dev.mlv.core.experiment;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.data.DataPull;
import dev.mlv.core.data.internal.Submodules;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Identity;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.Switch;
import dev.mlv.core.workspace.TrainCommit;
import dev.mlv.core.workspace.internal.RunRecorder;
import dev.mlv.core.workspace.internal.WorkTreeChanges;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv retrain BASE NAME}: a new experiment branch NAME from BASE with newer data: pulls the
 * data (the tracked branch's tip, or a given revision), re-runs BASE's recorded training command
 * (or a given one) and train-commits the result. Everything that can fail on the network or
 * for missing content happens before the branch is created.
 */
public final class Retrain {
    private final MlvRepository repo;
    private String dataRev;
    private List<String> command = List.of();
    private OutputStream runOutput = OutputStream.nullOutputStream();

    public Retrain(MlvRepository repo) {
        this.repo = repo;
    }

    /** A branch, tag or commit of the data repository; null for the tip of its tracked branch. */
    public Retrain setDataRev(String rev) {
        this.dataRev = rev;
        return this;
    }

    /** The training command; empty to re-run BASE's recorded one. */
    public Retrain setCommand(List<String> command) {
        this.command = List.copyOf(command);
        return this;
    }

    public Retrain setRunOutput(OutputStream out) {
        this.runOutput = out;
        return this;
    }

    /** The new branch, the data it moved from and to, and the train commit. */
    public record Result(String base, String branch, String dataFrom, String dataTo, TrainCommit.Result commit) {
    }

    public Result call(String base, String name) throws MlvException {
        Branches.checkName(name);
        List<String> run = command;
        String dataFrom;
        try (RevWalk walk = new RevWalk(repo.git()); ObjectReader reader = repo.git().newObjectReader()) {
            if (repo.git().exactRef(Branches.refName(name)) != null) {
                throw MlvException.usage("branch '" + name + "' already exists; pick another name, or switch to it with 'mlv switch "
                        + name + "'");
            }
            RevCommit baseCommit = Revisions.commit(repo.git(), walk, base);
            if (run.isEmpty()) {
                RunRecorder.RunRecord record = RunRecorder.readFrom(reader, baseCommit, base);
                if (record == null) {
                    throw MlvException.notFound(base + " has no run record (" + RunRecorder.RECORD
                            + "); give the training command with 'mlv retrain " + base + " " + name + " --run -- CMD ARGS...'");
                }
                run = record.command();
            }
            var link = Submodules.gitlink(reader, baseCommit, Submodules.dataPath(reader, baseCommit));
            if (link == null) {
                throw MlvException.notFound(base + " has no data submodule; add one with 'mlv data add URL' and train-commit first");
            }
            dataFrom = link.name();
            refuseIfDirty();
            Identity.checkForCommit(repo.session(), repo.git()); // before the branch is made and the data moved
        } catch (IOException e) {
            throw new MlvException("cannot retrain " + base + ": " + e.getMessage(), e);
        }
        DataPull pull = new DataPull(repo).setRev(dataRev).setLatest(dataRev == null);
        try {
            RevCommit data = pull.prepare();
            new Switch(repo).setCreate(true).setFrom(base).call(name);
            pull.apply();
            String message = "Retrain " + base + " with data " + data.abbreviate(12).name();
            TrainCommit.Result commit = new TrainCommit(repo).setMessage(message).setRunCommand(run)
                    .setRunOutput(runOutput).setAllowEmpty(true).call();
            return new Result(base, name, dataFrom, data.name(), commit);
        } finally {
            pull.close();
        }
    }

    private void refuseIfDirty() throws MlvException {
        try (Git g = new Git(repo.git())) {
            var status = WorkTreeChanges.status(g);
            List<String> paths = new ArrayList<>(status.getUncommittedChanges());
            paths.addAll(status.getUntracked());
            if (!paths.isEmpty()) {
                throw new MlvException("cannot retrain: the work tree has uncommitted changes (" + WorkTreeSync.summary(paths)
                        + "); commit them with 'mlv train-commit -m MSG' or discard them, then retrain; nothing was changed");
            }
        } catch (GitAPIException e) {
            throw new MlvException("cannot read the work tree's status: " + e.getMessage(), e);
        }
    }
}
