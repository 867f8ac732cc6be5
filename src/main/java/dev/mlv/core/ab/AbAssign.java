package dev.mlv.core.ab;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.internal.AbTests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * {@code mlv ab assign NAME KEY}: the arm a request or user key belongs to. Deterministic and the
 * same on every machine: u = the first 53 bits of SHA-256(NAME + "\n" + KEY) as a fraction in
 * [0, 1); the arm is the first whose cumulative weight exceeds u. A concluded test sends every key
 * to its winner.
 */
public final class AbAssign {
    private final MlvRepository repo;

    public AbAssign(MlvRepository repo) {
        this.repo = repo;
    }

    /** The arm for one key; {@code bucket} is u. */
    public record Assignment(String test, String key, String arm, String branch, String commit, double bucket,
                             boolean concluded) {
    }

    public Assignment call(String name, String key) throws MlvException {
        AbTest test = AbTests.read(repo, name).test();
        double u = bucket(name, key);
        AbTest.Arm arm = AbTest.CONCLUDED.equals(test.status()) ? test.arm(test.winner()) : pick(test.arms(), u);
        return new Assignment(name, key, arm.name(), arm.branch(), arm.commit(), u, AbTest.CONCLUDED.equals(test.status()));
    }

    /** u in [0, 1) for a key: uniform, stable across runs, machines and JVMs. */
    public static double bucket(String test, String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((test + "\n" + key).getBytes(StandardCharsets.UTF_8));
            long top53 = ByteBuffer.wrap(h).getLong() >>> 11;
            return top53 / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The arm whose share of [0, 1) contains u (shares in arm order, sized by weight). */
    public static AbTest.Arm pick(List<AbTest.Arm> arms, double u) {
        double cumulative = 0;
        AbTest.Arm last = null;
        for (AbTest.Arm arm : arms) {
            if (arm.weight() > 0) {
                cumulative += arm.weight();
                last = arm;
                if (u < cumulative) {
                    return arm;
                }
            }
        }
        return last; // rounding left u just above the sum of weights
    }
}
