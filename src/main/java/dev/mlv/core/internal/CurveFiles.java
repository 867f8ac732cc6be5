package dev.mlv.core.internal;

import dev.mlv.metrics.Curve;
import dev.mlv.metrics.CurveParser;
import dev.mlv.metrics.Directions;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Reads the training curves of a commit's tree ({@code metrics/**}{@code /*.jsonl}, see
 * {@link CurveParser}), streaming each file from Git, or from the local store when the file is
 * tracked as large. A file that cannot be read (its content not in the local store, say) becomes a
 * {@link Curve#unreadable} entry with the reason, never an exception: curves are for looking at,
 * and one bad file should not hide the rest.
 */
public final class CurveFiles {
    /** The most curve files read from one commit; further ones are counted, not read. */
    public static final int MAX_FILES = 1000;

    /** The curves read, in path order, and how many files beyond {@link #MAX_FILES} were not read. */
    public record Read(List<Curve> curves, int skippedFiles) {
    }

    private CurveFiles() {
    }

    /**
     * @param maxPoints points kept per column for drawing; 0 for summaries only
     */
    public static Read read(ObjectReader reader, RepoContent content, RevTree tree, Directions directions, int maxPoints)
            throws IOException {
        List<Curve> curves = new ArrayList<>();
        int skipped = 0;
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            walk.setFilter(PathFilter.create("metrics"));
            while (walk.next()) {
                String path = walk.getPathString();
                FileMode mode = walk.getFileMode(0);
                if (!CurveParser.isCurvePath(path) || (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE)) {
                    continue;
                }
                if (curves.size() >= MAX_FILES) {
                    skipped++;
                    continue;
                }
                curves.add(readOne(reader, content, path, walk.getObjectId(0), directions, maxPoints));
            }
        }
        return new Read(List.copyOf(curves), skipped);
    }

    private static Curve readOne(ObjectReader reader, RepoContent content, String path, ObjectId blob,
                                 Directions directions, int maxPoints) {
        try {
            Pointer pointer = Pointers.read(reader, blob);
            if (pointer != null && !content.has(pointer.oid())) {
                return Curve.unreadable(path, "tracked as a large file whose content (sha256:" + pointer.oid().hex()
                        + ") is not in the local store; 'mlv pull' fetches it");
            }
            try (InputStream in = pointer == null ? reader.open(blob).openStream() : content.open(pointer)) {
                return CurveParser.parse(path, in, directions, maxPoints);
            }
        } catch (IOException e) {
            return Curve.unreadable(path, "cannot be read: " + e.getMessage());
        }
    }
}
