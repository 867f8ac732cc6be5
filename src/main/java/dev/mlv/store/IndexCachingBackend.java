package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.store.backend.LocalBackend;
import dev.mlv.store.pack.PackFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A remote backend whose pack indexes are kept in a local directory: an index is immutable and
 * named by its pack, so once downloaded and checked it never needs fetching again. Listing still
 * asks the remote (packs may have been added or removed there); everything but index reads goes
 * to the remote.
 */
final class IndexCachingBackend extends ForwardingBackend {
    private final LocalBackend cache;

    IndexCachingBackend(Backend remote, Path cacheDir) throws IOException {
        super(remote);
        this.cache = new LocalBackend(cacheDir);
    }

    @Override
    public byte[] readAll(String key) throws IOException {
        if (!key.startsWith(StoreLayout.INDEX)) {
            return delegate.readAll(key);
        }
        if (cache.exists(key)) {
            return cache.readAll(key);
        }
        byte[] data = delegate.readAll(key);
        try {
            PackFiles.decodeIndex(key, data);
            cache.write(key, data); // only indexes that check out are kept
        } catch (CorruptContentException e) {
            // the catalog reports it; never cache a bad copy
        }
        return data;
    }

    /** Records an index this process uploaded, so it is not downloaded again. */
    void cacheIndex(String key, byte[] data) throws IOException {
        cache.write(key, data);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
        if (key.startsWith(StoreLayout.INDEX)) {
            cache.delete(key); // its pack is going too: no reason to keep the copy
        }
    }

    /** A local directory for staging objects before they are written to the remote. */
    Path stagingDir() {
        return cache.tmpDir();
    }

    @Override
    public void close() throws IOException {
        try {
            delegate.close();
        } finally {
            cache.close();
        }
    }
}
