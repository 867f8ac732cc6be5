package dev.mlv.store;

import dev.mlv.store.backend.LocalBackend;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.ChunkIndex;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import dev.mlv.store.pack.PackWriter;
import dev.mlv.store.pack.WriteBehind;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Garbage collection of a local store, given the files still referenced. Roots are the live
 * files plus every manifest younger than the cutoff (a put that has not been committed yet);
 * their chunks are live. Deletes references before data: unreachable manifests first, then
 * packs with no live chunk (index before pack); a pack whose unused share exceeds the threshold
 * is rewritten (new pack and index durable first, then the old index and pack go). Packs younger
 * than the cutoff and damaged packs are left alone. A crash at any point leaves at worst extra
 * copies or unreferenced objects, never a live file without its chunks. The caller holds the
 * store lock exclusively.
 */
final class StoreGc {
    private final LocalBackend backend;
    private final PackCatalog catalog;
    private final Instant cutoff;
    private final double maxUnused;
    private final boolean dryRun;

    private final List<String> removedManifests = new ArrayList<>();
    private final List<String> removedPacks = new ArrayList<>();
    private final List<GcReport.Repack> repacked = new ArrayList<>();
    private final List<String> indexesRebuilt = new ArrayList<>();
    private final List<String> removedTemp = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private long keptYoung;
    private long freed;

    StoreGc(LocalBackend backend, PackCatalog catalog, Instant cutoff, double maxUnused, boolean dryRun) {
        this.backend = backend;
        this.catalog = catalog;
        this.cutoff = cutoff;
        this.maxUnused = maxUnused;
        this.dryRun = dryRun;
    }

    GcReport run(Set<Oid> live) throws IOException {
        catalog.refresh();
        ChunkIndex liveChunks = new ChunkIndex(4096);
        List<String> garbage = new ArrayList<>();
        for (String key : backend.list(StoreLayout.MANIFESTS)) {
            Oid oid = StoreLayout.oidOf(key);
            boolean young = isYoung(key);
            if (oid != null && !live.contains(oid) && !young) {
                garbage.add(key);
                continue;
            }
            if (oid != null && !live.contains(oid)) {
                keptYoung++;
            }
            Manifest m;
            try {
                m = Manifest.decode(key, backend.readAll(key));
            } catch (CorruptContentException e) {
                // Its chunks are unknown, so no chunk may be judged unused: stop before deleting anything.
                throw new CorruptContentException("gc stopped before deleting anything: a manifest it must keep is"
                        + " damaged (" + e.getMessage() + "); run 'mlv fsck' first", e);
            }
            for (int i = 0; i < m.chunkCount(); i++) {
                liveChunks.add(m.idBytes(), i * 32, 0, 0, 0, 0, 0);
            }
        }
        for (String key : garbage) {
            freed += sizeOf(key);
            removedManifests.add(key);
            if (!dryRun) {
                backend.delete(key);
            }
        }
        for (String key : backend.list(StoreLayout.PACKS)) {
            collectPack(key, liveChunks);
        }
        removeStaleTemp();
        return new GcReport(dryRun, removedManifests, removedPacks, repacked, indexesRebuilt, removedTemp, keptYoung,
                skipped, freed);
    }

    private void collectPack(String key, ChunkIndex liveChunks) throws IOException {
        byte[] packId = StoreLayout.packIdOf(key);
        if (packId == null) {
            return;
        }
        PackRecords footer;
        try {
            footer = PackFiles.readFooter(backend, key, packId);
        } catch (CorruptContentException | EOFException e) {
            skipped.add(key + ": " + e.getMessage());
            return;
        }
        if (isYoung(key)) {
            keptYoung++;
            return;
        }
        long liveCount = 0;
        long unusedBytes = 0;
        for (int i = 0; i < footer.count(); i++) {
            if (liveChunks.find(footer.records(), footer.idOffset(i)) >= 0) {
                liveCount++;
            } else {
                unusedBytes += PackFormat.ENTRY_HEADER_SIZE + footer.storedLength(i);
            }
        }
        String indexKey = StoreLayout.indexKey(packId);
        if (liveCount == 0) {
            freed += footer.packSize() + sizeOf(indexKey);
            removedPacks.add(key);
            if (!dryRun) {
                backend.delete(indexKey);
                backend.delete(key);
            }
            return;
        }
        if ((double) unusedBytes / footer.packSize() > maxUnused) {
            repack(key, footer, liveChunks, liveCount, unusedBytes);
            return;
        }
        if (!backend.exists(indexKey)) {
            indexesRebuilt.add(indexKey);
            if (!dryRun) {
                backend.write(indexKey, PackFiles.encodeIndex(footer));
            }
        }
    }

    private void repack(String key, PackRecords footer, ChunkIndex liveChunks, long liveCount, long unusedBytes)
            throws IOException {
        String indexKey = StoreLayout.indexKey(footer.packId());
        long oldBytes = footer.packSize() + sizeOf(indexKey);
        if (dryRun) {
            repacked.add(new GcReport.Repack(key, null, liveCount, unusedBytes, footer.packSize()));
            freed += unusedBytes;
            return;
        }
        PackRecords written;
        Path staging = backend.tmpDir().resolve("pack-gc-" + UUID.randomUUID() + ".tmp");
        try (WriteBehind io = new WriteBehind(4 << 20, 2, false, 4096)) {
            Files.createFile(staging);
            PackWriter pack = new PackWriter(staging, io);
            try {
                for (int i = 0; i < footer.count(); i++) {
                    if (liveChunks.find(footer.records(), footer.idOffset(i)) < 0) {
                        continue;
                    }
                    // Re-hash before copying: a repack must never spread a damaged chunk.
                    catalog.readEntry(key, footer.offset(i), footer.rawLength(i), footer.storedLength(i),
                            footer.compression(i), footer.records(), footer.idOffset(i));
                    byte[] entry = backend.read(key, footer.offset(i), PackFormat.ENTRY_HEADER_SIZE + footer.storedLength(i));
                    pack.add(footer.records(), footer.idOffset(i), footer.rawLength(i), footer.compression(i), entry,
                            PackFormat.ENTRY_HEADER_SIZE, footer.storedLength(i));
                }
                written = pack.finish();
                io.drain();
            } catch (CorruptContentException e) {
                pack.close();
                io.drain();
                skipped.add(key + ": not repacked, " + e.getMessage());
                return;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staging);
            throw e;
        }
        backend.writeFile(StoreLayout.packKey(written.packId()), staging);
        byte[] index = PackFiles.encodeIndex(written);
        backend.write(StoreLayout.indexKey(written.packId()), index);
        catalog.register(written);
        backend.delete(indexKey);
        backend.delete(key);
        freed += oldBytes - written.packSize() - index.length;
        repacked.add(new GcReport.Repack(key, StoreLayout.packKey(written.packId()), liveCount, unusedBytes,
                footer.packSize()));
    }

    private void removeStaleTemp() throws IOException {
        Path tmp = backend.tmpDir();
        if (!Files.isDirectory(tmp)) {
            return;
        }
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    stale.add(p);
                }
            }
        }
        for (Path p : stale) {
            try {
                long size = Files.size(p);
                if (!dryRun) {
                    Files.delete(p);
                }
                freed += size;
                removedTemp.add(LocalBackend.TMP_DIR + "/" + p.getFileName());
            } catch (NoSuchFileException e) {
                // gone meanwhile
            }
        }
    }

    private boolean isYoung(String key) throws IOException {
        try {
            return !Files.getLastModifiedTime(backend.root().resolve(key)).toInstant().isBefore(cutoff);
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    private long sizeOf(String key) throws IOException {
        try {
            return Files.size(backend.root().resolve(key));
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
