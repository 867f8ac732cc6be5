/**
 * {@code mlv store}: the chunk store's plumbing (put, cat, chunks, stats, verify) on this repository's
 * store or any store directory. Uses {@code core}, {@code core.internal} and {@code store}.
 */
package dev.mlv.core.plumbing;
