package dev.mlv.core.plumbing;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.internal.RepoContent;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlv.store.ChunkStore;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.FileReadStream;
import dev.mlv.store.Oid;
import dev.mlv.store.ProgressListener;
import dev.mlv.store.PutResult;
import dev.mlv.store.StoreConfigException;
import dev.mlv.store.StoreStats;
import dev.mlv.store.VerifyReport;
import dev.mlv.store.chunk.Chunker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The store's plumbing ({@code mlv store put|cat|chunks|stats|verify}): direct access to a chunk
 * store for debugging and scripts, either the repository's ({@code .git/mlv/store}) or any
 * directory given with {@code --store}.
 */
public final class StorePlumbing implements AutoCloseable {
    private final ChunkStore store;
    private final Path dir;
    /** The repository's store lock, or null for a store given with {@code --store}. */
    private final Path lockFile;

    private StorePlumbing(ChunkStore store, Path dir, Path lockFile) {
        this.store = store;
        this.dir = dir;
        this.lockFile = lockFile;
    }

    /**
     * Opens the store in {@code storeDir} (created when {@code create} and missing), or when
     * {@code storeDir} is null the store of the mlv repository containing {@code workDir}.
     */
    public static StorePlumbing open(Path workDir, Path storeDir, boolean create, Session session) throws MlvException {
        Path dir;
        Path lockFile = null;
        if (storeDir != null) {
            dir = workDir.resolve(storeDir).toAbsolutePath().normalize();
        } else {
            try (MlvRepository repo = MlvRepository.open(workDir, session)) {
                dir = repo.content().dir();
                lockFile = repo.content().lockFile();
            }
            create = true;
        }
        try {
            if (!create && !Files.exists(dir.resolve("config.json"))) {
                throw MlvException.notFound("no mlv store at " + dir + "; create one with 'mlv store put --store "
                        + storeDir + " FILE' or run inside an mlv repository");
            }
            return new StorePlumbing(create ? ChunkStore.init(dir) : ChunkStore.open(dir), dir, lockFile);
        } catch (StoreConfigException e) {
            throw new MlvException("the store at " + dir + " cannot be used: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MlvException("cannot open the store at " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** What {@code store put} reports. */
    public record Put(String pointer, String oid, long size, long newBytes, long reusedBytes, long chunks,
                      long newChunks, int packsWritten) {
    }

    public Put put(Path file, ProgressListener progress) throws MlvException {
        try (dev.mlv.store.StoreLock lock = lockFile == null ? null : dev.mlv.store.StoreLock.acquire(lockFile,
                dev.mlv.store.StoreLock.Mode.SHARED, RepoContent.WRITER_WAIT, "store put")) {
            PutResult r = store.put(file, progress);
            if (lock != null) {
                store.maintainIndexes();
            }
            return new Put(new String(r.pointer().encode(), java.nio.charset.StandardCharsets.UTF_8),
                    r.pointer().oid().hex(), r.logicalBytes(), r.newBytes(), r.reusedBytes(), r.chunks(),
                    r.newChunks(), r.packsWritten());
        } catch (NoSuchFileException e) {
            throw MlvException.notFound("no such file: " + file);
        } catch (IOException e) {
            throw new MlvException("cannot store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Streams the content of an oid (64 hex digits, optionally {@code sha256:}-prefixed). */
    public long cat(String oidText, OutputStream out) throws MlvException {
        Oid oid = parseOid(oidText);
        try (InputStream in = store.open(oid)) {
            // Large writes: transferTo's 8 KiB would cost a system call per 8 KiB of output.
            byte[] buf = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                total += n;
            }
            return total;
        } catch (ContentNotFoundException e) {
            throw MlvException.notFound("no content " + oid.hex() + " in the store at " + dir);
        } catch (CorruptContentException e) {
            throw MlvException.integrity("content " + oid.hex() + " is corrupt: " + e.getMessage()
                    + "; run 'mlv store verify' to see the damage", e);
        } catch (IOException e) {
            throw new MlvException("cannot read " + oid.hex() + ": " + e.getMessage(), e);
        }
    }

    /** One chunk of a file: where it starts, how long it is, its id. */
    public record Chunk(long offset, int length, String id) {
    }

    /** Receives chunks in file order. */
    public interface ChunkSink {
        void accept(Chunk chunk) throws IOException;
    }

    /**
     * Cuts a file into chunks as the store would, without storing anything; returns the file's
     * oid.
     */
    public static String chunks(Path file, ChunkSink sink) throws MlvException {
        try (InputStream in = FileReadStream.open(file)) {
            MessageDigest fileHash = MessageDigest.getInstance("SHA-256");
            MessageDigest chunkHash = MessageDigest.getInstance("SHA-256");
            Chunker chunker = new Chunker();
            byte[] buf = new byte[1 << 20];
            long offset = 0;
            long chunkStart = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                fileHash.update(buf, 0, n);
                int pos = 0;
                while (pos < n) {
                    int cut = chunker.next(buf, pos, n - pos);
                    int take = cut < 0 ? n - pos : cut;
                    chunkHash.update(buf, pos, take);
                    pos += take;
                    offset += take;
                    if (cut >= 0) {
                        sink.accept(new Chunk(chunkStart, (int) (offset - chunkStart), HexFormat.of().formatHex(chunkHash.digest())));
                        chunkStart = offset;
                    }
                }
            }
            if (offset > chunkStart) {
                sink.accept(new Chunk(chunkStart, (int) (offset - chunkStart), HexFormat.of().formatHex(chunkHash.digest())));
            }
            return HexFormat.of().formatHex(fileHash.digest());
        } catch (NoSuchFileException e) {
            throw MlvException.notFound("no such file: " + file);
        } catch (IOException e) {
            throw new MlvException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** What {@code store stats} reports. */
    public record Stats(String store, long packs, long chunks, long files, long logicalBytes, long chunkBytes,
                        long storedBytes, double dedupeRatio) {
    }

    public Stats stats() throws MlvException {
        try {
            StoreStats s = store.stats();
            return new Stats(dir.toString(), s.packs(), s.chunks(), s.files(), s.logicalBytes(), s.chunkBytes(),
                    s.storedBytes(), s.dedupeRatio());
        } catch (IOException e) {
            throw new MlvException("cannot read the store at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** What {@code store verify} found; problems make the command exit 6. */
    public record Verify(String store, long packs, long chunks, long files, List<String> problems, List<String> warnings) {
        @JsonProperty("ok")
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Verify verify() throws MlvException {
        try {
            VerifyReport r = store.verify();
            return new Verify(dir.toString(), r.packs(), r.chunks(), r.files(),
                    r.problems().stream().map(Object::toString).toList(),
                    r.warnings().stream().map(Object::toString).toList());
        } catch (IOException e) {
            throw new MlvException("cannot verify the store at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The oid as 64 hex digits, without a {@code sha256:} prefix; a usage error if it is not one. */
    public static String canonicalOid(String text) throws MlvException {
        return parseOid(text).hex();
    }

    static Oid parseOid(String text) throws MlvException {
        String hex = text.startsWith("sha256:") ? text.substring(7) : text;
        if (!hex.matches("[0-9a-f]{64}")) {
            throw MlvException.usage("'" + text + "' is not an oid; give 64 lowercase hex digits (sha256 of the content)");
        }
        return Oid.fromHex(hex);
    }

    @Override
    public void close() {
        try {
            store.close();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(StorePlumbing.class).warn("closing the store: {}", e.getMessage());
        }
    }
}
