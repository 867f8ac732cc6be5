/**
 * Promotion tags, read and numbered: lent to {@code push}, which sends them with their branch. Not an
 * API; {@code cli} and {@code serve} may not use it.
 */
package dev.mlv.core.promotion.internal;
