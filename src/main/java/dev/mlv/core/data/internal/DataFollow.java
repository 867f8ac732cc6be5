package dev.mlv.core.data.internal;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.io.IOException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Moves the data submodule along with {@code mlv switch}, as {@code git checkout
 * --recurse-submodules} does: to the data commit the target commit pins, so that the work tree
 * holds the data the branch's model was trained on, or, when the target pins no data, away (its
 * work tree removed, {@code .git/modules/data} kept so that it can come back). Planned before the
 * checkout, where everything that can fail (a dirty data work tree, a data commit or large files
 * that cannot be fetched) fails without changing anything; {@link #apply()} then changes the data
 * work tree after the branch's files. A data repository that was never cloned (a fresh clone
 * before {@code mlv data pull}) is left alone, as git leaves a submodule that is not initialized.
 */
public final class DataFollow implements AutoCloseable {
    private final MlvRepository repo;
    private final DataModule module;
    private final RevCommit target;
    private final String leave;
    private final ObjectId from;

    private DataFollow(MlvRepository repo, DataModule module, RevCommit target, String leave, ObjectId from) {
        this.repo = repo;
        this.module = module;
        this.target = target;
        this.leave = leave;
        this.from = from;
    }

    /** Where the data moved: {@code to} is null when the data work tree was removed, {@code from} when there was none. */
    public record Move(String path, String from, String to) {
    }

    /**
     * The move a switch to {@code commit} needs, or null when there is none: the data repository
     * was never cloned, or the data work tree is already where {@code commit} wants it.
     */
    public static DataFollow plan(MlvRepository repo, ObjectReader reader, RevCommit commit, String branch)
            throws MlvException {
        if (!DataModule.isInitialized(repo)) {
            return null;
        }
        try {
            String currentPath = Submodules.dataPath(repo.git());
            Config targetModules = Submodules.modules(reader, commit);
            String targetPath = Submodules.dataPath(reader, commit);
            ObjectId pin = Submodules.gitlink(reader, commit, targetPath);
            // a Git repository there that is not the data submodule's work tree is not mlv's to move or remove
            boolean present = DataModule.hasWorkTreeAt(repo, currentPath) && DataModule.ownsWorkTreeAt(repo, currentPath);
            if (!present && pin == null) {
                return null;
            }
            ObjectId head = null;
            if (present) {
                try (DataModule current = DataModule.openCloned(repo, currentPath, null)) {
                    head = current.head();
                    if (pin != null && pin.equals(head) && currentPath.equals(targetPath)) {
                        return null;
                    }
                    current.refuseIfDirty("switch to '" + branch + "'");
                }
            }
            String leave = present && (pin == null || !currentPath.equals(targetPath)) ? currentPath : null;
            if (pin == null) {
                return new DataFollow(repo, null, null, leave, head);
            }
            DataModule next = DataModule.openCloned(repo, targetPath, targetModules);
            boolean keep = false;
            try {
                next.refuseForeignWorkTree("switch to '" + branch + "'");
                if (!next.has(pin)) {
                    next.fetch();
                }
                if (!next.has(pin)) {
                    throw MlvException.notFound("branch '" + branch + "' pins data commit " + pin.name() + ", which the data"
                            + " repository " + next.url().url() + " does not have; nothing was changed");
                }
                RevCommit data = next.resolve(pin.name());
                next.importContent(data);
                keep = true;
                return new DataFollow(repo, next, data, leave, head);
            } finally {
                if (!keep) {
                    next.close();
                }
            }
        } catch (IOException e) {
            throw new MlvException("cannot prepare the data for '" + branch + "': " + e.getMessage(), e);
        }
    }

    /** Removes the data work tree the target has no place for, then checks the pinned data commit out. */
    public Move apply() throws MlvException {
        if (leave != null) {
            try (DataModule old = DataModule.openCloned(repo, leave, null)) {
                old.removeWorkTree();
            }
        }
        if (module == null) {
            return new Move(leave, from == null ? null : from.name(), null);
        }
        if (!module.hasWorkTree()) {
            module.attachWorkTree();
            module.configure();
        }
        module.checkout(target);
        return new Move(module.path(), from == null || leave != null ? null : from.name(), target.name());
    }

    @Override
    public void close() {
        if (module != null) {
            module.close();
        }
    }
}
