/**
 * Metrics of ML experiments: flattening a commit's {@code metrics/*.json} into dotted keys
 * ({@link dev.mlv.metrics.MetricsParser}), which way each metric improves
 * ({@link dev.mlv.metrics.Directions}), comparing two commits ({@link dev.mlv.metrics.MetricsDiff})
 * and promotion gates ({@link dev.mlv.metrics.Gates}). A plain library: it knows nothing of Git
 * or of the rest of mlv but the shared wildcard matcher ({@link dev.mlv.glob.Glob}). The rules are
 * written up in {@code docs/metrics.md}.
 */
package dev.mlv.metrics;
