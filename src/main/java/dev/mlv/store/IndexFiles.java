package dev.mlv.store;

import dev.mlv.store.backend.LocalBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local files a {@link PackCatalog} maps its indexes from, so that they live in the page
 * cache and not the heap: the store's own directory for the local store, the index cache of a
 * store remote ({@link IndexCachingBackend}) for a remote one. Also where a new multi-pack index
 * is staged and how it is published.
 */
interface IndexFiles {
    /** A local file holding the pack index {@code key}, fetched first if need be; null to read it into the heap. */
    Path index(String key) throws IOException;

    /** The local file holding {@code key} if it is there now (nothing fetched), else null. */
    Path indexIfLocal(String key);

    /**
     * A local file holding the store's current multi-pack index, or null when the store has
     * none. A remote one is downloaded (and checked whole) only when the copy cached is not the
     * remote's; one that fails its check throws {@link CorruptContentException}.
     */
    Path multiPackIndex() throws IOException;

    /** A new empty local file to write a multi-pack index into. */
    Path newTempFile(String hint) throws IOException;

    /** Publishes the multi-pack index written to {@code staged} (durably, atomically; the file is consumed). */
    void publishMultiPackIndex(Path staged) throws IOException;

    /** The local store's directory. */
    static IndexFiles of(LocalBackend local) {
        Path root = local.root();
        return new IndexFiles() {
            @Override
            public Path index(String key) {
                return root.resolve(key);
            }

            @Override
            public Path indexIfLocal(String key) {
                Path file = root.resolve(key);
                return Files.isRegularFile(file) ? file : null;
            }

            @Override
            public Path multiPackIndex() {
                Path file = root.resolve(StoreLayout.MULTI_PACK_INDEX);
                return Files.exists(file) ? file : null;
            }

            @Override
            public Path newTempFile(String hint) throws IOException {
                return local.newTempFile(hint);
            }

            @Override
            public void publishMultiPackIndex(Path staged) throws IOException {
                local.writeFile(StoreLayout.MULTI_PACK_INDEX, staged);
            }
        };
    }
}
