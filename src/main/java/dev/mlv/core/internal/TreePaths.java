package dev.mlv.core.internal;

import dev.mlv.core.MlvException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The check every tree that arrives from elsewhere passes before a ref or a file moves (switch,
 * pull, clone, promote, reproduce): no name that would leave the work tree or write into
 * {@code .git} ({@code ..}, {@code .git} in any case, a slash or NUL in a name), at any depth.
 * JGit's checkout refuses such names too, but midway, after the branch has moved.
 */
public final class TreePaths {
    private TreePaths() {
    }

    /**
     * Refuses {@code commit}'s tree with an integrity error (exit 6) naming the path; {@code what}
     * names the commit for the message (for example "branch 'x'" or "origin/main").
     */
    public static void refuseUnsafe(ObjectReader reader, RevCommit commit, String what) throws MlvException, IOException {
        ObjectChecker checker = new ObjectChecker();
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(commit.getTree());
            while (tw.next()) {
                byte[] name = tw.getNameString().getBytes(StandardCharsets.UTF_8);
                try {
                    checker.checkPathSegment(name, 0, name.length);
                } catch (CorruptObjectException e) {
                    throw MlvException.integrity(what + " (" + commit.abbreviate(12).name() + ") holds the path '"
                            + tw.getPathString() + "', which is not allowed in a work tree (" + e.getMessage()
                            + "); nothing was changed. Inspect it with 'git ls-tree -r " + commit.name() + "'", e);
                }
                if (tw.isSubtree()) {
                    tw.enterSubtree();
                }
            }
        }
    }
}
