/**
 * Sharing with others: Git remotes, store remotes ({@code store remote set}), {@code push} (missing
 * chunks first, then refs), {@code fetch}, {@code pull} and {@code clone}. A Git LFS server as a
 * store remote: its URL is found here ({@code LfsEndpoint}), its transfer is ContentRemote's. Uses {@code core}, {@code core.internal} (ContentRemote moves
 * the bytes), {@code workspace} and {@code gitinterop} (a clone installs the filter).
 */
package dev.mlv.core.remote;
