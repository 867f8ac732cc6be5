/**
 * Experiments as branches: {@code exp new}, {@code exp list}, {@code exp show}, metrics shown and
 * compared across commits ({@code metrics show}, {@code metrics diff}), {@code reproduce} and
 * {@code retrain}, and the branch listing that {@code serve} offers. Uses {@code core},
 * {@code core.internal}, {@code workspace} (switch, train-commit) and the data capability.
 */
package dev.mlv.core.experiment;
