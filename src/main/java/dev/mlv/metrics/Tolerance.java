package dev.mlv.metrics;

import java.math.BigDecimal;

/**
 * How much worse a {@code --no-regress} metric may get: an absolute amount in the metric's
 * unit ({@code accuracy:0.01}) or a percentage of DST's value ({@code accuracy:1%}).
 * {@code amount} is the number as written (for a percentage, 1 means 1%).
 */
public record Tolerance(BigDecimal amount, boolean relative) {
    private static final Tolerance NONE = new Tolerance(BigDecimal.ZERO, false);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public Tolerance {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("tolerance must not be negative: " + amount);
        }
    }

    /** No worsening allowed. */
    public static Tolerance none() {
        return NONE;
    }

    public boolean isNone() {
        return amount.signum() == 0;
    }

    /** The allowed worsening, in the metric's unit, when DST holds {@code dstValue}. */
    public BigDecimal allowance(BigDecimal dstValue) {
        return relative ? dstValue.abs().multiply(amount).divide(HUNDRED) : amount;
    }

    /** As written after the colon: {@code 0.01} or {@code 1%}. */
    @Override
    public String toString() {
        return amount.toPlainString() + (relative ? "%" : "");
    }
}
