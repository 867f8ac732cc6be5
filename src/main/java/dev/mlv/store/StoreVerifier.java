package dev.mlv.store;

import dev.mlv.store.VerifyReport.Problem;
import dev.mlv.store.backend.Backend;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackRecords;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks packs, indexes and manifests; collects problems instead of stopping at the first. */
final class StoreVerifier {
    private final Backend backend;
    private final PackCatalog catalog;

    StoreVerifier(Backend backend, PackCatalog catalog) {
        this.backend = backend;
        this.catalog = catalog;
    }

    VerifyReport verifyAll() throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        catalog.refresh();
        Set<String> badChunks = new HashSet<>();
        Set<String> packHexes = new HashSet<>();
        long packs = 0;
        long chunks = 0;
        for (String key : backend.list(StoreLayout.PACKS)) {
            byte[] packId = StoreLayout.packIdOf(key);
            if (packId == null) {
                problems.add(new Problem(key, "unexpected object in packs/"));
                continue;
            }
            packs++;
            packHexes.add(Hex.encode(packId));
            PackRecords footer;
            try {
                footer = PackFiles.readFooter(backend, key, packId);
            } catch (CorruptContentException e) {
                problems.add(new Problem(key, e.getMessage()));
                continue;
            }
            checkIndex(key, packId, footer, problems, warnings);
            for (int i = 0; i < footer.count(); i++) {
                chunks++;
                try {
                    catalog.readEntry(key, footer.offset(i), footer.rawLength(i), footer.storedLength(i),
                            footer.compression(i), footer.records(), footer.idOffset(i));
                } catch (CorruptContentException | java.io.EOFException e) {
                    String chunk = ChunkId.of(footer.records(), footer.idOffset(i)).hex();
                    badChunks.add(chunk);
                    problems.add(new Problem(key, e.getMessage()));
                }
            }
        }
        for (String key : backend.list(StoreLayout.INDEX)) {
            byte[] packId = StoreLayout.packIdOf(key);
            if (key.equals(StoreLayout.MULTI_PACK_INDEX)) {
                String damage = catalog.multiPackIndexDamage();
                if (damage != null) {
                    problems.add(new Problem(key, damage + " (a cache: lookups use the pack indexes; 'mlv gc' rebuilds it)"));
                }
            } else if (packId == null || !packHexes.contains(Hex.encode(packId))) {
                problems.add(new Problem(key, "index without its pack"));
            }
        }
        for (Map.Entry<String, String> e : catalog.unreadableIndexes().entrySet()) {
            problems.add(new Problem(e.getKey(), e.getValue()));
        }
        if (backend instanceof ManifestBundles bundles) {
            for (Map.Entry<String, String> e : bundles.damaged().entrySet()) {
                problems.add(new Problem(e.getKey(), e.getValue()));
            }
        }
        long files = 0;
        for (String key : backend.list(StoreLayout.MANIFESTS)) {
            Oid oid = StoreLayout.oidOf(key);
            if (oid == null) {
                problems.add(new Problem(key, "unexpected object in manifests/"));
                continue;
            }
            files++;
            try {
                Manifest m = Manifest.decode(key, backend.readAll(key));
                if (!m.oid().equals(oid)) {
                    problems.add(new Problem(key, "manifest describes file " + m.oid()));
                }
                for (int i = 0; i < m.chunkCount(); i++) {
                    String chunk = m.chunkId(i).hex();
                    if (catalog.index().find(m.idBytes(), i * 32) < 0) {
                        problems.add(new Problem(key, "file " + oid + " references chunk " + chunk
                                + " which is in no indexed pack"));
                    } else if (badChunks.contains(chunk)) {
                        problems.add(new Problem(key, "file " + oid + " references corrupt chunk " + chunk));
                    }
                }
            } catch (CorruptContentException e) {
                problems.add(new Problem(key, e.getMessage()));
            }
        }
        return new VerifyReport(packs, chunks, files, problems, warnings);
    }

    private void checkIndex(String packKey, byte[] packId, PackRecords footer, List<Problem> problems,
            List<Problem> warnings)
            throws IOException {
        String indexKey = StoreLayout.indexKey(packId);
        if (!backend.exists(indexKey)) {
            warnings.add(new Problem(packKey, "pack has no index (its writer stopped early); "
                    + "rebuildIndexes() restores it from the pack's footer"));
            return;
        }
        try {
            PackRecords index = PackFiles.decodeIndex(indexKey, backend.readAll(indexKey));
            PackRecords expected = footer.sortedById();
            if (index.count() != expected.count() || index.packSize() != expected.packSize()
                    || !Arrays.equals(index.records(), expected.records())) {
                problems.add(new Problem(indexKey, "index does not match its pack's footer"));
            }
        } catch (CorruptContentException e) {
            problems.add(new Problem(indexKey, e.getMessage()));
        }
    }

    /** Rebuilds the file from its chunks, checking every chunk id and the file's oid. */
    VerifyReport verifyFile(Oid oid, Manifest manifest) {
        List<Problem> problems = new ArrayList<>();
        try (InputStream in = new ContentInputStream(manifest, catalog, true)) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // reading to the end performs the checks
            }
        } catch (IOException e) {
            problems.add(new Problem(StoreLayout.manifestKey(oid), e.getMessage()));
        }
        return new VerifyReport(0, manifest.chunkCount(), 1, problems, List.of());
    }
}
