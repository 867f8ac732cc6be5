package dev.mlv.core.data.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Moves the data submodule along with {@code mlv switch}: to the data commit the target branch
 * pins, so that the work tree holds the data the branch's model was trained on (what git does
 * with {@code --recurse-submodules}). Planned before the checkout, where everything that can fail
 * (a dirty data work tree, a data commit or large files that cannot be fetched) fails without
 * changing anything; {@link #apply()} then checks the data commit out after the branch's files.
 * A data submodule that is not checked out (a fresh clone) is left alone, as git leaves it.
 */
public final class DataFollow implements AutoCloseable {
    private final DataModule module;
    private final RevCommit target;
    private final ObjectId from;

    private DataFollow(DataModule module, RevCommit target, ObjectId from) {
        this.module = module;
        this.target = target;
        this.from = from;
    }

    /** Where the data moved, for the switch's result. */
    public record Move(String path, String from, String to) {
    }

    /**
     * The move a switch to {@code commit} needs, or null when there is none: no data submodule, not
     * checked out, no pin on the target branch, or already at the pin.
     */
    public static DataFollow plan(MlvRepository repo, ObjectReader reader, RevCommit commit, String branch)
            throws MlvException {
        DataModule module;
        try {
            module = DataModule.open(repo);
        } catch (MlvException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
        boolean keep = false;
        try {
            if (!module.isCloned()) {
                return null;
            }
            ObjectId pin = Submodules.gitlink(reader, commit, module.path());
            ObjectId head = module.head();
            if (pin == null || pin.equals(head)) {
                return null;
            }
            module.refuseIfDirty("switch to '" + branch + "'");
            if (!module.has(pin)) {
                module.fetch();
            }
            if (!module.has(pin)) {
                throw MlvException.notFound("branch '" + branch + "' pins data commit " + pin.name() + ", which the data"
                        + " repository " + module.url().url() + " does not have; nothing was changed");
            }
            RevCommit target = module.resolve(pin.name());
            module.importContent(target);
            keep = true;
            return new DataFollow(module, target, head);
        } catch (IOException e) {
            throw new MlvException("cannot prepare the data for '" + branch + "': " + e.getMessage(), e);
        } finally {
            if (!keep) {
                module.close();
            }
        }
    }

    /** Checks the pinned data commit out in the data work tree. */
    public Move apply() throws MlvException {
        module.checkout(target);
        return new Move(module.path(), from == null ? null : from.name(), target.name());
    }

    @Override
    public void close() {
        module.close();
    }
}
