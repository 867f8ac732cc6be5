package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * Random access to a stored file. A read touches only the chunks covering the requested range
 * (found by binary search over the manifest's cumulative offsets); each chunk is checked against
 * its id. The last chunk read is kept, so small sequential reads do not refetch it.
 */
final class ContentChannel implements SeekableByteChannel {
    private final Manifest manifest;
    private final PackCatalog catalog;
    private long position;
    private int cachedIndex = -1;
    private byte[] cached;
    private boolean open = true;

    ContentChannel(Manifest manifest, PackCatalog catalog) {
        this.manifest = manifest;
        this.catalog = catalog;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= manifest.size()) {
            return dst.hasRemaining() ? -1 : 0;
        }
        int total = 0;
        while (dst.hasRemaining() && position < manifest.size()) {
            int i = manifest.chunkAt(position);
            byte[] chunk = chunk(i);
            int inChunk = (int) (position - manifest.chunkStart(i));
            int n = Math.min(dst.remaining(), chunk.length - inChunk);
            dst.put(chunk, inChunk, n);
            position += n;
            total += n;
        }
        return total;
    }

    private byte[] chunk(int i) throws IOException {
        if (i != cachedIndex) {
            byte[] data = catalog.readChunk(manifest.idBytes(), i * 32);
            if (data.length != manifest.chunkLength(i)) {
                throw new CorruptContentException("chunk " + manifest.chunkId(i) + " has length " + data.length
                        + " but file " + manifest.oid() + " expects " + manifest.chunkLength(i));
            }
            cached = data;
            cachedIndex = i;
        }
        return cached;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return manifest.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        cached = null;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
