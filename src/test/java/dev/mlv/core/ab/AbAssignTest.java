package dev.mlv.core.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deterministic assignment of keys to arms. */
class AbAssignTest {
    private static final int KEYS = 100_000;

    private static List<AbTest.Arm> arms(double... weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        List<AbTest.Arm> arms = new java.util.ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            arms.add(new AbTest.Arm(String.valueOf((char) ('A' + i)), "b" + i, "0".repeat(40), weights[i] / total));
        }
        return arms;
    }

    private static Map<String, Double> split(String test, List<AbTest.Arm> arms) {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            counts.merge(AbAssign.pick(arms, AbAssign.bucket(test, "user-" + i)).name(), 1.0 / KEYS, Double::sum);
        }
        return counts;
    }

    @Test
    void splitFollowsTheWeightsWithinOnePercent() {
        Map<String, Double> ninetyTen = split("checkout", arms(90, 10));
        assertThat(ninetyTen.get("A")).isCloseTo(0.90, within(0.01));
        assertThat(ninetyTen.get("B")).isCloseTo(0.10, within(0.01));
        Map<String, Double> three = split("three", arms(5, 3, 2));
        assertThat(three.get("A")).isCloseTo(0.5, within(0.01));
        assertThat(three.get("B")).isCloseTo(0.3, within(0.01));
        assertThat(three.get("C")).isCloseTo(0.2, within(0.01));
        // a zero weight gets nothing
        assertThat(split("zero", arms(1, 0, 1))).doesNotContainKey("B");
    }

    @Test
    void bucketIsStableAcrossRunsAndMachines() {
        // The first 53 bits of SHA-256("checkout\nuser-1") over 2^53; regenerate with:
        // python3 -c "import hashlib,struct; h=hashlib.sha256(b'checkout\nuser-1').digest();
        //   print((struct.unpack('>Q',h[:8])[0]>>11)/2**53)"
        assertThat(AbAssign.bucket("checkout", "user-1")).isEqualTo(0.6334869483916925);
        assertThat(AbAssign.bucket("other-test", "user-1")).isNotEqualTo(AbAssign.bucket("checkout", "user-1"));
        assertThat(AbAssign.pick(arms(90, 10), 0.6334869483916925).name()).isEqualTo("A");
        assertThat(AbAssign.pick(arms(50, 50), 0.6334869483916925).name()).isEqualTo("B");
    }
}
