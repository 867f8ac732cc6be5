package dev.mlv.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The special functions and tests against values derived by hand from closed forms, written out
 * next to each expectation.
 */
class SignificanceTest {
    @Test
    void studentTMatchesClosedFormsForSmallDegreesOfFreedom() {
        // df = 1 is the Cauchy distribution: P(|T| >= t) = 1 - (2/pi) atan(t); t = 1 gives 1 - (2/pi)(pi/4) = 0.5.
        assertThat(SpecialFunctions.studentTTwoSided(1, 1)).isCloseTo(0.5, within(1e-12));
        // df = 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2); t = 2 gives 1 - 2/sqrt(6) = 0.183503419072274.
        assertThat(SpecialFunctions.studentTTwoSided(2, 2)).isCloseTo(0.183503419072274, within(1e-12));
        // t = 0 never rejects.
        assertThat(SpecialFunctions.studentTTwoSided(0, 7.5)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void erfcMatchesKnownValues() {
        // erfc(0) = 1; erfc(1) = 0.157299207050285 (tabulated, Abramowitz & Stegun 7.1); erfc(-x) = 2 - erfc(x).
        assertThat(SpecialFunctions.erfc(0)).isCloseTo(1.0, within(1e-14));
        assertThat(SpecialFunctions.erfc(1)).isCloseTo(0.157299207050285, within(1e-13));
        assertThat(SpecialFunctions.erfc(-1)).isCloseTo(2 - 0.157299207050285, within(1e-13));
        // the normal two-sided 5% point: P(|Z| >= 1.959963985) = 0.05
        assertThat(SpecialFunctions.normalTwoSided(1.959963984540054)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void incompleteBetaIsSymmetricAndHitsTheEnds() {
        assertThat(SpecialFunctions.regularizedBeta(0.3, 2, 5) + SpecialFunctions.regularizedBeta(0.7, 5, 2))
                .isCloseTo(1.0, within(1e-13));
        // I_x(1, 1) = x; I_x(a, 1) = x^a
        assertThat(SpecialFunctions.regularizedBeta(0.37, 1, 1)).isCloseTo(0.37, within(1e-13));
        assertThat(SpecialFunctions.regularizedBeta(0.5, 3, 1)).isCloseTo(0.125, within(1e-13));
    }

    @Test
    void welchByHand() {
        // A = 1,2,3,4,5: mean 3, variance 10/4 = 2.5. B = 3,4,5,6,7: mean 5, variance 2.5.
        // se^2 = 2.5/5 + 2.5/5 = 1, so t = (5 - 3)/1 = 2; df = 1^2 / (0.5^2/4 + 0.5^2/4) = 8.
        // For even df the t distribution has a closed form: with theta = atan(t/sqrt(df)),
        // P(|T| < t) = sin(theta) (1 + cos^2/2 + 1*3 cos^4/(2*4) + 1*3*5 cos^6/(2*4*6)).
        // tan(theta) = 2/sqrt(8) so sin(theta) = 1/sqrt(3), cos^2 = 2/3:
        // 1 + 1/3 + 1/6 + 5/54 = 43/27, so p = 1 - 43/(27 sqrt 3) = 0.0805162379572626.
        Significance.Accumulator a = new Significance.Accumulator();
        Significance.Accumulator b = new Significance.Accumulator();
        for (int i = 1; i <= 5; i++) {
            a.add(i);
            b.add(i + 2);
        }
        assertThat(a.sample().variance()).isCloseTo(2.5, within(1e-12));
        Significance.Outcome o = Significance.welch(a.sample(), b.sample());
        assertThat(o.statistic()).isCloseTo(2.0, within(1e-12));
        assertThat(o.df()).isCloseTo(8.0, within(1e-12));
        assertThat(o.pValue()).isCloseTo(1 - 43 / (27 * Math.sqrt(3)), within(1e-12));
        assertThat(a.binary()).isFalse();
    }

    @Test
    void twoProportionByHand() {
        // 80 of 200 against 100 of 200: p1 = 0.4, p2 = 0.5, pooled p = 0.45,
        // se = sqrt(0.45 * 0.55 * (1/200 + 1/200)) = sqrt(0.002475) = 0.0497494, z = 0.1/se = 2.0100756;
        // p = 2 (1 - Phi(2.0101)) = 2 (1 - 0.977789) = 0.04442 (normal table).
        Significance.Outcome o = Significance.twoProportion(80, 200, 100, 200);
        assertThat(o.statistic()).isCloseTo(2.0100756, within(1e-6));
        assertThat(o.pValue()).isCloseTo(0.04442, within(1e-4));
        // identical proportions: z = 0, p = 1; all successes: no variance, no difference
        assertThat(Significance.twoProportion(10, 20, 10, 20).pValue()).isCloseTo(1.0, within(1e-12));
        assertThat(Significance.twoProportion(20, 20, 30, 30).pValue()).isEqualTo(1.0);
    }
}
