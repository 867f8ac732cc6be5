package dev.mlv.mount;

import dev.mlv.core.MlvException;
import dev.mlv.core.RepoFile;
import dev.mlv.core.serving.TreeListing;
import java.nio.channels.SeekableByteChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One commit's tree as the file system serves it: every path ({@code /}, {@code /models},
 * {@code /models/model.bin}) mapped to its node. Immutable; following a branch swaps in a new one,
 * and an open file keeps the {@link RepoFile} it was opened with.
 */
final class MountTree {
    /** What a path is. */
    sealed interface Node permits Dir, File, Link {
    }

    /** A directory and its entries' names, sorted. */
    record Dir(List<String> names) implements Node {
    }

    /** A file: its content (fixed oid and size), whether it is executable, and how to read it. */
    record File(RepoFile file, boolean executable, Opener opener) implements Node {
    }

    /** Opens a file's content for random access (its repository's lazy reads). */
    interface Opener {
        SeekableByteChannel open(RepoFile file) throws MlvException;
    }

    /** A symbolic link and its target, as committed. */
    record Link(String target) implements Node {
    }

    private final String commit;
    private final long mtimeSeconds;
    private final Map<String, Node> nodes;

    private MountTree(String commit, long mtimeSeconds, Map<String, Node> nodes) {
        this.commit = commit;
        this.mtimeSeconds = mtimeSeconds;
        this.nodes = nodes;
    }

    /** The commit shown. */
    String commit() {
        return commit;
    }

    /** Every node's modification time: the commit's (seconds since the epoch). */
    long mtimeSeconds() {
        return mtimeSeconds;
    }

    /** The node at a FUSE path ({@code /} or {@code /a/b}), or null. */
    Node get(String path) {
        return nodes.get(path);
    }

    int size() {
        return nodes.size();
    }

    /**
     * Builds the tree of a listing. A submodule is a directory; {@code submodules} may fill it
     * with the pinned commit's own listing (its paths relative to the submodule), or return null
     * to leave it empty.
     */
    static MountTree of(TreeListing.Result listing, Opener opener, SubmoduleReader submodules) {
        Builder b = new Builder();
        add(b, "", listing.entries(), opener, submodules);
        return new MountTree(listing.commit(), listing.time().getEpochSecond(), b.build());
    }

    private static void add(Builder b, String base, List<TreeListing.Entry> entries, Opener opener,
                            SubmoduleReader submodules) {
        for (TreeListing.Entry e : entries) {
            String path = base + "/" + e.path();
            switch (e.kind()) {
                case FILE, EXECUTABLE -> b.put(path, new File(e.file(), e.kind() == TreeListing.Kind.EXECUTABLE, opener));
                case SYMLINK -> b.put(path, new Link(e.target()));
                case SUBMODULE -> {
                    b.dir(path);
                    Submodule inner = submodules == null ? null : submodules.read(path.substring(1), e.target());
                    if (inner != null) {
                        // a submodule inside the submodule is shown empty: mlv's data submodule has none
                        add(b, path, inner.listing().entries(), inner.opener(), null);
                    }
                }
            }
        }
    }

    /** Reads the pinned commit of the submodule at a path (relative to the mount's root). */
    interface SubmoduleReader {
        /** The listing of {@code commit} in the submodule at {@code path}; null when it is not available. */
        Submodule read(String path, String commit);
    }

    /** A submodule's pinned commit's listing, and how its files are read. */
    record Submodule(TreeListing.Result listing, Opener opener) {
    }

    /** Collects nodes and creates each path's parent directories. */
    private static final class Builder {
        private final Map<String, Node> nodes = new HashMap<>();
        private final Map<String, TreeSet<String>> dirs = new HashMap<>();

        Builder() {
            dirs.put("/", new TreeSet<>());
        }

        void put(String path, Node node) {
            nodes.put(path, node);
            link(path);
        }

        void dir(String path) {
            dirs.computeIfAbsent(path, p -> new TreeSet<>());
            link(path);
        }

        private void link(String path) {
            int slash = path.lastIndexOf('/');
            String parent = slash == 0 ? "/" : path.substring(0, slash);
            TreeSet<String> names = dirs.get(parent);
            if (names == null) {
                dir(parent);
                names = dirs.get(parent);
            }
            names.add(path.substring(slash + 1));
        }

        Map<String, Node> build() {
            Map<String, Node> all = new HashMap<>(nodes);
            dirs.forEach((path, names) -> all.put(path, new Dir(List.copyOf(names))));
            return Map.copyOf(all);
        }
    }
}
