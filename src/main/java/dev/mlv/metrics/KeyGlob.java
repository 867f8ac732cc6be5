package dev.mlv.metrics;

import java.util.regex.Pattern;

/**
 * A pattern over dotted metric keys: {@code *} matches within one segment (no {@code .}),
 * {@code **} matches across segments, {@code ?} one character other than {@code .}; every
 * other character is literal. Matching is case-sensitive and whole-key.
 */
record KeyGlob(String pattern, Pattern regex, int literalChars) {
    static boolean isGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    static KeyGlob compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int literalChars = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                if (c == '?') {
                    regex.append("[^.]");
                } else if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^.]*");
                }
            } else {
                literal.append(c);
                literalChars++;
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return new KeyGlob(pattern, Pattern.compile(regex.toString(), Pattern.DOTALL), literalChars);
    }

    boolean matches(String key) {
        return regex.matcher(key).matches();
    }
}
