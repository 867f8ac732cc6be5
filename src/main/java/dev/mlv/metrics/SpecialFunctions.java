package dev.mlv.metrics;

/**
 * The special functions the significance tests need, written from their definitions: the log
 * gamma function (Lanczos approximation, g = 7, nine coefficients), the regularized incomplete
 * beta function (its continued fraction, evaluated with the modified Lentz method) and the
 * complementary error function (through the regularized upper incomplete gamma function
 * Q(1/2, x²), by its series or continued fraction). Accurate to about 1e-12 relative.
 */
public final class SpecialFunctions {
    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;
    private static final int MAX_ITERATIONS = 10_000;
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    };

    private SpecialFunctions() {
    }

    /** ln Γ(x) for x > 0. */
    public static double logGamma(double x) {
        if (x < 0.5) {
            // reflection: Γ(x)Γ(1-x) = π / sin(πx)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /**
     * The regularized incomplete beta function I_x(a, b) for 0 ≤ x ≤ 1, a, b > 0. Uses the
     * continued fraction directly where it converges fast (x < (a+1)/(a+b+2)) and the symmetry
     * I_x(a, b) = 1 − I_{1−x}(b, a) elsewhere.
     */
    public static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double logFront = a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(logFront) * betaFraction(x, a, b) / a;
        }
        return 1 - Math.exp(logFront) * betaFraction(1 - x, b, a) / b;
    }

    /**
     * The continued fraction 1/(1+ d1/(1+ d2/(1+ ...))) of I_x(a,b), with
     * d(2m+1) = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and d(2m) = m(b−m)x / ((a+2m−1)(a+2m)),
     * evaluated by the modified Lentz method.
     */
    private static double betaFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / nonZero(d);
        double f = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 / nonZero(1 + even * d);
            c = nonZero(1 + even / c);
            f *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 / nonZero(1 + odd * d);
            c = nonZero(1 + odd / c);
            double delta = d * c;
            f *= delta;
            if (Math.abs(delta - 1) < EPS) {
                return f;
            }
        }
        throw new ArithmeticException("incomplete beta did not converge for x=" + x + ", a=" + a + ", b=" + b);
    }

    /** Q(a, x) = Γ(a, x)/Γ(a), the regularized upper incomplete gamma function. */
    public static double regularizedGammaQ(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        double logFront = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            // series: P(a,x) = e^{-x} x^a / Γ(a) · Σ x^n / (a(a+1)...(a+n))
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n <= MAX_ITERATIONS; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * EPS) {
                    return 1 - sum * Math.exp(logFront);
                }
            }
            throw new ArithmeticException("incomplete gamma series did not converge for a=" + a + ", x=" + x);
        }
        // continued fraction: Q(a,x) = e^{-x} x^a / Γ(a) · 1/(x+1−a− 1(1−a)/(x+3−a− 2(2−a)/(x+5−a− ...)))
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double f = d;
        for (int i = 1; i <= MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = 1 / nonZero(an * d + b);
            c = nonZero(b + an / c);
            double delta = d * c;
            f *= delta;
            if (Math.abs(delta - 1) < EPS) {
                return Math.exp(logFront) * f;
            }
        }
        throw new ArithmeticException("incomplete gamma fraction did not converge for a=" + a + ", x=" + x);
    }

    /** erfc(x) = 1 − erf(x). */
    public static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        return regularizedGammaQ(0.5, x * x);
    }

    /** Two-sided p-value of Student's t with {@code df} degrees of freedom: P(|T| ≥ |t|). */
    public static double studentTTwoSided(double t, double df) {
        if (Double.isInfinite(t)) {
            return 0;
        }
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /** Two-sided p-value of a standard normal: P(|Z| ≥ |z|) = erfc(|z|/√2). */
    public static double normalTwoSided(double z) {
        return erfc(Math.abs(z) / Math.sqrt(2));
    }

    private static double nonZero(double v) {
        return Math.abs(v) < TINY ? TINY : v;
    }
}
