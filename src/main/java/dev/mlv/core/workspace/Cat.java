package dev.mlv.core.workspace;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.core.internal.Revisions;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.Pointer;
import dev.mlv.store.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code mlv cat REF:PATH}: a file's real content as committed on a branch or commit, large files
 * rebuilt from the store and verified, without touching the work tree.
 */
public final class Cat {
    private final MlvRepository repo;
    private ProgressListener progress = ProgressListener.NONE;

    public Cat(MlvRepository repo) {
        this.repo = repo;
    }

    /** Told the bytes of large files as they are read (its total once the file is found). */
    public Cat setProgress(ProgressListener progress) {
        this.progress = progress;
        return this;
    }

    /** What was written. */
    public record Result(String commit, String path, long bytes, boolean large, String oid) {
    }

    /** Splits {@code REF:PATH}; the ref defaults to HEAD when the spec starts with ':'. */
    public static String[] split(String spec) throws MlvException {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw MlvException.usage("'" + spec + "' is not REF:PATH; for example HEAD:models/model.bin or prod:metrics/metrics.json");
        }
        String ref = colon == 0 ? "HEAD" : spec.substring(0, colon);
        String path = spec.substring(colon + 1);
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.equals("..")
                || path.startsWith("../") || path.contains("/../") || path.endsWith("/..")) {
            throw MlvException.usage("'" + path + "' is not a path inside the repository");
        }
        return new String[] {ref, path};
    }

    public Result call(String ref, String path, OutputStream out) throws MlvException {
        try (RevWalk walk = new RevWalk(repo.git()); ObjectReader reader = repo.git().newObjectReader()) {
            RevCommit commit = Revisions.commit(repo.git(), walk, ref);
            try (TreeWalk tw = TreeWalk.forPath(reader, path, commit.getTree())) {
                if (tw == null) {
                    throw MlvException.notFound("'" + path + "' does not exist in " + ref + " (" + commit.abbreviate(12).name() + ")");
                }
                if (tw.getFileMode(0) == FileMode.TREE) {
                    throw MlvException.usage("'" + path + "' is a directory in " + ref + "; give a file path");
                }
                if (tw.getFileMode(0) == FileMode.GITLINK) {
                    throw MlvException.usage("'" + path + "' is a submodule in " + ref + "; its content lives in its own repository");
                }
                Pointer pointer = Pointers.read(reader, tw.getObjectId(0));
                if (pointer == null) {
                    var loader = reader.open(tw.getObjectId(0));
                    loader.copyTo(out);
                    return new Result(commit.name(), path, loader.getSize(), false, tw.getObjectId(0).name());
                }
                progress.totalKnown(pointer.size());
                try (RepoContent.Reporting reporting = repo.content().reportTo(progress);
                     InputStream in = repo.content().open(pointer)) {
                    long n = in.transferTo(out);
                    return new Result(commit.name(), path, n, true, pointer.oid().hex());
                } catch (ContentNotFoundException e) {
                    throw MlvException.notFound("the content of " + ref + ":" + path + " (sha256:" + pointer.oid().hex()
                            + ", " + pointer.size() + " bytes) is not in the local store; fetch it with 'mlv pull'");
                } catch (CorruptContentException e) {
                    throw MlvException.integrity("the content of " + ref + ":" + path + " is corrupt ("
                            + e.getMessage() + "); run 'mlv store verify'", e);
                } catch (MlvRepository.LazyFetchException e) {
                    throw e.mlv();
                }
            }
        } catch (IOException e) {
            throw new MlvException("cannot read " + ref + ":" + path + ": " + e.getMessage(), e);
        }
    }
}
