package dev.mlv.serve.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mlv.core.Json;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTML page being written. Text and attribute values go through {@link #esc}: branch names,
 * metric keys, file names and commit messages arrive by pull from others, so nothing from the
 * repository is ever written raw. Attributes are always double-quoted.
 */
final class Html {
    private final StringBuilder out = new StringBuilder(16 << 10);

    /** The navigation: path and label of each page. */
    private static final String[][] NAV = {
        {"/ui/", "Experiments", "experiments"},
        {"/ui/environments", "Environments", "environments"},
        {"/ui/monitoring", "Monitoring", "monitoring"},
        {"/ui/ab", "A/B tests", "ab"},
        {"/ui/files", "Files", "files"},
    };

    /** Starts a page: head with the static style sheets, navigation, and {@code <main>}. */
    static Html page(String title, String page, String repository) {
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>").text(title + " · " + repository + " · mlv").raw("</title>")
                .raw("<link rel=\"stylesheet\" href=\"/ui/static/uPlot.min.css\">")
                .raw("<link rel=\"stylesheet\" href=\"/ui/static/mlv.css\"></head>")
                .raw("<body data-page=\"").text(page).raw("\"><header><span class=\"brand\">mlv</span> <span class=\"repo\">")
                .text(repository).raw("</span><nav>");
        for (String[] item : NAV) {
            h.raw("<a href=\"").raw(item[0]).raw("\"").raw(item[2].equals(page) ? " class=\"active\"" : "").raw(">")
                    .raw(item[1]).raw("</a>");
        }
        return h.raw("</nav></header><main>");
    }

    /** Closes the page, loading uPlot and the page script. */
    String finish() {
        raw("</main><script src=\"/ui/static/uPlot.iife.min.js\"></script><script src=\"/ui/static/mlv.js\"></script></body></html>\n");
        return out.toString();
    }

    /** Appends trusted markup (literals of this package only). */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Appends escaped text (also safe inside a double-quoted attribute). */
    Html text(String s) {
        out.append(esc(s));
        return this;
    }

    /** Appends a value as JSON, escaped for a double-quoted attribute (read back with JSON.parse). */
    Html json(Object value) {
        try {
            return text(Json.write(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write chart data as JSON", e);
        }
    }

    /** Escapes {@code & < > " '}; null is the empty string. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /** A query parameter value, percent-encoded (then escaped where it lands in an attribute). */
    static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A number for people: four significant digits, no trailing zeros; a dash for NaN. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        return new BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }

    /** A byte count for people (KiB, MiB, GiB). */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
