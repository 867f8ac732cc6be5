package dev.mlv.store.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCompressorTest {
    @Test
    void backsOffOnIncompressibleChunks() {
        byte[] chunk = new byte[64 * 1024];
        Random r = new Random(1);
        try (ChunkCompressor c = new ChunkCompressor()) {
            for (int i = 0; i < 1000; i++) {
                r.nextBytes(chunk);
                assertThat(c.compress(chunk, 0, chunk.length)).isEqualTo(-1);
            }
            // 3 failures, then probes after skips of 16, 32, 64, ... chunks: a handful of attempts.
            assertThat(c.attempts()).isLessThan(20);
        }
    }

    @Test
    void keepsCompressionWhenItSavesAndRecoversAfterBackoff() {
        byte[] text = "the same line of text, again and again\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        byte[] noise = new byte[text.length];
        new Random(2).nextBytes(noise);
        try (ChunkCompressor c = new ChunkCompressor()) {
            int n = c.compress(text, 0, text.length);
            assertThat(n).isPositive().isLessThan(text.length / 10);
            byte[] back = ChunkCompressor.decompress(c.output(), 0, n, text.length);
            assertThat(back).isEqualTo(text);
            for (int i = 0; i < 10; i++) {
                c.compress(noise, 0, noise.length);
            }
            int compressedAgain = -1;
            for (int i = 0; i < 100 && compressedAgain < 0; i++) {
                compressedAgain = c.compress(text, 0, text.length);
            }
            assertThat(compressedAgain).as("probe finds compressible data again").isPositive();
        }
    }

    @Test
    void chunkIndexFindsEveryAddedIdAcrossGrowth() {
        ChunkIndex index = new ChunkIndex(16);
        Random r = new Random(3);
        byte[] ids = new byte[50_000 * 32];
        r.nextBytes(ids);
        for (int i = 0; i < 50_000; i++) {
            assertThat(index.add(ids, i * 32, i % 7, i * 100L, i + 1, i, i & 1)).isEqualTo(i);
        }
        assertThat(index.add(ids, 0, 99, 0, 1, 1, 0)).as("first location wins").isZero();
        for (int i = 0; i < 50_000; i += 997) {
            int slot = index.find(ids, i * 32);
            assertThat(slot).isEqualTo(i);
            assertThat(index.pack(slot)).isEqualTo(i % 7);
            assertThat(index.offset(slot)).isEqualTo(i * 100L);
            assertThat(index.rawLength(slot)).isEqualTo(i + 1);
        }
        byte[] absent = Arrays.copyOf(ids, 32);
        absent[31] ^= 1;
        assertThat(index.find(absent, 0)).isEqualTo(-1);
        assertThat(index.size()).isEqualTo(50_000);
    }
}
