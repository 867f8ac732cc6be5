package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the file holding a previous version into the new version by rewriting only the byte ranges
 * where the two differ, when most of the new version's chunks lie at the same offsets in the old
 * file (a model with a few layers retrained): the unchanged ranges are neither read nor written, so
 * a switch after a 2% edit of a gigabyte writes about 20 MB instead of copying a gigabyte.
 *
 * <p>Nothing is written to the old file before every chunk it is to receive has been read from a
 * pack and checked against its id: the checked chunks are first written, at their places, into a
 * staging file (the checkout's temporary file, otherwise unused), and only then copied into the old
 * file inside the kernel. A damaged chunk therefore stops the rewrite with the old file untouched.
 * Once copying has begun, a process killed midway leaves a file holding parts of both versions
 * whose modification time has changed, which status reports as modified (docs/reliability.md,
 * promise 4).
 */
final class InPlaceRewrite {
    /** At most this share of the new version may need rewriting (1/4): beyond it the rebuild's sequential copy is as fast. */
    private static final int MAX_REWRITTEN_SHARE = 4;

    private InPlaceRewrite() {
    }

    /**
     * Rewrites {@code file}, which holds {@code previous}, into {@code target}, staging the chunks
     * read from packs in {@code stagingOut} (an empty file, written at explicit positions) and
     * reading them back through {@code stagingIn} (the same file). Returns false, having written
     * nothing anywhere, when too little of {@code target} lies in place in {@code file} for this to
     * pay; the caller then rebuilds the file as usual.
     */
    static boolean rewrite(Manifest target, PackCatalog catalog, FileChannel stagingOut, FileChannel stagingIn,
                           Manifest previous, FileChannel file, ProgressListener listener) throws IOException {
        List<int[]> changed = changedRuns(target, previous);
        long rewritten = 0;
        for (int[] r : changed) {
            rewritten += runLength(target, r);
        }
        if (rewritten > target.size() / MAX_REWRITTEN_SHARE) {
            return false;
        }
        // 1. every chunk the old file lacks at its place, read from packs and checked, into the staging file
        FileRebuild.readFromPacks(target, catalog, stagingOut, changed, true, ProgressListener.NONE);
        // 2. only now the old file changes: the staged ranges copied into it, then its length set
        for (int[] r : changed) {
            long start = target.chunkStart(r[0]);
            long length = runLength(target, r);
            file.position(start);
            long done = 0;
            while (done < length) {
                long n = stagingIn.transferTo(start + done, length - done, file);
                if (n <= 0) {
                    throw new IOException("the staging file of " + target.oid() + " ended at byte " + (start + done));
                }
                done += n;
            }
        }
        if (file.size() > target.size()) {
            file.truncate(target.size());
        }
        listener.bytesDone(target.size());
        return true;
    }

    /**
     * Runs {@code [first, end)} of the chunks of {@code target} that {@code previous} does not hold
     * at the same offset: the ranges to rewrite.
     */
    static List<int[]> changedRuns(Manifest target, Manifest previous) {
        long[] sources = FileRebuild.sources(target, previous);
        List<int[]> runs = new ArrayList<>();
        int n = target.chunkCount();
        int i = 0;
        while (i < n) {
            if (inPlace(target, previous, sources, i)) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < n && !inPlace(target, previous, sources, j)) {
                j++;
            }
            runs.add(new int[] {i, j});
            i = j;
        }
        return runs;
    }

    /** Whether chunk {@code i} of the target already lies at its offset in the previous version's file. */
    private static boolean inPlace(Manifest target, Manifest previous, long[] sources, int i) {
        long start = target.chunkStart(i);
        return sources[i] == start && start + target.chunkLength(i) <= previous.size();
    }

    private static long runLength(Manifest target, int[] run) {
        return target.chunkStart(run[1] - 1) + target.chunkLength(run[1] - 1) - target.chunkStart(run[0]);
    }
}
