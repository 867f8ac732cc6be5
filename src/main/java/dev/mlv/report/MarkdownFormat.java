package dev.mlv.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A report as Markdown (GitHub's flavour: pipe tables) with each chart as a PNG image in a folder
 * beside it, which {@link #images()} hands to the caller to write. Text from the repository is
 * escaped so it can neither break a table nor become HTML or a link.
 */
final class MarkdownFormat implements ReportFormat {
    /** A chart image to write, at {@code name} inside the charts folder. */
    record Image(String name, byte[] png) {
    }

    private final String oldLabel;
    private final String newLabel;
    private final String folder;
    private final StringBuilder out = new StringBuilder();
    private final List<Image> images = new ArrayList<>();

    /** @param folder the charts folder's name, relative to the Markdown file (a plain name) */
    MarkdownFormat(String oldLabel, String newLabel, String folder) {
        this.oldLabel = oldLabel;
        this.newLabel = newLabel;
        this.folder = folder;
    }

    List<Image> images() {
        return List.copyOf(images);
    }

    @Override
    public void begin(String title) {
        out.append("# ").append(escape(title)).append("\n\n");
    }

    @Override
    public void heading(String text) {
        out.append("## ").append(escape(text)).append("\n\n");
    }

    @Override
    public void paragraph(String text) {
        out.append(escape(text)).append("\n\n");
    }

    @Override
    public void table(List<String> header, List<List<String>> rows, List<String> rowClasses) {
        row(header);
        out.append('|');
        header.forEach(h -> out.append(" --- |"));
        out.append('\n');
        rows.forEach(this::row);
        out.append('\n');
    }

    private void row(List<String> cells) {
        out.append('|');
        cells.forEach(c -> out.append(' ').append(escape(c)).append(" |"));
        out.append('\n');
    }

    @Override
    public void chart(CurveCharts.Pair pair, int index, String caption) {
        String name = String.format(Locale.ROOT, "%02d-%s.png", index, fileName(pair.key()));
        images.add(new Image(name, CurveCharts.png(CurveCharts.chart(pair, oldLabel, newLabel))));
        out.append("![").append(escape(pair.key())).append("](").append(folder).append('/').append(name).append(")\n\n")
                .append('*').append(escape(caption)).append("*\n\n");
    }

    @Override
    public void list(List<String> items) {
        items.forEach(i -> out.append("- ").append(escape(i)).append('\n'));
        out.append('\n');
    }

    @Override
    public String end() {
        out.append("<sub>Written by mlv report.</sub>\n");
        return out.toString();
    }

    /** A key as a file name: letters, digits, {@code .}, {@code _} and {@code -}, at most 60 characters. */
    static String fileName(String key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < key.length() && b.length() < 60; i++) {
            char c = key.charAt(i);
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') ? c : '_');
        }
        String name = b.toString();
        return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
    }

    /**
     * Text for Markdown: HTML's special characters as entities, Markdown's punctuation
     * backslash-escaped (so {@code |} stays in its cell and {@code [x](y)} is not a link), line breaks as spaces.
     */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\n', '\r' -> b.append(' ');
                case '\\', '`', '*', '_', '[', ']', '#', '|', '~' -> b.append('\\').append(c);
                default -> b.append(Character.isISOControl(c) && c != '\t' ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}
