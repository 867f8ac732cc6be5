/**
 * A/B tests between branches: {@code ab create}, {@code list} and {@code show}, weighted {@code assign}, the significance
 * {@code report} over recorded monitoring data, and {@code conclude} (a gated promotion of the
 * winner). Test definitions live on a branch of their own. Uses {@code core}, {@code core.internal},
 * {@code workspace} and {@code promotion}.
 */
package dev.mlv.core.ab;
