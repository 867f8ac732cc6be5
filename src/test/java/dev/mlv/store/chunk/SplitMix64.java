package dev.mlv.store.chunk;

/**
 * SplitMix64 (Steele, Lea, Flood 2014; reference code https://prng.di.unimi.it/splitmix64.c),
 * the deterministic generator xet-core's chunker tests use. Test data is its 64-bit outputs
 * written little-endian, cut to length. Written out here so golden files never depend on a
 * library's generator. Public because the store's golden format fixtures are cut from it too.
 */
public final class SplitMix64 {
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound) for small bounds; the tiny modulo bias does not matter for tests. */
    public int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    /** {@code n} bytes: the little-endian bytes of successive outputs (xet-core's create_random_data). */
    public static byte[] bytes(long seed, int n) {
        SplitMix64 rng = new SplitMix64(seed);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long v = rng.nextLong();
            for (int k = 0; k < 8 && i + k < n; k++) {
                out[i + k] = (byte) (v >>> (8 * k));
            }
        }
        return out;
    }
}
