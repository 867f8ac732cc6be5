package dev.mlv.metrics;

import java.util.Optional;

/** The operators of a {@code --require} expression. */
public enum Comparison {
    GE(">="), GT(">"), LE("<="), LT("<"), EQ("=="), NE("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The operator written as {@code symbol}, if it is one. */
    public static Optional<Comparison> fromSymbol(String symbol) {
        for (Comparison c : values()) {
            if (c.symbol.equals(symbol)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Whether a value that compares to the threshold as {@code cmp} (negative, 0, positive) passes. */
    public boolean accepts(int cmp) {
        return switch (this) {
            case GE -> cmp >= 0;
            case GT -> cmp > 0;
            case LE -> cmp <= 0;
            case LT -> cmp < 0;
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
        };
    }

    @Override
    public String toString() {
        return symbol;
    }
}
