package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.Backend.IncompleteWrite;
import dev.mlv.store.backend.Backend.ObjectInfo;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.ChunkIdSet;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import dev.mlv.store.pack.PackWriter;
import dev.mlv.store.pack.WriteBehind;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Garbage collection of a store on any backend (the local store, or a remote directory or bucket),
 * given the files still referenced. Roots are the live files plus every manifest younger than the
 * cutoff (a put or push that has not been committed yet); their chunks are live. Ages are the
 * backend's last-modified times. Deletes references before data: unreachable manifests first,
 * then packs with no live chunk (index before pack); a pack whose unused share exceeds the
 * threshold is rewritten (new pack and index durable first, then the old index and pack go).
 * Packs younger than the cutoff and damaged packs are left alone. A crash at any point leaves at
 * worst extra copies or unreferenced objects, never a live file without its chunks.
 *
 * <p>On the local store the caller holds the store lock exclusively; on a store remote, its lock
 * object exclusively ({@link RemoteLock}), which the {@link Guard} checks before each deletion.
 * Writers that ignore that lock (older versions of mlv) may still push while gc runs, so manifests
 * are listed again just before the sweep (a push's new manifests join the roots), and every
 * object's age is checked again right before it is deleted; an object written or rewritten since
 * (a push reusing it rewrites its manifest) is kept. See {@code docs/reliability.md}.
 */
final class StoreGc {
    /** Longest byte range read at once when copying a pack's live entries. */
    private static final int MAX_RANGE = 8 << 20;

    private final Backend backend;
    private final PackCatalog catalog;
    private final Path stagingDir;
    private final Guard guard;
    private final Instant cutoff;
    private final Instant incompleteCutoff;
    private final double maxUnused;
    private final boolean dryRun;
    /** Target size of a merged pack; packs below a quarter of it are merged. */
    private final long packSize;
    private final int maxChunksPerPack;

    private final List<String> removedManifests = new ArrayList<>();
    private final List<String> removedPacks = new ArrayList<>();
    private final List<GcReport.Repack> repacked = new ArrayList<>();
    private final List<GcReport.Merge> merged = new ArrayList<>();
    /** Old packs below the merge threshold, with live chunks, gathered until they fill a pack. */
    private final List<SmallPack> group = new ArrayList<>();
    private long groupBytes;
    private long groupChunks;
    private final List<String> indexesRebuilt = new ArrayList<>();
    private final List<String> removedTemp = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final Set<String> marked = new HashSet<>();
    /**
     * Chunks the roots need. A superset (first eight bytes of each id, 16 bytes per chunk): a
     * chunk it wrongly counts as live (about one in 2^64 / n) is only kept, never lost.
     */
    private final ChunkIdSet liveChunks = ChunkIdSet.superset();
    private long keptYoung;
    private long freed;

    /** Asked before every deletion; fails when gc may no longer delete (it lost the store remote's lock). */
    interface Guard {
        Guard NONE = () -> {
        };

        void check() throws IOException;
    }

    /**
     * @param stagingDir local directory where repacks are written before they go to the backend
     * @param guard asked before each deletion
     * @param incompleteCutoff unfinished writes last written before this go (no later than {@code cutoff})
     * @param options the pack size and chunk count merged packs are made up to
     */
    StoreGc(Backend backend, PackCatalog catalog, Path stagingDir, Guard guard, Instant cutoff, Instant incompleteCutoff,
            double maxUnused, boolean dryRun, StoreOptions options) {
        this.packSize = options.packSize();
        this.maxChunksPerPack = options.maxChunksPerPack();
        this.incompleteCutoff = incompleteCutoff.isBefore(cutoff) ? incompleteCutoff : cutoff;
        this.backend = backend;
        this.catalog = catalog;
        this.stagingDir = stagingDir;
        this.guard = guard;
        this.cutoff = cutoff;
        this.maxUnused = maxUnused;
        this.dryRun = dryRun;
    }

    GcReport run(Set<Oid> live) throws IOException {
        catalog.refresh();
        List<ObjectInfo> garbage = new ArrayList<>();
        for (ObjectInfo m : backend.listInfo(StoreLayout.MANIFESTS)) {
            Oid oid = StoreLayout.oidOf(m.key());
            if (oid == null) {
                continue;
            }
            if (live.contains(oid)) {
                mark(m.key());
            } else if (isYoung(m)) {
                keptYoung++;
                mark(m.key());
            } else {
                garbage.add(m);
            }
        }
        // A writer without the store lock (a push from another clone) may have added manifests
        // since the listing above: their chunks are live too.
        for (ObjectInfo m : backend.listInfo(StoreLayout.MANIFESTS)) {
            if (StoreLayout.oidOf(m.key()) != null && !marked.contains(m.key()) && isYoung(m)) {
                keptYoung++;
                mark(m.key());
            }
        }
        for (ObjectInfo m : garbage) {
            if (marked.contains(m.key())) {
                continue;
            }
            ObjectInfo now = dryRun ? m : statNow(m.key());
            if (now == null) {
                continue; // removed meanwhile
            }
            if (isYoung(now)) {
                keptYoung++; // written again since it was listed: a push reuses it
                mark(m.key());
                continue;
            }
            freed += now.size();
            removedManifests.add(m.key());
        }
        if (!dryRun && !removedManifests.isEmpty() && !(backend instanceof ManifestBundles)) {
            dropBundlesHolding(new HashSet<>(removedManifests));
        }
        if (!dryRun) {
            // in batches: a local store rewrites each manifest bundle once per batch, not per manifest
            for (int i = 0; i < removedManifests.size(); i += DELETE_BATCH) {
                guard.check();
                backend.deleteAll(removedManifests.subList(i, Math.min(removedManifests.size(), i + DELETE_BATCH)));
            }
        }
        Map<String, ObjectInfo> indexes = new HashMap<>();
        for (ObjectInfo i : backend.listInfo(StoreLayout.INDEX)) {
            indexes.put(i.key(), i);
        }
        for (ObjectInfo p : backend.listInfo(StoreLayout.PACKS)) {
            collectPack(p, indexes);
        }
        mergeGroup();
        // Append states go with their manifests (an append writes its manifest first).
        for (ObjectInfo a : backend.listInfo(StoreLayout.APPEND)) {
            Oid oid = StoreLayout.appendStateOidOf(a.key());
            if (oid != null && !marked.contains(StoreLayout.manifestKey(oid)) && !isYoung(a) && !dryRun) {
                delete(a.key());
            }
        }
        // Damaged packs a repair set aside: kept for inspection for the grace period, never read.
        for (ObjectInfo q : backend.listInfo(StoreLayout.QUARANTINE)) {
            if (isYoung(q)) {
                keptYoung++;
                continue;
            }
            freed += q.size();
            removedPacks.add(q.key());
            if (!dryRun) {
                delete(q.key());
            }
        }
        abortIncompleteWrites();
        if (!dryRun) {
            // Packs added and removed above: one multi-pack index for what the store holds now.
            catalog.consolidate(1);
        }
        return new GcReport(dryRun, removedManifests, removedPacks, repacked, merged, indexesRebuilt, removedTemp,
                keptYoung, skipped, freed);
    }

    /** Adds the chunks of a manifest that must be kept to the live set. */
    private void mark(String key) throws IOException {
        if (!marked.add(key)) {
            return;
        }
        Manifest m;
        try {
            m = Manifest.decode(key, backend.readAll(key));
        } catch (ContentNotFoundException e) {
            return; // removed by another gc meanwhile: nothing of it to keep
        } catch (CorruptContentException e) {
            // Its chunks are unknown, so no chunk may be judged unused: stop before deleting anything.
            throw new CorruptContentException("gc stopped before deleting anything: a manifest it must keep is"
                    + " damaged (" + e.getMessage() + "); run 'mlv fsck' first", e);
        }
        for (int i = 0; i < m.chunkCount(); i++) {
            liveChunks.add(m.idBytes(), i * 32);
        }
    }

    private void collectPack(ObjectInfo info, Map<String, ObjectInfo> indexes) throws IOException {
        String key = info.key();
        byte[] packId = StoreLayout.packIdOf(key);
        if (packId == null) {
            return;
        }
        if (isYoung(info)) {
            keptYoung++;
            return;
        }
        PackRecords footer;
        try {
            footer = PackFiles.readFooter(backend, key, packId);
        } catch (CorruptContentException | EOFException e) {
            skipped.add(key + ": " + e.getMessage());
            return;
        } catch (ContentNotFoundException e) {
            return; // removed meanwhile
        }
        long liveCount = 0;
        long liveBytes = 0;
        long unusedBytes = 0;
        for (int i = 0; i < footer.count(); i++) {
            if (liveChunks.contains(footer.records(), footer.idOffset(i))) {
                liveCount++;
                liveBytes += PackFormat.ENTRY_HEADER_SIZE + footer.storedLength(i);
            } else {
                unusedBytes += PackFormat.ENTRY_HEADER_SIZE + footer.storedLength(i);
            }
        }
        String indexKey = StoreLayout.indexKey(packId);
        ObjectInfo index = indexes.get(indexKey);
        if (liveCount == 0) {
            if (!dryRun && stillOld(key) == null) {
                return;
            }
            freed += footer.packSize() + (index == null ? 0 : index.size());
            removedPacks.add(key);
            if (!dryRun) {
                delete(indexKey);
                delete(key);
            }
            return;
        }
        if (footer.packSize() < packSize / 4) {
            addToGroup(new SmallPack(key, footer.packSize(), index == null ? 0 : index.size(), liveCount, liveBytes));
            return;
        }
        keepOrRepack(key, footer, index, liveCount, unusedBytes);
    }

    /** The rules for a pack that is not merged: rewritten when too much of it is unused, indexed if it is not. */
    private void keepOrRepack(String key, PackRecords footer, ObjectInfo index, long liveCount, long unusedBytes)
            throws IOException {
        String indexKey = StoreLayout.indexKey(footer.packId());
        if ((double) unusedBytes / footer.packSize() > maxUnused) {
            repack(key, footer, liveCount, unusedBytes, index == null ? 0 : index.size());
            return;
        }
        if (index == null) {
            indexesRebuilt.add(indexKey);
            if (!dryRun) {
                backend.write(indexKey, PackFiles.encodeIndex(footer));
            }
        }
    }

    private void repack(String key, PackRecords footer, long liveCount, long unusedBytes, long indexBytes)
            throws IOException {
        if (dryRun) {
            repacked.add(new GcReport.Repack(key, null, liveCount, unusedBytes, footer.packSize()));
            freed += unusedBytes;
            return;
        }
        PackRecords written;
        Path staging = stagingDir.resolve("pack-gc-" + UUID.randomUUID() + ".tmp");
        try (WriteBehind io = new WriteBehind(4 << 20, 2, false, 4096)) {
            Files.createFile(staging);
            PackWriter pack = new PackWriter(staging, io);
            try {
                copyLiveEntries(key, footer, pack, null);
                written = pack.finish();
                io.drain();
            } catch (CorruptContentException | EOFException e) {
                pack.close();
                io.drain();
                Files.deleteIfExists(staging);
                skipped.add(key + ": not repacked, " + e.getMessage());
                return;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staging);
            throw e;
        }
        String newKey = StoreLayout.packKey(written.packId());
        backend.writeFile(newKey, staging);
        byte[] index = PackFiles.encodeIndex(written);
        backend.write(StoreLayout.indexKey(written.packId()), index);
        catalog.register(written);
        if (stillOld(key) == null) {
            // Written again since the listing (a concurrent writer): keep it; the new pack duplicates it.
            skipped.add(key + ": kept after repacking, it was written again while gc ran");
            return;
        }
        delete(StoreLayout.indexKey(footer.packId()));
        delete(key);
        freed += footer.packSize() + indexBytes - written.packSize() - index.length;
        repacked.add(new GcReport.Repack(key, newKey, liveCount, unusedBytes, footer.packSize()));
    }

    /**
     * Copies the pack's live entries into {@code pack}, reading runs of adjacent live entries in one
     * request each (a remote pack is read by range, not chunk by chunk). Every entry is re-hashed
     * before it is copied: a repack must never spread a damaged chunk. With {@code copied}, entries
     * whose chunk is in it are left out and the chunks copied are added to it (a merge writes each
     * chunk once); a run is added only once all of it has been checked, so {@code copied} never
     * names a chunk the new pack lacks.
     */
    private void copyLiveEntries(String key, PackRecords footer, PackWriter pack, ChunkIdSet copied)
            throws IOException {
        int i = 0;
        while (i < footer.count()) {
            if (!wanted(footer, i, copied)) {
                i++;
                continue;
            }
            int end = i;
            long start = footer.offset(i);
            long stop = start + PackFormat.ENTRY_HEADER_SIZE + footer.storedLength(i);
            while (end + 1 < footer.count() && footer.offset(end + 1) == stop && wanted(footer, end + 1, copied)
                    && stop - start + PackFormat.ENTRY_HEADER_SIZE + footer.storedLength(end + 1) <= MAX_RANGE) {
                end++;
                stop += PackFormat.ENTRY_HEADER_SIZE + footer.storedLength(end);
            }
            byte[] data = backend.read(key, start, (int) (stop - start));
            for (int k = i; k <= end; k++) {
                PackCatalog.checkEntry(data, (int) (footer.offset(k) - start), footer.rawLength(k),
                        footer.storedLength(k), footer.compression(k), footer.records(), footer.idOffset(k),
                        key + " at offset " + footer.offset(k));
            }
            for (int k = i; k <= end; k++) {
                if (copied != null && !copied.add(footer.records(), footer.idOffset(k))) {
                    continue; // twice in this run
                }
                int at = (int) (footer.offset(k) - start);
                pack.add(footer.records(), footer.idOffset(k), footer.rawLength(k), footer.compression(k), data,
                        at + PackFormat.ENTRY_HEADER_SIZE, footer.storedLength(k));
            }
            i = end + 1;
        }
    }

    private boolean wanted(PackRecords footer, int i, ChunkIdSet copied) {
        return liveChunks.contains(footer.records(), footer.idOffset(i))
                && (copied == null || !copied.contains(footer.records(), footer.idOffset(i)));
    }

    /** An old pack below the merge threshold that holds live chunks. */
    private record SmallPack(String key, long size, long indexBytes, long liveChunks, long liveBytes) {
    }

    /**
     * Adds a small pack to the group being gathered, first merging the group when the pack would
     * take it past the pack size or chunk count. Only the group is held, so memory does not grow
     * with the number of small packs.
     */
    private void addToGroup(SmallPack p) throws IOException {
        if (!group.isEmpty() && (PackFormat.PACK_HEADER_SIZE + groupBytes + p.liveBytes() > packSize
                || groupChunks + p.liveChunks() > maxChunksPerPack)) {
            mergeGroup();
        }
        group.add(p);
        groupBytes += p.liveBytes();
        groupChunks += p.liveChunks();
    }

    /**
     * Merges the gathered small packs into one (live chunks only, each once). The new pack and
     * index are durable before any old pack of the group goes (index before pack), so a crash
     * leaves extra copies, never a chunk without a pack. A single small pack is judged by the
     * usual rules instead: rewriting one pack alone would gain nothing.
     */
    private void mergeGroup() throws IOException {
        List<SmallPack> g = List.copyOf(group);
        group.clear();
        groupBytes = 0;
        groupChunks = 0;
        if (g.size() > 1) {
            merge(g);
        } else if (g.size() == 1) {
            judgeAlone(g.get(0));
        }
    }

    private void judgeAlone(SmallPack p) throws IOException {
        PackRecords footer;
        try {
            footer = PackFiles.readFooter(backend, p.key(), StoreLayout.packIdOf(p.key()));
        } catch (CorruptContentException | EOFException e) {
            skipped.add(p.key() + ": " + e.getMessage());
            return;
        } catch (ContentNotFoundException e) {
            return; // removed meanwhile
        }
        ObjectInfo index = statNow(StoreLayout.indexKey(footer.packId()));
        long unusedBytes = footer.packSize() - PackFormat.PACK_HEADER_SIZE - p.liveBytes()
                - (long) footer.count() * PackFormat.RECORD_SIZE - PackFormat.TRAILER_SIZE;
        keepOrRepack(p.key(), footer, index, p.liveChunks(), Math.max(0, unusedBytes));
    }

    private void merge(List<SmallPack> group) throws IOException {
        List<String> keys = group.stream().map(SmallPack::key).toList();
        long oldBytes = group.stream().mapToLong(p -> p.size() + p.indexBytes()).sum();
        if (dryRun) {
            long liveBytes = group.stream().mapToLong(SmallPack::liveBytes).sum();
            long live = group.stream().mapToLong(SmallPack::liveChunks).sum();
            merged.add(new GcReport.Merge(keys, null, live, oldBytes));
            freed += Math.max(0, oldBytes - liveBytes);
            return;
        }
        List<SmallPack> copiedFrom = new ArrayList<>();
        PackRecords written;
        Path staging = stagingDir.resolve("pack-gc-" + UUID.randomUUID() + ".tmp");
        try (WriteBehind io = new WriteBehind(4 << 20, 2, false, 4096)) {
            Files.createFile(staging);
            PackWriter pack = new PackWriter(staging, io);
            ChunkIdSet copied = ChunkIdSet.exact(); // exact: an entry it names is left out
            for (SmallPack p : group) {
                try {
                    PackRecords footer = PackFiles.readFooter(backend, p.key(), StoreLayout.packIdOf(p.key()));
                    copyLiveEntries(p.key(), footer, pack, copied);
                    copiedFrom.add(p);
                } catch (CorruptContentException | EOFException e) {
                    // Kept; what was copied of it is verified and does no harm in the new pack.
                    skipped.add(p.key() + ": not merged, " + e.getMessage());
                } catch (ContentNotFoundException e) {
                    // removed meanwhile: nothing of it to keep
                }
            }
            if (pack.count() == 0) {
                pack.close();
                io.drain();
                return;
            }
            written = pack.finish();
            io.drain();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staging);
            throw e;
        }
        String newKey;
        byte[] index;
        try {
            newKey = StoreLayout.packKey(written.packId());
            backend.writeFile(newKey, staging);
            index = PackFiles.encodeIndex(written);
            backend.write(StoreLayout.indexKey(written.packId()), index);
        } finally {
            Files.deleteIfExists(staging);
        }
        catalog.register(written);
        // The new pack and its index are durable: from here on a crash leaves only extra copies.
        List<String> mergedKeys = new ArrayList<>();
        long freedHere = 0;
        for (SmallPack p : copiedFrom) {
            if (p.key().equals(newKey)) {
                continue; // the same entries in the same order: the pack itself
            }
            if (stillOld(p.key()) == null) {
                skipped.add(p.key() + ": kept after merging, it was written again while gc ran");
                continue;
            }
            delete(StoreLayout.indexKey(StoreLayout.packIdOf(p.key())));
            delete(p.key());
            mergedKeys.add(p.key());
            freedHere += p.size() + p.indexBytes();
        }
        freed += freedHere - written.packSize() - index.length;
        merged.add(new GcReport.Merge(mergedKeys, newKey, written.count(), freedHere));
    }

    /**
     * Temp files of a directory store and incomplete multipart uploads on S3 that a killed writer
     * left: invisible to listings, but they hold bytes. Those older than the cutoff go; a younger
     * one may belong to a writer still at work.
     */
    private void abortIncompleteWrites() throws IOException {
        List<IncompleteWrite> writes;
        try {
            writes = backend.listIncompleteWrites();
        } catch (BackendUnreachableException e) {
            // e.g. a bucket policy without s3:ListBucketMultipartUploads: the rest of gc stands
            skipped.add("incomplete writes were not listed: " + e.getMessage());
            return;
        }
        for (IncompleteWrite w : writes) {
            if (!w.started().isBefore(incompleteCutoff)) {
                continue;
            }
            if (!dryRun) {
                guard.check();
                backend.abortIncompleteWrite(w);
            }
            freed += w.size();
            removedTemp.add(w.describe());
        }
    }

    /**
     * On a store remote, deletes the bundles a push left (format.md 6.2) that hold a manifest about
     * to be deleted, before it is: a bundle on a remote holds only manifests the remote has. A
     * damaged bundle goes too; bundles are copies, so deleting one loses nothing.
     */
    private void dropBundlesHolding(Set<String> doomed) throws IOException {
        for (ObjectInfo info : backend.listInfo(StoreLayout.BUNDLES)) {
            if (!info.key().endsWith(StoreLayout.BUNDLE_SUFFIX)) {
                continue;
            }
            boolean drop;
            try {
                ManifestBundle b = ManifestBundle.read(backend, info);
                drop = false;
                for (int i = 0; i < b.count && !drop; i++) {
                    drop = doomed.contains(StoreLayout.manifestKey(b.oid(i)));
                }
            } catch (CorruptContentException e) {
                drop = true;
            } catch (ContentNotFoundException e) {
                continue; // removed meanwhile
            }
            if (drop) {
                delete(info.key());
            }
        }
    }

    /** Manifests deleted between two checks of the guard. */
    private static final int DELETE_BATCH = 4096;

    private void delete(String key) throws IOException {
        guard.check();
        backend.delete(key);
    }

    private boolean isYoung(ObjectInfo info) {
        return !info.lastModified().isBefore(cutoff);
    }

    /** The object as it is now, or null when it is gone. */
    private ObjectInfo statNow(String key) throws IOException {
        try {
            return backend.stat(key);
        } catch (ContentNotFoundException e) {
            return null;
        }
    }

    /** The object if it still exists and is still older than the cutoff, else null (counted as kept young). */
    private ObjectInfo stillOld(String key) throws IOException {
        ObjectInfo now = statNow(key);
        if (now != null && isYoung(now)) {
            keptYoung++;
            return null;
        }
        return now;
    }
}
