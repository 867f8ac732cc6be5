package dev.mlv.serve.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parameters of a query string or a form body ({@code application/x-www-form-urlencoded}). */
final class Query {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Query() {
    }

    /** Parses {@code raw}; null when an escape is malformed. */
    static Query parse(String raw) {
        Query q = new Query();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        try {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                q.values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return q;
    }

    /** The first value of {@code key}, stripped, or {@code fallback} when absent or blank. */
    String first(String key, String fallback) {
        List<String> v = values.get(key);
        if (v == null) {
            return fallback;
        }
        return v.stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst().orElse(fallback);
    }

    /** Every non-blank value of {@code key}, stripped, in order. */
    List<String> all(String key) {
        return values.getOrDefault(key, List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
