package dev.mlv.store;

import java.util.Arrays;

/**
 * SHA-256 (FIPS 180-4, section 6.2) whose running state can be saved and resumed: what lets an
 * append to a stored file hash only the appended bytes (and the file's last chunk) instead of the
 * whole file again. {@link java.security.MessageDigest} cannot export its state, so this computes
 * the compression function itself; it is slower than the JDK's intrinsic, and used only where
 * resuming pays ({@link Append}). Not thread-safe.
 */
final class ResumableSha256 {
    /** The state after some bytes: eight words, the count hashed, and the partial block. */
    record State(int[] h, long count, byte[] partial) {
        State {
            if (h.length != 8 || partial.length != (int) (count & 63)) {
                throw new IllegalArgumentException("not a SHA-256 state");
            }
        }
    }

    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };
    private static final int[] INITIAL = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };

    private final int[] h;
    private final int[] w = new int[64];
    private final byte[] block = new byte[64];
    private int blockLen;
    private long count;

    ResumableSha256() {
        this.h = INITIAL.clone();
    }

    /** Continues from a saved state. */
    ResumableSha256(State state) {
        this.h = state.h().clone();
        this.count = state.count();
        this.blockLen = state.partial().length;
        System.arraycopy(state.partial(), 0, block, 0, blockLen);
    }

    /** Bytes hashed so far. */
    long count() {
        return count;
    }

    /** The state now, to resume from later; this digest goes on unchanged. */
    State state() {
        return new State(h.clone(), count, Arrays.copyOf(block, blockLen));
    }

    void update(byte[] data, int off, int len) {
        count += len;
        if (blockLen > 0) {
            int n = Math.min(64 - blockLen, len);
            System.arraycopy(data, off, block, blockLen, n);
            blockLen += n;
            off += n;
            len -= n;
            if (blockLen < 64) {
                return;
            }
            compress(block, 0);
            blockLen = 0;
        }
        while (len >= 64) {
            compress(data, off);
            off += 64;
            len -= 64;
        }
        System.arraycopy(data, off, block, 0, len);
        blockLen = len;
    }

    /** The digest of everything hashed so far; this digest goes on unchanged. */
    byte[] digest() {
        ResumableSha256 end = new ResumableSha256(state());
        long bits = count << 3;
        byte[] pad = new byte[(blockLen < 56 ? 56 : 120) - blockLen + 8];
        pad[0] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
            pad[pad.length - 1 - i] = (byte) (bits >>> (8 * i));
        }
        end.update(pad, 0, pad.length);
        byte[] out = new byte[32];
        for (int i = 0; i < 8; i++) {
            out[4 * i] = (byte) (end.h[i] >>> 24);
            out[4 * i + 1] = (byte) (end.h[i] >>> 16);
            out[4 * i + 2] = (byte) (end.h[i] >>> 8);
            out[4 * i + 3] = (byte) end.h[i];
        }
        return out;
    }

    private void compress(byte[] m, int off) {
        for (int t = 0; t < 16; t++) {
            int p = off + 4 * t;
            w[t] = (m[p] & 0xff) << 24 | (m[p + 1] & 0xff) << 16 | (m[p + 2] & 0xff) << 8 | (m[p + 3] & 0xff);
        }
        for (int t = 16; t < 64; t++) {
            int s0 = Integer.rotateRight(w[t - 15], 7) ^ Integer.rotateRight(w[t - 15], 18) ^ (w[t - 15] >>> 3);
            int s1 = Integer.rotateRight(w[t - 2], 17) ^ Integer.rotateRight(w[t - 2], 19) ^ (w[t - 2] >>> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        int a = h[0];
        int b = h[1];
        int c = h[2];
        int d = h[3];
        int e = h[4];
        int f = h[5];
        int g = h[6];
        int hh = h[7];
        for (int t = 0; t < 64; t++) {
            int sum1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
            int ch = (e & f) ^ (~e & g);
            int t1 = hh + sum1 + ch + K[t] + w[t];
            int sum0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
            int maj = (a & b) ^ (a & c) ^ (b & c);
            int t2 = sum0 + maj;
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}
