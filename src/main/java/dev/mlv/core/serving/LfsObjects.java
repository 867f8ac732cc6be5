package dev.mlv.core.serving;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.Oid;
import dev.mlv.store.PutResult;
import dev.mlv.store.StoreLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.regex.Pattern;

/**
 * The repository's large-file content addressed by oid alone, as a Git LFS server sees it
 * ({@code mlv serve}'s Batch API): whether a version is stored, reading it, and admitting an
 * uploaded one. Reads fetch from the default store remote first when the local store lacks the
 * content, as every read of a large file does.
 */
public final class LfsObjects {
    private static final Pattern OID = Pattern.compile("[0-9a-f]{64}");

    private final MlvRepository repo;

    public LfsObjects(MlvRepository repo) {
        this.repo = repo;
    }

    /** Whether {@code oid} is spelled as Git LFS spells a sha256 oid: 64 lowercase hex digits. */
    public static boolean validOid(String oid) {
        return oid != null && OID.matcher(oid).matches();
    }

    /**
     * The size of the content stored under {@code oid}, or -1 when neither the local store nor
     * the store remote has it.
     */
    public long size(String oid) throws MlvException {
        Oid id = parse(oid);
        try {
            return repo.content().storedSize(id);
        } catch (ContentNotFoundException e) {
            return -1;
        } catch (MlvRepository.LazyFetchException e) {
            if (e.mlv().kind() == dev.mlv.core.ErrorKind.NOT_FOUND) {
                return -1;
            }
            throw e.mlv();
        } catch (IOException e) {
            throw failure(oid, e);
        }
    }

    /** The whole content, checked against the oid as it is read; the caller closes it. */
    public InputStream open(String oid) throws MlvException {
        try {
            return repo.content().open(parse(oid));
        } catch (MlvRepository.LazyFetchException e) {
            throw e.mlv();
        } catch (IOException e) {
            throw failure(oid, e);
        }
    }

    /** Random access to the content: a read touches only the chunks it covers. */
    public SeekableByteChannel openChannel(String oid) throws MlvException {
        try {
            return repo.content().openChannel(parse(oid));
        } catch (MlvRepository.LazyFetchException e) {
            throw e.mlv();
        } catch (IOException e) {
            throw failure(oid, e);
        }
    }

    /** What {@link #put} stored: the content's size and how many of its bytes were new to the store. */
    public record Stored(String oid, long size, long newBytes) {
    }

    /**
     * Stores an upload that claims to be {@code oid} of {@code size} bytes ({@code size} -1 when
     * unknown). The store files content under the SHA-256 it computes while chunking, so content
     * that does not hash to {@code oid} is never findable under that oid: the upload is refused
     * (INTEGRITY), and what it wrote is unreferenced data that {@code mlv gc} removes. The store
     * lock is held shared for the upload only, so a server running for days does not hold off gc.
     */
    public Stored put(InputStream content, String oid, long size) throws MlvException {
        Oid expected = parse(oid);
        RepoContent store = repo.content();
        PutResult result;
        try (StoreLock lock = StoreLock.acquire(store.lockFile(), StoreLock.Mode.SHARED, RepoContent.WRITER_WAIT, "lfs upload")) {
            result = store.store().put(content);
        } catch (IOException e) {
            throw new MlvException("cannot store the upload of sha256:" + oid + ": " + e.getMessage(), e);
        }
        Oid actual = result.pointer().oid();
        if (!actual.equals(expected) || size >= 0 && result.logicalBytes() != size) {
            throw MlvException.integrity("the upload claimed to be sha256:" + oid + (size >= 0 ? " (" + size + " bytes)" : "")
                    + " but its " + result.logicalBytes() + " bytes hash to sha256:" + actual.hex(), null);
        }
        return new Stored(oid, result.logicalBytes(), result.newBytes());
    }

    private static Oid parse(String oid) throws MlvException {
        if (!validOid(oid)) {
            throw MlvException.usage("not a sha256 oid (64 lowercase hex digits): " + oid);
        }
        return Oid.fromHex(oid);
    }

    private static MlvException failure(String oid, IOException e) {
        if (e instanceof ContentNotFoundException) {
            return MlvException.notFound("no content sha256:" + oid + " in the store");
        }
        if (e instanceof CorruptContentException) {
            return MlvException.integrity("content sha256:" + oid + " is corrupt in the local store (" + e.getMessage()
                    + "); run 'mlv store verify'", e);
        }
        return new MlvException("cannot read sha256:" + oid + ": " + e.getMessage(), e);
    }
}
