/**
 * The work tree and its commits: {@code init}, {@code track}, {@code status}, {@code switch},
 * {@code cat}, {@code ls-files}, {@code log} and {@code train-commit} with its run record. Uses
 * {@code core}, {@code core.internal}, {@code workspace.internal} and the data capability's
 * internals (the work tree follows the data submodule).
 */
package dev.mlv.core.workspace;
