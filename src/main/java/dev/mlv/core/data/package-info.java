/**
 * Data as a Git submodule pinned per experiment: {@code data add}, {@code data pull},
 * {@code data status}. Uses {@code core}, {@code core.internal} and {@code data.internal}.
 */
package dev.mlv.core.data;
