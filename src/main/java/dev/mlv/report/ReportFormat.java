package dev.mlv.report;

import java.util.List;

/** The building blocks a report is written with; {@link HtmlFormat} and {@link MarkdownFormat} escape everything. */
interface ReportFormat {
    void begin(String title);

    void heading(String text);

    void paragraph(String text);

    /** {@code rowClasses} name each row's kind ({@code better}, {@code worse}, ...; null for none), for styling. */
    void table(List<String> header, List<List<String>> rows, List<String> rowClasses);

    /** A chart of {@code pair}, the {@code index}-th of the report (from 1). */
    void chart(CurveCharts.Pair pair, int index, String caption);

    void list(List<String> items);

    /** Ends the document and returns its text. */
    String end();
}
