package dev.mlv.serve;

/**
 * A single byte range of a {@code Range} header (RFC 9110 section 14): {@code bytes=a-b},
 * {@code bytes=a-} or {@code bytes=-n}, resolved against the content's size.
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
record ByteRange(long first, long last) {
    /** What a Range header asks for. */
    sealed interface Request permits Whole, Part, Unsatisfiable {
    }

    /** No usable Range header (absent, malformed, or several ranges): send the whole content. */
    record Whole() implements Request {
    }

    /** One satisfiable range. */
    record Part(ByteRange range) implements Request {
    }

    /** A well-formed range that lies outside the content: 416. */
    record Unsatisfiable() implements Request {
    }

    long length() {
        return last - first + 1;
    }

    /**
     * Interprets a Range header for content of {@code size} bytes. Malformed headers and
     * multi-range requests are ignored (the whole content is sent), as RFC 9110 allows.
     */
    static Request parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = h.substring(6).strip();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty() || !digits(b)) {
                    return new Whole();
                }
                long n = Long.parseLong(b);
                if (n == 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Part(new ByteRange(Math.max(0, size - n), size - 1));
            }
            if (!digits(a) || (!b.isEmpty() && !digits(b))) {
                return new Whole();
            }
            long first = Long.parseLong(a);
            if (!b.isEmpty() && Long.parseLong(b) < first) {
                return new Whole(); // syntactically invalid: ignored
            }
            long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
            if (first >= size) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            // more digits than a long holds: beyond any content
            return a.isEmpty() ? new Part(new ByteRange(0, size - 1)) : new Unsatisfiable();
        }
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
