package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.store.backend.LocalBackend;
import dev.mlv.store.pack.MultiPackIndex;
import dev.mlv.store.pack.PackFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A remote backend whose pack indexes are kept in a local directory: an index is immutable and
 * named by its pack, so once downloaded and checked it never needs fetching again. Listing still
 * asks the remote (packs may have been added or removed there); everything but index reads goes
 * to the remote. The indexes are mapped from the cache ({@link IndexFiles}), so a remote of ten
 * million chunks costs the page cache, not the heap.
 *
 * <p>The remote's multi-pack index ({@code index/multi-pack.midx}, which {@code gc --remote}
 * rewrites) is cached too, under the same name. It is not immutable: before the cached copy is
 * used, its header and pack table (which packs it covers) and its fan-out and checksum are compared
 * with the remote's, by range reads of a few kilobytes; a copy that differs is downloaded again,
 * streamed to a file, and checked whole before it replaces the cached one.
 */
final class IndexCachingBackend extends ForwardingBackend implements IndexFiles {
    /** Bytes read per request when downloading a multi-pack index. */
    private static final int DOWNLOAD_STEP = 8 << 20;
    private static final int TAIL = MultiPackIndex.FANOUT_SIZE + 4;

    private final LocalBackend cache;

    IndexCachingBackend(Backend remote, Path cacheDir) throws IOException {
        super(remote);
        this.cache = new LocalBackend(cacheDir);
    }

    @Override
    public byte[] readAll(String key) throws IOException {
        if (!key.startsWith(StoreLayout.INDEX) || key.equals(StoreLayout.MULTI_PACK_INDEX)) {
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
    public Path index(String key) throws IOException {
        Path file = indexIfLocal(key);
        if (file == null) {
            readAll(key); // downloads it into the cache if it checks out
            file = indexIfLocal(key);
        }
        return file; // null: unreadable, the catalog reads it into the heap to report why
    }

    @Override
    public Path fileOf(String key) {
        return delegate.fileOf(key); // only indexes are cached here: packs are read from the store remote
    }

    @Override
    public Path indexIfLocal(String key) {
        Path file = cache.root().resolve(key);
        return Files.isRegularFile(file) ? file : null;
    }

    @Override
    public Path multiPackIndex() throws IOException {
        String key = StoreLayout.MULTI_PACK_INDEX;
        long size;
        try {
            size = delegate.size(key);
        } catch (ContentNotFoundException e) {
            return null;
        }
        Path cached = cache.root().resolve(key);
        try {
            if (Files.isRegularFile(cached) && Files.size(cached) == size && sameAsRemote(cached, size)) {
                return cached;
            }
        } catch (ContentNotFoundException e) {
            return null; // removed meanwhile
        }
        Path staging = cache.newTempFile(key);
        try {
            try (FileChannel out = FileChannel.open(staging, StandardOpenOption.WRITE)) {
                for (long at = 0; at < size; at += DOWNLOAD_STEP) {
                    out.write(ByteBuffer.wrap(delegate.read(key, at, (int) Math.min(DOWNLOAD_STEP, size - at))));
                }
                out.force(true);
            } catch (ContentNotFoundException e) {
                return null;
            } catch (java.io.EOFException e) {
                throw new CorruptContentException(delegate + "/" + key + " changed or was cut short while it was"
                        + " downloaded (" + e.getMessage() + ")", e);
            }
            MultiPackIndex.open(staging, delegate + "/" + key).verify();
            Files.createDirectories(cached.getParent());
            Files.move(staging, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return cached;
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    /**
     * True when the remote's multi-pack index of {@code size} bytes has the cached copy's header
     * and pack table (so it covers the same packs, whose records are the same) and its fan-out and
     * checksum.
     */
    private boolean sameAsRemote(Path cached, long size) throws IOException {
        if (size < MultiPackIndex.FIXED_SIZE) {
            return false;
        }
        byte[] header;
        byte[] tail = new byte[TAIL];
        try (FileChannel ch = FileChannel.open(cached, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(MultiPackIndex.HEADER_SIZE);
            ch.read(h, 0);
            long packs = h.getInt(8) & 0xFFFF_FFFFL;
            long headerBytes = MultiPackIndex.HEADER_SIZE + packs * MultiPackIndex.PACK_ENTRY_SIZE;
            if (headerBytes > size - TAIL || headerBytes > Integer.MAX_VALUE) {
                return false;
            }
            header = new byte[(int) headerBytes];
            ch.read(ByteBuffer.wrap(header), 0);
            ch.read(ByteBuffer.wrap(tail), size - TAIL);
        }
        try {
            return Arrays.equals(tail, delegate.read(StoreLayout.MULTI_PACK_INDEX, size - TAIL, TAIL))
                    && Arrays.equals(header, delegate.read(StoreLayout.MULTI_PACK_INDEX, 0, header.length));
        } catch (java.io.EOFException e) {
            return false; // replaced by a shorter one meanwhile
        }
    }

    @Override
    public Path newTempFile(String hint) throws IOException {
        return cache.newTempFile(hint);
    }

    /** Uploads it, then keeps it as the cached copy, so this clone does not download what it wrote. */
    @Override
    public void publishMultiPackIndex(Path staged) throws IOException {
        Path keep = cache.newTempFile(StoreLayout.MULTI_PACK_INDEX);
        try {
            Files.delete(keep);
            Files.createLink(keep, staged);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(staged, keep, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            delegate.writeFile(StoreLayout.MULTI_PACK_INDEX, staged);
            cache.writeFile(StoreLayout.MULTI_PACK_INDEX, keep);
        } finally {
            Files.deleteIfExists(keep);
        }
    }

    /** Passed on whole: a directory remote syncs a batch of objects together. */
    @Override
    public void writeAll(java.util.List<java.util.Map.Entry<String, byte[]>> objects) throws IOException {
        delegate.writeAll(objects);
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
