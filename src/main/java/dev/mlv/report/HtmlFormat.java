package dev.mlv.report;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A report as one self-contained HTML file: inline CSS, charts as SVG images in {@code data:}
 * URIs (an SVG in an image cannot run scripts), no JavaScript, nothing loaded from elsewhere.
 * Every text from the repository (refs, keys, values, reasons, file names) is escaped.
 */
final class HtmlFormat implements ReportFormat {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:60em;color:#222;padding:0 1em}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:.5em 0}th,td{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left}
            td{font-variant-numeric:tabular-nums}tr.better td,tr.pass td{background:#eaf6ea}tr.worse td,tr.fail td{background:#fbeaea}
            figure{margin:1.5em 0 .3em}figcaption{font-size:.9em;color:#555}img{max-width:100%}
            """;

    private final String oldLabel;
    private final String newLabel;
    private final StringBuilder out = new StringBuilder();

    HtmlFormat(String oldLabel, String newLabel) {
        this.oldLabel = oldLabel;
        this.newLabel = newLabel;
    }

    @Override
    public void begin(String title) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(escape(title))
                .append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<h1>")
                .append(escape(title)).append("</h1>\n");
    }

    @Override
    public void heading(String text) {
        out.append("<h2>").append(escape(text)).append("</h2>\n");
    }

    @Override
    public void paragraph(String text) {
        out.append("<p>").append(escape(text)).append("</p>\n");
    }

    @Override
    public void table(List<String> header, List<List<String>> rows, List<String> rowClasses) {
        out.append("<table>\n<thead><tr>");
        header.forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < rows.size(); i++) {
            String cls = rowClasses == null ? null : rowClasses.get(i);
            out.append(cls == null ? "<tr>" : "<tr class=\"" + escape(cls) + "\">");
            rows.get(i).forEach(c -> out.append("<td>").append(escape(c)).append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    @Override
    public void chart(CurveCharts.Pair pair, int index, String caption) {
        String svg = CurveCharts.svg(CurveCharts.chart(pair, oldLabel, newLabel), "c" + index + "_");
        String data = Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
        out.append("<figure>\n<img width=\"").append(CurveCharts.WIDTH).append("\" height=\"").append(CurveCharts.HEIGHT)
                .append("\" alt=\"").append(escape(pair.key())).append("\" src=\"data:image/svg+xml;base64,").append(data)
                .append("\">\n<figcaption>").append(escape(caption)).append("</figcaption>\n</figure>\n");
    }

    @Override
    public void list(List<String> items) {
        out.append("<ul>\n");
        items.forEach(i -> out.append("<li>").append(escape(i)).append("</li>\n"));
        out.append("</ul>\n");
    }

    @Override
    public String end() {
        out.append("<footer><p>Written by mlv report.</p></footer>\n</body>\n</html>\n");
        return out.toString();
    }

    /** Text for HTML content and attribute values; control characters, which HTML forbids, become U+FFFD. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}
