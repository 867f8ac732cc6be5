package dev.mlv.metrics;

/** One value of a training curve and the step it was logged at. */
public record CurvePoint(long step, double value) {
}
