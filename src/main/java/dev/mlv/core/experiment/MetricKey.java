package dev.mlv.core.experiment;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.MetricsException;
import dev.mlv.metrics.ResolvedDirection;

/**
 * A metric key with the direction it improves in and the rule that decided it.
 *
 * @param direction {@code max} (higher is better) or {@code min} (lower is better)
 * @param directionRule why: {@code configured: eval.*} or {@code default: name has 'loss'}
 */
public record MetricKey(String key, String direction, String directionRule) {
    static MetricKey of(String key, Directions directions) {
        return of(key, directions.resolve(key));
    }

    static MetricKey of(String key, ResolvedDirection d) {
        return new MetricKey(key, d.direction().word(), (d.configured() ? "configured: " : "default: ") + d.rule());
    }

    /** The directions of {@code .mlv/config.json}, with defaults for keys it does not name. */
    static Directions directions(MlvRepository repo) throws MlvException {
        try {
            return Directions.of(repo.config().metricDirections());
        } catch (MetricsException e) {
            throw new MlvException(MlvConfig.PATH + ": " + e.getMessage() + " (in metrics.directions); fix the file and run the command again", e);
        }
    }
}
