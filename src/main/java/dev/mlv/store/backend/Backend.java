package dev.mlv.store.backend;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Moves opaque objects named by keys ({@code packs/ab/abcd….pack}); knows nothing of packs,
 * chunks or manifests. Keys are relative, {@code /}-separated, made of {@code [A-Za-z0-9._-]}.
 * Writes are atomic: a reader sees a whole object or none. The same key layout is used by every
 * backend, so a remote store is just another copy of the local tree.
 */
public interface Backend extends Closeable {
    /** Keys of all objects whose key starts with {@code prefix}, in no particular order. */
    List<String> list(String prefix) throws IOException;

    /**
     * Like {@link #list}, with each object's size and last-modified time. The time comes from the
     * backend's clock (file modification time, S3's {@code LastModified}); gc compares it with its
     * grace period, so a writer's fresh objects are never taken for garbage.
     */
    List<ObjectInfo> listInfo(String prefix) throws IOException;

    /** Size and last-modified time of one object; {@link dev.mlv.store.ContentNotFoundException} if absent. */
    ObjectInfo stat(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Size of the object in bytes; {@link dev.mlv.store.ContentNotFoundException} if absent. */
    long size(String key) throws IOException;

    /**
     * Reads exactly {@code length} bytes starting at {@code offset}; fails if the object is absent
     * ({@link dev.mlv.store.ContentNotFoundException}) or shorter.
     */
    byte[] read(String key, long offset, int length) throws IOException;

    /** Reads a whole (small) object. */
    /**
     * Reads {@code length} bytes at {@code offset} into {@code dst[off, off + length)}, as
     * {@link #read} would return them; backends with a cheaper way to fill a caller's array
     * override it.
     */
    default void readInto(String key, long offset, byte[] dst, int off, int length) throws IOException {
        System.arraycopy(read(key, offset, length), 0, dst, off, length);
    }

    /**
     * As {@link #readInto}, for a large read in a sequential pass over an object (a whole-file
     * read); a backend may bypass its caches for it.
     */
    default void readSequential(String key, long offset, byte[] dst, int off, int length) throws IOException {
        readInto(key, offset, dst, off, length);
    }

    byte[] readAll(String key) throws IOException;

    /** Stores {@code data} under {@code key}, atomically and durably, replacing any object there. */
    void write(String key, byte[] data) throws IOException;

    /**
     * The local file that holds object {@code key} when this backend keeps its objects as files of
     * this machine (a directory store), so a pull may hard-link a whole pack instead of copying
     * it; null otherwise. A wrapping backend answers null unless it reads nothing on its own.
     */
    default Path fileOf(String key) {
        return null;
    }

    /**
     * Stores the content of a local file under {@code key}, atomically and durably. The file is
     * consumed: it is moved into place or deleted afterwards.
     */
    void writeFile(String key, Path file) throws IOException;

    /**
     * As {@link #writeFile} for each entry (key to local file); on return every one is stored. A
     * backend may overlap the work: the local one syncs the files together and each directory
     * once, where one {@link #writeFile} each costs three syncs in turn.
     */
    default void writeFiles(java.util.List<java.util.Map.Entry<String, Path>> files) throws IOException {
        for (java.util.Map.Entry<String, Path> f : files) {
            writeFile(f.getKey(), f.getValue());
        }
    }

    /**
     * As {@link #write} for each entry (key to bytes); on return every one is stored. A backend
     * may overlap the work: the local one creates, writes and syncs the files together and syncs
     * each directory once.
     */
    default void writeAll(java.util.List<java.util.Map.Entry<String, byte[]>> objects) throws IOException {
        for (java.util.Map.Entry<String, byte[]> o : objects) {
            write(o.getKey(), o.getValue());
        }
    }

    /** Deletes the object if present. */
    void delete(String key) throws IOException;

    /** As {@link #delete} for each key; a backend may do it in fewer steps. */
    default void deleteAll(java.util.Collection<String> keys) throws IOException {
        for (String key : keys) {
            delete(key);
        }
    }

    /**
     * The writes to this location that were started and never finished, which {@link #list} does
     * not show: temp files under a directory store's {@code tmp/}, incomplete multipart uploads
     * on S3. A killed writer leaves them; gc aborts those older than its grace period. A backend
     * without such a thing has none.
     */
    default List<IncompleteWrite> listIncompleteWrites() throws IOException {
        return List.of();
    }

    /** Discards an unfinished write listed by {@link #listIncompleteWrites}, freeing its bytes; one gone meanwhile is no error. */
    default void abortIncompleteWrite(IncompleteWrite write) throws IOException {
        throw new UnsupportedOperationException(this + " has no incomplete writes");
    }

    /** One stored object as listed: its key, size in bytes and when it was last written. */
    record ObjectInfo(String key, long size, Instant lastModified) {
    }

    /**
     * One unfinished write.
     *
     * @param key the object it would have become, when the backend knows it (S3), else null
     * @param id the backend's name for it: {@code tmp/FILE} for a directory store, the upload id on S3
     * @param size bytes it holds so far
     * @param started when it was last written (a temp file) or started (an upload), by the backend's clock
     */
    record IncompleteWrite(String key, String id, long size, Instant started) {
        /** How reports name it. */
        public String describe() {
            return key == null ? id : key + " (incomplete upload " + id + ")";
        }
    }

    /** Checks that a key is well formed; backends call this on every key. */
    static String checkKey(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("bad object key '" + key + "'");
        }
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || !part.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("bad object key '" + key + "'");
            }
        }
        return key;
    }
}
