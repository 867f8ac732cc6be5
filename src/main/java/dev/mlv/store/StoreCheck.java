package dev.mlv.store;

import dev.mlv.store.VerifyReport.Problem;
import dev.mlv.store.backend.Backend;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackRecords;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * fsck's store half: are the given files whole? Every pack's footer is read and compared with its
 * index; with data reading (all packs, or a deterministic share of them) every chunk is re-hashed;
 * then each file's manifest is decoded and each of its chunks located in a sound pack. A repair
 * rewrites lost or damaged indexes from their pack's footer (which alone suffices to rebuild one).
 */
final class StoreCheck {
    private final Backend backend;
    private final PackCatalog catalog;

    StoreCheck(Backend backend, PackCatalog catalog) {
        this.backend = backend;
        this.catalog = catalog;
    }

    /** One pack as found on the backend. */
    private static final class PackState {
        final String key;
        PackRecords footer;
        String damage;

        PackState(String key) {
            this.key = key;
        }
    }

    CheckReport run(Collection<Oid> files, int readDataPercent, boolean repair) throws IOException {
        catalog.refresh();
        Map<String, Problem> problems = new LinkedHashMap<>();
        List<Problem> warnings = new ArrayList<>();
        List<String> repaired = new ArrayList<>();
        Map<String, PackState> packs = new TreeMap<>();
        for (String key : backend.list(StoreLayout.PACKS)) {
            byte[] packId = StoreLayout.packIdOf(key);
            if (packId == null) {
                warnings.add(new Problem(key, "unexpected object in packs/ (ignored)"));
                continue;
            }
            PackState state = new PackState(key);
            packs.put(Hex.encode(packId), state);
            try {
                state.footer = PackFiles.readFooter(backend, key, packId);
            } catch (CorruptContentException | EOFException e) {
                state.damage = e.getMessage();
                problems.put(key, new Problem(key, "pack is damaged: " + e.getMessage()));
                continue;
            } catch (ContentNotFoundException e) {
                packs.remove(Hex.encode(packId));
                continue;
            }
            String indexProblem = indexProblem(packId, state.footer);
            if (indexProblem != null && repair) {
                backend.write(StoreLayout.indexKey(packId), PackFiles.encodeIndex(state.footer));
                catalog.register(state.footer);
                repaired.add(StoreLayout.indexKey(packId) + ": rebuilt from the footer of " + key + " (" + indexProblem + ")");
            } else if (indexProblem != null) {
                String indexKey = StoreLayout.indexKey(packId);
                problems.put(indexKey, new Problem(indexKey, indexProblem + "; 'mlv fsck --repair' rebuilds it from "
                        + key + "'s footer"));
            }
        }
        Set<String> missingPacks = new HashSet<>();
        for (String key : backend.list(StoreLayout.INDEX)) {
            byte[] packId = StoreLayout.packIdOf(key);
            if (packId != null && !packs.containsKey(Hex.encode(packId))) {
                missingPacks.add(Hex.encode(packId));
                problems.put(key, new Problem(key, "its pack " + StoreLayout.packKey(packId) + " is missing"));
            }
        }

        Set<String> badChunks = new HashSet<>();
        Set<String> damagedPacks = new java.util.TreeSet<>();
        packs.values().stream().filter(p -> p.damage != null).forEach(p -> damagedPacks.add(p.key));
        long packsRead = 0;
        long chunksRead = 0;
        for (PackState state : select(packs, readDataPercent)) {
            packsRead++;
            PackRecords f = state.footer;
            for (int i = 0; i < f.count(); i++) {
                chunksRead++;
                try {
                    catalog.readEntry(state.key, f.offset(i), f.rawLength(i), f.storedLength(i), f.compression(i),
                            f.records(), f.idOffset(i));
                } catch (CorruptContentException e) {
                    badChunks.add(ChunkId.of(f.records(), f.idOffset(i)).hex());
                    damagedPacks.add(state.key);
                    problems.putIfAbsent(state.key, new Problem(state.key, e.getMessage()));
                }
            }
        }

        // Chunks of sound packs that have no (usable) index: findable again after a repair.
        Map<String, String> unindexed = new HashMap<>();
        for (PackState state : packs.values()) {
            if (state.footer != null && !catalog.knowsPack(state.footer.packId())) {
                for (int i = 0; i < state.footer.count(); i++) {
                    unindexed.put(ChunkId.of(state.footer.records(), state.footer.idOffset(i)).hex(), state.key);
                }
            }
        }

        Map<Oid, String> damaged = new LinkedHashMap<>();
        Set<String> referencedPacks = new HashSet<>();
        long checked = 0;
        for (Oid oid : files) {
            checked++;
            String reason = fileProblem(oid, packs, missingPacks, badChunks, unindexed, referencedPacks);
            if (reason != null) {
                damaged.put(oid, reason);
            }
        }
        for (PackState state : packs.values()) {
            if (state.footer != null && !catalog.knowsPack(state.footer.packId())
                    && !referencedPacks.contains(state.key)) {
                // A writer killed between publishing a pack and its index: unreferenced, gc removes it.
                Problem p = problems.remove(StoreLayout.indexKey(state.footer.packId()));
                if (p != null) {
                    warnings.add(new Problem(state.key, "pack has no index and no checked file needs it"
                            + " (a writer stopped early); 'mlv gc' removes it"));
                }
            }
        }
        List<String> orphanIndexes = missingPacks.stream().sorted()
                .map(hex -> StoreLayout.indexKey(Hex.decodeLowercase(hex, 32))).toList();
        return new CheckReport(packs.size(), packsRead, chunksRead, checked, new ArrayList<>(problems.values()),
                damaged, warnings, repaired, new ArrayList<>(damagedPacks), orphanIndexes);
    }

    /** Why the pack's index is unusable, or null when it matches the footer. */
    private String indexProblem(byte[] packId, PackRecords footer) throws IOException {
        String indexKey = StoreLayout.indexKey(packId);
        if (!backend.exists(indexKey)) {
            return "index is missing";
        }
        try {
            PackRecords index = PackFiles.decodeIndex(indexKey, backend.readAll(indexKey));
            PackRecords expected = footer.sortedById();
            if (index.count() != expected.count() || index.packSize() != expected.packSize()
                    || !Arrays.equals(index.packId(), expected.packId())
                    || !Arrays.equals(index.records(), expected.records())) {
                return "index does not match its pack's footer";
            }
            return null;
        } catch (CorruptContentException e) {
            return "index is damaged (" + e.getMessage() + ")";
        }
    }

    /**
     * The packs whose data is read: all for 100, none for 0, otherwise the first
     * ceil(n * pct / 100) in pack-id order, so the same store yields the same sample.
     */
    private static List<PackState> select(Map<String, PackState> packs, int percent) {
        List<PackState> sound = packs.values().stream().filter(s -> s.footer != null).toList();
        if (percent <= 0) {
            return List.of();
        }
        int n = (int) Math.min(sound.size(), (sound.size() * (long) percent + 99) / 100);
        return sound.subList(0, n);
    }

    private String fileProblem(Oid oid, Map<String, PackState> packs, Set<String> missingPacks, Set<String> badChunks,
                               Map<String, String> unindexed, Set<String> referencedPacks) throws IOException {
        String key = StoreLayout.manifestKey(oid);
        Manifest m;
        try {
            m = Manifest.decode(key, backend.readAll(key));
        } catch (ContentNotFoundException e) {
            return "its manifest " + key + " is missing: the content is not in the store";
        } catch (CorruptContentException e) {
            return e.getMessage();
        }
        if (!m.oid().equals(oid)) {
            return "manifest " + key + " describes file " + m.oid();
        }
        String problem = null;
        for (int i = 0; i < m.chunkCount(); i++) {
            String chunk = m.chunkId(i).hex();
            long slot = catalog.index().find(m.idBytes(), i * 32);
            if (slot < 0) {
                String pack = unindexed.get(chunk);
                if (pack != null) {
                    referencedPacks.add(pack);
                }
                if (problem == null) {
                    problem = pack != null
                            ? "chunk " + chunk + " is in " + pack + ", whose index is missing or damaged;"
                                    + " 'mlv fsck --repair' rebuilds it"
                            : "chunk " + chunk + " is in no pack of the store";
                }
                continue;
            }
            String packKey = catalog.packKey(catalog.index().pack(slot));
            String packHex = Hex.encode(StoreLayout.packIdOf(packKey));
            PackState state = packs.get(packHex);
            if (problem == null && (missingPacks.contains(packHex) || state == null)) {
                problem = "chunk " + chunk + " is in " + packKey + ", which is missing";
            } else if (problem == null && state.damage != null) {
                problem = "chunk " + chunk + " is in " + packKey + ", which is damaged";
            } else if (problem == null && badChunks.contains(chunk)) {
                problem = "chunk " + chunk + " in " + packKey + " is corrupt";
            }
        }
        return problem;
    }
}
