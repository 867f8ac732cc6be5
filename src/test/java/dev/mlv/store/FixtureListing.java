package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What today's readers see in a fixture store and its pointers, as plain text: each file's
 * pointer and manifest (chunk by chunk), each pack's footer (entry by entry) and the order of its
 * index. Checked in beside the fixtures as {@code contents.txt}, so a reviewer can read what the
 * bytes mean and a change in how they are read shows up as a diff.
 */
final class FixtureListing {
    private static final HexFormat HEX = HexFormat.of();

    private FixtureListing() {
    }

    /** Lists the store in {@code storeDir} (opened, so pass a copy) and the pointers under {@code repoDir}. */
    static String describe(Path storeDir, Path repoDir) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# What today's readers see in the fixtures; written with them, compared by StoreFormatGoldenTest.\n");
        out.append("# Offsets and lengths in bytes; ids in hex. See README.md.\n");
        try (ChunkStore store = ChunkStore.open(storeDir)) {
            for (GoldenFixtures.FixtureFile f : GoldenFixtures.files()) {
                Pointer pointer = Pointer.parse(Files.readAllBytes(repoDir.resolve(f.path())));
                Manifest m = store.manifest(pointer.oid());
                out.append("file ").append(f.path()).append('\n');
                out.append("  pointer oid ").append(pointer.oid()).append(" size ").append(pointer.size()).append('\n');
                out.append("  manifest size ").append(m.size()).append(" chunks ").append(m.chunkCount()).append('\n');
                for (int i = 0; i < m.chunkCount(); i++) {
                    out.append("    chunk ").append(i).append(" at ").append(m.chunkStart(i)).append(" length ")
                            .append(m.chunkLength(i)).append(" id ").append(m.chunkId(i)).append('\n');
                }
            }
            for (String key : store.backend().list(StoreLayout.PACKS)) {
                describePack(out, store, key);
            }
        }
        return out.toString();
    }

    private static void describePack(StringBuilder out, ChunkStore store, String key) throws IOException {
        byte[] packId = StoreLayout.packIdOf(key);
        PackRecords footer = PackFiles.readFooter(store.backend(), key, packId);
        long footerOffset = footer.packSize() - PackFormat.TRAILER_SIZE - (long) PackFormat.RECORD_SIZE * footer.count();
        out.append("pack ").append(key).append('\n');
        out.append("  size ").append(footer.packSize()).append(" entries ").append(footer.count())
                .append(" footer at ").append(footerOffset).append('\n');
        for (int i = 0; i < footer.count(); i++) {
            out.append("    entry ").append(i).append(" at ").append(footer.offset(i)).append(" raw ")
                    .append(footer.rawLength(i)).append(" stored ").append(footer.storedLength(i))
                    .append(" compression ").append(footer.compression(i)).append(" id ")
                    .append(HEX.formatHex(footer.records(), footer.idOffset(i), footer.idOffset(i) + 32)).append('\n');
        }
        String indexKey = StoreLayout.indexKey(packId);
        PackRecords index = PackFiles.decodeIndex(indexKey, store.backend().readAll(indexKey));
        out.append("  index ").append(indexKey).append(" lists entries");
        for (int k = 0; k < index.count(); k++) {
            out.append(' ').append(entryNumber(footer, index, k));
        }
        out.append('\n');
    }

    /** Which footer entry the index's record {@code k} is. */
    private static int entryNumber(PackRecords footer, PackRecords index, int k) {
        for (int i = 0; i < footer.count(); i++) {
            if (Arrays.equals(footer.records(), footer.idOffset(i), footer.idOffset(i) + 32,
                    index.records(), index.idOffset(k), index.idOffset(k) + 32)) {
                return i;
            }
        }
        throw new AssertionError("index record " + k + " is not in the pack's footer");
    }
}
