package dev.mlv.metrics;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The direction of a metric nobody configured, guessed from its name.
 *
 * <p>Each dot-separated segment is split into words at {@code _}, {@code -}, spaces and
 * camelCase humps ({@code val_loss}, {@code valLoss} → {@code val}, {@code loss}), lower-cased.
 * Segments are examined from the last to the first; the first segment holding a known word
 * decides: a "lower is better" word ({@link #MIN_WORDS}, or a word ending in {@code loss} such
 * as {@code logloss}) makes it {@code min}, else a "higher is better" word ({@link #MAX_WORDS})
 * makes it {@code max}. No known word anywhere: {@code max}. Whole words, not substrings, so
 * {@code terror} or {@code timeliness} are not mistaken; walking outwards means
 * {@code latency.p99} is {@code min} while {@code error_analysis.accuracy} stays {@code max}.
 */
final class DefaultDirections {
    /** Words meaning "lower is better". */
    static final Set<String> MIN_WORDS = Set.of(
            "loss", "losses", "nll", "error", "errors", "err", "rmse", "mse", "mae", "mape", "smape", "rmsle",
            "wer", "cer", "fpr", "fnr", "eer", "brier", "perplexity", "ppl", "divergence", "kl", "regret",
            "cost", "latency", "time", "duration", "seconds", "secs", "ms");
    /** Words meaning "higher is better"; they stop the outward walk. */
    static final Set<String> MAX_WORDS = Set.of(
            "accuracy", "acc", "precision", "recall", "f1", "auc", "roc", "score", "iou", "map", "ndcg",
            "bleu", "rouge", "r2", "throughput", "tps", "qps");

    private static final Pattern WORD_BREAK = Pattern.compile("[_\\-\\s]+|(?<=[a-z])(?=[A-Z])");

    private DefaultDirections() {
    }

    static ResolvedDirection resolve(String key) {
        String[] segments = key.split("\\.", -1);
        for (int i = segments.length - 1; i >= 0; i--) {
            String maxWord = null;
            for (String raw : WORD_BREAK.split(segments[i])) {
                String word = raw.toLowerCase(Locale.ROOT);
                if (MIN_WORDS.contains(word) || word.endsWith("loss")) {
                    return new ResolvedDirection(Direction.MIN, false, "name has '" + word + "'");
                }
                if (maxWord == null && MAX_WORDS.contains(word)) {
                    maxWord = word;
                }
            }
            if (maxWord != null) {
                return new ResolvedDirection(Direction.MAX, false, "name has '" + maxWord + "'");
            }
        }
        return new ResolvedDirection(Direction.MAX, false, "higher is better unless configured");
    }
}
