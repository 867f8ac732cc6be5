package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.LocalBackend;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import dev.mlv.store.pack.PackWriter;
import dev.mlv.store.pack.WriteBehind;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * fsck's repair of the local store, run after {@link ChunkStore#check} (with repair) has rebuilt
 * the indexes that pack footers can rebuild. Three steps, each writing data before references:
 * <ol>
 * <li>A damaged pack (bad footer, or a chunk failing its hash) is never trusted again: its sound
 *     chunks, each re-hashed, are copied into a new pack (durable and indexed first), then the
 *     pack is moved to {@code quarantine/} and its index deleted.</li>
 * <li>An index whose pack is missing is deleted: it names chunks that are nowhere, and would
 *     hide copies of them fetched again.</li>
 * <li>What the damaged files still lack (their manifest, chunks that no trusted pack holds) is
 *     fetched from the store remote through the same path as lazy content: every chunk checked
 *     against its id, packed and indexed locally, then the manifests written.</li>
 * </ol>
 * Without a store remote the first two steps still run; lost data is reported as needing one.
 */
public final class StoreRepair {
    private final ChunkStore local;
    private final RemoteStore remote;

    /** {@code remote} may be null: then nothing is fetched. */
    public StoreRepair(ChunkStore local, RemoteStore remote) {
        this.local = local;
        this.remote = remote;
    }

    /**
     * What the repair did ({@code repaired}, one line per action), the files whose content it
     * fetched again, and the files it could not make whole, each with the reason.
     */
    public record Report(List<String> repaired, Set<Oid> fetched, Map<Oid, String> unrepaired) {
        public Report {
            repaired = List.copyOf(repaired);
            fetched = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(fetched));
            unrepaired = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unrepaired));
        }
    }

    public Report run(CheckReport check) throws IOException {
        LocalBackend backend = ManifestBundles.localOf(local.backend());
        if (backend == null) {
            throw new StoreException("repair works on a local store, not on " + local.backend());
        }
        List<String> repaired = new ArrayList<>();
        for (String packKey : check.damagedPacks()) {
            repaired.add(setAside(backend, packKey));
        }
        for (String indexKey : check.orphanIndexes()) {
            backend.delete(indexKey);
            repaired.add(indexKey + ": removed (its pack is missing, so it named chunks that are nowhere)");
        }

        // What the damaged files still lack, judged by the packs that are left: a fresh view of the
        // store, which no longer knows the packs set aside (an open store keeps what it loaded).
        try (ChunkStore fresh = ChunkStore.open(backend.root(), local.options())) {
            return fetchLost(fresh, check, repaired);
        }
    }

    private Report fetchLost(ChunkStore fresh, CheckReport check, List<String> repaired) throws IOException {
        PackCatalog trusted = fresh.catalog();
        Set<Oid> needManifest = new LinkedHashSet<>();
        List<Oid> needData = new ArrayList<>();
        for (Oid oid : check.damagedFiles().keySet()) {
            Manifest m = localManifest(oid);
            if (m == null) {
                needManifest.add(oid);
                needData.add(oid);
            } else if (!allChunksIn(m, trusted)) {
                needData.add(oid);
            } else {
                repaired.add("sha256:" + oid.hex() + ": whole again from the sound chunks kept locally");
            }
        }
        Map<Oid, String> unrepaired = new LinkedHashMap<>();
        Set<Oid> fetched = new LinkedHashSet<>();
        if (needData.isEmpty()) {
            return new Report(repaired, fetched, unrepaired);
        }
        if (remote == null) {
            for (Oid oid : needData) {
                unrepaired.put(oid, "its lost data can only be fetched from a store remote, and none is configured;"
                        + " add one that has it ('mlv store remote set origin URL') and run 'mlv fsck --repair' again");
            }
            return new Report(repaired, fetched, unrepaired);
        }
        Set<String> remoteManifests = remote.exists()
                ? new HashSet<>(remote.retry().call("list manifests/", () -> remote.backend().list(StoreLayout.MANIFESTS)))
                : Set.of();
        List<Oid> fetchable = new ArrayList<>();
        for (Oid oid : needData) {
            if (remoteManifests.contains(StoreLayout.manifestKey(oid))) {
                fetchable.add(oid);
            } else {
                unrepaired.put(oid, "the store remote at " + remote + " does not have it either (never pushed, or"
                        + " removed there); restore it from a clone that has it");
            }
        }
        if (!fetchable.isEmpty()) {
            Set<Oid> manifests = new LinkedHashSet<>(needManifest);
            manifests.retainAll(fetchable);
            // Every fetched chunk is checked against its id, and every file rebuilt against its oid.
            TransferResult t = new StoreTransfer(fresh, remote).setJobs(2).refetch(fetchable, trusted.index(), manifests);
            for (Oid oid : fetchable) {
                fetched.add(oid);
                repaired.add("sha256:" + oid.hex() + ": fetched again from the store remote at " + remote
                        + (manifests.contains(oid) ? " (manifest and chunks)" : " (chunks)"));
            }
            repaired.add(t.chunks() + " chunks (" + t.bytes() + " bytes) fetched from " + remote + " into "
                    + t.packs() + " new pack(s), each checked against its id");
        }
        return new Report(repaired, fetched, unrepaired);
    }

    /** The local manifest when it is sound, else null. */
    private Manifest localManifest(Oid oid) throws IOException {
        String key = StoreLayout.manifestKey(oid);
        try {
            Manifest m = Manifest.decode(key, local.backend().readAll(key));
            return m.oid().equals(oid) ? m : null;
        } catch (ContentNotFoundException | CorruptContentException e) {
            return null;
        }
    }

    private static boolean allChunksIn(Manifest m, PackCatalog catalog) throws IOException {
        for (int i = 0; i < m.chunkCount(); i++) {
            if (catalog.index().find(m.idBytes(), i * 32) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies the pack's sound chunks (as listed by its footer, else by its index) into a new pack,
     * then moves the pack to quarantine and deletes its index. Returns what was done.
     */
    private String setAside(LocalBackend backend, String packKey) throws IOException {
        byte[] packId = StoreLayout.packIdOf(packKey);
        String indexKey = StoreLayout.indexKey(packId);
        PackRecords records = entries(backend, packKey, packId, indexKey);
        int kept = 0;
        int lost = 0;
        String newPack = null;
        if (records != null && records.count() > 0) {
            Path staging = local.tmpDir().resolve("pack-repair-" + UUID.randomUUID() + ".tmp");
            PackRecords written = null;
            try (WriteBehind io = new WriteBehind(4 << 20, 2, false, 4096)) {
                Files.createFile(staging);
                PackWriter pack = new PackWriter(staging, io);
                try {
                    for (int i = 0; i < records.count(); i++) {
                        byte[] entry;
                        try {
                            entry = backend.read(packKey, records.offset(i),
                                    PackFormat.ENTRY_HEADER_SIZE + records.storedLength(i));
                            PackCatalog.checkEntry(entry, 0, records.rawLength(i), records.storedLength(i),
                                    records.compression(i), records.records(), records.idOffset(i),
                                    packKey + " at offset " + records.offset(i));
                        } catch (CorruptContentException | EOFException e) {
                            lost++;
                            continue;
                        }
                        pack.add(records.records(), records.idOffset(i), records.rawLength(i),
                                records.compression(i), entry, PackFormat.ENTRY_HEADER_SIZE, records.storedLength(i));
                        kept++;
                    }
                    if (kept > 0) {
                        written = pack.finish();
                    }
                    io.drain();
                } finally {
                    pack.close(); // deletes the staging file unless the pack was finished
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(staging);
                throw e;
            }
            if (written != null) {
                newPack = StoreLayout.packKey(written.packId());
                backend.writeFile(newPack, staging);
                backend.write(StoreLayout.indexKey(written.packId()), PackFiles.encodeIndex(written));
            } else {
                Files.deleteIfExists(staging);
            }
        }
        // Only now that the sound chunks are durable elsewhere: the pack first (so a crash here never
        // leaves it to be re-indexed from its footer), then its index.
        String quarantined = StoreLayout.quarantineKey(packId);
        backend.move(packKey, quarantined);
        backend.delete(indexKey);
        return packKey + ": damaged, moved to " + quarantined + (records == null
                ? " (neither its footer nor its index can be read: none of its chunks could be kept)"
                : "; " + kept + " sound chunks copied to " + (newPack == null ? "no new pack" : newPack) + ", " + lost
                        + " damaged");
    }

    /** The pack's entries: from its footer, else from its index, else null. */
    private static PackRecords entries(Backend backend, String packKey, byte[] packId, String indexKey)
            throws IOException {
        try {
            return PackFiles.readFooter(backend, packKey, packId);
        } catch (CorruptContentException | EOFException e) {
            // fall back to the index
        }
        try {
            return PackFiles.decodeIndex(indexKey, backend.readAll(indexKey));
        } catch (ContentNotFoundException | CorruptContentException e) {
            return null;
        }
    }
}
