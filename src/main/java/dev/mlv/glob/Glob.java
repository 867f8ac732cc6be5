package dev.mlv.glob;

import java.util.regex.Pattern;

/**
 * A wildcard pattern in one {@link Dialect}: {@code **} matches any run of characters,
 * {@code *} any run within one segment, {@code ?} one character within a segment (a dialect
 * without a separator is all one segment); every other character (brackets, backslash, dots
 * included) is literal. Matching is whole-text and case-sensitive. Immutable.
 */
public final class Glob {
    /** The kinds of name mlv matches; they differ only in what separates segments. */
    public enum Dialect {
        /**
         * Repository paths ({@code merge} policies in {@code .mlv/config.json}): segments split on
         * {@code /}; a pattern without {@code /} matches a name at any depth ({@code *.txt} matches
         * {@code a/b.txt}), one with {@code /} matches from the root.
         */
        PATH('/', true),
        /**
         * Branch names ({@code exp list --filter}): no segments, so {@code *} and {@code ?} cross
         * {@code /} ({@code exp/*} matches {@code exp/a/b}) and {@code **} is the same as {@code *}.
         */
        BRANCH(NO_SEPARATOR, false),
        /** Dotted metric keys ({@code metrics.directions}): segments split on {@code .}. */
        METRIC_KEY('.', false);

        private final char separator;
        private final boolean nameAtAnyDepth;

        Dialect(char separator, boolean nameAtAnyDepth) {
            this.separator = separator;
            this.nameAtAnyDepth = nameAtAnyDepth;
        }
    }

    private static final char NO_SEPARATOR = 0;

    private final Dialect dialect;
    private final String pattern;
    private final Pattern regex;
    private final int literalChars;

    private Glob(Dialect dialect, String pattern, Pattern regex, int literalChars) {
        this.dialect = dialect;
        this.pattern = pattern;
        this.regex = regex;
        this.literalChars = literalChars;
    }

    /** Whether {@code text} holds a wildcard, so is a glob rather than one exact name. */
    public static boolean hasWildcards(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    public static Glob compile(Dialect dialect, String pattern) {
        // '/' and '.' need no escape inside a character class
        String oneChar = dialect.separator == NO_SEPARATOR ? "." : "[^" + dialect.separator + "]";
        StringBuilder regex = new StringBuilder();
        if (dialect.nameAtAnyDepth && pattern.indexOf(dialect.separator) < 0) {
            regex.append("(?:.*").append(dialect.separator).append(")?");
        }
        StringBuilder literal = new StringBuilder();
        int literalChars = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                literalChars++;
                continue;
            }
            if (literal.length() > 0) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                regex.append(oneChar);
            } else if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else {
                regex.append(oneChar).append('*');
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return new Glob(dialect, pattern, Pattern.compile(regex.toString(), Pattern.DOTALL), literalChars);
    }

    /** Whether the whole of {@code text} matches. */
    public boolean matches(String text) {
        return regex.matcher(text).matches();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** How many characters of the pattern are not wildcards: how specific it is. */
    public int literalChars() {
        return literalChars;
    }

    @Override
    public String toString() {
        return dialect + " glob " + pattern;
    }
}
