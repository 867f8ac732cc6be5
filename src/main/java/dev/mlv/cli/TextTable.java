package dev.mlv.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for people: columns padded to their widest cell, two spaces apart, with
 * right-aligned columns for numbers. A cell may be emphasised, which shows as ANSI bold only when
 * the table is told it writes to a terminal; widths never count the escape codes.
 */
final class TextTable {
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    /** One cell: its text and whether it is emphasised. */
    record Cell(String text, boolean bold) {
        static Cell of(String text) {
            return new Cell(text == null ? "" : text, false);
        }
    }

    private final List<String> header;
    private final boolean[] rightAligned;
    private final List<List<Cell>> rows = new ArrayList<>();

    TextTable(List<String> header, boolean[] rightAligned) {
        this.header = List.copyOf(header);
        this.rightAligned = rightAligned.clone();
    }

    void add(List<Cell> row) {
        rows.add(List.copyOf(row));
    }

    void print(PrintWriter out, boolean ansi) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
        }
        for (List<Cell> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).text().length());
            }
        }
        List<Cell> head = header.stream().map(Cell::of).toList();
        out.println(line(head, widths, false));
        for (List<Cell> row : rows) {
            out.println(line(row, widths, ansi));
        }
    }

    private String line(List<Cell> cells, int[] widths, boolean ansi) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.text().length());
            String text = ansi && cell.bold() ? BOLD + cell.text() + RESET : cell.text();
            if (i > 0) {
                line.append("  ");
            }
            line.append(rightAligned[i] ? pad + text : i == cells.size() - 1 ? text : text + pad);
        }
        return line.toString().stripTrailing();
    }
}
