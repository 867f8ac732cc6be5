package dev.mlv.report;

import dev.mlv.core.experiment.CurveFile;
import dev.mlv.core.experiment.ExperimentCurves;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * One chart per training-curve key ({@code train.loss}) with each side's points overlaid, drawn by
 * JFreeChart as SVG (for HTML) or PNG (for Markdown). Non-finite values are left out of the lines
 * (an axis cannot hold infinity); the summaries beside the chart still show them.
 */
final class CurveCharts {
    static final int WIDTH = 720;
    static final int HEIGHT = 320;
    /** Charts drawn at most; a report with more curve keys says how many it left out. */
    static final int MAX_CHARTS = 60;

    private static final Color OLD_COLOR = new Color(0x4c78a8);
    private static final Color NEW_COLOR = new Color(0xf58518);

    /** A key's column on each side (either may be null: the key is on one side only). */
    record Pair(String key, CurveFile.Column oldColumn, CurveFile.Column newColumn) {
    }

    private CurveCharts() {
    }

    /** The curve keys of both sides, sorted, each with its columns. */
    static List<Pair> pairs(ExperimentCurves.Result oldSide, ExperimentCurves.Result newSide) {
        TreeMap<String, CurveFile.Column[]> byKey = new TreeMap<>();
        collect(oldSide, byKey, 0);
        collect(newSide, byKey, 1);
        List<Pair> pairs = new ArrayList<>();
        byKey.forEach((key, columns) -> pairs.add(new Pair(key, columns[0], columns[1])));
        return pairs;
    }

    private static void collect(ExperimentCurves.Result side, TreeMap<String, CurveFile.Column[]> byKey, int index) {
        for (CurveFile file : side.curves()) {
            for (CurveFile.Column c : file.columns()) {
                // two files cannot give the same key (keys carry the file's path), so the first one stands
                byKey.computeIfAbsent(c.key(), k -> new CurveFile.Column[2])[index] = c;
            }
        }
    }

    static JFreeChart chart(Pair pair, String oldLabel, String newLabel) {
        ensureHeadless();
        XYSeriesCollection data = new XYSeriesCollection();
        List<Color> colors = new ArrayList<>();
        if (pair.oldColumn() != null) {
            data.addSeries(series(oldLabel, pair.oldColumn()));
            colors.add(OLD_COLOR);
        }
        if (pair.newColumn() != null) {
            data.addSeries(series(newLabel, pair.newColumn()));
            colors.add(NEW_COLOR);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(pair.key(), "step", null, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colors.size(); i++) {
            renderer.setSeriesPaint(i, colors.get(i));
            renderer.setSeriesStroke(i, new BasicStroke(1.8f));
            // a line needs two points: a single value shows as a dot
            renderer.setSeriesShapesVisible(i, data.getSeries(i).getItemCount() < 2);
        }
        plot.setRenderer(renderer);
        return chart;
    }

    private static XYSeries series(String label, CurveFile.Column column) {
        XYSeries s = new XYSeries(label, false, true);
        long[] steps = column.steps();
        double[] values = column.values();
        for (int i = 0; i < steps.length; i++) {
            if (Double.isFinite(values[i])) {
                s.add((double) steps[i], values[i], false);
            }
        }
        return s;
    }

    /** The chart as an SVG element (with its namespace, no DTD to fetch); {@code idPrefix} keeps its definitions' ids apart from other charts'. */
    static String svg(JFreeChart chart, String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(idPrefix);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement();
    }

    static byte[] png(JFreeChart chart) {
        BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a chart as PNG", e);
        }
        return out.toByteArray();
    }

    /**
     * Drawing needs no display: without one set up, AWT is told so before its first use (on a
     * desktop with a display, drawing into an image works either way).
     */
    private static void ensureHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
