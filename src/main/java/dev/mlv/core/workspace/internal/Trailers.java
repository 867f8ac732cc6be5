package dev.mlv.core.workspace.internal;

import dev.mlv.core.workspace.TrainCommit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.revwalk.FooterKey;

/**
 * The {@code Mlv-*} trailers of commits mlv makes, which listings read without opening files.
 * <pre>
 * Mlv-Metrics: accuracy=0.93 loss=0.21
 * Mlv-Run: python train.py (exit 0, 12.3 s)
 * Mlv-Run-Failed: exit 1
 * Mlv-Data: 1f2e...
 * </pre>
 */
public final class Trailers {
    public static final String METRICS = "Mlv-Metrics";
    static final String RUN = "Mlv-Run";
    static final String RUN_FAILED = "Mlv-Run-Failed";
    static final String DATA = "Mlv-Data";
    static final String DEFAULT_MESSAGE = "Train commit";
    public static final FooterKey METRICS_KEY = new FooterKey(METRICS);
    public static final FooterKey RUN_KEY = new FooterKey(RUN);
    public static final FooterKey DATA_KEY = new FooterKey(DATA);

    private Trailers() {
    }

    public static String message(String message, Map<String, String> metrics, TrainCommit.Run run, boolean runFailed,
                          String dataCommit) {
        StringBuilder text = new StringBuilder();
        text.append(message == null || message.isBlank() ? DEFAULT_MESSAGE : message.strip()).append("\n");
        List<String> trailers = new ArrayList<>();
        String m = metricsLine(metrics);
        if (!m.isEmpty()) {
            trailers.add(METRICS + ": " + m);
        }
        if (run != null) {
            trailers.add(RUN + ": " + oneLine(String.join(" ", run.command())) + String.format(Locale.ROOT,
                    " (exit %d, %.1f s)", run.exitCode(), run.durationSeconds()));
            if (runFailed) {
                trailers.add(RUN_FAILED + ": exit " + run.exitCode());
            }
        }
        if (dataCommit != null) {
            trailers.add(DATA + ": " + dataCommit);
        }
        if (!trailers.isEmpty()) {
            text.append("\n");
            trailers.forEach(t -> text.append(t).append("\n"));
        }
        return text.toString();
    }

    /** {@code key=value} pairs for an {@code Mlv-Metrics} trailer; values with spaces are left out. */
    public static String metricsLine(Map<String, String> metrics) {
        StringBuilder m = new StringBuilder();
        metrics.forEach((k, v) -> {
            if (!v.isEmpty() && !v.contains(" ") && !k.contains(" ") && !k.contains("=")) {
                m.append(m.length() == 0 ? "" : " ").append(k).append('=').append(v);
            }
        });
        return m.toString();
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** The data commit a commit's {@code Mlv-Data} trailer records, or null. */
    public static String dataCommit(org.eclipse.jgit.revwalk.RevCommit commit) {
        for (org.eclipse.jgit.revwalk.FooterLine footer : commit.getFooterLines()) {
            if (footer.matches(DATA_KEY)) {
                return footer.getValue().strip();
            }
        }
        return null;
    }

    /** The key=value pairs of an {@code Mlv-Metrics} trailer. */
    public static Map<String, String> parseMetrics(String value) {
        Map<String, String> metrics = new LinkedHashMap<>();
        for (String pair : value.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                metrics.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return metrics;
    }
}
