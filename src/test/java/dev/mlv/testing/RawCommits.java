package dev.mlv.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Commits built object by object, bypassing every check a porcelain (mlv's or JGit's) makes: how
 * tests make the hostile trees and pointers that arrive from others.
 */
public final class RawCommits {
    private RawCommits() {
    }

    /** Builds a tree with the inserter; returns its id. */
    public interface TreeBuilder {
        ObjectId build(ObjectInserter inserter) throws IOException;
    }

    /**
     * Commits the tree {@code tree} builds on top of {@code parent} (a revision, or null for a
     * root commit) and points {@code branch} at it, forced. Returns the commit.
     */
    public static ObjectId commit(Path gitDir, String branch, String parent, TreeBuilder tree) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build();
             ObjectInserter ins = git.newObjectInserter()) {
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(tree.build(ins));
            if (parent != null) {
                c.setParentId(git.resolve(parent));
            }
            PersonIdent who = new PersonIdent("Mallory", "m@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("hostile\n");
            ObjectId commit = ins.insert(c);
            ins.flush();
            RefUpdate u = git.updateRef(Constants.R_HEADS + branch);
            u.setNewObjectId(commit);
            u.forceUpdate();
            return commit;
        }
    }

    /** A tree holding one file at {@code dir/name} with {@code content}. */
    public static TreeBuilder file(String dir, String name, String content) {
        return ins -> {
            TreeFormatter inner = new TreeFormatter();
            inner.append(name, FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
            TreeFormatter top = new TreeFormatter();
            top.append(dir, FileMode.TREE, ins.insert(inner));
            return ins.insert(top);
        };
    }

    /** A tree of files given as {@code dir/name} (one level of folders) to content. */
    public static TreeBuilder files(java.util.Map<String, String> files) {
        return ins -> {
            java.util.Map<String, TreeFormatter> dirs = new java.util.TreeMap<>();
            for (var e : new java.util.TreeMap<>(files).entrySet()) {
                String[] parts = e.getKey().split("/", 2);
                dirs.computeIfAbsent(parts[0], k -> new TreeFormatter()).append(parts[1], FileMode.REGULAR_FILE,
                        ins.insert(Constants.OBJ_BLOB, e.getValue().getBytes(StandardCharsets.UTF_8)));
            }
            TreeFormatter top = new TreeFormatter();
            for (var d : dirs.entrySet()) {
                top.append(d.getKey(), FileMode.TREE, ins.insert(d.getValue()));
            }
            return ins.insert(top);
        };
    }
}
