package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.LocalBackend;
import dev.mlv.store.pack.PackFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A remote backend whose pack indexes are kept in a local directory: an index is immutable and
 * named by its pack, so once downloaded and checked it never needs fetching again. Listing still
 * asks the remote (packs may have been added or removed there); everything but index reads goes
 * to the remote.
 */
final class IndexCachingBackend implements Backend {
    private final Backend remote;
    private final LocalBackend cache;

    IndexCachingBackend(Backend remote, Path cacheDir) throws IOException {
        this.remote = remote;
        this.cache = new LocalBackend(cacheDir);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return remote.list(prefix);
    }

    @Override
    public List<ObjectInfo> listInfo(String prefix) throws IOException {
        return remote.listInfo(prefix);
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        return remote.stat(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return remote.exists(key);
    }

    @Override
    public long size(String key) throws IOException {
        return remote.size(key);
    }

    @Override
    public byte[] read(String key, long offset, int length) throws IOException {
        return remote.read(key, offset, length);
    }

    @Override
    public byte[] readAll(String key) throws IOException {
        if (!key.startsWith(StoreLayout.INDEX)) {
            return remote.readAll(key);
        }
        if (cache.exists(key)) {
            return cache.readAll(key);
        }
        byte[] data = remote.readAll(key);
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
    public void write(String key, byte[] data) throws IOException {
        remote.write(key, data);
    }

    @Override
    public void writeFile(String key, Path file) throws IOException {
        remote.writeFile(key, file);
    }

    @Override
    public void delete(String key) throws IOException {
        remote.delete(key);
        if (key.startsWith(StoreLayout.INDEX)) {
            cache.delete(key); // its pack is going too: no reason to keep the copy
        }
    }

    /** A local directory for staging objects before they are written to the remote. */
    Path stagingDir() {
        return cache.tmpDir();
    }

    /** The remote's own directory of in-progress writes when it is a directory store, else null. */
    Path remoteTempDir() {
        return remote instanceof LocalBackend local ? local.tmpDir() : null;
    }

    @Override
    public void close() throws IOException {
        try {
            remote.close();
        } finally {
            cache.close();
        }
    }

    @Override
    public String toString() {
        return remote.toString();
    }
}
