package dev.mlv.metrics;

/**
 * Significance tests between two samples, from their summary statistics: Welch's t-test (means,
 * unequal variances) and the two-proportion z-test (0/1 outcomes). Two-sided.
 */
public final class Significance {
    private Significance() {
    }

    /** Count, mean and sample variance (n−1 denominator) of one sample. */
    public record Sample(long count, double mean, double variance) {
    }

    /**
     * One test's outcome.
     *
     * @param test      "welch-t" or "two-proportion-z"
     * @param statistic t or z, positive when the second sample's mean is higher
     * @param df        degrees of freedom (Welch), NaN for z
     * @param pValue    two-sided p-value
     */
    public record Outcome(String test, double statistic, double df, double pValue) {
    }

    /** z of the two-sided 95% normal interval. */
    private static final double Z95 = 1.959963984540054;

    /**
     * The 95% confidence interval of a sample's mean by the normal approximation,
     * mean ± 1.96·s/√n (for 0/1 values, the Wald interval of a rate); null with fewer than two
     * values, where it is undefined.
     */
    public static double[] interval95(Sample s) {
        if (s.count() < 2 || Double.isNaN(s.variance())) {
            return null;
        }
        double half = Z95 * Math.sqrt(s.variance() / s.count());
        return new double[] {s.mean() - half, s.mean() + half};
    }

    /** Running count, mean and variance (Welford's method: one pass, numerically stable). */
    public static final class Accumulator {
        private long n;
        private double mean;
        private double m2;
        private boolean binary = true;

        public void add(double x) {
            n++;
            double delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
            binary &= x == 0 || x == 1;
        }

        /** True when every value seen was 0 or 1. */
        public boolean binary() {
            return binary;
        }

        public Sample sample() {
            return new Sample(n, n == 0 ? Double.NaN : mean, n < 2 ? Double.NaN : m2 / (n - 1));
        }
    }

    /**
     * Welch's t-test: t = (m2 − m1) / √(v1/n1 + v2/n2), with Welch–Satterthwaite degrees of
     * freedom df = (v1/n1 + v2/n2)² / ((v1/n1)²/(n1−1) + (v2/n2)²/(n2−1)). Needs two values per
     * sample. When both variances are zero, p is 1 for equal means and 0 otherwise.
     */
    public static Outcome welch(Sample a, Sample b) {
        if (a.count() < 2 || b.count() < 2) {
            throw new IllegalArgumentException("Welch's t-test needs at least two values in each sample");
        }
        double sa = a.variance() / a.count();
        double sb = b.variance() / b.count();
        double se2 = sa + sb;
        double diff = b.mean() - a.mean();
        if (se2 == 0) {
            return new Outcome("welch-t", diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff), Double.NaN,
                    diff == 0 ? 1 : 0);
        }
        double t = diff / Math.sqrt(se2);
        double df = se2 * se2 / (sa * sa / (a.count() - 1) + sb * sb / (b.count() - 1));
        return new Outcome("welch-t", t, df, SpecialFunctions.studentTTwoSided(t, df));
    }

    /**
     * Two-proportion z-test: with p1 = x1/n1, p2 = x2/n2 and the pooled p = (x1+x2)/(n1+n2),
     * z = (p2 − p1) / √(p(1−p)(1/n1 + 1/n2)). A pooled p of 0 or 1 means no difference (p = 1).
     */
    public static Outcome twoProportion(long successesA, long countA, long successesB, long countB) {
        if (countA < 1 || countB < 1) {
            throw new IllegalArgumentException("the two-proportion test needs at least one value in each sample");
        }
        double p1 = (double) successesA / countA;
        double p2 = (double) successesB / countB;
        double pooled = (double) (successesA + successesB) / (countA + countB);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / countA + 1.0 / countB));
        if (se == 0) {
            return new Outcome("two-proportion-z", 0, Double.NaN, 1);
        }
        double z = (p2 - p1) / se;
        return new Outcome("two-proportion-z", z, Double.NaN, SpecialFunctions.normalTwoSided(z));
    }
}
