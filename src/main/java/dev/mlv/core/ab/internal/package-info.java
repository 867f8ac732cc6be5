/**
 * Where A/B tests are stored ({@code refs/mlv/ab/NAME}), read and written: lent to {@code push}
 * (which sends the tests) and {@code exp rm} (which keeps the branches of running tests). Not an
 * API; {@code cli} and {@code serve} may not use it.
 */
package dev.mlv.core.ab.internal;
