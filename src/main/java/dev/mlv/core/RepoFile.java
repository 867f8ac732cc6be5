package dev.mlv.core;

import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.Oid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;

/**
 * One file of one commit, resolved: its identity (commit, path, oid, size) is fixed when it is
 * looked up, so a branch that moves afterwards does not change what {@link #open()} returns.
 * Large files are read from the store (verified chunk by chunk; a whole-file read also against
 * the oid), fetched first from the default store remote when the local store lacks them; other
 * files are streamed from the Git blob. Nothing is read until {@link #open()} or
 * {@link #openChannel()}.
 */
public final class RepoFile {
    /** A file committed to Git directly is held in memory for random access up to this size. */
    private static final int MAX_CHANNEL_BLOB_BYTES = 256 << 20;

    private final MlvRepository repo;
    private final String commit;
    private final String path;
    private final String oid;
    private final long size;
    private final boolean large;

    /**
     * For mlv's own operations; library users get files from {@link MlvRepository#file} and
     * {@link MlvRepository#list}.
     */
    public RepoFile(MlvRepository repo, String commit, String path, String oid, long size, boolean large) {
        this.repo = repo;
        this.commit = commit;
        this.path = path;
        this.oid = oid;
        this.size = size;
        this.large = large;
    }

    /** The commit the file was read from (40 hex). */
    public String commit() {
        return commit;
    }

    /** The repository path, such as {@code models/model.onnx}. */
    public String path() {
        return path;
    }

    /** The content's id: sha256 hex for a large file, the Git blob id for any other file. */
    public String oid() {
        return oid;
    }

    /** Size of the real content in bytes. */
    public long size() {
        return size;
    }

    /** Whether the content lives in the chunk store (the Git blob is a pointer). */
    public boolean large() {
        return large;
    }

    /**
     * For a large file: an integrity error (exit 6) unless the stored content has the size the
     * pointer claims, fetching it first when it is not local. A reader that trusted the claim would
     * announce a length it cannot deliver (a server's Content-Length) or allocate for it.
     */
    public void checkSize() throws MlvException {
        if (!large) {
            return;
        }
        long stored;
        try {
            stored = repo.content().storedSize(Oid.fromHex(oid));
        } catch (MlvRepository.LazyFetchException e) {
            throw e.mlv();
        } catch (IOException e) {
            throw failure(e);
        }
        if (stored != size) {
            throw MlvException.integrity("'" + path + "' at " + commit.substring(0, Math.min(12, commit.length()))
                    + ": its pointer says " + size + " bytes, but its content sha256:" + oid + " has " + stored
                    + "; the pointer is damaged (commit the file again to fix it)", null);
        }
    }

    /** Streams the content in bounded memory; the caller closes the stream. */
    public InputStream open() throws MlvException {
        try {
            if (!large) {
                return repo.git().open(ObjectId.fromString(oid), Constants.OBJ_BLOB).openStream();
            }
            checkSize();
            return repo.content().open(Oid.fromHex(oid));
        } catch (MlvRepository.LazyFetchException e) {
            throw e.mlv();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * Random access to the content: for a large file a read touches only the chunks it covers; a
     * file committed to Git directly is read into memory (up to 256 MiB).
     */
    public SeekableByteChannel openChannel() throws MlvException {
        try {
            if (!large) {
                ObjectLoader loader = repo.git().open(ObjectId.fromString(oid), Constants.OBJ_BLOB);
                if (loader.getSize() > MAX_CHANNEL_BLOB_BYTES) {
                    throw new MlvException("'" + path + "' is a " + loader.getSize() + "-byte file committed to Git directly;"
                            + " read it with open(), or track it with 'mlv track' for random access");
                }
                return new BytesChannel(loader.getCachedBytes(MAX_CHANNEL_BLOB_BYTES));
            }
            checkSize();
            return repo.content().openChannel(Oid.fromHex(oid));
        } catch (MlvRepository.LazyFetchException e) {
            throw e.mlv();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public String toString() {
        return path + " (" + size + " bytes, " + (large ? "sha256:" : "blob ") + oid + ")";
    }

    private MlvException failure(IOException e) {
        String what = path + (commit.length() >= 12 ? " of commit " + commit.substring(0, 12) : "") + " (" + (large ? "sha256:" : "blob ") + oid + ", " + size + " bytes)";
        if (e instanceof MissingObjectException) {
            return MlvException.notFound("the Git object of " + path + " (blob " + oid + ") is missing; fetch it with 'mlv fetch'");
        }
        if (e instanceof ContentNotFoundException) {
            return MlvException.notFound("the content of " + what + " is not in the local store; fetch it with 'mlv pull'");
        }
        if (e instanceof CorruptContentException) {
            return MlvException.integrity("the content of " + what + " is corrupt in the local store (" + e.getMessage()
                    + "); run 'mlv store verify'", e);
        }
        return new MlvException("cannot read " + what + ": " + e.getMessage(), e);
    }

    /** A read-only channel over a small file's bytes. */
    private static final class BytesChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;
        private boolean open = true;

        BytesChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= bytes.length) {
                return dst.hasRemaining() ? -1 : 0;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position " + newPosition);
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
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
        }
    }
}
