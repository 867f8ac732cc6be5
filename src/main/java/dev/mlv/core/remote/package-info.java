/**
 * Sharing with others: Git remotes, store remotes ({@code store remote set}), {@code push} (missing
 * chunks first, then refs), {@code fetch}, {@code pull} and {@code clone}. A Git LFS store remote
 * (Batch API client) belongs here too. Uses {@code core}, {@code core.internal} (ContentRemote moves
 * the bytes), {@code workspace} and {@code gitinterop} (a clone installs the filter).
 */
package dev.mlv.core.remote;
