package dev.mlv.store.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunking rule exactly as hub-docs {@code docs/xet/chunking.md} writes it in pseudocode:
 * every byte hashed, no skipping, one lane. Slow and obviously right; {@link Chunker} must agree
 * with it on every input.
 */
final class ReferenceChunker {
    private ReferenceChunker() {
    }

    static List<Integer> lengths(byte[] data, ChunkerParams params) {
        List<Integer> lengths = new ArrayList<>();
        long h = 0;
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            h = (h << 1) + GearTable.TABLE[data[i] & 0xFF];
            int size = i + 1 - start;
            if (size < params.minSize()) {
                continue;
            }
            if (size >= params.maxSize() || (h & params.mask()) == 0) {
                lengths.add(size);
                start = i + 1;
                h = 0;
            }
        }
        if (start < data.length) {
            lengths.add(data.length - start);
        }
        return lengths;
    }
}
