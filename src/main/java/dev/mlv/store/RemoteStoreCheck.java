package dev.mlv.store;

import dev.mlv.store.VerifyReport.Problem;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackRecords;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * fsck's check of a store remote: are the given files whole there? Presence is judged from the
 * remote's listings and pack indexes (cached locally, as push and fetch cache them), so a check
 * costs a few listings plus one read per manifest: every manifest must exist, decode and name its
 * file, every chunk must be in an index whose pack is listed. With data reading, the chunks the
 * files need are read back by byte range (adjacent chunks in one request, as a download does) and
 * re-hashed. Reports like {@link StoreCheck}: problems with remote objects, damaged files with the
 * first reason.
 */
final class RemoteStoreCheck {
    private static final int MAX_RANGE = 8 << 20;

    private final RemoteStore remote;
    private final Retry retry;

    RemoteStoreCheck(RemoteStore remote) {
        this.remote = remote;
        this.retry = remote.retry();
    }

    /** A needed chunk's place in a remote pack. */
    private record Needed(PackCatalog.Location loc, byte[] id) {
    }

    CheckReport run(Collection<Oid> files, int readDataPercent) throws IOException {
        Map<Oid, String> damaged = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        if (!remote.exists()) {
            for (Oid oid : files) {
                damaged.put(oid, "the store remote at " + remote + " holds no store yet (no " + StoreConfig.KEY
                        + "): the content was never pushed");
            }
            return report(0, 0, 0, files.size(), problems, damaged, warnings, List.of(), List.of());
        }
        IndexCachingBackend backend = remote.backend();
        Set<String> packs = new HashSet<>(retry.call("list packs/", () -> backend.list(StoreLayout.PACKS)));
        Set<String> indexes = new HashSet<>(retry.call("list index/", () -> backend.list(StoreLayout.INDEX)));
        Set<String> manifests = new HashSet<>(retry.call("list manifests/", () -> backend.list(StoreLayout.MANIFESTS)));
        remote.refresh();
        PackCatalog catalog = remote.catalog();
        for (Map.Entry<String, String> e : catalog.unreadableIndexes().entrySet()) {
            problems.add(new Problem(e.getKey(), "index is damaged: " + e.getValue()));
        }
        List<String> orphanIndexes = new ArrayList<>();
        for (String index : new java.util.TreeSet<>(indexes)) {
            byte[] packId = StoreLayout.packIdOf(index);
            if (packId != null && !packs.contains(StoreLayout.packKey(packId))) {
                orphanIndexes.add(index);
                problems.add(new Problem(index, "its pack " + StoreLayout.packKey(packId) + " is missing"));
            }
        }
        // Packs without an index: a push stopped (or is running) between the two. Their footers say
        // which chunks they hold, should a file need one.
        Map<String, String> unindexed = new HashMap<>();
        for (String pack : new java.util.TreeSet<>(packs)) {
            byte[] packId = StoreLayout.packIdOf(pack);
            if (packId == null || indexes.contains(StoreLayout.indexKey(packId))) {
                continue;
            }
            try {
                PackRecords footer = retry.call("read footer of " + pack, () -> PackFiles.readFooter(backend, pack, packId));
                for (int i = 0; i < footer.count(); i++) {
                    unindexed.put(ChunkId.of(footer.records(), footer.idOffset(i)).hex(), pack);
                }
                warnings.add(new Problem(pack, "pack has no index (a push stopped early, or is running); the next"
                        + " push writes it from the pack's footer"));
            } catch (CorruptContentException | EOFException e) {
                problems.add(new Problem(pack, "pack has no index and is damaged: " + e.getMessage()));
            } catch (ContentNotFoundException e) {
                // removed meanwhile
            }
        }

        Map<String, Needed> needed = new LinkedHashMap<>();
        List<Oid> sound = new ArrayList<>();
        for (Oid oid : files) {
            String reason = fileProblem(oid, manifests, packs, unindexed, catalog, needed);
            if (reason != null) {
                damaged.put(oid, reason);
            } else {
                sound.add(oid);
            }
        }

        long[] read = {0, 0};
        Map<String, String> badChunks = new HashMap<>();
        Set<String> damagedPacks = new java.util.TreeSet<>();
        if (readDataPercent > 0) {
            readBack(needed, readDataPercent, badChunks, damagedPacks, problems, read);
        }
        if (!badChunks.isEmpty()) {
            for (Oid oid : sound) {
                Manifest m = Manifest.decode(StoreLayout.manifestKey(oid), retry.call("read manifest of " + oid,
                        () -> backend.readAll(StoreLayout.manifestKey(oid))));
                for (int i = 0; i < m.chunkCount(); i++) {
                    String bad = badChunks.get(m.chunkId(i).hex());
                    if (bad != null) {
                        damaged.put(oid, bad);
                        break;
                    }
                }
            }
        }
        return report(packs.size(), read[0], read[1], files.size(), problems, damaged, warnings,
                new ArrayList<>(damagedPacks), orphanIndexes);
    }

    private static CheckReport report(long packs, long packsRead, long chunksRead, long files, List<Problem> problems,
                                      Map<Oid, String> damaged, List<Problem> warnings, List<String> damagedPacks,
                                      List<String> orphanIndexes) {
        return new CheckReport(packs, packsRead, chunksRead, files, problems, damaged, warnings, List.of(), damagedPacks,
                orphanIndexes);
    }

    /** Why the file cannot be rebuilt from the remote, or null; records where its chunks are. */
    private String fileProblem(Oid oid, Set<String> manifests, Set<String> packs, Map<String, String> unindexed,
                               PackCatalog catalog, Map<String, Needed> needed) throws IOException {
        String key = StoreLayout.manifestKey(oid);
        if (!manifests.contains(key)) {
            return "its manifest " + key + " is not in the store remote: the content was never pushed there, or was"
                    + " removed";
        }
        Manifest m;
        try {
            m = Manifest.decode(remote + "/" + key, retry.call("read " + key, () -> remote.backend().readAll(key)));
        } catch (ContentNotFoundException e) {
            return "its manifest " + key + " was removed from the store remote while fsck ran";
        } catch (CorruptContentException e) {
            return e.getMessage();
        }
        if (!m.oid().equals(oid)) {
            return "manifest " + key + " in the store remote describes file " + m.oid();
        }
        for (int i = 0; i < m.chunkCount(); i++) {
            String chunk = m.chunkId(i).hex();
            PackCatalog.Location loc = catalog.locate(m.idBytes(), i * 32);
            if (loc == null) {
                String pack = unindexed.get(chunk);
                return pack != null
                        ? "chunk " + chunk + " is in " + pack + ", which has no index; the next push writes it"
                        : "chunk " + chunk + " is in no pack of the store remote";
            }
            if (!packs.contains(loc.packKey())) {
                return "chunk " + chunk + " is in " + loc.packKey() + ", which is missing from the store remote";
            }
            needed.putIfAbsent(chunk, new Needed(loc, m.chunkId(i).toBytes()));
        }
        return null;
    }

    /**
     * Reads the needed chunks of the selected packs (all for 100, else the first ceil(n * pct / 100)
     * packs by key, so repeated runs read the same ones) by range and re-hashes each.
     */
    private void readBack(Map<String, Needed> needed, int percent, Map<String, String> badChunks,
                          Set<String> damagedPacks, List<Problem> problems, long[] read) throws IOException {
        Map<String, List<Needed>> byPack = new TreeMap<>();
        for (Needed n : needed.values()) {
            byPack.computeIfAbsent(n.loc().packKey(), k -> new ArrayList<>()).add(n);
        }
        int take = (int) Math.min(byPack.size(), (byPack.size() * (long) percent + 99) / 100);
        int taken = 0;
        for (Map.Entry<String, List<Needed>> e : byPack.entrySet()) {
            if (taken++ >= take) {
                break;
            }
            read[0]++;
            String pack = e.getKey();
            List<Needed> entries = e.getValue();
            entries.sort(Comparator.comparingLong(n -> n.loc().offset()));
            int i = 0;
            while (i < entries.size()) {
                long start = entries.get(i).loc().offset();
                long stop = start + entries.get(i).loc().entryLength();
                int end = i;
                while (end + 1 < entries.size() && entries.get(end + 1).loc().offset() == stop
                        && stop - start + entries.get(end + 1).loc().entryLength() <= MAX_RANGE) {
                    end++;
                    stop += entries.get(end).loc().entryLength();
                }
                long from = start;
                int length = (int) (stop - start);
                byte[] data;
                try {
                    data = retry.call("read " + pack, () -> remote.backend().read(pack, from, length));
                } catch (EOFException | ContentNotFoundException ex) {
                    String why = "chunk in " + pack + ", which cannot be read: " + ex.getMessage();
                    problems.add(new Problem(pack, "pack cannot be read: " + ex.getMessage()));
                    damagedPacks.add(pack);
                    for (int k = i; k <= end; k++) {
                        badChunks.put(ChunkId.of(entries.get(k).id(), 0).hex(), why);
                    }
                    i = end + 1;
                    continue;
                }
                for (int k = i; k <= end; k++) {
                    PackCatalog.Location loc = entries.get(k).loc();
                    read[1]++;
                    try {
                        PackCatalog.checkEntry(data, (int) (loc.offset() - start), loc.raw(), loc.stored(),
                                loc.compression(), entries.get(k).id(), 0, remote + "/" + pack + " at offset "
                                        + loc.offset());
                    } catch (CorruptContentException ex) {
                        badChunks.put(ChunkId.of(entries.get(k).id(), 0).hex(), ex.getMessage());
                        damagedPacks.add(pack);
                        problems.add(new Problem(pack, ex.getMessage()));
                    }
                }
                i = end + 1;
            }
        }
    }
}
