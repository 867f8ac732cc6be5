package dev.mlv.core.workspace;

import dev.mlv.core.LargeFile;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.Revisions;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/** {@code mlv ls-files [REF]}: the large files of a commit, and whether the local store has them. */
public final class LsFiles {
    private final MlvRepository repo;

    public LsFiles(MlvRepository repo) {
        this.repo = repo;
    }

    /** The commit listed and its large files in path order. */
    public record Result(String commit, List<LargeFile> files) {
    }

    public Result call(String ref) throws MlvException {
        try (RevWalk walk = new RevWalk(repo.git()); ObjectReader reader = repo.git().newObjectReader()) {
            RevCommit commit = Revisions.commit(repo.git(), walk, ref);
            return new Result(commit.name(), largeFiles(repo, reader, commit));
        } catch (IOException e) {
            throw new MlvException("cannot list the files of " + ref + ": " + e.getMessage(), e);
        }
    }

    /** Every blob of the commit's tree that holds a pointer. */
    public static List<LargeFile> largeFiles(MlvRepository repo, ObjectReader reader, RevCommit commit) throws IOException {
        List<LargeFile> files = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(commit.getTree());
            tw.setRecursive(true);
            while (tw.next()) {
                if (tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    continue;
                }
                Pointer p = Pointers.read(reader, tw.getObjectId(0));
                if (p != null) {
                    files.add(new LargeFile(tw.getPathString(), p.size(), p.oid().hex(), repo.content().has(p.oid())));
                }
            }
        }
        return files;
    }
}
