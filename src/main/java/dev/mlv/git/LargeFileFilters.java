package dev.mlv.git;

import dev.mlv.store.Pointer;
import dev.mlv.store.PointerFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jgit.attributes.FilterCommand;
import org.eclipse.jgit.attributes.FilterCommandFactory;
import org.eclipse.jgit.attributes.FilterCommandRegistry;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mlv's clean and smudge filters for JGit, registered as JGit built-in filters for the
 * {@code mlv} driver ({@code filter.mlv.useJGitBuiltin}). Clean stores a file's content and
 * yields its pointer; smudge turns a pointer back into content. They act only on repositories
 * opened through {@link MlvGitRepository}, which carries the content store.
 */
public final class LargeFileFilters {
    public static final String DRIVER = "mlv";
    static final String CLEAN = "jgit://builtin/" + DRIVER + "/clean";
    static final String SMUDGE = "jgit://builtin/" + DRIVER + "/smudge";

    private static final Logger LOG = LoggerFactory.getLogger(LargeFileFilters.class);

    private LargeFileFilters() {
    }

    /**
     * Registers the filters with JGit. JGit's registry is process-wide; the factories hold no
     * state (each call finds its store through the repository), so registering twice is harmless.
     */
    public static void register() {
        if (!FilterCommandRegistry.isRegistered(CLEAN)) {
            FilterCommandRegistry.register(CLEAN, factory(Clean::new));
        }
        if (!FilterCommandRegistry.isRegistered(SMUDGE)) {
            FilterCommandRegistry.register(SMUDGE, factory(Smudge::new));
        }
    }

    /** Whether {@code command}, as JGit resolves a path's smudge filter, is mlv's smudge filter. */
    public static boolean isSmudge(String command) {
        return SMUDGE.equals(command);
    }

    private interface Maker {
        FilterCommand make(ContentStore store, InputStream in, OutputStream out);
    }

    private static FilterCommandFactory factory(Maker maker) {
        return (Repository db, InputStream in, OutputStream out) -> {
            if (!(db instanceof MlvGitRepository mlv)) {
                throw new IOException("repository " + db.getDirectory() + " was not opened through mlv; "
                        + "its large files cannot be filtered here");
            }
            return maker.make(mlv.contentStore(), in, out);
        };
    }

    /** Clean, by {@link CleanRule}: content in, pointer out; a pointer or an empty file passes through. */
    private static final class Clean extends FilterCommand {
        private final ContentStore store;
        private boolean done;

        Clean(ContentStore store, InputStream in, OutputStream out) {
            super(in, out);
            this.store = store;
        }

        @Override
        public int run() throws IOException {
            if (done) {
                return -1;
            }
            done = true;
            byte[] blob;
            try (InputStream content = in) {
                blob = CleanRule.clean(content, store).blob();
            }
            out.write(blob);
            out.close();
            return blob.length;
        }
    }

    /** Smudge: pointer in, content out. A blob that is not a pointer passes through, with a warning. */
    private static final class Smudge extends FilterCommand {
        private final ContentStore store;
        private boolean done;

        Smudge(ContentStore store, InputStream in, OutputStream out) {
            super(in, out);
            this.store = store;
        }

        @Override
        public int run() throws IOException {
            if (done) {
                return -1;
            }
            done = true;
            byte[] head = in.readNBytes(Pointer.MAX_ENCODED_SIZE);
            Pointer pointer = null;
            if (head.length > 0 && head.length < Pointer.MAX_ENCODED_SIZE && Pointer.looksLikePointer(head)) {
                try {
                    pointer = Pointer.parse(head);
                } catch (PointerFormatException e) {
                    LOG.warn("a tracked file holds a malformed pointer ({}); writing it as it is", e.getMessage());
                }
            }
            if (pointer == null) {
                if (head.length > 0) {
                    LOG.debug("a tracked file's blob is not a pointer; writing its bytes as they are");
                }
                out.write(head);
                in.transferTo(out);
                in.close();
                out.close();
                return head.length;
            }
            in.close();
            store.writeTo(pointer, out); // JGit's checkout hands over the new file's FileOutputStream
            out.close();
            return head.length;
        }
    }
}
