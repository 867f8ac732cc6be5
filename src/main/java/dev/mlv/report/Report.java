package dev.mlv.report;

import java.util.List;

/** Renders a {@link ReportData} as HTML or as Markdown with chart images; the caller writes the files. */
public final class Report {
    /** A chart image of a Markdown report: {@code name} inside the charts folder, PNG bytes. */
    public record Image(String name, byte[] png) {
    }

    /** A Markdown report: its text, which refers to each image as {@code FOLDER/NAME}, and the images. */
    public record Markdown(String text, List<Image> images) {
    }

    private Report() {
    }

    /** One self-contained HTML document. */
    public static String html(ReportData data) {
        return ReportWriter.write(data, new HtmlFormat(ReportRows.label(data.metrics().oldSide()),
                ReportRows.label(data.metrics().newSide())));
    }

    /**
     * Markdown whose images live in {@code folder}, a plain name relative to the Markdown file
     * (letters, digits, {@code .}, {@code _}, {@code -}).
     */
    public static Markdown markdown(ReportData data, String folder) {
        if (!folder.matches("[A-Za-z0-9._-]+") || folder.startsWith(".")) {
            throw new IllegalArgumentException("not a plain folder name: " + folder);
        }
        MarkdownFormat f = new MarkdownFormat(ReportRows.label(data.metrics().oldSide()),
                ReportRows.label(data.metrics().newSide()), folder);
        String text = ReportWriter.write(data, f);
        return new Markdown(text, f.images().stream().map(i -> new Image(i.name(), i.png())).toList());
    }
}
