package dev.mlv.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte layout tables of {@code docs/format.md}, read as data so tests can hold the spec to
 * the code and to the golden fixtures. A table is a {@code | offset | size | field |} table; its
 * caption is the line above it, which states the table's total as {@code Name (SIZE bytes...}.
 */
final class FormatTables {
    static final Path DOC = Path.of("docs/format.md");
    private static final String HEADER = "| offset | size | field |";
    private static final Pattern CAPTION = Pattern.compile("^(.+?) \\(([^()]+?) bytes\\b");

    /** One table: its name (the caption up to the parenthesis), stated total, rows, and line number. */
    record Table(String name, Size total, List<Row> rows, int line) {
        Size end() {
            return rows.get(rows.size() - 1).end();
        }
    }

    /** One row: where it starts, how long it is, and what the doc says it holds. */
    record Row(Size offset, Size size, String field, int line) {
        Size end() {
            return offset.plus(size);
        }
    }

    /**
     * A size or offset as the tables write it: a constant plus multiples of named quantities, such
     * as {@code 56 + 56n}, {@code 36 × n}, {@code 6 + d} or {@code stored length}. The constant
     * has the empty name.
     */
    record Size(Map<String, Long> terms) {
        private static final Pattern MULTIPLE = Pattern.compile("(\\d+)\\s*×?\\s*([a-z][a-z ]*)");

        static Size of(long constant) {
            return new Size(constant == 0 ? Map.of() : Map.of("", constant));
        }

        static Size parse(String text) {
            TreeMap<String, Long> terms = new TreeMap<>();
            for (String term : text.split("\\+")) {
                String t = term.trim();
                Matcher m = MULTIPLE.matcher(t);
                if (t.matches("\\d+")) {
                    terms.merge("", Long.parseLong(t), Long::sum);
                } else if (m.matches()) {
                    terms.merge(m.group(2).trim(), Long.parseLong(m.group(1)), Long::sum);
                } else if (t.matches("[a-z][a-z ]*")) {
                    terms.merge(t, 1L, Long::sum);
                } else {
                    throw new IllegalArgumentException("cannot read '" + text + "' as a size");
                }
            }
            terms.values().removeIf(v -> v == 0);
            return new Size(Map.copyOf(terms));
        }

        Size plus(Size other) {
            TreeMap<String, Long> sum = new TreeMap<>(terms);
            other.terms.forEach((k, v) -> sum.merge(k, v, Long::sum));
            sum.values().removeIf(v -> v == 0);
            return new Size(Map.copyOf(sum));
        }

        /** The value for the given quantities (n, d, stored length...); each used must be given. */
        long eval(Map<String, Long> values) {
            long total = 0;
            for (Map.Entry<String, Long> t : terms.entrySet()) {
                if (t.getKey().isEmpty()) {
                    total += t.getValue();
                } else if (values.containsKey(t.getKey())) {
                    total += t.getValue() * values.get(t.getKey());
                } else {
                    throw new IllegalArgumentException("no value for '" + t.getKey() + "' in " + this);
                }
            }
            return total;
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(terms).forEach((k, v) -> parts.add(k.isEmpty() ? v.toString() : v + "·" + k));
            return parts.isEmpty() ? "0" : String.join(" + ", parts);
        }
    }

    private FormatTables() {
    }

    static List<Table> read() throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        List<Table> tables = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals(HEADER)) {
                continue;
            }
            int lineNo = i + 1;
            Matcher caption = CAPTION.matcher(captionAbove(lines, i));
            if (!caption.find()) {
                throw new IllegalStateException(DOC + " line " + lineNo + ": the line above a layout table must"
                        + " name it and state its size, as 'Name (N bytes...'; found '" + captionAbove(lines, i) + "'");
            }
            List<Row> rows = new ArrayList<>();
            for (int k = i + 2; k < lines.size() && lines.get(k).startsWith("|"); k++) {
                String[] cells = lines.get(k).split("\\|");
                rows.add(new Row(Size.parse(cells[1]), Size.parse(cells[2]), cells[3].trim(), k + 1));
            }
            tables.add(new Table(caption.group(1).trim(), Size.parse(caption.group(2)), rows, lineNo));
        }
        return tables;
    }

    private static String captionAbove(List<String> lines, int header) {
        for (int k = header - 1; k >= 0; k--) {
            if (!lines.get(k).isBlank()) {
                return lines.get(k).trim();
            }
        }
        return "";
    }
}
