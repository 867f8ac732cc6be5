/**
 * Shipping a model: {@code promote} (a gated merge recorded as a {@code promote/DST/N} tag), the
 * metric gates ({@code Gating}, {@code check}), per-folder path policies, {@code history} and
 * {@code rollback}. Uses {@code core}, {@code core.internal}, {@code workspace} and its internals.
 */
package dev.mlv.core.promotion;
