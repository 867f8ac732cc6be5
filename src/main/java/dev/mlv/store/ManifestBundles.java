package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.store.backend.LocalBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local store's backend with manifest bundles (format.md 6.2): a batch of many manifests (a
 * commit of a sharded checkpoint, a pull) is written as one file under {@code bundles/} with one
 * sync, where loose manifests cost a file and a sync each. To every caller a bundled manifest is
 * the object {@code manifests/<o2>/<oid>} as before: listed, stat'ed (with its bundle's time), read
 * and deleted through the same keys. A loose manifest wins over a bundled one (they hold the same
 * bytes). Deleting bundled manifests rewrites their bundle without them: the survivors are
 * written to a new bundle, durably, before the old one goes.
 *
 * <p>Bundles are found by listing {@code bundles/}; a lookup that misses lists it again when it
 * may have changed, so bundles another process wrote are seen. Tables are read through a memory
 * map, so memory is the page cache whatever the number of manifests.
 */
final class ManifestBundles extends ForwardingBackend {
    /** Batches of fewer manifests are written loose. */
    static final int MIN_BATCH = 16;
    /** How long after a change the directory's time may still miss a further change (coarse clocks). */
    private static final long SETTLE_NANOS = 2_000_000_000L;
    private static final Logger log = LoggerFactory.getLogger(ManifestBundles.class);

    private final LocalBackend local;
    /** Whether this store's config is known to be at {@link StoreConfig#BUNDLES_VERSION}. */
    private volatile boolean raised;
    private final Path dir;
    /** What the last listing of {@code bundles/} found; replaced whole, never changed. */
    private volatile Shelf shelf;
    /** Set when this process changed {@code bundles/}: the next lookup lists it again (keeping what it read). */
    private volatile boolean stale;

    /** One bundled manifest: where its bytes are. */
    private record Located(ManifestBundle bundle, int entry) {
        long offset() {
            return bundle.offset(entry);
        }

        int length() {
            return bundle.length(entry);
        }
    }

    /**
     * @param dirTime the directory's modification time before the listing, or null if it was absent
     * @param listedAt when the listing was taken
     */
    private record Shelf(List<ManifestBundle> bundles, Map<String, String> damaged, Instant dirTime, Instant listedAt) {
    }

    ManifestBundles(LocalBackend local) {
        super(local);
        this.local = local;
        this.dir = local.root().resolve(StoreLayout.BUNDLES.substring(0, StoreLayout.BUNDLES.length() - 1));
    }

    /** The local backend under a store's backend, or null for a remote one. */
    static LocalBackend localOf(Backend backend) {
        if (backend instanceof ManifestBundles b) {
            return b.local;
        }
        return backend instanceof LocalBackend l ? l : null;
    }

    /** Bundles that could not be read, by key, with why: their manifests are not seen. */
    Map<String, String> damaged() throws IOException {
        return shelf().damaged();
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public Path fileOf(String key) {
        // a manifest may be held in a bundle, not in a file of its own
        return StoreLayout.oidOf(key) == null ? delegate.fileOf(key) : null;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = delegate.list(prefix);
        if (!covers(prefix)) {
            return keys;
        }
        Set<String> loose = new HashSet<>(keys);
        forEachBundled(prefix, (b, i, key) -> {
            if (loose.add(key)) {
                keys.add(key);
            }
        });
        return keys;
    }

    @Override
    public List<ObjectInfo> listInfo(String prefix) throws IOException {
        List<ObjectInfo> infos = delegate.listInfo(prefix);
        if (!covers(prefix)) {
            return infos;
        }
        Set<String> seen = new HashSet<>();
        for (ObjectInfo i : infos) {
            seen.add(i.key());
        }
        forEachBundled(prefix, (b, i, key) -> {
            if (seen.add(key)) {
                infos.add(new ObjectInfo(key, b.length(i), b.modified));
            }
        });
        return infos;
    }

    private static boolean covers(String prefix) {
        return prefix.startsWith(StoreLayout.MANIFESTS) || StoreLayout.MANIFESTS.startsWith(prefix);
    }

    private interface BundledVisitor {
        void visit(ManifestBundle bundle, int entry, String key);
    }

    private void forEachBundled(String prefix, BundledVisitor visitor) throws IOException {
        for (ManifestBundle b : shelf().bundles()) {
            for (int i = 0; i < b.count; i++) {
                String key = StoreLayout.manifestKey(b.oid(i));
                if (key.startsWith(prefix)) {
                    visitor.visit(b, i, key);
                }
            }
        }
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        if (StoreLayout.oidOf(key) == null || delegate.exists(key)) {
            return delegate.stat(key);
        }
        Located at = locate(key, true);
        if (at == null) {
            return delegate.stat(key); // not found: the backend's error
        }
        return new ObjectInfo(key, at.length(), at.bundle().modified);
    }

    @Override
    public boolean exists(String key) throws IOException {
        if (delegate.exists(key)) {
            return true;
        }
        return StoreLayout.oidOf(key) != null && locate(key, false) != null;
    }

    @Override
    public long size(String key) throws IOException {
        return stat(key).size();
    }

    @Override
    public byte[] read(String key, long offset, int length) throws IOException {
        byte[] data = new byte[length];
        readInto(key, offset, data, 0, length);
        return data;
    }

    @Override
    public void readInto(String key, long offset, byte[] dst, int off, int length) throws IOException {
        if (StoreLayout.oidOf(key) == null || delegate.exists(key)) {
            delegate.readInto(key, offset, dst, off, length);
            return;
        }
        readBundled(key, offset, dst, off, length);
    }

    @Override
    public void readSequential(String key, long offset, byte[] dst, int off, int length) throws IOException {
        if (StoreLayout.oidOf(key) == null) {
            delegate.readSequential(key, offset, dst, off, length);
        } else {
            readInto(key, offset, dst, off, length);
        }
    }

    @Override
    public byte[] readAll(String key) throws IOException {
        if (StoreLayout.oidOf(key) == null) {
            return delegate.readAll(key);
        }
        try {
            return delegate.readAll(key);
        } catch (ContentNotFoundException e) {
            Located at = locate(key, true);
            if (at == null) {
                throw e;
            }
            byte[] data = new byte[at.length()];
            readBundled(key, 0, data, 0, data.length);
            return data;
        }
    }

    private void readBundled(String key, long offset, byte[] dst, int off, int length) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Located at = locate(key, true);
            if (at == null) {
                throw new ContentNotFoundException("object '" + key + "' not found in " + this);
            }
            if (offset < 0 || offset + length > at.length()) {
                throw new java.io.EOFException("object '" + key + "' ends before byte " + (offset + length)
                        + " (size " + at.length() + ")");
            }
            try {
                delegate.readInto(at.bundle().key, at.offset() + offset, dst, off, length);
                return;
            } catch (ContentNotFoundException e) {
                // gc rewrote the bundle since it was listed: list again, once
                if (attempt > 0) {
                    throw e;
                }
                stale = true;
            }
        }
    }

    /**
     * Where the bundled manifest {@code key} is, or null. A miss lists {@code bundles/} again: always
     * when the caller must not miss one another process has just written ({@code sure}), else only
     * when the directory may have changed since the last listing.
     */
    private Located locate(String key, boolean sure) throws IOException {
        byte[] oid = StoreLayout.oidOf(key).toBytes();
        Shelf s = shelf();
        Located at = find(s, oid);
        if (at != null) {
            return at;
        }
        if (sure || mayHaveChanged(s)) {
            Shelf fresh = relist(s);
            return fresh.bundles() == s.bundles() ? null : find(fresh, oid);
        }
        return null;
    }

    private static Located find(Shelf s, byte[] oid) {
        for (ManifestBundle b : s.bundles()) {
            int i = b.find(oid);
            if (i >= 0) {
                return new Located(b, i);
            }
        }
        return null;
    }

    private boolean mayHaveChanged(Shelf s) throws IOException {
        Instant now = dirTime();
        if (now == null || s.dirTime() == null) {
            return now != s.dirTime();
        }
        if (!now.equals(s.dirTime())) {
            return true;
        }
        // A change within a clock tick of the listing may have left the time as it was.
        return java.time.Duration.between(s.dirTime(), s.listedAt()).toNanos() < SETTLE_NANOS;
    }

    private Instant dirTime() throws IOException {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class).lastModifiedTime().toInstant();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private Shelf shelf() throws IOException {
        Shelf s = shelf;
        return s != null && !stale ? s : relist(s);
    }

    /**
     * Lists {@code bundles/} again, keeping the bundles already read; the result shares its bundle
     * list with {@code seen} when nothing changed.
     */
    private synchronized Shelf relist(Shelf seen) throws IOException {
        Shelf current = shelf;
        if (current != null && current != seen && !stale) {
            return current; // another thread listed meanwhile
        }
        stale = false; // a change from here on is listed next time
        Instant before = dirTime();
        Instant listedAt = Instant.now();
        Map<String, ManifestBundle> known = new HashMap<>();
        if (current != null) {
            for (ManifestBundle b : current.bundles()) {
                known.put(b.key, b);
            }
        }
        List<ManifestBundle> bundles = new ArrayList<>();
        Map<String, String> damaged = new LinkedHashMap<>();
        boolean changed = current == null;
        for (String key : delegate.list(StoreLayout.BUNDLES)) {
            if (!key.endsWith(StoreLayout.BUNDLE_SUFFIX)) {
                continue;
            }
            if (current != null && current.damaged().containsKey(key)) {
                damaged.put(key, current.damaged().get(key)); // warned once; not read again
                continue;
            }
            ManifestBundle b = known.remove(key);
            if (b == null) {
                changed = true;
                try {
                    b = open(key);
                } catch (CorruptContentException e) {
                    log.warn("manifest bundle {} is damaged and not read: {}", key, e.getMessage());
                    damaged.put(key, e.getMessage());
                    continue;
                } catch (ContentNotFoundException e) {
                    continue; // removed since the listing
                }
            }
            bundles.add(b);
        }
        changed |= !known.isEmpty() || (current != null && current.damaged().size() != damaged.size());
        if (!changed && current != null) {
            Shelf same = new Shelf(current.bundles(), current.damaged(), before, listedAt);
            shelf = same;
            return same;
        }
        // newest first: a lookup most often wants what was written last
        bundles.sort((a, b) -> b.modified.compareTo(a.modified));
        Shelf s = new Shelf(List.copyOf(bundles), Map.copyOf(damaged), before, listedAt);
        shelf = s;
        return s;
    }

    /** Reads a bundle's trailer, maps its table and checks both. */
    private ManifestBundle open(String key) throws IOException {
        Path file = local.root().resolve(key);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            ByteBuffer header = ByteBuffer.allocate(ManifestBundle.HEADER_SIZE);
            ByteBuffer trailer = ByteBuffer.allocate(ManifestBundle.TRAILER_SIZE);
            if (size >= ManifestBundle.HEADER_SIZE + ManifestBundle.TRAILER_SIZE) {
                readFully(ch, header, 0);
                readFully(ch, trailer, size - ManifestBundle.TRAILER_SIZE);
                trailer.flip();
            }
            if (!Arrays.equals(Arrays.copyOf(header.array(), 4), ManifestBundle.MAGIC)
                    || header.getShort(4) != ManifestBundle.VERSION) {
                throw new CorruptContentException(key + ": not a manifest bundle of version " + ManifestBundle.VERSION);
            }
            long tableOffset = ManifestBundle.tableOffset(key, size, trailer);
            MappedByteBuffer table = ch.map(FileChannel.MapMode.READ_ONLY, tableOffset,
                    size - ManifestBundle.TRAILER_SIZE - tableOffset);
            return ManifestBundle.of(key, size, modified, trailer, table);
        } catch (NoSuchFileException e) {
            throw new ContentNotFoundException("object '" + key + "' not found in " + this);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new java.io.EOFException("short read at " + position);
            }
        }
    }

    // ---- writes ------------------------------------------------------------------------------

    @Override
    public void writeAll(List<Map.Entry<String, byte[]>> objects) throws IOException {
        List<Map.Entry<String, byte[]>> manifests = new ArrayList<>();
        List<Map.Entry<String, byte[]>> others = new ArrayList<>();
        for (Map.Entry<String, byte[]> o : objects) {
            (StoreLayout.oidOf(o.getKey()) != null ? manifests : others).add(o);
        }
        if (manifests.size() < MIN_BATCH) {
            delegate.writeAll(objects);
            return;
        }
        java.util.SortedMap<Oid, ManifestBundle.Source> sources = new java.util.TreeMap<>();
        for (Map.Entry<String, byte[]> m : manifests) {
            sources.put(StoreLayout.oidOf(m.getKey()), ManifestBundle.of(m.getValue()));
        }
        writeBundle(sources);
        delegate.writeAll(others);
    }

    @Override
    public void writeFiles(List<Map.Entry<String, Path>> files) throws IOException {
        List<Map.Entry<String, Path>> manifests = new ArrayList<>();
        List<Map.Entry<String, Path>> others = new ArrayList<>();
        for (Map.Entry<String, Path> f : files) {
            (StoreLayout.oidOf(f.getKey()) != null ? manifests : others).add(f);
        }
        if (manifests.size() < MIN_BATCH) {
            delegate.writeFiles(files);
            return;
        }
        java.util.SortedMap<Oid, ManifestBundle.Source> sources = new java.util.TreeMap<>();
        for (Map.Entry<String, Path> m : manifests) {
            Path file = m.getValue();
            sources.put(StoreLayout.oidOf(m.getKey()), ch -> {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    return transfer(in, 0, in.size(), ch);
                }
            });
        }
        writeBundle(sources);
        for (Map.Entry<String, Path> m : manifests) {
            Files.deleteIfExists(m.getValue()); // consumed, as writeFiles promises
        }
        delegate.writeFiles(others);
    }

    private static long transfer(FileChannel in, long offset, long length, java.nio.channels.WritableByteChannel out) throws IOException {
        long done = 0;
        while (done < length) {
            long n = in.transferTo(offset + done, length - done, out);
            if (n <= 0) {
                throw new java.io.EOFException("a manifest ends early: " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return length;
    }

    /**
     * Writes the manifests (in oid order) as one bundle, syncs it and publishes it under its
     * SHA-256; returns when it is durable and listed.
     */
    private void writeBundle(java.util.SortedMap<Oid, ManifestBundle.Source> manifests) throws IOException {
        raiseVersion();
        Path staging = local.newTempFile("bundle");
        try {
            try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.WRITE)) {
                ManifestBundle.write(ch, manifests);
                ch.force(true);
            }
            local.writeFile(bundleKey(staging), staging);
        } finally {
            Files.deleteIfExists(staging);
        }
        stale = true; // listed again on the next lookup, with the new bundle
    }

    /**
     * Raises the store's {@code config.json} to {@link StoreConfig#BUNDLES_VERSION} before the first
     * bundle lands (durably: written to tmp/, synced, renamed), so an mlv that cannot see bundled
     * manifests refuses the store rather than find its files missing. Two processes raising it
     * at once write the same bytes.
     */
    private void raiseVersion() throws IOException {
        if (raised) {
            return;
        }
        StoreConfig config = StoreConfig.decode(local + "/" + StoreConfig.KEY, local.readAll(StoreConfig.KEY));
        if (config.version() < StoreConfig.BUNDLES_VERSION) {
            local.write(StoreConfig.KEY, config.withVersion(StoreConfig.BUNDLES_VERSION).encode());
        }
        raised = true;
    }

    /** A bundle's key: named by the SHA-256 of its bytes. */
    static String bundleKey(Path file) throws IOException {
        return StoreLayout.BUNDLES + Hex.encode(sha256(file)) + StoreLayout.BUNDLE_SUFFIX;
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest md = Sha256.newDigest();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf.clear()) >= 0) {
                md.update(buf.flip());
            }
        }
        return md.digest();
    }

    // ---- deletes -----------------------------------------------------------------------------

    @Override
    public void delete(String key) throws IOException {
        deleteAll(List.of(key));
    }

    /**
     * Deletes the objects; bundled manifests among them by writing each bundle they are in again
     * without them (survivors first, durably, then the old bundle goes).
     */
    @Override
    public void deleteAll(Collection<String> keys) throws IOException {
        Map<String, ManifestBundle> bundles = new LinkedHashMap<>();
        Map<String, Set<Integer>> dropped = new HashMap<>();
        Shelf s = shelf();
        for (String key : keys) {
            delegate.delete(key);
            if (StoreLayout.oidOf(key) == null) {
                continue;
            }
            byte[] oid = StoreLayout.oidOf(key).toBytes();
            for (ManifestBundle b : s.bundles()) {
                int i = b.find(oid);
                if (i >= 0) {
                    bundles.put(b.key, b);
                    dropped.computeIfAbsent(b.key, x -> new HashSet<>()).add(i);
                }
            }
        }
        for (ManifestBundle b : bundles.values()) {
            Set<Integer> gone = dropped.get(b.key);
            try (FileChannel old = FileChannel.open(local.root().resolve(b.key), StandardOpenOption.READ)) {
                java.util.SortedMap<Oid, ManifestBundle.Source> survivors = new java.util.TreeMap<>();
                for (int i = 0; i < b.count; i++) {
                    if (!gone.contains(i)) {
                        long offset = b.offset(i);
                        int length = b.length(i);
                        survivors.put(b.oid(i), ch -> transfer(old, offset, length, ch));
                    }
                }
                if (!survivors.isEmpty()) {
                    writeBundle(survivors);
                }
            } catch (NoSuchFileException e) {
                continue; // rewritten by another process meanwhile, which held the store lock
            }
            delegate.delete(b.key);
            stale = true;
        }
    }
}
