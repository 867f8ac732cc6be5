/**
 * Experiments as branches: {@code exp new}, {@code exp list}, {@code exp show}, {@code exp rm}
 * (with HEAD's reflog entries for what only the removed branches reached), metrics shown and
 * compared across commits ({@code metrics show}, {@code metrics diff}), {@code reproduce} and
 * {@code retrain}, and the branch listing that {@code serve} offers. Uses {@code core},
 * {@code core.internal}, {@code workspace} (switch, train-commit), the data capability, and the
 * promotion tags and A/B tests that {@code exp rm} keeps branches for.
 */
package dev.mlv.core.experiment;
