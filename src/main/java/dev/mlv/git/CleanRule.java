package dev.mlv.git;

import dev.mlv.store.Pointer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * The clean rule: the blob Git keeps for a large file's bytes. Git's filter process, JGit's
 * built-in filter, the train-commit stager and {@code mlv record} all clean through here, so a
 * file becomes the same blob whichever path commits it.
 *
 * <ul>
 *   <li>An empty file is the empty blob (as in Git LFS); nothing is stored.</li>
 *   <li>A file that is a valid pointer ({@link Pointer#tryParse}: under 1024 bytes and well formed
 *       by the spec, unknown keys and legacy version URLs allowed) is kept byte for byte, as Git
 *       LFS keeps it: a pointer checked in without its content stays the blob it was.</li>
 *   <li>Anything else is content, including a pointer look-alike that does not parse and a
 *       well-formed one of 1024 bytes or more: it goes into the store, and the blob is its
 *       pointer. Storing is never wrong; a malformed file is kept, as content.</li>
 * </ul>
 *
 * The same test, {@link Pointer#tryParse}, decides which committed blobs {@code import-lfs}
 * imports ({@link PointerScan}).
 */
public final class CleanRule {
    private CleanRule() {
    }

    /**
     * What cleaning made of a file.
     *
     * @param blob    the bytes for Git
     * @param pointer the pointer the blob holds; null for the empty blob
     * @param stored  whether the content went into the store (false: the file was kept as it was)
     */
    public record Cleaned(byte[] blob, Pointer pointer, boolean stored) {
    }

    /** Cleans {@code content}, read to its end and not closed, storing it in {@code store} if it is content. */
    public static Cleaned clean(InputStream content, ContentStore store) throws IOException {
        byte[] head = content.readNBytes(Pointer.MAX_ENCODED_SIZE);
        if (head.length < Pointer.MAX_ENCODED_SIZE) {
            // the whole file: fewer bytes than asked for means the end was reached
            if (head.length == 0) {
                return new Cleaned(head, null, false);
            }
            Pointer already = Pointer.tryParse(head);
            if (already != null) {
                return new Cleaned(head, already, false);
            }
        }
        Pointer pointer = store.put(new SequenceInputStream(new ByteArrayInputStream(head), content));
        return new Cleaned(pointer.encode(), pointer, true);
    }
}
