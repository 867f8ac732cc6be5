package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Streams a file rebuilt from its chunks. Each chunk is checked against its id as it is read, and
 * the whole content against the file's oid: a mismatch throws {@link CorruptContentException}
 * at end of stream, before -1 is returned, so a caller that reads to the end never accepts
 * wrong bytes silently.
 */
final class ContentInputStream extends InputStream {
    private final Manifest manifest;
    private final PackCatalog catalog;
    private final MessageDigest sha = Sha256.newDigest();
    private int nextChunk;
    private byte[] current = new byte[0];
    private int pos;
    private boolean verified;
    private boolean closed;

    ContentInputStream(Manifest manifest, PackCatalog catalog) {
        this.manifest = manifest;
        this.catalog = catalog;
    }

    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (pos == current.length) {
            if (nextChunk == manifest.chunkCount()) {
                if (!verified) {
                    byte[] actual = sha.digest();
                    if (!manifest.oid().matches(actual, 0)) {
                        throw new CorruptContentException("file " + manifest.oid() + " rebuilt from its chunks hashes to "
                                + Hex.encode(actual) + "; the manifest is damaged");
                    }
                    verified = true;
                }
                return false;
            }
            byte[] chunk = catalog.readChunk(manifest.idBytes(), nextChunk * 32);
            if (chunk.length != manifest.chunkLength(nextChunk)) {
                throw new CorruptContentException("chunk " + manifest.chunkId(nextChunk) + " has length " + chunk.length
                        + " but file " + manifest.oid() + " expects " + manifest.chunkLength(nextChunk));
            }
            sha.update(chunk);
            current = chunk;
            pos = 0;
            nextChunk++;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - pos;
    }

    @Override
    public void close() {
        closed = true;
        current = new byte[0];
    }
}
